import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { INTEGRATION_EVENTS_STREAM } from '@ledger/integration-events';
import type { HubLogger } from '../hub-logger.js';
import type { HubMetrics } from '../hub-metrics.js';
import type { BatchWriter, ConsumedMessage } from '../store/batch-writer.js';
import { readIntegrationEvent } from './integration-event-reading.js';

export interface ConsumerProgress {
  applied: number;
  duplicates: number;
  refused: number;
  batches: number;
  /** The last stream sequence committed. */
  checkpoint: number;
}

export interface EventConsumerOptions {
  readonly js: JetStreamClient;
  readonly consumerName: string;
  readonly maxBatch: number;
  readonly writer: BatchWriter;
  readonly metrics: HubMetrics;
  readonly logger: HubLogger;
  /** The checkpoint PostgreSQL holds at start. */
  readonly checkpoint: number;
  /** Whether PostgreSQL answers: after a failed batch, consumption waits for it. */
  readonly postgresAnswers: () => Promise<boolean>;
  /** A batch wrote notices to the outbox. */
  readonly onNotices: () => void;
}

/** A message as delivered, read on arrival: the hub parses while PostgreSQL writes the batch before. */
interface Delivered {
  readonly message: JsMsg;
  readonly consumed: ConsumedMessage;
}

const FIRST_BACKOFF_MS = 250;
const LONGEST_BACKOFF_MS = 10_000;

/**
 * Follows the hub's durable consumer: messages arrive into a buffer as JetStream delivers them (up
 * to the consumer's max_ack_pending, which bounds it) and are read there, and the loop takes up to
 * maxBatch of them at a time into one PostgreSQL transaction, acknowledging them once it has
 * committed. JetStream delivers, and the hub reads, the next batch while the database writes this one.
 *
 * A batch that cannot be committed (PostgreSQL away, or anything else) is given back: the hub stops
 * pulling, naks what it holds so that JetStream delivers it again at once when pulling resumes,
 * and resumes once PostgreSQL answers, after a backoff that grows while failures repeat. Nothing is
 * acknowledged that is not committed; anything committed and not acknowledged comes back and is
 * found in the inbox.
 */
export class EventConsumer {
  readonly progress: ConsumerProgress;
  /** Why the last batch failed, while the hub waits to try again; undefined when consuming. */
  failure: string | undefined;
  private buffer: Delivered[] = [];
  private messages: ConsumerMessages | undefined;
  private wakeUp: (() => void) | undefined;
  private running = false;
  private abandoned = false;
  private applying = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.progress = { applied: 0, duplicates: 0, refused: 0, batches: 0, checkpoint: options.checkpoint };
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Nothing delivered and waiting in the hub, and no batch being written. */
  get idle(): boolean {
    return this.buffer.length === 0 && !this.applying;
  }

  /** Stops pulling, lets the batch being written commit and be acknowledged, and gives the rest back. */
  async stop(): Promise<void> {
    this.running = false;
    const messages = this.messages;
    this.messages = undefined;
    await messages?.close().catch(() => undefined);
    this.wake();
    await this.loop;
    this.giveBack();
  }

