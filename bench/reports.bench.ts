// npm run bench:reports — the reports and lists an analyst and an operator read, on the read models
// of a merged province: BENCH_PEOPLE (1,000,000) people enrolled, each with a payment account, paid
// for two months and sent a third that is now past its due date. Sixteen readers at once, each
// asking again as soon as it is answered, for BENCH_SECONDS (20) per report:
//   coverage       — GET /v1/reports/coverage, the first page (100 rows), the current period
//   summary        — GET /v1/reports/summary?period=…, the first page
//   late payments  — GET /v1/reports/late-payments?unit=<one district>, the first page
//   a person       — GET /v1/beneficiaries/{id} and that person's disbursements
// through the read-model queries the API's handlers call (the HTTP layer is bench:http's subject).
// The read models are projected from the province's events (made here, not stored: the log is not
// what is measured) by the projector's own rebuild. BENCH_STORES=sqlite,postgres chooses the stores
// (default both); DATABASE_URL the PostgreSQL server (a scratch schema, dropped after).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { schemaVersionOf } from '../libs/domain/src/index.js';
import type { EventStore, RecordedEvent } from '../libs/event-store/src/index.js';
import { PostgresReadModelStore } from '../libs/read-models/src/postgres/postgres-read-model-store.js';
import { rebuildReadModels } from '../libs/read-models/src/projector.js';
import { ReadModelQueries } from '../libs/read-models/src/queries/read-model-queries.js';
import type { ReadModelStore } from '../libs/read-models/src/read-model-store.js';
import { SqliteReadModelStore } from '../libs/read-models/src/sqlite/sqlite-read-model-store.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../libs/read-models/src/testing/postgres-scratch.js';
import { formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const READERS = 16;
const STORES = new Set((process.env.BENCH_STORES ?? 'sqlite,postgres').split(','));
const TARGET_P99_MS = 50;
const UNITS = ['899', '900', '902', '903', '904', '905', '906', '907', '908', '909', '910', '911', '912', '913', '914'];
const PERIODS = ['2024-07', '2024-08', '2024-09'] as const;
/** The day the reports are read: September's payments (due on the 10th) are late. */
const TODAY = '2024-09-25';
const CURRENT_PERIOD = '2024-09';

// ---------------------------------------------------------------------------------------------
// The province's events, computed from their position: phase 0 gives every person three events
// (registered, enrolled, account opened); then, for each period, every person's disbursement is
// scheduled, then sent, then (but for the last period) paid.

const beneficiaryId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const disbursementId = (n: number, period: number) => `00000000-0000-5000-${(8 + period).toString(16)}000-${n.toString(16).padStart(12, '0')}`;
const programOf = (n: number) => (n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE');
const amountOf = (n: number) => (n % 3 === 0 ? 2_789_000 : 500_000);
/** Seven in ten are paid by bank. */
const banked = (n: number) => n % 10 < 7;
const METADATA = { actorId: 'bench-operator', actorRole: 'operator', command: 'Bench', correlationId: randomUUID(), causationId: randomUUID() };

const steps: Array<{ count: number; event: (n: number) => { stream: string; revision: number; type: string; data: Record<string, unknown> } }> = [
  {
    count: PEOPLE * 3,
    event: (i) => {
      const n = Math.floor(i / 3);
      const id = beneficiaryId(n);
      const unitCode = UNITS[n % UNITS.length]!;
      const stream = `beneficiary-${id}`;
      switch (i % 3) {
        case 0:
          return { stream, revision: 0, type: 'BeneficiaryRegistered', data: { beneficiaryId: id, nationalId: `091052${String(n).padStart(6, '0')}`, fullName: `Nguyễn Văn An ${n}`, dateOfBirth: '1952-03-14', gender: 'MALE', unitCode } };
        case 1:
          return { stream, revision: 1, type: 'EnrollmentStarted', data: { beneficiaryId: id, program: programOf(n), unitCode, coefficient: 1000, effectiveFrom: '2024-01', decision: { number: `${n}/QĐ`, date: '2024-01-01' } } };
        default:
          return {
            stream,
            revision: 2,
            type: 'PaymentAccountOpened',
            data: { beneficiaryId: id, accountId: `a-${id}`, bankCode: 'VBA', accountNumber: '770012345678', holderName: 'NGUYEN VAN AN', openedOn: '2024-01-02', status: banked(n) ? 'VERIFIED' : 'UNVERIFIED' },
          };
      }
    },
  },
  ...PERIODS.flatMap((period, p) => {
    const run = `00000000-0000-4000-9000-00000000000${p}`;
    const stream = (n: number) => `disbursement-${disbursementId(n, p)}`;
    const scheduled = {
      count: PEOPLE,
      event: (n: number) => ({
        stream: stream(n),
        revision: 0,
        type: 'DisbursementScheduled',
        data: {
          disbursementId: disbursementId(n, p),
          beneficiaryId: beneficiaryId(n),
          program: programOf(n),
          period,
          unitCode: UNITS[n % UNITS.length]!,
          amount: amountOf(n),
          channel: banked(n) ? 'BANK' : 'CASH',
          account: banked(n) ? { accountId: `a-${beneficiaryId(n)}`, bankCode: 'VBA', accountNumber: '770012345678', holderName: 'NGUYEN VAN AN' } : null,
          dueDate: `${period}-10`,
          arrears: false,
          payrollRunId: run,
          attempt: 1,
        },
      }),
    };
    const sent = { count: PEOPLE, event: (n: number) => ({ stream: stream(n), revision: 1, type: 'DisbursementSent', data: { payrollRunId: run, attempt: 1 } }) };
    // One in twenty paid late, the rest on the 5th.
    const paid = {
      count: PEOPLE,
      event: (n: number) => ({
        stream: stream(n),
        revision: 2,
        type: 'DisbursementPaid',
        data: { attempt: 1, providerReference: `FT${p}${n}`, paidAt: n % 20 === 0 ? `${period}-15T09:00:00+07:00` : `${period}-05T09:00:00+07:00`, amount: amountOf(n), daysLate: n % 20 === 0 ? 5 : 0 },
      }),
    };
    return p < PERIODS.length - 1 ? [scheduled, sent, paid] : [scheduled, sent];
  }),
];
const TOTAL_EVENTS = steps.reduce((sum, step) => sum + step.count, 0);

function eventAt(position: number): RecordedEvent {
  let offset = position;
  for (const step of steps) {
    if (offset < step.count) {
      const { stream, revision, type, data } = step.event(offset);
      return {
        id: randomUUID(),
        type,
        schemaVersion: schemaVersionOf(type),
        data: data as RecordedEvent['data'],
        metadata: METADATA,
        streamName: stream,
        streamRevision: BigInt(revision),
        globalPosition: BigInt(position),
        recordedAt: new Date('2024-09-01T02:00:00Z'),
      };
    }
    offset -= step.count;
  }
  throw new Error(`no event at ${position}`);
}

/** The log as the rebuild reads it, made on the fly: the rebuild asks for nothing but pages of the whole log. */
const province = {
  async readAll({ after, maxCount }: { after?: bigint; maxCount?: number }) {
    const from = after === undefined ? 0 : Number(after) + 1;
    const to = Math.min(TOTAL_EVENTS, from + (maxCount ?? 5_000));
    return Array.from({ length: Math.max(0, to - from) }, (_, index) => eventAt(from + index));
  },
} as unknown as EventStore;

// ---------------------------------------------------------------------------------------------

interface Measured {
  readonly answered: number;
  readonly p50: number;
  readonly p99: number;
}

/** READERS loops, each asking again as soon as it is answered; latencies in ms. */
async function underLoad(ask: (reader: number, round: number) => Promise<unknown>): Promise<Measured> {
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1_000;
  await Promise.all(
    Array.from({ length: READERS }, async (_, reader) => {
      for (let round = 0; Date.now() < until; round++) {
        const started = process.hrtime.bigint();
        await ask(reader, round);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))]!;
  return { answered: latencies.length, p50: at(0.5), p99: at(0.99) };
}

async function measure(label: string, store: ReadModelStore): Promise<Array<Array<string | number>>> {
  const projected = await timed(() =>
    rebuildReadModels(province, store, {
      onProgress: (events) => {
        if (events % 500_000 < (store.rebuildBatchSize ?? 5_000)) process.stderr.write(`\r${label}: projected ${events.toLocaleString('en-US')} of ${TOTAL_EVENTS.toLocaleString('en-US')} events   `);
      },
    }),
  );
  process.stderr.write(`\r${label}: projected ${TOTAL_EVENTS.toLocaleString('en-US')} events in ${projected.seconds.toFixed(0)} s${' '.repeat(20)}\n`);
  const queries = new ReadModelQueries(store);
  const person = (reader: number, round: number) => (reader * 7_919 + round * 104_729) % PEOPLE;
  const reports: Array<[string, (reader: number, round: number) => Promise<unknown>]> = [
    ['coverage (first page, current period)', () => queries.coverage({ limit: 100 }, CURRENT_PERIOD)],
    ['monthly summary (first page, one period)', (reader, round) => queries.summary({ period: PERIODS[(reader + round) % PERIODS.length], limit: 100 })],
    ['late payments of a district (first page)', (reader, round) => queries.latePayments({ units: [UNITS[(reader + round) % UNITS.length]!], limit: 100 }, TODAY)],
    [
      "a person's page (record and disbursements)",
      async (reader, round) => {
        const id = beneficiaryId(person(reader, round));
        return Promise.all([queries.beneficiary(id), queries.disbursements({ beneficiaryId: id, limit: 100 }, TODAY)]);
      },
    ],
  ];
  const rows: Array<Array<string | number>> = [];
  for (const [name, ask] of reports) {
    await ask(0, 0); // once, so the first answer's plan and cache are not the figure
    const { answered, p50, p99 } = await underLoad(ask);
    rows.push([`${label}: ${name}`, formatRate(answered / SECONDS), p50.toFixed(1), p99.toFixed(1), p99 <= TARGET_P99_MS ? 'met' : 'missed']);
    process.stderr.write(`${label}: ${name}: p99 ${p99.toFixed(1)} ms\n`);
  }
  return rows;
}

const rows: Array<Array<string | number>> = [];
const load = loadavg()[0]!.toFixed(2);
if (STORES.has('sqlite')) {
  const db = new Database(join(scratchDirectory('reports'), 'read-models.sqlite'));
  db.pragma('journal_mode = WAL');
  const store = new SqliteReadModelStore(db);
  rows.push(...(await measure('SQLite', store)));
  db.close();
}
if (STORES.has('postgres')) {
  const availability = await postgresAvailability();
  if (!availability.available) {
    console.error(`PostgreSQL rows left out: ${availability.reason}`);
  } else {
    const schema = `bench_reports_${process.pid}`;
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema, maxConnections: READERS });
    try {
      rows.push(...(await measure('PostgreSQL', store)));
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  }
}
printTable(
  `Reports on the read models of ${PEOPLE.toLocaleString('en-US')} people (${TOTAL_EVENTS.toLocaleString('en-US')} events projected), ${READERS} readers at once, ${SECONDS} s each; ${machineLine()}; load average ${load} at the start`,
  ['report', 'answers/s', 'p50 ms', 'p99 ms', `p99 ≤ ${TARGET_P99_MS} ms`],
  rows,
);
