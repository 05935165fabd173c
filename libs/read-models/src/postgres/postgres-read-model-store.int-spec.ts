import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { READ_MODEL_TABLES, RECORD_TABLES } from '../read-model-schema.js';
import { schemaMigrations } from '../sql-statements.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { dumpReadModels } from '../testing/expected-read-models.js';
import { openScratchPostgresStore, postgresAvailability, postgresUrl } from '../testing/postgres-scratch.js';
import { randomRowChanges } from '../testing/random-row-changes.js';
import { seededRandom } from '../testing/seeded-random.js';
import { CheckpointMoved } from '../read-model-store.js';
import { PostgresReadModelStore } from './postgres-read-model-store.js';

const postgres = await postgresAvailability();

describeWithPostgres('PostgreSQL read-model store', postgres, () => {
  let scratch: Awaited<ReturnType<typeof openScratchPostgresStore>>;
  beforeAll(async () => {
    scratch = await openScratchPostgresStore('store');
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  describe('when batches are folded into set-based writes', () => {
    it('leaves the rows SQLite leaves applying each change in order, batch after batch', async () => {
      const sqlite = new SqliteReadModelStore(new Database(':memory:'));
      const random = seededRandom(2024);
      await scratch.store.reset();
      for (let batch = 1; batch <= 60; batch++) {
        const changes = randomRowChanges(random, 1 + Math.floor(random() * 150));
        await sqlite.apply(changes, BigInt(batch));
        await scratch.store.apply(changes, BigInt(batch));
        expect([batch, await dumpReadModels(scratch.store)]).toStrictEqual([batch, await dumpReadModels(sqlite)]);
      }
      expect(await scratch.store.checkpoint()).toBe(60n);
    }, 120_000);
  });

  describe('when rebuilding', () => {
    // The read models' (the access log's indexes beside them are no rebuild's business, and stay).
    const secondaryIndexes = async (store: PostgresReadModelStore) =>
      (await store.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = ? AND indexname LIKE '%\\_by\\_%' ORDER BY indexname", [store.schema!]))
        .map((row) => row.indexname)
        .filter((name) => READ_MODEL_TABLES.some((table) => name.startsWith(`${table.name}_by_`)));
    const expectedIndexes = READ_MODEL_TABLES.flatMap((table) => table.indexes.map((index) => `${table.name}_by_${index.join('_')}`)).sort();

    it('writes without the secondary indexes and builds them all at the end', async () => {
      expect(await secondaryIndexes(scratch.store)).toEqual(expectedIndexes);
      await scratch.store.beginRebuild();
      expect(await secondaryIndexes(scratch.store)).toEqual([]);
      await scratch.store.endRebuild();
      expect(await secondaryIndexes(scratch.store)).toEqual(expectedIndexes);
    });

    it('builds them when opened after a rebuild that died half way', async () => {
      await scratch.store.beginRebuild();
      const reopened = await PostgresReadModelStore.open(postgresUrl(), { schema: scratch.schema });
      try {
        expect(await secondaryIndexes(reopened)).toEqual(expectedIndexes);
      } finally {
        await reopened.close();
      }
    });
  });

  describe('when the schema is new', () => {
    it('creates every table, each migration once, even when two processes open it together', async () => {
      const url = postgresUrl();
      const schema = `${scratch.schema}_fresh`;
      const [first, second] = await Promise.all([PostgresReadModelStore.open(url, { schema }), PostgresReadModelStore.open(url, { schema })]);
      try {
        expect(await first.query('SELECT version FROM read_model_migrations ORDER BY version')).toEqual(schemaMigrations('postgres').map(({ version }) => ({ version })));
        const tables = await first.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name', [schema]);
        expect(tables.map((row) => row.table_name)).toEqual(
          [...READ_MODEL_TABLES.map((table) => table.name), ...RECORD_TABLES.map((table) => table.name), 'projection_checkpoints', 'read_model_migrations'].sort(),
        );
        expect(await second.checkpoint()).toBe(-1n);
      } finally {
        await first.close();
        await second.close();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(PostgresReadModelStore.open(postgresUrl(), { schema: 'x; DROP TABLE y' })).rejects.toThrow(/Invalid read-model schema name/);
    });
  });

  describe('when reading', () => {
    it('returns counts, sums and bigint columns as numbers, as SQLite does, and booleans natively', async () => {
      await scratch.store.reset();
      const row = { disbursement_id: 'd1', beneficiary_id: 'b1', program: 'MERITORIOUS', period: '2024-07', unit_code: '899', amount: 2_789_000, channel: 'BANK', status: 'PAID', arrears: true, attempt: 1, overpayment: false, updated_position: '9007199254740991' };
      await scratch.store.apply([{ kind: 'upsert', table: 'disbursements', row }, { kind: 'upsert', table: 'disbursements', row: { ...row, disbursement_id: 'd2', arrears: false } }], 5n);
      expect(await scratch.store.query('SELECT COUNT(*) AS count, SUM(amount) AS total, MAX(updated_position) AS position FROM disbursements')).toEqual([
        { count: 2, total: 5_578_000, position: 9007199254740991 },
      ]);
      expect(await scratch.store.query('SELECT arrears, overpayment FROM disbursements ORDER BY disbursement_id')).toEqual([
        { arrears: true, overpayment: false },
        { arrears: false, overpayment: false },
      ]);
      // Beyond what a double holds exactly, the digits rather than a rounded number.
      expect(await scratch.store.query('SELECT 9007199254740993::bigint AS big, 1.5::numeric AS ratio')).toEqual([{ big: '9007199254740993', ratio: '1.5' }]);
    });

    it('binds ? placeholders but not a ? inside a string literal', async () => {
      expect(await scratch.store.query("SELECT '?' AS mark, ? AS value, ?::integer + 1 AS next", ['a', 41])).toEqual([{ mark: '?', value: 'a', next: 42 }]);
      await expect(scratch.store.query('SELECT ? AS value', [])).rejects.toThrow(/1 placeholders but 0 parameters/);
    });

    it('stores any text as given, however it would read in an array literal', async () => {
      await scratch.store.reset();
      const awkward = ['NULL', '', ' spaced ', 'a,b', '{x}', 'quote " and \\ backslash', "it's", 'Nguyễn Thị Ánh', '\\N', 'tab\tnew\nline'];
      await scratch.store.apply(
        awkward.map((fullName, index) => ({ kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: `b${index}`, full_name: fullName, unit_code: null } })),
        1n,
      );
      const rows = await scratch.store.query<{ full_name: string; unit_code: null }>('SELECT full_name, unit_code FROM beneficiaries ORDER BY CAST(SUBSTR(beneficiary_id, 2) AS integer)');
      expect(rows).toEqual(awkward.map((fullName) => ({ full_name: fullName, unit_code: null })));
    });

    it('keeps a checkpoint beyond 2^53 exactly', async () => {
      await scratch.store.apply([], 2n ** 62n + 1n);
      expect(await scratch.store.checkpoint()).toBe(2n ** 62n + 1n);
      await scratch.store.ping();
    });
  });

  describe('when a batch fails', () => {
    it('tells a refused value (the projector halts) from a server it cannot reach (tried again)', async () => {
      await scratch.store.reset();
      const row = { disbursement_id: 'd1', amount: 1e21 };
      const refused = await scratch.store.apply([{ kind: 'upsert', table: 'disbursements', row }], 1n).catch((error: unknown) => error);
      expect(refused).toHaveProperty('code', expect.stringMatching(/^22/));
      expect(scratch.store.isConnectionLost(refused)).toBe(false);
      expect(await scratch.store.checkpoint()).toBe(-1n);

      const unreachable = new URL(postgresUrl());
      unreachable.port = '1';
      const lost = await PostgresReadModelStore.open(unreachable.toString()).catch((error: unknown) => error);
      expect(scratch.store.isConnectionLost(lost)).toBe(true);
    });
  });

  describe('when two projectors write the same read models', () => {
    it('refuses a batch read after a checkpoint that is no longer the stored one, writing nothing — the first batch ever included', async () => {
      await scratch.store.reset();
      const other = await PostgresReadModelStore.open(postgresUrl(), { schema: scratch.schema });
      try {
        const row = (id: string) => ({ kind: 'upsert' as const, table: 'beneficiaries' as const, row: { beneficiary_id: id, full_name: id, unit_code: null } });
        // Both read the first batch after -1; whichever commits first wins, the other is refused.
        const outcomes = await Promise.allSettled([scratch.store.apply([row('first')], 10n, { from: -1n }), other.apply([row('second')], 10n, { from: -1n })]);
        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')!.reason;
        expect(refused).toBeInstanceOf(CheckpointMoved);
        expect(refused).toMatchObject({ expected: -1n, found: 10n });
        expect(await scratch.store.query('SELECT COUNT(*) AS n FROM beneficiaries')).toEqual([{ n: 1 }]);
        // From the stored checkpoint, it goes on.
        await other.apply([row('third')], 20n, { from: 10n });
        expect(await scratch.store.checkpoint()).toBe(20n);
      } finally {
        await other.close();
      }
    });
  });
});
