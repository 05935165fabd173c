import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { READ_MODELS_DATABASE_FILE } from '../open-read-model-store.js';
import { ReadModelsKeptMoving, type ReplayCheckOptions, type ReplayCheckResult } from './replay-check.js';
import type { FromReplayCheckWorker, ReplayCheckLocation, ReplayCheckTask, ToReplayCheckWorker } from './replay-check-worker.js';
import { spawnSiblingWorker } from './sibling-worker.js';

export type { ReplayCheckLocation } from './replay-check-worker.js';

/** A replay check was asked for while another one runs. */
export class ReplayCheckAlreadyRunning extends Error {
  override readonly name = 'ReplayCheckAlreadyRunning';
}

export interface ReplayCheckThreadOptions {
  /** How long the worker is kept after a check, ready for the next one, before it is let go. */
  readonly idleMs?: number;
}

/**
 * The replay check on a worker thread of its own: rebuilding every read model and comparing them
 * row by row is seconds to minutes of CPU, which on the API's thread would stall every other
 * request meanwhile. The worker opens its own read-only connections to the log and the live read
 * models (`location`); only the pause of the projector, which lives on this thread, is asked for
 * across (`holdStill`), for the comparison itself.
 *
 * One check at a time: a second one asked for meanwhile is refused (ReplayCheckAlreadyRunning)
 * rather than queued. Two rebuilds side by side would halve the speed of each and double the
 * scratch space, for an answer the first check is about to give anyway.
 *
 * The worker is kept for a while after a check (`idleMs`), so that checks in a row do not each pay
 * for starting a thread and loading the code again; it never keeps the process alive.
 */
export class ReplayCheckThread {
  private worker: Worker | undefined;
  private running: Promise<ReplayCheckResult> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly location: ReplayCheckLocation,
    private readonly options: ReplayCheckThreadOptions = {},
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  run(options: ReplayCheckOptions = {}): Promise<ReplayCheckResult> {
    if (this.closed) return Promise.reject(new Error('The replay check thread is closed'));
    if (this.running) return Promise.reject(new ReplayCheckAlreadyRunning('A replay check is already running; ask again once it has answered.'));
    const running = this.runOnWorker(options).finally(() => {
      this.running = undefined;
      this.idle();
    });
    this.running = running;
    return running;
  }

  /** Stops the worker, and with it a check under way (which then fails). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private runOnWorker({ holdStill, ...options }: ReplayCheckOptions): Promise<ReplayCheckResult> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= spawnSiblingWorker(import.meta.url, 'replay-check-worker'));
    worker.ref();
    const task: ReplayCheckTask = { location: this.location, holdStill: holdStill !== undefined, ...options };
    return new Promise<ReplayCheckResult>((resolve, reject) => {
      let letGo: (() => void) | undefined;
      const settle = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        // Never leave the projector paused behind a worker that is gone.
        letGo?.();
        letGo = undefined;
      };
      const onMessage = (message: FromReplayCheckWorker) => {
        switch (message.type) {
          case 'hold-still':
            void holdStill!(
              () =>
                new Promise<void>((resume) => {
                  letGo = resume;
                  worker.postMessage({ type: 'holding' } satisfies ToReplayCheckWorker);
                }),
            ).catch(() => undefined);
            return;
          case 'release':
            letGo?.();
            letGo = undefined;
            return;
          case 'done':
            settle();
            resolve(message.result);
            return;
          case 'failed':
            settle();
            reject(errorFrom(message.error));
            return;
        }
      };
      const onError = (error: Error) => {
        settle();
        this.forget(worker);
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        this.forget(worker);
        reject(new Error(`The replay check's worker thread stopped (exit code ${code}) before it answered`));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ type: 'check', task } satisfies ToReplayCheckWorker);
    });
  }

  private idle(): void {
    const worker = this.worker;
    if (!worker || this.closed) return;
    worker.unref();
    this.idleTimer = setTimeout(() => {
      this.forget(worker);
      void worker.terminate();
    }, this.options.idleMs ?? 60_000).unref();
  }

  private forget(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
  }
}

function errorFrom({ name, message, stack }: { name: string; message: string; stack?: string }): Error {
  const error = name === 'ReadModelsKeptMoving' ? new ReadModelsKeptMoving(message) : new Error(`The replay check failed: ${message}`);
  if (stack !== undefined && name !== 'ReadModelsKeptMoving') error.stack = `${error.message}\n--- in the worker thread:\n${stack}`;
  return error;
}

/**
 * Where the worker finds the ledger the API has open: the SQLite file of the event store (and of
 * the read models beside it, in the embedded mode), EventStoreDB, PostgreSQL, as the configuration
 * says (openEventStore, openReadModelStore).
 */
export function replayCheckLocation(
  config: { readonly eventStoreConnectionString?: string | undefined; readonly databaseUrl?: string | undefined; readonly dataDirectory: string },
  eventStore: EventStore,
): ReplayCheckLocation {
  const sqliteFile = eventStore instanceof SqliteEventStore ? eventStore.db.name : undefined;
  if (sqliteFile !== undefined && (sqliteFile === ':memory:' || sqliteFile === '')) {
    throw new Error('The replay check runs on a thread of its own, which cannot see an in-memory SQLite ledger: keep the ledger in a file.');
  }
  const events = sqliteFile !== undefined ? { sqliteFile } : config.eventStoreConnectionString ? { eventStoreConnectionString: config.eventStoreConnectionString } : undefined;
  if (!events) throw new Error('The replay check cannot tell where the events are: neither a SQLite event store nor EVENTSTORE_CONNECTION_STRING.');
  const readModels = config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqliteFile: sqliteFile ?? join(config.dataDirectory, READ_MODELS_DATABASE_FILE) };
  return { events, readModels };
}
