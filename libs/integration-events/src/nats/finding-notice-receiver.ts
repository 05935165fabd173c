import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { CrossProvinceFindingNotice } from '../contract/integration-events.js';
import { FINDINGS_STREAM, findingSubject, PROVINCE_CODE } from '../contract/subjects.js';
import { ensureIntegrationStreams } from './integration-streams.js';

export interface FindingNoticeReceiverOptions {
  readonly natsUrl: string;
  readonly province: string;
  /**
   * Records one notice. Resolving acknowledges it; throwing leaves it to JetStream to deliver again
   * after a pause. A notice the ledger refuses for good (a person it does not know) is the
   * handler's to log and resolve: delivered again, it would be refused again, forever.
   */
  readonly record: (notice: CrossProvinceFindingNotice) => Promise<void>;
  readonly onError?: (error: unknown) => void;
  /** Pause before a notice that failed is delivered again (default 5 s). */
  readonly redeliveryDelayMs?: number;
}

/**
 * Receives the hub's cross-province findings about this province's people: a durable pull consumer
 * of `ledger.findings.<province>`, shared by every API instance of the province (JetStream hands
 * each notice to one of them). A notice is acknowledged only after the ledger recorded it, and
 * recording is idempotent by finding id, so a notice delivered twice is recorded once.
 */
export class FindingNoticeReceiver {
  private connection: NatsConnection | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastError: unknown;
  /** Set while the last notice delivered could not be recorded: not NATS's fault, but readiness should say so. */
  private failedNotice = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: FindingNoticeReceiverOptions) {
    if (!PROVINCE_CODE.test(options.province)) throw new Error(`Invalid province code ${JSON.stringify(options.province)}`);
  }

  get failure(): unknown {
    return this.lastError;
  }

  get durableName(): string {
    return `province-${this.options.province}`;
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.connection?.close().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping; failures++) {
      try {
        if (!this.connection || this.connection.isClosed()) {
          this.connection = await connect({ servers: this.options.natsUrl.split(','), name: `ledger-findings-${this.options.province}`, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5_000 });
        }
        await ensureIntegrationStreams(this.connection);
        const jsm = await jetstreamManager(this.connection);
        await jsm.consumers
          .add(FINDINGS_STREAM, {
            durable_name: this.durableName,
            filter_subject: findingSubject(this.options.province),
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ack_wait: 60 * 1_000_000_000,
          })
          .catch(async (error: unknown) => {
            // Another instance created it first: the same configuration, so it is ours too.
            if (!/already in use|exists/i.test((error as Error).message)) throw error;
          });
        const consumer = await jetstream(this.connection).consumers.get(FINDINGS_STREAM, this.durableName);
        while (!this.stopping) {
          const messages = await consumer.fetch({ max_messages: 100, expires: 2_000 });
          for await (const message of messages) {
            await this.receive(message);
          }
          // A pull that went through: NATS answers, whether or not a notice was waiting.
          if (!this.failedNotice) this.lastError = undefined;
          failures = 0;
        }
      } catch (error) {
        if (this.stopping) return;
        this.lastError = error;
        this.options.onError?.(error);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(failures, 16)));
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    }
  }

  private async receive(message: JsMsg): Promise<void> {
    let notice: CrossProvinceFindingNotice;
    try {
      notice = message.json<CrossProvinceFindingNotice>();
    } catch (error) {
      // Not JSON: no delivery will ever read it; keep it out of the way of the ones behind it.
      this.options.onError?.(new Error(`A finding notice that is not JSON was dropped (stream sequence ${message.seq})`, { cause: error }));
      message.term('not JSON');
      return;
    }
    try {
      await this.options.record(notice);
      message.ack();
      this.failedNotice = false;
      this.lastError = undefined;
    } catch (error) {
      this.failedNotice = true;
      this.lastError = error;
      this.options.onError?.(error);
      message.nak(this.options.redeliveryDelayMs ?? 5_000);
    }
  }
}