  /**
   * Stops as a crash would: the batch being written commits or not, but nothing more is
   * acknowledged. For fault tests and benchmarks; the caller then closes the connections.
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    const pause = async () => {
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, LONGEST_BACKOFF_MS);
    };
    while (this.running) {
      if (!this.messages) {
        try {
          await this.subscribe();
          // Subscribed again after a failed batch: PostgreSQL answered, the batch is on its way back.
          this.failure = undefined;
        } catch (error) {
          this.failure = `cannot follow consumer ${this.options.consumerName}: ${messageOf(error)}`;
          this.options.logger.warn({ err: error }, `hub: ${this.failure}; trying again`);
          await pause();
          continue;
        }
      }
      if (this.buffer.length === 0) {
        // A timeout as well as the wake-up, so that a subscription JetStream ended is noticed.
        await this.waitForMessages(1_000);
        continue;
      }
      const batch = this.buffer.splice(0, this.options.maxBatch);
      this.applying = true;
      try {
        const outcome = await this.options.writer.write(
          batch.map((delivered) => delivered.consumed),
          new Date(),
        );
        if (this.abandoned) {
          // Committed, so counted; never acknowledged, so delivered again to the next hub.
          this.record(outcome);
          return;
        }
        for (const { message } of batch) message.ack();
        this.applying = false;
        backoff = FIRST_BACKOFF_MS;
        this.failure = undefined;
        this.record(outcome);
        if (outcome.notices > 0) this.options.onNotices();
      } catch (error) {
        this.applying = false;
        if (this.abandoned) return;
        this.options.metrics.batchFailures.inc();
        this.failure = `a batch of ${batch.length} events could not be committed: ${messageOf(error)}`;
        this.options.logger.error({ err: error, firstSequence: batch[0]!.consumed.streamSequence, lastSequence: batch.at(-1)!.consumed.streamSequence }, `hub: ${this.failure}; it goes back to JetStream`);
        this.buffer.unshift(...batch);
        const messages = this.messages;
        this.messages = undefined;
        await messages?.close().catch(() => undefined);
        this.giveBack();
        await pause();
        while (this.running && !(await this.options.postgresAnswers())) await pause();
      }
    }
  }

  private record(outcome: Awaited<ReturnType<BatchWriter['write']>>): void {
    const { metrics, logger } = this.options;
    this.progress.applied += outcome.applied;
    this.progress.duplicates += outcome.duplicates;
    this.progress.refused += outcome.refused;
    this.progress.batches++;
    this.progress.checkpoint = Math.max(this.progress.checkpoint, outcome.checkpoint);
    metrics.events.inc({ outcome: 'applied' }, outcome.applied);
    metrics.events.inc({ outcome: 'duplicate' }, outcome.duplicates);
    metrics.events.inc({ outcome: 'refused' }, outcome.refused);
    metrics.batches.inc();
    for (const finding of outcome.newFindings) metrics.findingFound(finding.kind);
    if (outcome.refused > 0) logger.error({ refused: outcome.refused, checkpoint: outcome.checkpoint }, 'hub: messages that break the integration contract were refused (see refused_messages)');
    if (outcome.unmatchedResolutions > 0) logger.warn({ unmatched: outcome.unmatchedResolutions }, 'hub: resolutions of a finding and province the hub does not hold, or older than the one it holds');
    if (outcome.newFindings.length > 0) logger.info({ findings: outcome.newFindings.map((finding) => finding.findingId), notices: outcome.notices }, 'hub: cross-province findings');
  }

  private async subscribe(): Promise<void> {
    const consumer = await this.options.js.consumers.get(INTEGRATION_EVENTS_STREAM, this.options.consumerName);
    const messages = await consumer.consume({
      max_messages: this.options.maxBatch,
      callback: (message) => {
        const streamSequence = message.seq;
        this.buffer.push({ message, consumed: { streamSequence, subject: message.subject, read: readIntegrationEvent(message.subject, message.data) } });
        this.wake();
      },
    });
    this.messages = messages;
    void messages.closed().then((error) => {
      if (this.messages !== messages) return;
      // JetStream ended the subscription (the consumer deleted, …): subscribe again on the next turn.
      this.messages = undefined;
      if (error) this.options.logger.warn({ err: error }, 'hub: the JetStream subscription ended; subscribing again');
      this.wake();
    });
  }

  /** Whatever the hub holds uncommitted goes back to JetStream, to be delivered again now rather than after the ack wait. */
  private giveBack(): void {
    for (const { message } of this.buffer) message.nak();
    this.buffer = [];
  }

  private waitForMessages(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), timeoutMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    return this.running ? this.waitForMessages(ms) : Promise.resolve();
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
