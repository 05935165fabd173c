import { connect, type NatsConnection } from '@nats-io/transport-node';
import { aggregateOfStream, beneficiaryStreamName } from '@ledger/domain';
import type { EventStore, RecordedEvent, Subscription } from '@ledger/event-store';
import { foldBeneficiaryFacts, foldDisbursementFacts, type BeneficiaryFacts, type DisbursementFacts } from '../contract/integration-facts.js';
import type { IntegrationEvent } from '../contract/integration-events.js';
import { integrationEventSubject } from '../contract/subjects.js';
import { toIntegrationEvents } from '../contract/to-integration-events.js';
import { ensureIntegrationStreams } from './integration-streams.js';
import { PubAckWindow } from './pub-ack-window.js';
import type { PublisherCheckpoints } from './publisher-checkpoints.js';

export interface IntegrationPublisherOptions {
  readonly natsUrl: string;
  /** The province's code: the root of its administrative units. */
  readonly province: string;
  /** LEDGER_NATIONAL_KEY: what national person keys are keyed with, shared with the other provinces and the ministry. */
  readonly nationalKey: string;
  /** Most events of the ledger's log mapped and published before the checkpoint moves (default 5,000). */
  readonly maxBatch?: number;
  /** Facts remembered about streams between their events; beyond it the oldest are forgotten and read again when needed. */
  readonly maxRememberedStreams?: number;
  /** Longest pause between two tries while NATS is away (default 5 s). */
  readonly maxRetryPauseMs?: number;
  readonly onPublished?: (integrationEvents: number, position: bigint) => void;
  /** Called at each failed try, before the pause: NATS away, a PubAck timed out, the checkpoint not written. */
  readonly onError?: (error: unknown) => void;
}

/** How long a batch waits for its PubAcks before the ones missing count as not stored. */
const PUB_ACK_TIMEOUT_MS = 10_000;

/** What a stream's facts were folded up to: its revision, so a gap is noticed and the stream read again. */
interface Remembered<Facts> {
  readonly revision: bigint;
  readonly facts: Facts | undefined;
}

/**
 * Publishes the ledger's integration events to NATS JetStream, in the order of the ledger's log.
 *
 * Follows the log from its own checkpoint, in batches: maps each event (remembering what it needs of
 * each stream — a person's key, a disbursement as it stands), publishes the batch with each
 * integration event's id as Nats-Msg-Id, and moves the checkpoint only once JetStream has
 * acknowledged all of it. A crash between a PubAck and the checkpoint sends the batch again, with the
 * same ids: JetStream drops repeats within its duplicate window, the hub's inbox beyond it. So
 * nothing acknowledged by the ledger is lost on the way, and nothing is counted twice.
 *
 * While NATS is away the batch is tried again with growing pauses; `failure` says why meanwhile
 * (readiness reports it), and nothing after the batch is read.
 */
