// npm run bench:payroll — one payroll run scheduling a province of 100,000 beneficiaries on the
// embedded default (SQLite, WAL, synchronous=FULL) and on the PostgreSQL event store (a scratch
// schema, synchronous_commit on): every disbursement is durable when it returns. Then the same
// period again under another key: with nobody changed since (it reads nobody again); after 1 % of the
// province changed (half newly enrolled, half suspended: it reads and schedules those); and under
// other catalogues, which it cannot trust the first run under (it reads everyone, finding every
// month scheduled).
//
// BENCH_BENEFICIARIES=1000000 for a province of a million (enrolling it takes minutes);
// BENCH_POSTGRES=false for the embedded store alone.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { beneficiaryIdFor, to, type Period } from '../libs/domain/src/index.js';
import { executeStreamCommand, PostgresEventStore, SqliteEventStore, type EventStore } from '../libs/event-store/src/index.js';
import { dropSchema, postgresUrl } from '../libs/read-models/src/testing/postgres-scratch.js';
import { loadCatalogues } from '../apps/ledger-api/src/ledger/ledger-catalogues.js';
import { SchedulePayrollCommand } from '../apps/ledger-api/src/payroll-runs/payroll-run.commands.js';
import { SchedulePayrollHandler } from '../apps/ledger-api/src/payroll-runs/schedule-payroll.handler.js';
import { enrollWithBankAccounts, personEnrollment, personNationalId, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const beneficiaries = Number(process.env.BENCH_BENEFICIARIES ?? 100_000);
const catalogues = loadCatalogues();
const units = catalogues.units.codes().filter((code) => code !== '91');
const rows: Array<Array<string | number>> = [];

/** People `from … to - 1` of the province: two thirds social assistance, one third meritorious; a third paid by bank. */
function enroll(store: EventStore, from: number, to: number): Promise<void> {
  const enrollment = (n: number) =>
    personEnrollment(n, { unitCode: units[n % units.length]!, program: n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE', coefficient: 1000 + (n % 5) * 250, effectiveFrom: '2024-04' as Period });
  return enrollWithBankAccounts(store, to, enrollment, { first: from, paidByBank: (n) => n % 3 === 1 });
}

async function benchOn(storeName: string, store: EventStore): Promise<void> {
  // A province: two thirds social assistance, one third meritorious; a third paid by bank.
  process.stdout.write(`${storeName}: enrolling ${beneficiaries.toLocaleString('en-US')} beneficiaries… `);
  await enroll(store, 0, beneficiaries);
  console.log('done');

  const context = { actor: { userId: 'bench-operator', role: 'operator' as const, units: ['*'] }, correlationId: randomUUID(), causationId: randomUUID(), idempotencyKey: randomUUID(), receivedAt: new Date() };
  // CPU seconds beside wall seconds: on a machine shared with other benchmarks, only the former
  // compare. The peak RSS is the process's while the run works (the store's own memory included
  // for SQLite, not PostgreSQL's); the load average says how shared the machine was.
  const payrollRun = async (idempotencyKey: string, handler = new SchedulePayrollHandler(store, catalogues)) => {
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
  if (rerun.result.scheduled !== 0 || rerun.result.unchangedSince?.beneficiaries !== beneficiaries) throw new Error(`expected all ${beneficiaries} to stand as the first run left them, found ${JSON.stringify(rerun.result.unchangedSince)}`);

  // 1 % of the province changes: half newly enrolled, half suspended from the period.
  const changing = Math.max(2, Math.round(beneficiaries / 100));
  process.stdout.write(`${storeName}: changing ${changing.toLocaleString('en-US')} beneficiaries… `);
  await enroll(store, beneficiaries, beneficiaries + changing / 2);
  const changeMetadata = { actorId: 'bench', actorRole: 'operator', command: 'SuspendEnrollment', correlationId: randomUUID(), causationId: randomUUID() };
  for (let n = 0; n < changing / 2; n++) {
    const person = n * Math.floor(beneficiaries / (changing / 2));
    const program = person % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE';
    await executeStreamCommand(store, to.beneficiary(beneficiaryIdFor(personNationalId(person)), { type: 'SuspendEnrollment', data: { program, reason: 'Đi khỏi nơi cư trú', effectiveFrom: '2024-04' as Period } }), { metadata: changeMetadata });
  }
  console.log('done');
  const afterChanges = await payrollRun(randomUUID());
  if (afterChanges.result.scheduled !== changing / 2 || afterChanges.result.unchangedSince?.beneficiaries !== beneficiaries - changing / 2) {
    throw new Error(`expected ${changing / 2} scheduled and ${beneficiaries - changing / 2} unchanged, found ${afterChanges.result.scheduled} and ${JSON.stringify(afterChanges.result.unchangedSince)}`);
  }
  const everyone = await payrollRun(randomUUID(), new SchedulePayrollHandler(store, { ...catalogues, fingerprint: 'edited catalogues' }));
  if (everyone.result.alreadyScheduled !== beneficiaries || everyone.result.unchangedSince !== null) throw new Error(`expected ${beneficiaries} found scheduled, found ${everyone.result.alreadyScheduled}`);
  await store.close();
  const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  const row = (label: string, run: typeof first) => [
    `${storeName}: ${label}`,
    run.seconds.toFixed(2),
    run.cpu.toFixed(2),
    (run.seconds / first.seconds).toFixed(3),
    run.result.scheduled,
    run.result.alreadyScheduled,
    run.result.unchangedSince?.beneficiaries ?? '—',
    mebibytes(run.peakRss),
    run.load.toFixed(1),
  ];
  rows.push(
    row('first run of the period', first),
    row('same period again, nobody changed', rerun),
    row(`same period again, ${changing.toLocaleString('en-US')} changed (1 %)`, afterChanges),
    row('same period again, other catalogues (reads everyone)', everyone),
  );
  // Said at once as well: at a million beneficiaries, the other store takes many minutes more.
  console.log(
    `${storeName}: first run ${first.seconds.toFixed(2)} s; again: nobody changed ${rerun.seconds.toFixed(2)} s, 1 % changed ${afterChanges.seconds.toFixed(2)} s, reading everyone ${everyone.seconds.toFixed(2)} s; peak RSS ${mebibytes(Math.max(first.peakRss, rerun.peakRss, afterChanges.peakRss, everyone.peakRss))} MiB`,
  );
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

printTable(`Payroll run, ${beneficiaries.toLocaleString('en-US')} beneficiaries, embedded SQLite (synchronous=FULL) and the PostgreSQL event store — ${machineLine()}`, ['run', 'seconds', 'CPU seconds (Node)', '÷ first run', 'scheduled', 'already scheduled', 'unchanged since the first', 'peak RSS MiB', 'load (1 min)'], rows);
