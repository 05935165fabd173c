import type { EventStore, RecordedEvent, Subscription } from '@ledger/event-store';
import { ChainHasher, chainFieldsOf, GENESIS_HASH } from './audit/audit-chain.js';
import { projectLedgerEvent } from './projections/ledger.projection.js';
import { CheckpointMoved, type ReadModelStore } from './read-model-store.js';
import type { RowChange } from './row-changes.js';

export interface ProjectorOptions {
  /** Most events written in one read-model transaction. */
  readonly maxBatch?: number;
  readonly onBatch?: (events: number, position: bigint) => void;
  /** Called at each try of a batch that failed because the read models could not be reached, before it is tried again. */
  readonly onError?: (error: unknown) => void;
  /**
   * Called once when the read models refuse an event (see ProjectionHalted): the projector has
   * stopped at the event before it and reads no further.
   */
  readonly onHalt?: (halt: ProjectionHalted) => void;
  /** Longest pause between two tries of a batch the read models could not be reached for (default 30 s). */
  readonly maxRetryPauseMs?: number;
}

/**
 * The read models refused an event's rows (a value out of a column's range, a constraint
 * violated, a projection that throws): trying again would fail again, forever and unseen, while
 * the reports silently stop at yesterday. So the projector stops at the event before it, says
 * which event, and stays stopped until someone fixes the cause and restarts it.
 */
export class ProjectionHalted extends Error {
  override readonly name = 'ProjectionHalted';
  constructor(
    /** The event refused. */
    readonly position: bigint,
    readonly eventType: string,
    readonly streamName: string,
    /** Where the read models stand: every event before the refused one. */
    readonly checkpoint: bigint,
    override readonly cause: unknown,
  ) {
    super(
      `The read models refused event ${position} (${eventType} in ${streamName}): ${messageOf(cause)}. ` +
        `The projector has stopped at position ${checkpoint}; fix the cause and restart it.`,
    );
  }
}

const messageOf = (error: unknown) => (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? String((error as Error).message) : String(error));

const NOT_READY = Symbol('not ready');

/**
 * Groups a subscription's events into batches without ever waiting for more: whatever is already
 * delivered joins the batch; the first event that would need a wait closes it. Back-pressure holds,
 * because the next event is only asked for when the batch has room.
 */
export async function* inBatches(subscription: Subscription, maxBatch: number): AsyncIterable<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    pending = iterator.next();
    while (batch.length < maxBatch) {
      const next = await Promise.race([pending, new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)))]);
      if (next === NOT_READY) break;
      if (next.done) {
        yield batch;
        return;
      }
      batch.push(next.value);
      pending = iterator.next();
    }
    yield batch;
  }
}

