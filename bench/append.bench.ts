// npm run bench:append — durable append throughput of the embedded (SQLite) and PostgreSQL event
// stores, each against the raw insert ceiling of its database on this machine: plain INSERTs of
// the same rows into the same tables, at the same durability. Prints one table from one run.
// PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a scratch schema
// dropped at the end; its rows are left out, saying why, when the server is unreachable.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { EVENTS_SCHEMA, SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store.js';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store.js';
import { eventLogMigrations } from '../libs/event-store/src/postgres/postgres-event-log.js';
import type { EventStore, EventToAppend } from '../libs/event-store/src/event-store.port.js';
import { formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const directory = scratchDirectory('append');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function settlementEvent(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'disbursement-paid',
    schemaVersion: 1,
    data: { disbursementId: randomUUID(), providerReference: `FT24096${String(n).padStart(6, '0')}`, amount: 2_055_000, paidAt: '2024-04-05T02:30:00.000Z' },
    metadata: { actorId: 'bench', actorRole: 'operator', command: 'settle-disbursement', correlationId: randomUUID(), causationId: randomUUID() },
  };
}

function sqliteRawCeiling(count: number): number {
  const db = new Database(join(directory, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENTS_SCHEMA);
  const createStream = db.prepare<[string], { stream_id: number }>('INSERT INTO streams (stream_name, revision) VALUES (?, 0) RETURNING stream_id');
  const insert = db.prepare(
    `INSERT INTO events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = Array.from({ length: count }, (_, n) => settlementEvent(n));
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const event of rows) {
      const { stream_id } = createStream.get(`disbursement-${randomUUID()}`)!;
      insert.run(stream_id, 0, event.id, event.type, event.schemaVersion, JSON.stringify(event.data), JSON.stringify(event.metadata), Date.now());
    }
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return count / seconds;
}

/**
 * The same rows into the adapter's own tables (created by its migration in a schema of their own),
 * as multi-row INSERTs of 5,000 rows (the adapter's largest commit) on `connections` connections,
 * each one transaction with synchronous_commit on: what PostgreSQL takes when no event store checks
 * or orders anything. Events travel as one JSON document per INSERT, the fastest plain INSERT found
 * here (parameter arrays reached about two thirds of it).
 */
async function postgresRawCeiling(count: number, connections: number): Promise<number> {
  const schema = `bench_raw_${randomBytes(4).toString('hex')}`;
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      return client;
    }),
  );
  const [admin] = clients as [pg.Client];
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    for (const { statements } of eventLogMigrations(schema)) for (const statement of statements) await admin.query(statement);
    const rows = Array.from({ length: count }, (_, n) => settlementEvent(n));
    const recordedAt = new Date();
    const { seconds } = await timed(() =>
      Promise.all(
        clients.map(async (client, k) => {
          await client.query('BEGIN');
          for (let start = k * 5_000; start < count; start += 5_000 * connections) {
            const chunk = rows.slice(start, start + 5_000);
            const ids = chunk.map((_, offset) => String(start + offset + 1));
            await client.query(`INSERT INTO ${schema}.streams (stream_id, stream_name, revision) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])`, [
              ids,
              chunk.map(() => `disbursement-${randomUUID()}`),
              chunk.map(() => '0'),
            ]);
            const events = chunk.map((event, offset) => ({ p: ids[offset], i: event.id, t: event.type, v: event.schemaVersion, d: JSON.stringify(event.data), m: JSON.stringify(event.metadata) }));
            await client.query(
              `INSERT INTO ${schema}.events (position, stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at)
               SELECT e.p, e.p, 0, e.i, e.t, e.v, e.d::json, e.m::json, $2
               FROM json_to_recordset($1::json) AS e (p bigint, i uuid, t text, v integer, d text, m text)`,
              [JSON.stringify(events), recordedAt],
            );
          }
          await client.query('COMMIT');
        }),
      ),
    );
    return count / seconds;
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** `writers` concurrent loops, each appending `perWriter` times `eventsPerAppend` events to its own streams. */
async function adapterRun(open: () => Promise<EventStore>, label: string, writers: number, perWriter: number, eventsPerAppend: number): Promise<number> {
  const store = await open();
  let n = 0;
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) {
          const events = Array.from({ length: eventsPerAppend }, () => settlementEvent(n++));
          await store.appendToStream(`disbursement-${randomUUID()}`, events, 'no_stream');
        }
      }),
    ),
  );
  const head = await store.headPosition();
  await store.close();
  const events = writers * perWriter * eventsPerAppend;
  if (head !== BigInt(events)) throw new Error(`${label}: expected ${events} events, the log holds ${head}`);
  return events / seconds;
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string; synchronous_commit: string }>(
      "SELECT split_part(version(), ' ', 2) AS version, current_setting('synchronous_commit') AS synchronous_commit",
    );
    return `PostgreSQL ${rows[0]!.version}, synchronous_commit=${rows[0]!.synchronous_commit}`;
  } catch (error) {
    console.error(`PostgreSQL rows left out: ${postgresUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')} is unreachable (${(error as Error).message})`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type Row = [label: string, rate: number, ceiling: number];
const rows: Row[] = [];

const sqliteCeiling = sqliteRawCeiling(Math.round(200_000 * scale));
const sqlite = (label: string) => async () => SqliteEventStore.open(join(directory, `${label}.sqlite`));
rows.push(
  ['SQLite: raw better-sqlite3 inserts, one transaction (ceiling)', sqliteCeiling, sqliteCeiling],
  ['SQLite adapter, single-event appends, 1 writer', await adapterRun(sqlite('single-1'), 'single-1', 1, Math.round(2_000 * scale), 1), sqliteCeiling],
  ['SQLite adapter, single-event appends, 64 concurrent writers', await adapterRun(sqlite('single-64'), 'single-64', 64, Math.round(2_000 * scale), 1), sqliteCeiling],
  ['SQLite adapter, batched appends (100 events), 1 writer', await adapterRun(sqlite('batch-1'), 'batch-1', 1, Math.round(1_000 * scale), 100), sqliteCeiling],
  ['SQLite adapter, batched appends (100 events), 64 concurrent writers', await adapterRun(sqlite('batch-64'), 'batch-64', 64, Math.round(30 * scale), 100), sqliteCeiling],
);

const postgresServer = await postgresReachable();
if (postgresServer) {
  const schemas: string[] = [];
  const postgres = (label: string) => async () => {
    const schema = `bench_${label.replace(/-/g, '_')}_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    return PostgresEventStore.open(postgresUrl, { schema });
  };
  try {
    const [one, four] = [await postgresRawCeiling(Math.round(200_000 * scale), 1), await postgresRawCeiling(Math.round(200_000 * scale), 4)];
    const ceiling = Math.max(one, four);
    rows.push(
      ['PostgreSQL: raw multi-row INSERTs, 1 connection, one transaction', one, ceiling],
      ['PostgreSQL: raw multi-row INSERTs, 4 connections, one transaction each', four, ceiling],
      ['PostgreSQL adapter, single-event appends, 1 writer', await adapterRun(postgres('single-1'), 'pg-single-1', 1, Math.round(1_000 * scale), 1), ceiling],
      ['PostgreSQL adapter, single-event appends, 64 concurrent writers', await adapterRun(postgres('single-64'), 'pg-single-64', 64, Math.round(500 * scale), 1), ceiling],
      ['PostgreSQL adapter, batched appends (100 events), 1 writer', await adapterRun(postgres('batch-1'), 'pg-batch-1', 1, Math.round(300 * scale), 100), ceiling],
      ['PostgreSQL adapter, batched appends (100 events), 64 concurrent writers', await adapterRun(postgres('batch-64'), 'pg-batch-64', 64, Math.round(20 * scale), 100), ceiling],
    );
  } finally {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

printTable(
  `Durable appends (SQLite: WAL, synchronous=FULL${postgresServer ? `; ${postgresServer}` : ''}) — ${machineLine()}`,
  ['run', 'events/s', 'ratio to its ceiling'],
  rows.map(([label, rate, ceiling]) => [label, formatRate(rate), (rate / ceiling).toFixed(2)]),
);
