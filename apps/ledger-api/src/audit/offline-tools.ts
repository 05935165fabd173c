import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { openEventStore, type EventStore } from '@ledger/event-store';
import { openReadModelStore, type ReadModelStore } from '@ledger/read-models';
import type { LedgerConfig } from '../config/ledger-config.js';

/**
 * The ledger's storage as the CLI opens it: the event store the configuration points at and the
 * read models beside it (the same SQLite file in the embedded mode), closed whatever happens.
 */
export async function withLedgerStorage<T>(config: LedgerConfig, work: (storage: { eventStore: EventStore; readModels: ReadModelStore }) => Promise<T>): Promise<T> {
  const eventStore = openEventStore(config);
  try {
    const readModels = await openReadModelStore(config, eventStore);
    try {
      return await work({ eventStore, readModels });
    } finally {
      await readModels.close();
    }
  } finally {
    await eventStore.close();
  }
}

/** Written beside, then renamed over: a reader never sees half a file, a crash never leaves one. */
export function writeFileAtomically(path: string, content: string): void {
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(candidate, content);
    renameSync(candidate, path);
  } finally {
    rmSync(candidate, { force: true });
  }
}

export interface ProgressBar {
  update(value: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar on the terminal (standard error, so the command's output stays pipeable). Off a
 * terminal — a pipe, a CI log, a test — it stays silent rather than fill the log with redraws.
 */
export function progressBar(format: string, total: number, payload: Record<string, string | number> = {}): ProgressBar {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  bar.start(Math.max(total, 1), 0, payload);
  return {
    update: (value, more) => bar.update(value, more),
    stop: () => bar.stop(),
  };
}
