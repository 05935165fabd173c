import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteEventStore } from '@ledger/event-store';
import { writeLedgerHistory } from '../../../../apps/projector/src/testing/ledger-history.js';
import { rebuildReadModels } from '../projector.js';
import { PostgresReadModelStore } from '../postgres/postgres-read-model-store.js';
import { ACCESS_LOG_TABLE } from '../read-model-schema.js';
import { PROJECTION_NAME, type ReadModelStore } from '../read-model-store.js';
import { schemaMigrations } from '../sql-statements.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { dropSchema, openScratchPostgresStore, postgresAvailability, postgresUrl } from '../testing/postgres-scratch.js';
import { AccessLog, type AccessLogFilter, type AccessLogStore, type AccessRecord } from './access-log.js';
import { openAccessLogStore } from './open-access-log.js';
import { PostgresAccessLogStore } from './postgres-access-log.js';
import { SqliteAccessLogStore } from './sqlite-access-log.js';

const postgres = await postgresAvailability();

/**
 * What the database answered to `sql`: its refusal's message, or `done`. The message, not the error:
 * better-sqlite3 builds its errors in the realm of the first test file that loaded it, where
 * `toThrow` of another file does not recognise them as errors.
 */
const answerTo = (run: () => unknown): Promise<string> =>
  Promise.resolve()
    .then(run)
    .then(
      () => 'done',
      (error: unknown) => String((error as { message?: unknown } | null)?.message ?? error),
    );

interface Harness {
  readonly accessLog: AccessLogStore;
  readonly readModels: ReadModelStore;
  /** SQL run behind the ledger's back, on a connection of its own (an operator at a console). */
  readonly console: (sql: string) => Promise<unknown>;
  /** The rows as another connection sees them: what is committed. */
  readonly committedCount: () => Promise<number>;
  readonly columns: () => Promise<string[]>;
}

const alice = { actor: 'alice.auditor', actorRole: 'auditor' };
const bob = { actor: 'bob.operator', actorRole: 'operator' };
const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

function read(beneficiaryId: string, who: { actor: string; actorRole: string }, minute: number, correlationId = randomUUID()): AccessRecord {
  return { recordedAt: at(minute), ...who, route: 'GET /v1/beneficiaries/:beneficiaryId', beneficiaryId, payrollRunId: null, payingAgent: null, correlationId };
}

async function allPages(store: AccessLogStore, filter: Omit<AccessLogFilter, 'after' | 'limit'>, limit: number) {
  const ids: string[] = [];
  let after: bigint | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await store.page({ ...filter, limit, ...(after === undefined ? {} : { after }) });
    ids.push(...page.items.map((item) => item.beneficiaryId ?? `${item.payrollRunId}/${item.payingAgent}`));
    if (page.next === null) return ids;
    after = BigInt(page.next);
  }
  throw new Error('more than 1,000 pages');
}

