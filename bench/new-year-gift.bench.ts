// npm run bench:new-year-gift — a one-off Tết gift to a whole province on the embedded default
// (SQLite, WAL, synchronous=FULL), end to end as an operator does it: the gift's run scheduled for
// its one period, approved by a checker, sent (its payment files recorded), the bank's payment file
// downloaded, and settled from the bank's result file, every line through the same import and
// command handlers as POST /v1/bank-results. BENCH_PEOPLE (1,000,000) people, each enrolled in the gift with a bank account;
// enrolling them is set-up, not timed, and so is the bank making its result file.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AdministrativeUnitCatalogue, ProgramCatalogue, type Catalogues, type LocalDate, type Period } from '../libs/domain/src/index.js';
import { SqliteEventStore } from '../libs/event-store/src/index.js';
import { bankResultsCsv, type PaymentResult } from '../libs/payment-files/src/index.js';
import { handWiredCommands } from '../apps/ledger-api/src/demo/hand-wired-commands.js';
import { FileImports } from '../apps/ledger-api/src/imports/file-imports.js';
import { BeneficiaryIds } from '../apps/ledger-api/src/ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../apps/ledger-api/src/ledger/ledger-identifiers.js';
import { loadLedgerConfig } from '../apps/ledger-api/src/config/ledger-config.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../apps/ledger-api/src/payroll-runs/payroll-run.commands.js';
import { GetPaymentFileHandler, GetPaymentFileQuery } from '../apps/ledger-api/src/payroll-runs/payroll-run.queries.js';
import { benchContext, personEnrollment, enrollWithBankAccounts, formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const people = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const TARGET_SECONDS = 120;
/** The gift's one period: Tết Bính Ngọ fell on 17 February 2026. */
const GIFT_PERIOD = '2026-02' as Period;
const GIFT = {
  code: 'NEW_YEAR_GIFT',
  name: 'Quà Tết Bính Ngọ 2026',
  recurrence: 'ONE_OFF',
  period: GIFT_PERIOD,
  dueDay: 10,
  standardLevels: [{ effectiveFrom: GIFT_PERIOD, amount: 400_000, source: 'bench: a gift of 400,000 đồng a person' }],
};

const config = (file: string) => JSON.parse(readFileSync(join('config', file), 'utf8')) as unknown[];
const catalogues: Catalogues = {
  programs: ProgramCatalogue.fromDefinitions([...config('programs.json'), GIFT]),
  units: AdministrativeUnitCatalogue.fromUnits(config('administrative-units.json')),
};
const units = catalogues.units.codes().filter((code) => code !== '91');
const store = SqliteEventStore.open(join(scratchDirectory('new-year-gift'), 'ledger.sqlite'));
const identifiers = new LedgerIdentifiers('bench-new-year-gift-key');
const commands = handWiredCommands(store, catalogues, identifiers);

process.stdout.write(`enrolling ${people.toLocaleString('en-US')} people in the gift, each with a bank account… `);
await enrollWithBankAccounts(store, people, (n) => personEnrollment(n, { unitCode: units[n % units.length]!, program: GIFT.code, coefficient: 1000, effectiveFrom: GIFT_PERIOD }), {
  openedOn: '2025-12-01' as LocalDate,
  onProgress: (enrolled) => enrolled % 100_000 === 0 && process.stdout.write(`${enrolled.toLocaleString('en-US')} `),
});
console.log('done');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const load = loadavg()[0]!;
const stage = (name: string) => process.stdout.write(`${name}… `);

stage('scheduling the gift');
const scheduled = await timed(() => commands.execute(new SchedulePayrollCommand({ period: GIFT_PERIOD, program: GIFT.code, unitCode: null }, benchContext('maker'))));
console.log(`${scheduled.result.scheduled.toLocaleString('en-US')} scheduled in ${scheduled.seconds.toFixed(1)} s`);
const { runId } = scheduled.result;
stage('approving');
const approved = await timed(() => commands.execute(new ApprovePayrollRunCommand(runId, benchContext('checker'))));
console.log(`${approved.seconds.toFixed(1)} s`);
stage('sending');
const sentRun = await timed(() => commands.execute(new SendPayrollRunCommand(runId, benchContext('maker'))));
console.log(`${sentRun.seconds.toFixed(1)} s`);

stage("the bank's payment file");
const paymentFiles = new GetPaymentFileHandler(store, catalogues, loadLedgerConfig({ ...process.env, LEDGER_DATA_DIR: scratchDirectory('new-year-gift-config') }));
const downloaded = await timed(() => paymentFiles.execute(new GetPaymentFileQuery(runId, 'VBA', 'csv', benchContext('maker').actor)));
console.log(`${(Buffer.byteLength(downloaded.result.content) / 2 ** 20).toFixed(0)} MiB in ${downloaded.seconds.toFixed(1)} s`);

// The bank's side, not the ledger's work: it pays every transfer and answers with its result file.
stage("the bank's result file");
const results: PaymentResult[] = [];
for await (const { streamName, events } of store.readCategory('disbursement')) {
  const scheduledEvent = events.find((event) => event.type === 'DisbursementScheduled')!;
  results.push({ disbursementId: streamName.slice('disbursement-'.length), outcome: 'PAID', amount: (scheduledEvent.data as { amount: number }).amount, date: '2026-02-10' as LocalDate });
}
const file = Buffer.from(bankResultsCsv(results), 'utf8');
results.length = 0;
console.log(`${(file.byteLength / 2 ** 20).toFixed(0)} MiB`);

stage('settling from the result file');
const imports = new FileImports({ store, commands, catalogues, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });
const settled = await timed(() => imports.importPaymentResults('BANK_RESULTS', file, benchContext('importer')));
clearInterval(sampler);
await store.close();
const applied = settled.result.report.counts.APPLIED;
console.log(`${applied.toLocaleString('en-US')} applied in ${settled.seconds.toFixed(1)} s`);
if (scheduled.result.scheduled !== people || applied !== people) {
  throw new Error(`expected every person scheduled and paid: ${scheduled.result.scheduled} scheduled, ${JSON.stringify(settled.result.report.counts)}`);
}

const total = scheduled.seconds + approved.seconds + sentRun.seconds + downloaded.seconds + settled.seconds;
const row = (name: string, seconds: number, count?: number) => [name, seconds.toFixed(1), count === undefined ? '—' : formatRate(count / seconds)];
printTable(
  `New Year gift to ${people.toLocaleString('en-US')} people, embedded SQLite (synchronous=FULL) — ${machineLine()}; load average ${load.toFixed(1)} at the start; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  ['stage', 'seconds', 'per second'],
  [
    row('schedule the gift (one period, one program)', scheduled.seconds, people),
    row('approve (the checker)', approved.seconds),
    row('send (payment files recorded)', sentRun.seconds, people),
    row("the bank's payment file (CSV, downloaded)", downloaded.seconds, people),
    row("settle from the bank's result file", settled.seconds, people),
    row(`end to end (target ≤ ${TARGET_SECONDS} s: ${total <= TARGET_SECONDS ? 'met' : 'missed'})`, total, people),
  ],
);
