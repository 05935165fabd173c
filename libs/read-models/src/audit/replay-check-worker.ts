import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { openEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { PostgresReadModelStore } from '../postgres/postgres-read-model-store.js';
import { PROJECTION_NAME } from '../read-model-store.js';
import type { SqlValue } from '../row-changes.js';
import { replayCheck, type LiveReadModels, type ReplayCheckResult } from './replay-check.js';

/** Where the worker finds the ledger: it opens connections of its own, never the API's. */
export interface ReplayCheckLocation {
  /** The events: an EventStoreDB, or the embedded SQLite file. */
  readonly events: { readonly eventStoreConnectionString: string } | { readonly sqliteFile: string };
  /** The live read models: PostgreSQL (in `schema`, else the connection's search_path), or a SQLite file. */
  readonly readModels: { readonly databaseUrl: string; readonly schema?: string } | { readonly sqliteFile: string };
}

export interface ReplayCheckTask {
  readonly location: ReplayCheckLocation;
  /** Whether the thread that asked can hold the live read models still (it runs the projector). */
  readonly holdStill: boolean;
  readonly maxDifferences?: number;
  readonly attempts?: number;
  readonly pageSize?: number;
}

/** To the worker: a check to run; that the read models now hold still. */
export type ToReplayCheckWorker = { readonly type: 'check'; readonly task: ReplayCheckTask } | { readonly type: 'holding' };

/** From the worker: hold the read models still, or let them go; the outcome. */
export type FromReplayCheckWorker =
  | { readonly type: 'hold-still' }
  | { readonly type: 'release' }
  | { readonly type: 'done'; readonly result: ReplayCheckResult }
  | { readonly type: 'failed'; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

const post = (message: FromReplayCheckWorker) => parentPort!.postMessage(message);

/**
 * The check is background work beside the API's requests: on Linux a thread has a nice value of its
 * own, so this one gives way to the API's thread whenever both want a core (on a 2-core machine the
 * rebuild otherwise competes with it, and with everything else, on equal terms). Elsewhere it is
 * scheduled like any thread.
 */
function giveWayToRequests(): void {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isSafeInteger(thread) && thread > 0) setPriority(thread, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: the check still runs, at the usual priority.
  }
}
giveWayToRequests();
let heldStill: (() => void) | undefined;

parentPort!.on('message', (message: ToReplayCheckWorker) => {
  if (message.type === 'holding') {
    heldStill?.();
    return;
  }
  check(message.task).then(
    (result) => post({ type: 'done', result }),
    (error: unknown) => {
      const { name = 'Error', message: text = String(error), stack } = error instanceof Error ? error : {};
      post({ type: 'failed', error: { name, message: text, ...(stack === undefined ? {} : { stack }) } });
    },
  );
});

async function check({ location, holdStill, ...options }: ReplayCheckTask): Promise<ReplayCheckResult> {
  const events = openEvents(location.events);
  try {
    const live = await openLiveReadModels(location.readModels);
    try {
      return await replayCheck(events, live, { ...options, ...(holdStill ? { holdStill: whileHeldStill } : {}) });
    } finally {
      await live.close();
    }
  } finally {
    await events.close();
  }
}

/**
 * The projector runs on the thread that asked: it is asked to pause, and the comparison starts
 * once it has; whatever happens, it is told to go on.
 */
async function whileHeldStill<T>(work: () => Promise<T>): Promise<T> {
  await new Promise<void>((resolve) => {
    heldStill = resolve;
    post({ type: 'hold-still' });
  });
  heldStill = undefined;
  try {
    return await work();
  } finally {
    post({ type: 'release' });
  }
}

function openEvents(at: ReplayCheckLocation['events']): EventStore {
  // EventStoreDB or PostgreSQL, as the connection string says.
  if ('eventStoreConnectionString' in at) return openEventStore({ eventStoreConnectionString: at.eventStoreConnectionString, dataDirectory: '.' });
  // Read-only: the check reads the log and may never write to it. A replay reads the log once,
  // front to back, so a small page cache does (the OS caches the file anyway).
  const store = new SqliteEventStore(new Database(at.sqliteFile, { readonly: true, fileMustExist: true }));
  store.db.pragma('cache_size = -8192');
  return store;
}

async function openLiveReadModels(at: ReplayCheckLocation['readModels']): Promise<LiveReadModels & { close(): Promise<void> }> {
  if ('databaseUrl' in at) return PostgresReadModelStore.open(at.databaseUrl, { maxConnections: 2, ...(at.schema === undefined ? {} : { schema: at.schema }) });
  const db = new Database(at.sqliteFile, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -8192');
  const checkpoint = db.prepare<[string], { position: bigint }>('SELECT position FROM projection_checkpoints WHERE projection = ?').safeIntegers(true);
  return {
    checkpoint: async () => checkpoint.get(PROJECTION_NAME)?.position ?? -1n,
    // better-sqlite3 binds no booleans.
    query: async <T>(sql: string, parameters: readonly SqlValue[] = []) => db.prepare(sql).all(...parameters.map((value) => (typeof value === 'boolean' ? Number(value) : value))) as T[],
    close: async () => {
      db.close();
    },
  };
}