/** What every store of the access log must do, SQLite and PostgreSQL alike. */
function accessLogBehaviour(open: () => Promise<Harness>, close: () => Promise<void>) {
  let harness: Harness;
  const [ana, binh, chau] = [randomUUID(), randomUUID(), randomUUID()];
  const runId = randomUUID();

  beforeAll(async () => {
    harness = await open();
    await harness.accessLog.append([
      read(ana, alice, 1),
      read(binh, alice, 2),
      read(ana, bob, 3),
      { recordedAt: at(4), ...bob, route: 'GET /v1/payroll-runs/:runId/payment-files/:paymentFile', beneficiaryId: null, payrollRunId: runId, payingAgent: 'POST_OFFICE', correlationId: null },
      read(chau, bob, 5),
      read(ana, alice, 6),
    ]);
  }, 60_000);
  afterAll(close);

  it('has the columns the schema (and docs/read-models.md) describes', async () => {
    expect(await harness.columns()).toEqual(ACCESS_LOG_TABLE.columns.map(([name]) => name));
  });

  it('reads records back oldest first, every field as written', async () => {
    const page = await harness.accessLog.page({ limit: 100 });
    expect(page.next).toBeNull();
    expect(page.items).toHaveLength(6);
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      recordedAt: '2026-01-05T09:01:00.000Z',
      actor: 'alice.auditor',
      actorRole: 'auditor',
      route: 'GET /v1/beneficiaries/:beneficiaryId',
      beneficiaryId: ana,
      payrollRunId: null,
      payingAgent: null,
      correlationId: expect.any(String),
    });
    expect(page.items[3]).toMatchObject({ beneficiaryId: null, payrollRunId: runId, payingAgent: 'POST_OFFICE', correlationId: null });
    const ids = page.items.map((item) => BigInt(item.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
  });

  it('filters by beneficiary, by actor, and by instant (from included, to excluded), and combines them', async () => {
    const of = async (filter: Omit<AccessLogFilter, 'limit'>) => (await harness.accessLog.page({ ...filter, limit: 100 })).items.map((item) => item.recordedAt.slice(14, 16));
    expect(await of({ beneficiaryId: ana })).toEqual(['01', '03', '06']);
    expect(await of({ actor: 'bob.operator' })).toEqual(['03', '04', '05']);
    expect(await of({ from: at(2), to: at(5) })).toEqual(['02', '03', '04']);
    expect(await of({ beneficiaryId: ana, actor: 'alice.auditor', from: at(2) })).toEqual(['06']);
    expect(await of({ actor: 'nobody' })).toEqual([]);
  });

  it('pages by cursor: every record once, in order, whatever the page size, filtered or not', async () => {
    const everything = await allPages(harness.accessLog, {}, 100);
    for (const limit of [1, 2, 5]) expect(await allPages(harness.accessLog, {}, limit)).toEqual(everything);
    expect(await allPages(harness.accessLog, { beneficiaryId: ana }, 1)).toEqual([ana, ana, ana]);
  });

  it('refuses to change or delete a record, whoever asks: the database itself is append-only', async () => {
    const before = await harness.accessLog.page({ limit: 100 });
    expect(await answerTo(() => harness.console(`UPDATE ${ACCESS_LOG_TABLE.name} SET actor = 'someone else'`))).toMatch(/append-only/);
    expect(await answerTo(() => harness.console(`DELETE FROM ${ACCESS_LOG_TABLE.name} WHERE actor = 'bob.operator'`))).toMatch(/append-only/);
    expect(await harness.accessLog.page({ limit: 100 })).toEqual(before);
  });

  it('survives a rebuild of the read models from zero', async () => {
    const before = await harness.accessLog.page({ limit: 100 });
    await harness.readModels.reset();
    expect(await harness.accessLog.page({ limit: 100 })).toEqual(before);
  });

  describe('written through the group commit', () => {
    it('commits the records of reads that arrive together in one transaction, each read answered once its records are committed', async () => {
      let transactions = 0;
      const counting: AccessLogStore = {
        append: async (records) => {
          transactions++;
          await harness.accessLog.append(records);
        },
        page: (filter) => harness.accessLog.page(filter),
        close: async () => undefined,
      };
      const accessLog = new AccessLog(counting);
      const before = await harness.committedCount();
      const reads = Array.from({ length: 50 }, (_, n) => accessLog.record([read(randomUUID(), alice, 10), ...(n % 5 === 0 ? [read(randomUUID(), alice, 10)] : [])]));
      const seen = await Promise.all(reads.map((recorded) => recorded.then(() => harness.committedCount())));
      expect(transactions).toBe(1);
      // Each read is answered only once its records are there for any other connection to see.
      for (const count of seen) expect(count).toBe(before + 60);
    });

    it('fails only the read whose record the database refuses; the others are recorded', async () => {
      const accessLog = new AccessLog(harness.accessLog);
      const before = await harness.committedCount();
      const refused = { ...read(randomUUID(), alice, 11), actor: null as unknown as string };
      const outcomes = await Promise.allSettled([accessLog.record([read(randomUUID(), alice, 11)]), accessLog.record([refused]), accessLog.record([read(randomUUID(), bob, 11)])]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await harness.committedCount()).toBe(before + 2);
    });

    it('splits a very large batch into transactions of at most maxBatch records', async () => {
      const sizes: number[] = [];
      const accessLog = new AccessLog({ ...harness.accessLog, append: async (records) => (sizes.push(records.length), harness.accessLog.append(records)), page: (f) => harness.accessLog.page(f), close: async () => undefined }, 100);
      await Promise.all(Array.from({ length: 30 }, () => accessLog.record(Array.from({ length: 10 }, () => read(randomUUID(), bob, 12)))));
      expect(sizes).toEqual([100, 100, 100]);
    });
  });
}