export class IntegrationPublisher {
  private position = -1n;
  private connection: NatsConnection | undefined;
  private window: PubAckWindow | undefined;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastError: unknown;
  /** Set while the connection is down and the client reconnects: an idle publisher has no failed try to say so. */
  private connectionLost: Error | undefined;
  private wakeRetry: (() => void) | undefined;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  private readonly remembered = new Map<string, Remembered<BeneficiaryFacts | DisbursementFacts>>();

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: PublisherCheckpoints,
    private readonly options: IntegrationPublisherOptions,
  ) {}

  /** The position of the last event whose integration events JetStream acknowledged. */
  get checkpoint(): bigint {
    return this.position;
  }

  /**
   * Why the last try failed, while it keeps failing (undefined once a batch went through), or that
   * the connection is down while there is nothing to publish: readiness must not say "up" for a
   * publisher that could not send the next event.
   */
  get failure(): unknown {
    return this.lastError ?? this.connectionLost;
  }

  /** Reads the checkpoint and starts following the log; resolves without waiting for NATS. */
  async start(): Promise<void> {
    this.position = await this.checkpoints.read();
    this.running = this.run();
  }

  /** Resolves once everything up to `position` is acknowledged by JetStream. */
  async publishedUpTo(position: bigint): Promise<void> {
    if (this.position >= position) return;
    await new Promise<void>((resolve) => this.waiters.add({ position, resolve }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    await this.subscription?.close();
    await this.running;
    this.window?.close();
    await this.connection?.close().catch(() => undefined);
    await this.checkpoints.close();
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping; failures++) {
      // Two batches at a time: the next one is read and mapped while JetStream stores the one before,
      // and the checkpoint moves batch by batch, in order, each only once every PubAck of it is in.
      let inFlight: { stored: Promise<void>; checkpoint: bigint; count: number } | undefined;
      try {
        await this.connected();
        // Connected, the streams in place: whatever failed before is over (a publish that fails says so again).
        this.lastError = undefined;
        let readUpTo = this.position;
        while (!this.stopping) {
          const batch = await this.store.readAll({ after: readUpTo, maxCount: this.options.maxBatch ?? 5_000 });
          if (batch.length === 0) {
            if (inFlight) await this.settle(inFlight);
            inFlight = undefined;
            await this.nextCommit();
            continue;
          }
          const messages = await this.mapped(batch);
          const sending = { stored: this.publish(messages), checkpoint: batch.at(-1)!.globalPosition, count: messages.length };
          readUpTo = sending.checkpoint;
          const previous = inFlight;
          inFlight = sending;
          if (previous) await this.settle(previous);
          failures = 0;
        }
        if (inFlight) await this.settle(inFlight);
        return;
      } catch (error) {
        if (this.stopping) return;
        this.lastError = error;
        this.options.onError?.(error);
        // What was folded for an unpublished batch would be folded again: forget it, read it again.
        this.remembered.clear();
        await inFlight?.stored.catch(() => undefined);
        await this.pause(failures);
      }
    }
  }

  private async settle({ stored, checkpoint, count }: { stored: Promise<void>; checkpoint: bigint; count: number }): Promise<void> {
    await stored;
    if (this.stopping) return;
    await this.checkpoints.write(checkpoint);
    this.acknowledged(checkpoint, count);
  }

  /** Waits for the next event after the checkpoint to be committed (or for stop()). */
  private async nextCommit(): Promise<void> {
    const subscription = this.store.subscribeToAll({ after: this.position });
    this.subscription = subscription;
    try {
      await subscription[Symbol.asyncIterator]().next();
    } finally {
      await subscription.close();
      this.subscription = undefined;
    }
  }

  private async connected(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) return;
    this.connection = await connect({
      servers: this.options.natsUrl.split(','),
      name: `ledger-publisher-${this.options.province}`,
      // Reconnects for as long as the process lives; publishing waits and tries again meanwhile.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5_000,
    });
    this.connectionLost = undefined;
    this.watch(this.connection);
    this.window = new PubAckWindow(this.connection);
    await ensureIntegrationStreams(this.connection);
  }

  private watch(connection: NatsConnection): void {
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') this.connectionLost = new Error(`the connection to NATS (${status.server}) was lost; reconnecting`);
        else if (status.type === 'reconnect') this.connectionLost = undefined;
      }
    })().catch(() => undefined);
  }

  private async mapped(batch: readonly RecordedEvent[]): Promise<IntegrationEvent[]> {
    const messages: IntegrationEvent[] = [];
    for (const event of batch) {
      const aggregate = aggregateOfStream(event.streamName)?.aggregate;
      if (aggregate === 'beneficiary') {
        const beneficiary = await this.factsAfter<BeneficiaryFacts>(event, (facts, e) => foldBeneficiaryFacts(facts, e, this.options.nationalKey));
        messages.push(...toIntegrationEvents(event, { province: this.options.province, ...(beneficiary ? { beneficiary } : {}) }));
      } else if (aggregate === 'disbursement') {
        const disbursement = await this.factsAfter<DisbursementFacts>(event, foldDisbursementFacts);
        const beneficiary = disbursement ? await this.beneficiaryOf(disbursement.beneficiaryId) : undefined;
        messages.push(
          ...toIntegrationEvents(event, { province: this.options.province, ...(beneficiary ? { beneficiary } : {}), ...(disbursement ? { disbursement } : {}) }),
        );
      } else {
        messages.push(...toIntegrationEvents(event, { province: this.options.province }));
      }
    }
    return messages;
  }

  /**
   * The stream's facts after `event`: folded onto what is remembered when that is the revision just
   * before it, else read from the stream's start (after a restart, or once forgotten).
   */
  private async factsAfter<Facts extends BeneficiaryFacts | DisbursementFacts>(event: RecordedEvent, fold: (facts: Facts | undefined, event: RecordedEvent) => Facts | undefined): Promise<Facts | undefined> {
    const known = this.remembered.get(event.streamName) as Remembered<Facts> | undefined;
    let facts: Facts | undefined;
    if (known && known.revision === event.streamRevision - 1n) {
      facts = known.facts;
    } else if (event.streamRevision > 0n) {
      for (const earlier of await this.store.readStream(event.streamName, { maxCount: Number(event.streamRevision) })) facts = fold(facts, earlier);
    }
    facts = fold(facts, event);
    this.remember(event.streamName, { revision: event.streamRevision, facts });
    return facts;
  }

  /** A person's facts for their disbursements: only the key, which never changes, so any revision will do. */
  private async beneficiaryOf(beneficiaryId: string): Promise<BeneficiaryFacts | undefined> {
    const streamName = beneficiaryStreamName(beneficiaryId);
    const known = this.remembered.get(streamName) as Remembered<BeneficiaryFacts> | undefined;
    if (known?.facts) return known.facts;
    const [registered] = await this.store.readStream(streamName, { maxCount: 1 });
    if (!registered) return undefined;
    const facts = foldBeneficiaryFacts(undefined, registered, this.options.nationalKey);
    this.remember(streamName, { revision: registered.streamRevision, facts });
    return facts;
  }

  private remember(streamName: string, entry: Remembered<BeneficiaryFacts | DisbursementFacts | undefined>): void {
    // Re-inserted, so that the Map's order is the order of last use and the first key the least used.
    this.remembered.delete(streamName);
    this.remembered.set(streamName, entry as Remembered<BeneficiaryFacts | DisbursementFacts>);
    if (this.remembered.size > (this.options.maxRememberedStreams ?? 250_000)) this.remembered.delete(this.remembered.keys().next().value!);
  }

  /**
   * Publishes every message and waits for every PubAck. On a failure, everything from the first
   * message not acknowledged is sent again, in order, until it all is: the ones after it that went
   * through are repeats JetStream drops by their Nats-Msg-Id.
   */
  private async publish(messages: readonly IntegrationEvent[]): Promise<void> {
    const toStore = messages.map((message) => ({ subject: integrationEventSubject(message.province, message.type), data: Buffer.from(JSON.stringify(message)), msgId: message.id }));
    let from = 0;
    for (let failures = 0; from < toStore.length; failures++) {
      if (this.stopping) return;
      const outcomes = await this.window!.storeAll(toStore.slice(from), PUB_ACK_TIMEOUT_MS);
      const firstFailed = outcomes.findIndex((outcome) => !outcome.stored);
      if (firstFailed === -1) return;
      const failed = outcomes[firstFailed] as { reason: string };
      from += firstFailed;
      const error = new Error(`JetStream did not store integration event ${messages[from]!.id}: ${failed.reason}`);
      this.lastError = error;
      this.options.onError?.(error);
      await this.pause(failures);
    }
  }

  private acknowledged(checkpoint: bigint, published: number): void {
    this.position = checkpoint;
    this.lastError = undefined;
    this.options.onPublished?.(published, checkpoint);
    for (const waiter of this.waiters) {
      if (waiter.position <= checkpoint) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private async pause(failures: number): Promise<void> {
    const pause = Math.min(this.options.maxRetryPauseMs ?? 5_000, 100 * 2 ** Math.min(failures, 16));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pause);
      this.wakeRetry = () => (clearTimeout(timer), resolve());
    });
    this.wakeRetry = undefined;
  }
}
