import type { EventStore, RecordedEvent, Subscription } from '@ledger/event-store';
import { projectLedgerEvent } from './projections/ledger.projection.js';
import type { ReadModelStore } from './read-model-store.js';
import type { RowChange } from './row-changes.js';

export interface ProjectorOptions {
  /** Most events written in one read-model transaction. */
  readonly maxBatch?: number;
  readonly onBatch?: (events: number, position: bigint) => void;
  readonly onError?: (error: unknown) => void;
}

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
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly options: ProjectorOptions = {},
  ) {}

  async start(): Promise<void> {
    this.position = await this.readModels.checkpoint();
    this.subscription = this.store.subscribeToAll({ after: this.position });
    this.running = this.follow(this.subscription);
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const batch of inBatches(subscription, this.options.maxBatch ?? 2_000)) {
        await this.applyBatch(batch);
      }
    } catch (error) {
      this.lastError = error;
      this.options.onError?.(error);
    }
  }

  /** Projects one batch: its row changes and the checkpoint in one transaction. */
  async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const changes: RowChange[] = [];
    for (const event of batch) changes.push(...projectLedgerEvent(event));
    const checkpoint = batch.at(-1)!.globalPosition;
    await this.readModels.apply(changes, checkpoint);
    this.position = checkpoint;
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

  get failure(): unknown {
    return this.lastError;
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
    await this.subscription?.close();
    await this.running;
  }
}

/** Rebuilds the read models from the start of the log, in batches, reporting progress. */
export async function rebuildReadModels(
  store: EventStore,
  readModels: ReadModelStore,
  { batchSize = 5_000, onProgress }: { batchSize?: number; onProgress?: (events: number, position: bigint) => void } = {},
): Promise<{ events: number; position: bigint }> {
  await readModels.reset();
  const projector = new Projector(store, readModels);
  let after: bigint | undefined;
  let events = 0;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: batchSize });
    if (batch.length === 0) break;
    await projector.applyBatch(batch);
    events += batch.length;
    after = batch.at(-1)!.globalPosition;
    onProgress?.(events, after);
  }
  return { events, position: after ?? -1n };
}