/** Follows the global log from the read models' checkpoint and keeps them up to date. */
export class Projector {
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private position = -1n;
  private lastAppliedAt: Date | undefined;
  private lastError: unknown;
  private halt: ProjectionHalted | undefined;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  /** The audit chain's hash (hex) at the checkpoint; loaded from the read models before the first batch. */
  private chainHead: string | undefined;
  /** Set while someone needs the read models to hold still (see whilePaused). */
  private pause: Promise<void> | undefined;
  private applying: Promise<void> | undefined;
  private stopping = false;
  /** Started on the log (start()), rather than driven batch by batch by a rebuild. */
  private following = false;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly options: ProjectorOptions = {},
  ) {}

  async start(): Promise<void> {
    this.position = await this.readModels.checkpoint();
    this.following = true;
    this.chainHead = await this.loadChainHead(this.position);
    this.subscription = this.store.subscribeToAll({ after: this.position });
    this.running = this.follow(this.subscription);
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const batch of inBatches(subscription, this.options.maxBatch ?? 2_000)) {
        const applied = await this.applyUntilItHolds(batch);
        if (this.stopping) return;
        if (!applied) {
          // Halted: no later event may be projected over the refused one.
          await subscription.close();
          return;
        }
      }
    } catch (error) {
      this.lastError = error;
      this.options.onError?.(error);
    }
  }

  /**
   * A batch the read models cannot be reached for (PostgreSQL restarting, a network cut) is tried
   * again, with growing pauses, until it commits: the batch rolled back whole, so trying again is
   * safe, and no later event is read meanwhile. `failure` stays set while it fails, for
   * /health/ready.
   *
   * A batch the read models refuse is split until the refused event is found: the events before
   * it are committed, then the projector halts (see ProjectionHalted). Resolves false when halted
   * or stopping.
   */
  private async applyUntilItHolds(batch: readonly RecordedEvent[]): Promise<boolean> {
    for (let failures = 0; !this.stopping; failures++) {
      try {
        await this.applyBatch(batch);
        return true;
      } catch (error) {
        this.lastError = error;
        if (error instanceof CheckpointMoved) {
          // Not this batch's fault, and trying again would count it twice: stop where we are.
          this.halt = new ProjectionHalted(batch[0]!.globalPosition, batch[0]!.type, batch[0]!.streamName, this.position, error);
          this.options.onHalt?.(this.halt);
          return false;
        }
        if (!this.readModels.isConnectionLost(error)) {
          if (batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            return (await this.applyUntilItHolds(batch.slice(0, half))) && (await this.applyUntilItHolds(batch.slice(half)));
          }
          this.haltAt(batch[0]!, error);
          return false;
        }
        this.options.onError?.(error);
        const pause = Math.min(this.options.maxRetryPauseMs ?? 30_000, 100 * 2 ** Math.min(failures, 16));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wakeRetry = () => (clearTimeout(timer), resolve());
        });
        this.wakeRetry = undefined;
      }
    }
    return false;
  }

  private haltAt(event: RecordedEvent, cause: unknown): void {
    this.halt = new ProjectionHalted(event.globalPosition, event.type, event.streamName, this.position, cause);
    this.lastError = this.halt;
    this.options.onHalt?.(this.halt);
  }

  /**
   * Projects one batch: its row changes, the audit chain's link for each event and the checkpoint,
   * in one transaction. The chain is a read model like the others, so it is never ahead of or
   * behind the checkpoint, and a rebuild recomputes it from the genesis.
   */
  async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    while (this.pause) await this.pause;
    const applying = this.project(batch);
    this.applying = applying;
    try {
      await applying;
    } finally {
      if (this.applying === applying) this.applying = undefined;
    }
  }

  private async project(batch: readonly RecordedEvent[]): Promise<void> {
    this.chainHead ??= await this.loadChainHead(await this.readModels.checkpoint());
    const chain = new ChainHasher(this.chainHead);
    const changes: RowChange[] = [];
    for (const event of batch) {
      for (const change of projectLedgerEvent(event)) changes.push(change);
      changes.push({ kind: 'insert', table: 'audit_chain', row: { position: event.globalPosition.toString(), hash: chain.nextHex(chainFieldsOf(event)) } });
    }
    const checkpoint = batch.at(-1)!.globalPosition;
    // Following the log, each batch must start where the stored checkpoint is: a second projector
    // writing the same read models is refused rather than counted twice. (A rebuild or a replay
    // drives batches itself, from a position it chose.)
    await this.readModels.apply(changes, checkpoint, this.following ? { from: this.position } : {});
    // Only once committed: a failed batch leaves the head where the stored chain is.
    this.chainHead = chain.headHex;
    this.position = checkpoint;
    this.lastError = undefined;
    this.lastAppliedAt = new Date();
    this.options.onBatch?.(batch.length, checkpoint);
    for (const waiter of this.waiters) {
      if (waiter.position <= checkpoint) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  get checkpoint(): bigint {
    return this.position;
  }

  /**
   * Runs `work` while no batch is applied: the read models hold still at the checkpoint (the replay
   * check compares them with a replay at that position). Queries waiting for a later position wait
   * meanwhile.
   */
  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    while (this.pause) await this.pause;
    let resume!: () => void;
    this.pause = new Promise<void>((resolve) => (resume = resolve));
    try {
      await this.applying?.catch(() => undefined);
      return await work();
    } finally {
      this.pause = undefined;
      resume();
    }
  }

  /** The chain's hash at `checkpoint`, which the chain's last link must be at. */
  private async loadChainHead(checkpoint: bigint): Promise<string> {
    const [last] = await this.readModels
      .query<{ position: string; hash: string }>('SELECT CAST(position AS TEXT) AS position, hash FROM audit_chain ORDER BY audit_chain.position DESC LIMIT 1')
      .catch((error: unknown) => {
        throw new Error(`The read models have no audit chain (${(error as Error).message}): they were created before it existed; recreate them.`, { cause: error });
      });
    if (!last && checkpoint < 0n) return GENESIS_HASH.toString('hex');
    if (!last || BigInt(last.position) !== checkpoint) {
      throw new Error(
        `The audit chain ends at position ${last?.position ?? 'none'} but the read models at ${checkpoint}: they were projected without it. Rebuild the read models (npm run ledger -- rebuild).`,
      );
    }
    return last.hash;
  }

  /** The error of the batch that is failing now, if one is: cleared when it commits; the ProjectionHalted once halted. */
  get failure(): unknown {
    return this.lastError;
  }

  /** Set once the read models refused an event: the projector has stopped for good. */
  get halted(): ProjectionHalted | undefined {
    return this.halt;
  }

  get lastApplied(): Date | undefined {
    return this.lastAppliedAt;
  }

  /** Resolves true once the read models include `position`, false after `timeoutMs`. */
  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return true;
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve(true)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    await this.subscription?.close();
    await this.running;
  }
}

/**
 * Rebuilds the read models from the start of the log, in batches, reporting progress; up to the
 * end of the log, or to `upTo` (the replay check replays to the live read models' checkpoint).
 */
export async function rebuildReadModels(
  store: EventStore,
  readModels: ReadModelStore,
  { batchSize = readModels.rebuildBatchSize ?? 5_000, onProgress, upTo }: { batchSize?: number; onProgress?: (events: number, position: bigint) => void; upTo?: bigint } = {},
): Promise<{ events: number; position: bigint }> {
  const projector = new Projector(store, readModels);
  let after: bigint | undefined;
  let events = 0;
  // A store may build its read-only indexes once at the end rather than at each of millions of
  // writes; before the reset, which then has no index to empty either (and SQLite's smaller
  // rebuild cache is not first filled by it).
  await readModels.beginRebuild?.();
  try {
    await readModels.reset();
    for (;;) {
      const read = await store.readAll({ after, maxCount: batchSize });
      const batch = upTo === undefined ? read : read.filter((event) => event.globalPosition <= upTo);
      if (batch.length === 0) break;
      await projector.applyBatch(batch);
      events += batch.length;
      after = batch.at(-1)!.globalPosition;
      onProgress?.(events, after);
      if (batch.length < read.length) break;
    }
  } finally {
    await readModels.endRebuild?.();
  }
  return { events, position: after ?? -1n };
}
