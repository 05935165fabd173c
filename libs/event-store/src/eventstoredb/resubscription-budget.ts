/**
 * How long a dropped subscription keeps trying: a budget of consecutive failed attempts with
 * exponential delays between them. The budget refills whenever the subscription shows it was
 * healthy: an event delivered, the server reporting it caught up, or a connection that stayed open
 * for a quiet period. Refilling only on events would let a quiet log's routine drops (a leader
 * election, a load balancer's idle timeout) add up until the consumer is told to give up.
 */
export class ResubscriptionBudget {
  private failures = 0;
  private openedAt: number | undefined;

  constructor(
    private readonly settings: {
      readonly maxAttempts: number;
      readonly firstDelayMs: number;
      readonly maxDelayMs: number;
      /** An open subscription that lasted this long without failing counts as healthy. */
      readonly healthyAfterMs: number;
    },
  ) {}

  /** The server confirmed the subscription at this time. */
  opened(now: number): void {
    this.openedAt = now;
  }

  /** An event arrived, or the server reported the subscription caught up. */
  healthy(): void {
    this.failures = 0;
  }

  /**
   * The subscription dropped or ended at this time: the delay before the next attempt, or undefined
   * when the budget is spent and the failure should reach the consumer.
   */
  afterDrop(now: number): number | undefined {
    if (this.openedAt !== undefined && now - this.openedAt >= this.settings.healthyAfterMs) this.failures = 0;
    this.openedAt = undefined;
    if (this.failures + 1 >= this.settings.maxAttempts) return undefined;
    return Math.min(this.settings.maxDelayMs, this.settings.firstDelayMs * 2 ** this.failures++);
  }
}
