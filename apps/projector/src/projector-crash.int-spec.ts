import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '@ledger/event-store';
import { READ_MODEL_TABLES, rebuildReadModels, SqliteReadModelStore } from '@ledger/read-models';
import { writeLedgerHistory } from './testing/ledger-history.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-projector-crash-'));
const file = join(directory, 'ledger.sqlite');
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function startProjector(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, LEDGER_DATA_DIR: directory, LEDGER_PROJECTOR_BATCH: '250', PROJECTOR_PORT: '0', NODE_ENV: 'test', NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const checkpointOf = (db: Database.Database): bigint =>
  db.prepare<[], { position: bigint }>("SELECT position FROM projection_checkpoints WHERE projection = 'ledger'").safeIntegers(true).get()?.position ?? -1n;

async function until(condition: () => boolean, timeoutMs: number, pollMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const rowsOf = (db: Database.Database) =>
  Object.fromEntries(READ_MODEL_TABLES.map((table) => [table.name, db.prepare(`SELECT * FROM ${table.name} ORDER BY ${table.key.join(', ')}`).all()]));

describe('projector process', () => {
  let head: bigint;
  beforeAll(async () => {
    const store = SqliteEventStore.open(file);
    new SqliteReadModelStore(store.db); // creates the read-model tables, as the API would
    await writeLedgerHistory(store, 2_000, ['899', '900', '902', '903']);
    head = await store.headPosition();
    await store.close();
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  describe('when killed with SIGKILL in the middle of its work and restarted', () => {
    it('resumes from its checkpoint and ends with read models equal to a fresh rebuild, row for row', async () => {
      const observer = new Database(file, { readonly: true });
      observer.pragma('busy_timeout = 5000');
      try {
        const first = startProjector();
        await until(() => checkpointOf(observer) > 0n, 30_000);
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('exit', resolve));
        const atCrash = checkpointOf(observer);
        expect(atCrash).toBeGreaterThan(0n);
        expect(atCrash).toBeLessThan(head);

        const second = startProjector();
        await until(() => checkpointOf(observer) === head, 60_000, 20);
        second.kill('SIGTERM');
        await new Promise((resolve) => second.once('exit', resolve));

        const live = rowsOf(observer);
        const scratch = new Database(':memory:');
        const source = SqliteEventStore.open(file);
        await rebuildReadModels(source, new SqliteReadModelStore(scratch));
        await source.close();
        const rebuilt = rowsOf(scratch);
        for (const table of READ_MODEL_TABLES) expect({ table: table.name, rows: live[table.name] }).toEqual({ table: table.name, rows: rebuilt[table.name] });
        expect((live.disbursements as unknown[]).length).toBe(6_000);
      } finally {
        observer.close();
      }
    }, 120_000);
  });
});
