import type { JetStreamClient } from '@nats-io/jetstream';
import { findingSubject } from '@ledger/integration-events';
import type { HubLogger } from '../hub-logger.js';
import type { HubMetrics } from '../hub-metrics.js';
import type { NoticeOutbox } from '../store/notice-outbox.js';

const PAGE = 200;
const FIRST_BACKOFF_MS = 250;
const LONGEST_BACKOFF_MS = 10_000;
/** Also without a wake-up: a notice written by another hub process, or left by a stop, is published within this. */
const IDLE_CHECK_MS = 5_000;

/**
 * Publishes the outbox's notices to their provinces' subjects, and marks each once JetStream has
 * acknowledged it. A crash between the two publishes it again on the next start, under the same
 * Nats-Msg-Id (`<findingId>:<province>`), which JetStream drops within its duplicate window; a
 * province's ledger records a finding once whatever the window. While NATS is away it retries with
 * a growing backoff.
 */
export class NoticeRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private interrupt: (() => void) | undefined;
  /** Sleeping until new notices come, rather than backing off after a failure (which new notices must not cut short). */
  private idle = false;
  private woken = false;

  constructor(
    private readonly outbox: NoticeOutbox,
    private readonly js: JetStreamClient,
    private readonly metrics: HubMetrics,
    private readonly logger: HubLogger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** New notices are in the outbox. */
  wake(): void {
    this.woken = true;
    if (this.idle) this.interrupt?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    while (this.running) {
      this.woken = false;
      let published = 0;
      let failed = 0;
      try {
        const pending = await this.outbox.pending(PAGE);
        const outcomes = await Promise.allSettled(
          pending.map((notice) => this.js.publish(findingSubject(notice.province), notice.notice, { msgID: `${notice.findingId}:${notice.province}`, timeout: 5_000 })),
        );
        const acknowledged = pending.filter((_, index) => outcomes[index]!.status === 'fulfilled');
        await this.outbox.markPublished(acknowledged, new Date());
        published = acknowledged.length;
        failed = pending.length - acknowledged.length;
        this.metrics.noticesPublished.inc(published);
        if (failed > 0) {
          const reason = (outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason as Error;
          this.logger.warn({ failed, reason: reason?.message }, 'hub: finding notices not acknowledged by JetStream; trying again');
        }
        if (published === PAGE) continue;
      } catch (error) {
        failed = 1;
        this.logger.warn({ err: error }, 'hub: the outbox of finding notices cannot be read; trying again');
      }
      if (failed > 0) {
        await this.sleep(backoff, false);
        backoff = Math.min(backoff * 2, LONGEST_BACKOFF_MS);
      } else {
        backoff = FIRST_BACKOFF_MS;
        if (!this.woken) await this.sleep(IDLE_CHECK_MS, true);
      }
    }
  }

  private async sleep(ms: number, idle: boolean): Promise<void> {
    if (!this.running) return;
    this.idle = idle;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.interrupt = undefined;
    this.idle = false;
  }
}
