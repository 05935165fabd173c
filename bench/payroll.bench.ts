// npm run bench:payroll — one payroll run scheduling a province of 100,000 beneficiaries on the
// embedded default (SQLite, WAL, synchronous=FULL) and on the PostgreSQL event store (a scratch
// schema, synchronous_commit on): every disbursement is durable when it returns. Then the same
// period again under another key, which finds every month scheduled.
//
// BENCH_BENEFICIARIES=1000000 for a province of a million (enrolling it takes minutes);
// BENCH_POSTGRES=false for the embedded store alone.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  beneficiaryDecider,
  beneficiaryStreamName,
  eventsToRecord,
  type BeneficiaryCommand,
  type LocalDate,
  type Period,
} from '../libs/domain/src/index.js';
import { NO_STREAM, PostgresEventStore, SqliteEventStore, toEventToAppend, type EventStore } from '../libs/event-store/src/index.js';
import { dropSchema, postgresUrl } from '../libs/read-models/src/testing/postgres-scratch.js';
import { loadCatalogues } from '../apps/ledger-api/src/ledger/ledger-catalogues.js';
import { SchedulePayrollCommand } from '../apps/ledger-api/src/payroll-runs/payroll-run.commands.js';
import { SchedulePayrollHandler } from '../apps/ledger-api/src/payroll-runs/schedule-payroll.handler.js';
import { personEnrollment, formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const beneficiaries = Number(process.env.BENCH_BENEFICIARIES ?? 100_000);
const catalogues = loadCatalogues();
const units = catalogues.units.codes().filter((code) => code !== '91');
const rows: Array<Array<string | number>> = [];

async function benchOn(storeName: string, store: EventStore): Promise<void> {
  // A province: two thirds social assistance, one third meritorious; a third paid by bank.
  process.stdout.write(`${storeName}: enrolling ${beneficiaries.toLocaleString('en-US')} beneficiaries… `);
  const metadata = { actorId: 'bench', actorRole: 'admin', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
  for (let start = 0; start < beneficiaries; start += 5_000) {
    await Promise.all(
      Array.from({ length: Math.min(5_000, beneficiaries - start) }, async (_, offset) => {
        const n = start + offset;
        const enroll = personEnrollment(n, {
          unitCode: units[n % units.length]!,
          program: n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE',
          coefficient: 1000 + (n % 5) * 250,
          effectiveFrom: '2024-04' as Period,
        });
        const { beneficiaryId } = enroll.data;
        const events: BeneficiaryCommand[] = [enroll];
        if (n % 3 === 1) {
          events.push({ type: 'OpenPaymentAccount', data: { accountId: randomUUID(), bankCode: 'VBA', accountNumber: `77002${String(n).padStart(8, '0')}`, holderName: 'NGUYEN VAN AN', openedOn: '2024-03-01' as LocalDate, openedBy: 'bench-operator', sharedWithAnotherBeneficiary: false } });
        }
        let state = beneficiaryDecider.initialState();
        const recorded = events.flatMap((command) => {
          const decided = eventsToRecord(beneficiaryDecider.decide(command, state));
          state = decided.reduce(beneficiaryDecider.evolve, state);
          return decided;
        });
        await store.appendToStream(beneficiaryStreamName(beneficiaryId), recorded.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }),
    );
  }
  console.log('done');

  const handler = new SchedulePayrollHandler(store, catalogues);
  const context = { actor: { userId: 'bench-operator', role: 'operator' as const, units: ['*'] }, correlationId: randomUUID(), causationId: randomUUID(), idempotencyKey: randomUUID(), receivedAt: new Date() };
  // CPU seconds beside wall seconds: on a machine shared with other benchmarks, only the former
  // compare. The peak RSS is the process's while the run works (the store's own memory included
  // for SQLite, not PostgreSQL's); the load average says how shared the machine was.
  const payrollRun = async (idempotencyKey: string) => {
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const before = process.cpuUsage();
    try {
      const { seconds, result } = await timed(() => handler.execute(new SchedulePayrollCommand({ period: '2024-04' as Period, program: null, unitCode: null }, { ...context, idempotencyKey })));
      const { user, system } = process.cpuUsage(before);
      return { seconds, result, cpu: (user + system) / 1e6, peakRss: Math.max(peakRss, process.memoryUsage().rss), load: loadavg()[0]! };
    } finally {
      clearInterval(sampler);
    }
  };
  const first = await payrollRun(context.idempotencyKey);
  if (first.result.scheduled !== beneficiaries) throw new Error(`expected ${beneficiaries} disbursements, scheduled ${first.result.scheduled}`);
  const rerun = await payrollRun(randomUUID());
  if (rerun.result.alreadyScheduled !== beneficiaries) throw new Error(`expected ${beneficiaries} already scheduled, found ${rerun.result.alreadyScheduled}`);
  await store.close();
  const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  rows.push(
    [`${storeName}: first run of the period`, first.seconds.toFixed(2), first.cpu.toFixed(2), formatRate(first.result.scheduled / first.seconds), first.result.scheduled, first.result.alreadyScheduled, mebibytes(first.peakRss), first.load.toFixed(1)],
    [`${storeName}: same period again (schedules nothing)`, rerun.seconds.toFixed(2), rerun.cpu.toFixed(2), '—', rerun.result.scheduled, rerun.result.alreadyScheduled, mebibytes(rerun.peakRss), rerun.load.toFixed(1)],
    [`${storeName}: rerun ÷ first run`, (rerun.seconds / first.seconds).toFixed(2), (rerun.cpu / first.cpu).toFixed(2), '', '', '', '', ''],
  );
  // Said at once as well: at a million beneficiaries, the other store takes many minutes more.
  console.log(`${storeName}: first run ${first.seconds.toFixed(2)} s, rerun ${rerun.seconds.toFixed(2)} s, peak RSS ${mebibytes(Math.max(first.peakRss, rerun.peakRss))} MiB`);
}

await benchOn('SQLite', SqliteEventStore.open(join(scratchDirectory('payroll'), 'ledger.sqlite')));
if (process.env.BENCH_POSTGRES !== 'false') {
  const schema = `bench_payroll_${process.pid}`;
  try {
    await benchOn('PostgreSQL', await PostgresEventStore.open(postgresUrl(), { schema }));
  } finally {
    await dropSchema(schema);
  }
}

printTable(`Payroll run, ${beneficiaries.toLocaleString('en-US')} beneficiaries, embedded SQLite (synchronous=FULL) and the PostgreSQL event store — ${machineLine()}`, ['run', 'seconds', 'CPU seconds (Node)', 'disbursements/s', 'scheduled', 'already scheduled', 'peak RSS MiB', 'load (1 min)'], rows);
