// npm run bench:imports — a bank's result file of 100,000 payments applied to a sent payroll run on
// the embedded default (SQLite, WAL, synchronous=FULL): every line durable, its outcome recorded,
// through the same import service and command handlers as POST /v1/bank-results.
import 'reflect-metadata';
import { join } from 'node:path';
import { type LocalDate, type Period } from '../libs/domain/src/index.js';
import { SqliteEventStore } from '../libs/event-store/src/index.js';
import { bankResultsCsv, camt054Notification, type PaymentResult } from '../libs/payment-files/src/index.js';
import { handWiredCommands } from '../apps/ledger-api/src/demo/hand-wired-commands.js';
import { FileImports } from '../apps/ledger-api/src/imports/file-imports.js';
import { BeneficiaryIds } from '../apps/ledger-api/src/ledger/beneficiary-ids.js';
import { loadCatalogues } from '../apps/ledger-api/src/ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../apps/ledger-api/src/ledger/ledger-identifiers.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../apps/ledger-api/src/payroll-runs/payroll-run.commands.js';
import { benchContext, personEnrollment, enrollWithBankAccounts, formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const csvLines = Number(process.env.BENCH_LINES ?? 100_000);
/** The camt.054 row parses XML: a smaller file unless asked, its rate is what compares. */
const xmlPayments = Number(process.env.BENCH_XML_LINES ?? 20_000);
const payments = csvLines + xmlPayments;
const catalogues = loadCatalogues();
const units = catalogues.units.codes().filter((code) => code !== '91');
const store = SqliteEventStore.open(join(scratchDirectory('imports'), 'ledger.sqlite'));
const identifiers = new LedgerIdentifiers('bench-imports-key');
const commands = handWiredCommands(store, catalogues, identifiers);

// A province paid by bank: every person with an open, verified account.
process.stdout.write(`enrolling ${payments.toLocaleString('en-US')} beneficiaries with bank accounts… `);
await enrollWithBankAccounts(store, payments, (n) =>
  personEnrollment(n, { unitCode: units[n % units.length]!, program: 'SOCIAL_ASSISTANCE', coefficient: 1000 + (n % 5) * 250, effectiveFrom: '2024-04' as Period }),
);
console.log('done');

process.stdout.write('scheduling, approving and sending the April run… ');
const run = await commands.execute(new SchedulePayrollCommand({ period: '2024-04' as Period, program: null, unitCode: null }, benchContext('maker')));
await commands.execute(new ApprovePayrollRunCommand(run.runId, benchContext('checker')));
await commands.execute(new SendPayrollRunCommand(run.runId, benchContext('maker')));
const sent: Array<{ disbursementId: string; amount: number }> = [];
for await (const { streamName, events } of store.readCategory('disbursement')) {
  const scheduled = events.find((event) => event.type === 'DisbursementScheduled')!;
  sent.push({ disbursementId: streamName.slice('disbursement-'.length), amount: (scheduled.data as { amount: number }).amount });
}
console.log(`${sent.length.toLocaleString('en-US')} sent`);

const imports = new FileImports({ store, commands, catalogues, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });
const results = (from: number, count: number): PaymentResult[] =>
  sent.slice(from, from + count).map(({ disbursementId, amount }) => ({ disbursementId, outcome: 'PAID', amount, date: '2024-04-10' as LocalDate }));

const csv = Buffer.from(bankResultsCsv(results(0, csvLines)), 'utf8');
const xml = Buffer.from(camt054Notification({ messageId: 'BENCH', createdAt: new Date(), reportId: 'BENCH-1', accountNumber: '1200100009999', statementDate: '2024-04-10' as LocalDate }, results(payments - xmlPayments, xmlPayments)), 'utf8');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const first = await timed(() => imports.importPaymentResults('BANK_RESULTS', csv, benchContext('importer')));
const again = await timed(() => imports.importPaymentResults('BANK_RESULTS', csv, benchContext('importer')));
const camt = await timed(() => imports.importPaymentResults('BANK_RESULTS', xml, benchContext('importer')));
clearInterval(sampler);
await store.close();

const applied = (outcome: typeof first) => outcome.result.report.counts.APPLIED;
if (applied(first) !== csvLines || applied(camt) !== xmlPayments) throw new Error(`expected every line applied: ${JSON.stringify(first.result.report.counts)} / ${JSON.stringify(camt.result.report.counts)}`);
if (!again.result.repeat) throw new Error('the same file again was not answered as a repeat');

const row = (name: string, outcome: typeof first, file: Buffer) => [
  name,
  outcome.result.report.lineCount.toLocaleString('en-US'),
  (file.byteLength / 2 ** 20).toFixed(1),
  outcome.seconds.toFixed(2),
  outcome.result.repeat ? '—' : formatRate(outcome.result.report.lineCount / outcome.seconds),
  applied(outcome).toLocaleString('en-US'),
];
printTable(`Result file imports, embedded SQLite (synchronous=FULL) — ${machineLine()}`, ['file', 'lines', 'MiB', 'seconds', 'lines/s', 'applied'], [
  row('bank results CSV, every line PAID', first, csv),
  row('the same file again (a repeat)', again, csv),
  row('camt.054, every entry booked', camt, xml),
]);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