describe('the access log in the ledger’s SQLite file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-access-log-'));
  const file = join(directory, 'ledger.sqlite');
  let events: SqliteEventStore;

  accessLogBehaviour(
    async () => {
      events = SqliteEventStore.open(file);
      const readModels = new SqliteReadModelStore(events.db);
      const consoleDb = new Database(file);
      return {
        accessLog: await openAccessLogStore({ dataDirectory: directory }, events),
        readModels,
        console: async (sql) => consoleDb.exec(sql),
        committedCount: async () => {
          const other = new Database(file, { readonly: true });
          try {
            return other.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${ACCESS_LOG_TABLE.name}`).get()!.n;
          } finally {
            other.close();
          }
        },
        columns: async () => consoleDb.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${ACCESS_LOG_TABLE.name}') ORDER BY cid`).all().map((row) => row.name),
      };
    },
    async () => {
      await events.close();
      rmSync(directory, { recursive: true, force: true });
    },
  );

  it('writes through the event store’s connection, which commits with synchronous=FULL', () => {
    expect(events.db.pragma('synchronous', { simple: true })).toBe(2);
  });
});

describeWithPostgres('the access log in PostgreSQL, beside the read models', postgres, () => {
  let scratch: Awaited<ReturnType<typeof openScratchPostgresStore>>;
  let accessLog: PostgresAccessLogStore;
  let client: pg.Client;

  accessLogBehaviour(
    async () => {
      scratch = await openScratchPostgresStore('access_log');
      accessLog = await PostgresAccessLogStore.open(postgresUrl(), { schema: scratch.schema });
      client = new pg.Client({ connectionString: postgresUrl(), options: `-c search_path=${scratch.schema}` });
      await client.connect();
      return {
        accessLog,
        readModels: scratch.store,
        console: (sql) => client.query(sql),
        committedCount: async () => Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${ACCESS_LOG_TABLE.name}`)).rows[0]!.n),
        columns: async () =>
          (await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [scratch.schema, ACCESS_LOG_TABLE.name])).rows.map(
            (row) => row.column_name,
          ),
      };
    },
    async () => {
      await client.end();
      await accessLog.close();
      await scratch.drop();
    },
  );

  it('refuses a TRUNCATE too', async () => {
    expect(await answerTo(() => client.query(`TRUNCATE ${ACCESS_LOG_TABLE.name}`))).toMatch(/append-only/);
  });

  it('numbers records in commit order when several writers append at once', async () => {
    const writers = await Promise.all(Array.from({ length: 4 }, () => PostgresAccessLogStore.open(postgresUrl(), { schema: scratch.schema, maxConnections: 2 })));
    try {
      const start = BigInt((await accessLog.page({ limit: 1_000 })).items.at(-1)!.id);
      const seen: bigint[] = [];
      let writing = true;
      // A reader paging while they write never sees a record appear behind one it has passed.
      const reader = (async () => {
        let after = start;
        while (writing) {
          const page = await accessLog.page({ after, limit: 1_000 });
          for (const item of page.items) seen.push(BigInt(item.id));
          if (page.items.length) after = BigInt(page.items.at(-1)!.id);
        }
        for (const item of (await accessLog.page({ after, limit: 1_000 })).items) seen.push(BigInt(item.id));
      })();
      await Promise.all(writers.flatMap((writer) => Array.from({ length: 25 }, () => writer.append([read(randomUUID(), bob, 20), read(randomUUID(), bob, 20)]))));
      writing = false;
      await reader;
      const all = (await accessLog.page({ after: start, limit: 1_000 })).items.map((item) => BigInt(item.id));
      expect(all).toHaveLength(200);
      expect(seen).toEqual(all);
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  }, 60_000);
});

describe('the access log beside read models rebuilt from a real history', () => {
  it('keeps every record through a rebuild of the read models from the log', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-access-log-rebuild-'));
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    try {
      const readModels = new SqliteReadModelStore(events.db);
      await writeLedgerHistory(events, 30, ['899']);
      const accessLog = await openAccessLogStore({ dataDirectory: directory }, events);
      const beneficiaryId = randomUUID();
      await accessLog.append([read(beneficiaryId, alice, 30)]);
      await rebuildReadModels(events, readModels);
      expect((await accessLog.page({ beneficiaryId, limit: 10 })).items).toHaveLength(1);
    } finally {
      await events.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/**
 * The access log arrives as schema version 5: a table of its own, not a projection, so a ledger
 * whose read models stand at version 4 keeps them where they are (no replay from zero).
 */
describe('the access log’s migration', () => {
  const ACCESS_LOG_VERSION = 5;
  const projectedBefore = [
    "INSERT INTO beneficiaries (beneficiary_id, unit_code) VALUES ('b-1', '899')",
    `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
  ];
  const expectKeptAndLogged = async (store: ReadModelStore, accessLog: AccessLogStore) => {
    expect(await store.checkpoint()).toBe(41n);
    expect(await store.query('SELECT beneficiary_id FROM beneficiaries')).toEqual([{ beneficiary_id: 'b-1' }]);
    expect((await store.query<{ version: number }>('SELECT version FROM read_model_migrations ORDER BY version')).map((row) => Number(row.version))).toContain(ACCESS_LOG_VERSION);
    await accessLog.append([read('b-1', alice, 40)]);
    expect((await accessLog.page({ limit: 10 })).items).toHaveLength(1);
  };

  it('on SQLite, adds the table to read models of the version before, which stay where they are', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').filter((migration) => migration.version < ACCESS_LOG_VERSION)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedBefore) db.exec(statement);
    await expectKeptAndLogged(new SqliteReadModelStore(db), new SqliteAccessLogStore(db));
    expect(await answerTo(() => db.exec(`DELETE FROM ${ACCESS_LOG_TABLE.name}`))).toMatch(/append-only/);
    db.close();
  });

  describeWithPostgres('on PostgreSQL', postgres, () => {
    it('adds the table, its indexes and its triggers to read models of the version before, which stay where they are', async () => {
      const schema = `scratch_access_log_migration_${randomUUID().slice(0, 8)}`;
      const client = new pg.Client({ connectionString: postgresUrl() });
      await client.connect();
      let store: PostgresReadModelStore | undefined;
      let accessLog: PostgresAccessLogStore | undefined;
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query(`SET search_path = ${schema}`);
        await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
        for (const migration of schemaMigrations('postgres').filter((migration) => migration.version < ACCESS_LOG_VERSION)) {
          for (const statement of migration.statements) await client.query(statement);
          await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
        }
        for (const statement of projectedBefore) await client.query(statement);
        store = await PostgresReadModelStore.open(postgresUrl(), { schema, maxConnections: 2 });
        accessLog = await PostgresAccessLogStore.open(postgresUrl(), { schema, maxConnections: 2 });
        await expectKeptAndLogged(store, accessLog);
        expect(await answerTo(() => client.query(`UPDATE ${ACCESS_LOG_TABLE.name} SET actor = 'x'`))).toMatch(/append-only/);
      } finally {
        await accessLog?.close();
        await store?.close();
        await client.end();
        await dropSchema(schema);
      }
    });
  });
});
