import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyChain, type ChainLink, type ChainVerdict } from './chain-verification.js';
import { sqliteChainPages } from './sqlite-chain-pages.js';

/** One stretch of the log for a worker: the links after `start`, up to `upTo`, each re-hashed from its event. */
export interface ChainChunkTask {
  readonly id: number;
  readonly file: string;
  readonly start: ChainLink;
  readonly upTo: string;
  readonly recordedHead?: string;
  readonly pageSize?: number;
}

export type ChainChunkResult = { readonly id: number; readonly verdict: ChainVerdict } | { readonly id: number; readonly error: string };

// Each worker reads the ledger's SQLite file through a read-only connection of its own (WAL lets
// readers run beside the writer), and answers one chunk at a time.
const connections = new Map<string, Database.Database>();

parentPort!.on('message', async (task: ChainChunkTask) => {
  try {
    let db = connections.get(task.file);
    if (!db) {
      db = new Database(task.file, { readonly: true, fileMustExist: true });
      // A single pass in position order: a small page cache does, the OS caches the file anyway.
      db.pragma('cache_size = -8192');
      connections.set(task.file, db);
    }
    const range = { after: BigInt(task.start.position), upTo: BigInt(task.upTo), ...(task.pageSize ? { pageSize: task.pageSize } : {}) };
    const verdict = await verifyChain({
      pages: sqliteChainPages(db, range),
      checkpoints: [],
      upTo: task.upTo,
      start: task.start,
      ...(task.recordedHead === undefined ? {} : { recordedHead: task.recordedHead }),
    });
    parentPort!.postMessage({ id: task.id, verdict } satisfies ChainChunkResult);
  } catch (error) {
    parentPort!.postMessage({ id: task.id, error: (error as Error)?.stack ?? String(error) } satisfies ChainChunkResult);
  }
});
