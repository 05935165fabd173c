import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { READ_MODEL_TABLES } from '../read-model-schema.js';
import type { ReadModelStore } from '../read-model-store.js';
import type { RowChange, SqlValue } from '../row-changes.js';
import { statementFor } from '../sql-statements.js';
import { dumpReadModels } from '../testing/expected-read-models.js';
import { randomRowChanges } from '../testing/random-row-changes.js';
import { seededRandom } from '../testing/seeded-random.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

/** The meaning a folded batch must keep: each change as its own statement, in order. */
function applyOneByOne(db: Database.Database, changes: readonly RowChange[]): void {
  db.transaction(() => {
    for (const change of changes) {
      const { sql, parameters } = statementFor(change);
      db.prepare(sql).run(...parameters.map((value) => (typeof value === 'boolean' ? Number(value) : value)));
    }
  })();
}

/** The read models' (the access log's indexes beside them are no rebuild's business, and stay). */
const secondaryIndexes = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_by\\_%' ESCAPE '\\' ORDER BY name")
    .all()
    .map((row) => row.name)
    .filter((name) => READ_MODEL_TABLES.some((table) => name.startsWith(`${table.name}_by_`)));
const expectedIndexes = READ_MODEL_TABLES.flatMap((table) => table.indexes.map((index) => `${table.name}_by_${index.join('_')}`)).sort();

describe('SQLite read-model store', () => {
  describe('when batches are folded into multi-row writes', () => {
    it('leaves the rows that applying each change in order leaves, batch after batch', async () => {
      const folded = new SqliteReadModelStore(new Database(':memory:'));
      const referenceDb = new Database(':memory:');
      // The tables, through the store; the writes, one statement per change.
      const reference: ReadModelStore = new SqliteReadModelStore(referenceDb);
      const random = seededRandom(7);
      for (let batch = 1; batch <= 80; batch++) {
        // Up to 400 changes over a few keys: whole chunks of rows per statement and a remainder.
        const changes = randomRowChanges(random, 1 + Math.floor(random() * 400));
        await folded.apply(changes, BigInt(batch));
        applyOneByOne(referenceDb, changes);
        expect([batch, await dumpReadModels(folded)]).toStrictEqual([batch, await dumpReadModels(reference)]);
      }
      expect(await folded.checkpoint()).toBe(80n);
    });

    it('writes many distinct rows of one shape, more than one statement holds', async () => {
      const folded = new SqliteReadModelStore(new Database(':memory:'));
      const referenceDb = new Database(':memory:');
      const reference = new SqliteReadModelStore(referenceDb);
      const link = (position: number): RowChange => ({ kind: 'insert', table: 'audit_chain', row: { position: String(position), hash: position.toString(16).padStart(64, '0') } });
      const paid = (id: number, amount: SqlValue): RowChange => ({ kind: 'update', table: 'disbursements', where: { disbursement_id: `d${id}` }, set: { status: 'PAID', amount, arrears: true } });
      const scheduled = (id: number): RowChange => ({ kind: 'upsert', table: 'disbursements', row: { disbursement_id: `d${id}`, status: 'SCHEDULED', amount: id, arrears: false } });
      const first = [...Array.from({ length: 200 }, (_, index) => scheduled(index)), ...Array.from({ length: 150 }, (_, index) => link(index))];
      // Updates of rows present before the batch (and of absent ones, which change nothing), then re-inserts.
      const second = [...Array.from({ length: 260 }, (_, index) => paid(index, index % 3 ? String(index * 10) : null)), ...Array.from({ length: 150 }, (_, index) => link(index))];
      for (const [index, changes] of [first, second].entries()) {
        await folded.apply(changes, BigInt(index));
        applyOneByOne(referenceDb, changes);
      }
      expect(await dumpReadModels(folded)).toStrictEqual(await dumpReadModels(reference));
    });
  });

  describe('when rebuilding', () => {
    it('writes without the secondary indexes and a small cache, and restores both at the end', async () => {
      const db = new Database(':memory:');
      db.pragma('cache_size = -65536');
      const store = new SqliteReadModelStore(db);
      expect(secondaryIndexes(db)).toEqual(expectedIndexes);
      await store.beginRebuild();
      expect(secondaryIndexes(db)).toEqual([]);
      expect(db.pragma('cache_size', { simple: true })).toBe(-16_384);
      await store.endRebuild();
      expect(secondaryIndexes(db)).toEqual(expectedIndexes);
      expect(db.pragma('cache_size', { simple: true })).toBe(-65_536);
    });

    it('builds them when opened after a rebuild that died half way', async () => {
      const db = new Database(':memory:');
      await new SqliteReadModelStore(db).beginRebuild();
      new SqliteReadModelStore(db);
      expect(secondaryIndexes(db)).toEqual(expectedIndexes);
    });
  });

  describe('when a batch fails', () => {
    it('tells a file another writer holds (tried again) from a refused write (the projector halts)', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'ledger-sqlite-busy-'));
      try {
        const file = join(directory, 'read-models.sqlite');
        const store = new SqliteReadModelStore(new Database(file, { timeout: 0 }));
        const other = new Database(file);
        other.exec('BEGIN EXCLUSIVE');
        const busy = await store.apply([{ kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: 'b1' } }], 1n).catch((error: unknown) => error);
        other.exec('ROLLBACK');
        other.close();
        expect(busy).toHaveProperty('code', expect.stringMatching(/^SQLITE_BUSY/));
        expect(store.isConnectionLost(busy)).toBe(true);

        const refused = await store.apply([{ kind: 'insert', table: 'audit_chain', row: { position: 'not a position', hash: '00' } }], 1n).catch((error: unknown) => error);
        expect(refused).toHaveProperty('code', 'SQLITE_MISMATCH');
        expect(store.isConnectionLost(refused)).toBe(false);
        expect(store.isConnectionLost(new Error('Unknown column colour of read-model table disbursements'))).toBe(false);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });
});
