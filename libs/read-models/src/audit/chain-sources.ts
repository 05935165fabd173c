import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { ReadModelStore } from '../read-model-store.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { chainFieldsOf, GENESIS_HASH, GENESIS_POSITION, type ChainFields } from './audit-chain.js';
import { verifyChain, type ChainCheckpoint, type ChainLink, type ChainPage, type ChainVerdict } from './chain-verification.js';
import { verifySqliteChainInParallel, type ParallelVerificationOptions } from './parallel-verification.js';

export interface ChainRange {
  /** Exclusive; from the first event by default. */
  readonly after?: bigint;
  /** Inclusive. */
  readonly upTo: bigint;
  readonly pageSize?: number;
}

/**
 * The log through the event-store port and the recorded chain through the read-model store, in
 * pages over the same ranges of positions: for any pair of stores (EventStoreDB, PostgreSQL…).
 * Events are parsed by the port and re-serialised for hashing (audit-chain.ts: the same bytes).
 */
export async function* portChainPages(store: EventStore, readModels: ReadModelStore, { after, upTo, pageSize = 5_000 }: ChainRange): AsyncIterable<ChainPage> {
  let cursor = after;
  for (;;) {
    const read = await store.readAll({ ...(cursor === undefined ? {} : { after: cursor }), maxCount: pageSize });
    const events: ChainFields[] = [];
    for (const event of read) {
      if (event.globalPosition > upTo) break;
      events.push(chainFieldsOf(event));
    }
    const last = read.length < pageSize || events.length < read.length;
    const end = last ? upTo : read.at(-1)!.globalPosition;
    const links = await readModels.query<ChainLink>(
      'SELECT CAST(position AS TEXT) AS position, hash FROM audit_chain WHERE audit_chain.position > ? AND audit_chain.position <= ? ORDER BY audit_chain.position',
      [(cursor ?? -1n).toString(), end.toString()],
    );
    yield { events, links };
    if (last) return;
    cursor = end;
  }
}

/** The head of the recorded chain: its last link, or the genesis before the first event. */
export async function recordedChainHead(readModels: ReadModelStore): Promise<ChainLink> {
  const [head] = await readModels.query<ChainLink>('SELECT CAST(position AS TEXT) AS position, hash FROM audit_chain ORDER BY audit_chain.position DESC LIMIT 1');
  return head ?? { position: GENESIS_POSITION, hash: GENESIS_HASH.toString('hex') };
}

/**
 * Recomputes the chain from the stored events up to the highest checkpoint; see verifyChain. The
 * embedded ledger (events and read models in one SQLite file) is verified from raw rows, on several
 * threads; any other combination of stores walks through the ports on this thread.
 */
export async function verifyLog(
  store: EventStore,
  readModels: ReadModelStore,
  checkpoints: readonly ChainCheckpoint[],
  { pageSize, parallel = {} }: { pageSize?: number; parallel?: ParallelVerificationOptions | false } = {},
): Promise<ChainVerdict> {
  if (checkpoints.length === 0) throw new Error('verifyLog needs at least one checkpoint');
  if (store instanceof SqliteEventStore && sharesDatabase(store, readModels)) {
    // Threads open the file themselves: an in-memory database has none to open.
    const threads = parallel === false || store.db.memory ? { workers: 1 } : parallel;
    return verifySqliteChainInParallel(store.db, checkpoints, { ...threads, ...(pageSize ? { pageSize } : {}) });
  }
  const highest = checkpoints.reduce((max, checkpoint) => (BigInt(checkpoint.position) > max ? BigInt(checkpoint.position) : max), -1n);
  const recordedHead = (await recordedChainHead(readModels)).position;
  return verifyChain({ pages: portChainPages(store, readModels, { upTo: highest, ...(pageSize ? { pageSize } : {}) }), checkpoints, recordedHead });
}

/** Whether the read models live in the event store's own SQLite connection (the embedded default). */
function sharesDatabase(store: SqliteEventStore, readModels: ReadModelStore): boolean {
  // The store keeps its connection private; reading it here beats widening its interface for one check.
  return readModels instanceof SqliteReadModelStore && Reflect.get(readModels, 'db') === store.db;
}
