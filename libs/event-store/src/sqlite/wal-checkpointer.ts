import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** The writer's automatic checkpoint when no thread does the work. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 10_000;
/** How often the thread asks SQLite to copy what the log holds into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * The writer's own automatic checkpoint while the thread works: 100,000 pages (about 400 MiB of
 * log). It is the backstop should the thread fall behind or stop, never the common case.
 */
const BACKSTOP_PAGES = 100_000;

/**
 * The worker, as plain CommonJS run from this string: it needs nothing but the SQLite driver, and
 * a worker file of its own would have to be compiled for Jest, tsx and the build alike.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
// PASSIVE: copy whatever frames no reader still needs, without waiting for anyone and without
// making the writer wait. Frames a reader still needs are copied at a later turn.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies a WAL-mode SQLite file's write-ahead log back into the database file on a thread of its
 * own, through a connection of its own.
 *
 * Left to itself, SQLite checkpoints on the connection that commits: the commit that takes the log
 * past `wal_autocheckpoint` pages (10,000 here) copies them into the database file and syncs it
 * before it returns. On the event loop that is a pause of tens of milliseconds inside one append
 * that has nothing to do with it; in a payroll scheduling 800,000 months it was half of the time
 * spent committing. In WAL mode a checkpoint from another connection runs beside the writer, each
 * on its own core; the writer's automatic checkpoint stays on at a far larger log as a backstop.
 *
 * Durability is not touched: every commit is synced to the log by the writer as before, and what a
 * checkpoint copies, SQLite syncs to the database file before the log may be reused.
 */
export class WalCheckpointer {
  private readonly exited: Promise<void>;

  private constructor(
    private readonly db: Database.Database,
    private readonly worker: Worker,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /** Starts checkpointing `db`'s file on a thread; undefined for a database with no file (in memory) or one this connection cannot write. */
  static start(db: Database.Database, { everyMs = CHECKPOINT_EVERY_MS }: { everyMs?: number } = {}): WalCheckpointer | undefined {
    if (db.memory || db.readonly || !db.open) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // None of the process's own flags: one such as --input-type=module would make this source a module, where require is not.
        execArgv: [],
        workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: db.name, everyMs },
        // It holds a few statements and nothing else: kept small, so the process's memory is the work's.
        resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
      });
    } catch {
      // No thread to be had (the process at its limit of threads or memory): the writer checkpoints, as by default.
      return undefined;
    }
    // The process may end while the thread waits for its next turn: a checkpoint left undone is
    // done by the next connection to open the file.
    worker.unref();
    const checkpointer = new WalCheckpointer(db, worker);
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    // A thread that cannot work (the file gone, the driver failing to load) hands checkpoints back
    // to the writer as SQLite makes them by default.
    worker.once('error', () => checkpointer.handBack());
    return checkpointer;
  }

  /** Stops the thread and waits until its connection is closed. */
  close(): Promise<void> {
    this.handBack();
    // An unref'd thread does not keep the event loop alive: a process whose last work is this wait
    // would end before the thread had closed its connection.
    this.worker.ref();
    this.worker.postMessage('close');
    return this.exited;
  }

  private handBack(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}

