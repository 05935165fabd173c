import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ledger/event-store';
import { READ_MODEL_TABLES, rebuildReadModels, SqliteReadModelStore } from '@ledger/read-models';

/** A seeded PRNG, so a seed fixes where a crash is aimed (the timing of the machine decides the rest). */
export { seededRandom } from '../../../libs/read-models/src/testing/seeded-random.js';

/**
 * RFC 4122 UUIDv5, written here on purpose rather than imported: the expected disbursement streams
 * are computed independently of the domain's own (optimised) derivation.
 */
export function independentUuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** The disbursement streams, as a range the unique index on stream names serves. */
export const disbursementStreams = (column = 'stream_name') => `${column} > 'disbursement-' AND ${column} < 'disbursement-~'`;

export interface ReadModelDifference {
  readonly table: string;
  readonly live: number;
  readonly rebuilt: number;
  /** Rows only the live table holds, and rows only the rebuilt one holds (the first few of each). */
  readonly onlyLive: readonly unknown[];
  readonly onlyRebuilt: readonly unknown[];
}

/**
 * Rebuilds every read model from the log of `file` into a scratch SQLite file and compares it,
 * table by table and row by row, with the live tables of the same file (SQL EXCEPT both ways, so
 * a row that differs in any column shows on both sides). The API must be stopped: the rebuild
 * reads through a connection of its own.
 */
export async function compareWithRebuild(file: string): Promise<{ differences: ReadModelDifference[]; rows: Record<string, number>; events: number }> {
  const scratchFile = `${file}.rebuilt-${Date.now()}`;
  const scratch = new Database(scratchFile);
  // Scratch storage: nothing here needs to survive a crash.
  scratch.pragma('journal_mode = OFF');
  scratch.pragma('synchronous = OFF');
  const source = SqliteEventStore.open(file);
  try {
    const { events } = await rebuildReadModels(source, new SqliteReadModelStore(scratch), { batchSize: 10_000 });
    scratch.close();
    const db = source.db;
    db.prepare('ATTACH DATABASE ? AS rebuilt').run(scratchFile);
    try {
      const differences: ReadModelDifference[] = [];
      const rows: Record<string, number> = {};
      for (const table of READ_MODEL_TABLES) {
        const count = (schema: string) => (db.prepare(`SELECT COUNT(*) FROM ${schema}.${table.name}`).pluck().get() as number);
        const except = (a: string, b: string) => db.prepare(`SELECT * FROM ${a}.${table.name} EXCEPT SELECT * FROM ${b}.${table.name} LIMIT 3`).all();
        const live = count('main');
        const rebuilt = count('rebuilt');
        const onlyLive = except('main', 'rebuilt');
        const onlyRebuilt = except('rebuilt', 'main');
        rows[table.name] = live;
        if (live !== rebuilt || onlyLive.length > 0 || onlyRebuilt.length > 0) differences.push({ table: table.name, live, rebuilt, onlyLive, onlyRebuilt });
      }
      return { differences, rows, events };
    } finally {
      db.prepare('DETACH DATABASE rebuilt').run();
    }
  } finally {
    if (scratch.open) scratch.close();
    await source.close();
    rmSync(scratchFile, { force: true });
  }
}
