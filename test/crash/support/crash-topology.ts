import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresEventStore, SqliteEventStore } from '@ledger/event-store';
import { PostgresReadModelStore, READ_MODEL_TABLES, rebuildReadModels, SqliteReadModelStore } from '@ledger/read-models';
import { postgresUrl } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { compareWithRebuild, type ReadModelDifference } from './crash-kit.js';
import { processPort } from '../../../libs/integration-events/src/testing/process-port.js';
import { spawnService, startApi, type ApiProcess } from './ledger-process.js';
import { seedPeople, type Person } from './province.js';

/**
 * A read-only look at a ledger's log and read models from the test, as an auditor's tool would take
 * it. One SQL for both stores: `?` parameters, the log's tables (`events`, `streams`) and the read
 * models' by their bare names, integers and booleans as SQLite gives them (numbers, 1 and 0), JSON
 * columns as their text.
 */
export interface LedgerObserver {
  rows<T = Record<string, unknown>>(sql: string, ...parameters: unknown[]): Promise<T[]>;
  row<T = Record<string, unknown>>(sql: string, ...parameters: unknown[]): Promise<T | undefined>;
  /** The first column of the first row, as a number. */
  value(sql: string, ...parameters: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export interface RebuildComparison {
  readonly differences: ReadModelDifference[];
  readonly rows: Record<string, number>;
  readonly events: number;
}

/** One ledger under test: its data, the API processes started on it, a way to look inside. */
export interface CrashLedger {
  /** Starts the compiled API on this ledger (and, where the topology runs one, its projector, once). */
  startApi(apiMain: string): Promise<ApiProcess>;
  observe(): Promise<LedgerObserver>;
  /** Rebuilds every read model from the log into scratch storage and compares it, row for row, with the live ones. */
  compareWithRebuild(): Promise<RebuildComparison>;
  /** Stops what this ledger started and removes its data. */
  dispose(): Promise<void>;
}

/** Where the crash tests' ledgers live: the embedded SQLite file, or PostgreSQL as production runs it. */
export interface CrashTopology {
  readonly name: string;
  /** A ledger seeded with `people`, their history projected, before any API starts on it. */
  seededLedger(name: string, people: readonly Person[]): Promise<CrashLedger>;
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The embedded default: one SQLite file holds the log, the read models and the idempotency records.

export function sqliteTopology(): CrashTopology {
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-api-crash-'));
  return {
    name: 'on the embedded SQLite store',
    async seededLedger(name, people) {
      const directory = join(workspace, name);
      mkdirSync(directory);
      const file = join(directory, 'ledger.sqlite');
      const store = SqliteEventStore.open(file);
      await seedPeople(store, people);
      // Projected here, so the API starts with its read models at the head of the seeded log.
      await rebuildReadModels(store, new SqliteReadModelStore(store.db), { batchSize: 10_000 });
      await store.close();
      return {
        startApi: (apiMain) => startApi(apiMain, directory),
        async observe() {
          const db = new Database(file, { readonly: true, fileMustExist: true });
          db.pragma('busy_timeout = 5000');
          // Statements are prepared once: the kill point is found by polling a count every few milliseconds.
          const statements = new Map<string, Database.Statement>();
          const prepared = (sql: string, pluck = false) => {
            const key = `${pluck}:${sql}`;
            return statements.get(key) ?? statements.set(key, pluck ? db.prepare(sql).pluck() : db.prepare(sql)).get(key)!;
          };
          return {
            rows: async <T>(sql: string, ...parameters: unknown[]) => prepared(sql).all(...parameters) as T[],
            row: async <T>(sql: string, ...parameters: unknown[]) => prepared(sql).get(...parameters) as T | undefined,
            value: async (sql: string, ...parameters: unknown[]) => Number(prepared(sql, true).get(...parameters)),
            close: async () => void db.close(),
          };
        },
        compareWithRebuild: () => compareWithRebuild(file),
        dispose: async () => undefined,
      };
    },
    async dispose() {
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Production on PostgreSQL: the log, the read models and the idempotency records in one database,
// the API with its projector in a process of its own (the API is what is killed; the projector
// keeps following the log, as it does in production while an API instance restarts).

const INT8 = 20;
const BOOL = 16;
const JSON_TYPE = 114;

/** node-postgres types that read as SQLite reads the same columns. Counts and positions stay far below 2^53 here. */
const sqliteLikeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === BOOL) return (text: string) => (text === 't' ? 1 : 0);
    if (oid === JSON_TYPE) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  },
};

const placeholders = (sql: string) => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

/**
 * A database of its own on the test server (`CREATE DATABASE`), for tests that run processes on
 * PostgreSQL as production does; `drop()` removes it with everything in it, connections included.
 */
export async function createScratchDatabase(name: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export function postgresTopology(): CrashTopology {
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-api-crash-pg-'));
  const prefix = `ledger_crash_${process.pid}`;
  const databases: Array<{ drop(): Promise<void> }> = [];

  return {
    name: 'on PostgreSQL (events, read models and idempotency records; the projector in a process of its own)',
    async seededLedger(name, people) {
      const database = `${prefix}_${name}`;
      const directory = join(workspace, name);
      mkdirSync(directory);
      const { url, drop } = await createScratchDatabase(database);
      databases.push({ drop });
      const events = await PostgresEventStore.open(url);
      const readModels = await PostgresReadModelStore.open(url);
      try {
        await seedPeople(events, people);
        // Projected here, so the projector starts at the head of the seeded log.
        await rebuildReadModels(events, readModels, { batchSize: 2_500 });
      } finally {
        await readModels.close();
        await events.close();
      }
      const env = { EVENTSTORE_CONNECTION_STRING: url, DATABASE_URL: url, LEDGER_PROJECTOR: 'external' };
      let projector: ApiProcess | undefined;
      return {
        async startApi(apiMain) {
          if (!projector) {
            const port = await processPort();
            projector = await spawnService('the projector', join(dirname(apiMain), '../../projector/src/main.js'), port, { ...env, LEDGER_DATA_DIR: directory, PROJECTOR_PORT: String(port) });
          }
          return startApi(apiMain, directory, env);
        },
        async observe() {
          const client = new pg.Client({ connectionString: url, types: sqliteLikeTypes, options: '-c search_path=event_store,public -c default_transaction_read_only=on' });
          await client.connect();
          return {
            rows: async <T>(sql: string, ...parameters: unknown[]) => (await client.query(placeholders(sql), parameters)).rows as T[],
            row: async <T>(sql: string, ...parameters: unknown[]) => (await client.query(placeholders(sql), parameters)).rows[0] as T | undefined,
            value: async (sql: string, ...parameters: unknown[]) => Number(Object.values((await client.query(placeholders(sql), parameters)).rows[0] ?? {})[0]),
            close: () => client.end(),
          };
        },
        compareWithRebuild: () => compareWithPostgresRebuild(url),
        async dispose() {
          await projector?.stop();
        },
      };
    },
    async dispose() {
      for (const database of databases) await database.drop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/**
 * Rebuilds the read models from the PostgreSQL log into a scratch schema of the same database and
 * compares them with the live ones, table by table (SQL EXCEPT both ways).
 */
async function compareWithPostgresRebuild(url: string): Promise<RebuildComparison> {
  const schema = `rebuilt_${Date.now()}`;
  const source = await PostgresEventStore.open(url);
  const scratch = await PostgresReadModelStore.open(url, { schema });
  const client = new pg.Client({ connectionString: url, types: sqliteLikeTypes });
  await client.connect();
  try {
    const { events } = await rebuildReadModels(source, scratch, { batchSize: 2_500 });
    const differences: ReadModelDifference[] = [];
    const rows: Record<string, number> = {};
    for (const table of READ_MODEL_TABLES) {
      const count = async (from: string) => Number((await client.query(`SELECT COUNT(*) AS n FROM ${from}.${table.name}`)).rows[0].n);
      const except = async (a: string, b: string) => (await client.query(`SELECT * FROM ${a}.${table.name} EXCEPT SELECT * FROM ${b}.${table.name} LIMIT 3`)).rows;
      const live = await count('public');
      const rebuilt = await count(schema);
      const onlyLive = await except('public', schema);
      const onlyRebuilt = await except(schema, 'public');
      rows[table.name] = live;
      if (live !== rebuilt || onlyLive.length > 0 || onlyRebuilt.length > 0) differences.push({ table: table.name, live, rebuilt, onlyLive, onlyRebuilt });
    }
    return { differences, rows, events };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await scratch.close();
    await source.close();
  }
}
