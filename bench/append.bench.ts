// npm run bench:append — durable append throughput of the embedded event store against the raw
// better-sqlite3 insert ceiling on this machine. Prints one table from one run.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_SCHEMA, SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store.js';
import type { EventToAppend } from '../libs/event-store/src/event-store.port.js';
import { formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const directory = scratchDirectory('append');
const scale = Number(process.env.BENCH_SCALE ?? 1);

function settlementEvent(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'disbursement-paid',
    schemaVersion: 1,
    data: { disbursementId: randomUUID(), providerReference: `FT24096${String(n).padStart(6, '0')}`, amount: 2_055_000, paidAt: '2024-04-05T02:30:00.000Z' },
    metadata: { actorId: 'bench', actorRole: 'operator', command: 'settle-disbursement', correlationId: randomUUID(), causationId: randomUUID() },
  };
}

function rawCeiling(count: number): number {
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

/** `writers` concurrent loops, each appending `perWriter` times `eventsPerAppend` events to its own streams. */
async function adapterRun(label: string, writers: number, perWriter: number, eventsPerAppend: number): Promise<number> {
  const store = SqliteEventStore.open(join(directory, `${label}.sqlite`));
  let n = 0;
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
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

const ceiling = rawCeiling(Math.round(200_000 * scale));
const runs: Array<[string, number]> = [
  ['adapter, single-event appends, 1 writer', await adapterRun('single-1', 1, Math.round(2_000 * scale), 1)],
  ['adapter, single-event appends, 64 concurrent writers', await adapterRun('single-64', 64, Math.round(2_000 * scale), 1)],
  ['adapter, batched appends (100 events), 1 writer', await adapterRun('batch-1', 1, Math.round(1_000 * scale), 100)],
  ['adapter, batched appends (100 events), 64 concurrent writers', await adapterRun('batch-64', 64, Math.round(30 * scale), 100)],
];

printTable(
  `Durable appends (WAL, synchronous=FULL) — ${machineLine()}`,
  ['run', 'events/s', 'ratio to ceiling'],
  [
    ['raw better-sqlite3 inserts, one transaction (ceiling)', formatRate(ceiling), '1.00'],
    ...runs.map(([label, rate]) => [label, formatRate(rate), (rate / ceiling).toFixed(2)]),
  ],
);
