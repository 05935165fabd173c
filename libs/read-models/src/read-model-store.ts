import type { RowChange, SqlValue } from './row-changes.js';

/**
 * Where the projector writes. `apply` writes the row changes of a batch of events AND the new
 * checkpoint in one transaction: after a crash the read models and the checkpoint agree.
 */
export interface ReadModelStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Position of the last event projected, or -1n before the first. */
  checkpoint(): Promise<bigint>;
  /**
   * `from`, when given, is the checkpoint the batch was read after: a store several projectors can
   * write (PostgreSQL) refuses the batch with CheckpointMoved, writing nothing, when the stored
   * checkpoint is elsewhere — another projector applied it, or something after it.
   */
  apply(changes: readonly RowChange[], checkpoint: bigint, options?: { readonly from?: bigint }): Promise<void>;
  /** Empties every read model and the checkpoint, for a rebuild from zero. */
  reset(): Promise<void>;
  /**
   * Optional, around the batches of a rebuild from zero: a store may set aside what only speeds up
   * reads and build it once at the end (PostgreSQL's secondary indexes), instead of maintaining it
   * at every write. `endRebuild` runs even when the rebuild fails.
   */
  beginRebuild?(): Promise<void>;
  /** Events per transaction that suit a rebuild into this store, when the caller names none. */
  readonly rebuildBatchSize?: number;
  endRebuild?(): Promise<void>;
  /** Runs a read-only query written with `?` placeholders (translated per dialect). */
  query<T = Record<string, SqlValue>>(sql: string, parameters?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Whether an error of `apply` means the store could not be reached or had no room for the batch
   * just then (a lost connection, a restart, a lock, a full disk), so the same batch may commit
   * when tried again; false when the store judged the batch and refused it (a value out of range,
   * a constraint), which no retry can change.
   */
  isConnectionLost(error: unknown): boolean;
  /** Cheap liveness check of the store, for /health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const PROJECTION_NAME = 'ledger';

/** The stored checkpoint is not the one a batch was read after: another projector wrote in between. */
export class CheckpointMoved extends Error {
  override readonly name = 'CheckpointMoved';
  constructor(
    readonly expected: bigint,
    readonly found: bigint,
  ) {
    super(`The read models' checkpoint is at ${found}, not at ${expected} where this batch starts: another projector is writing them`);
  }
}
