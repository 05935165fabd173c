// npm run bench:hub — a province's log through NATS JetStream into the national hub's PostgreSQL:
// people enrolled with bank accounts, a month scheduled, sent and settled from the bank's result
// file, then the publisher (as the ledger runs it) and the hub (as main.ts runs it) started on a
// NATS server and a PostgreSQL schema of their own, each in its own process as in production (the
// hub compiled, as `npm run build` makes it). Counts integration events per second end to end (from
// the first publish to the hub having committed the last event to PostgreSQL), and each side alone.
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { type LocalDate, type Period } from '../libs/domain/src/index.js';
import { SqliteEventStore } from '../libs/event-store/src/index.js';
import { IntegrationPublisher, SqlitePublisherCheckpoints } from '../libs/integration-events/src/index.js';
import { startScratchNatsServer } from '../libs/integration-events/src/testing/nats-server.js';
import { bankResultsCsv, type PaymentResult } from '../libs/payment-files/src/index.js';
import { dropSchema, postgresUrl } from '../libs/read-models/src/testing/postgres-scratch.js';
import { handWiredCommands } from '../apps/ledger-api/src/demo/hand-wired-commands.js';
import { FileImports } from '../apps/ledger-api/src/imports/file-imports.js';
import { BeneficiaryIds } from '../apps/ledger-api/src/ledger/beneficiary-ids.js';
import { loadCatalogues } from '../apps/ledger-api/src/ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../apps/ledger-api/src/ledger/ledger-identifiers.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../apps/ledger-api/src/payroll-runs/payroll-run.commands.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { INTEGRATION_EVENTS_STREAM } from '../libs/integration-events/src/index.js';
import { buildApi } from '../test/crash/support/ledger-process.js';
import { startHub } from '../test/national/support/national-kit.js';
import { benchContext, personEnrollment, enrollWithBankAccounts, formatRate, machineLine, printTable, scratchDirectory } from './bench-kit.js';


const people = Number(process.env.BENCH_PEOPLE ?? 60_000);
const catalogues = loadCatalogues();
const units = catalogues.units.codes().filter((code) => code !== '91');
const store = SqliteEventStore.open(join(scratchDirectory('hub'), 'ledger.sqlite'));
const identifiers = new LedgerIdentifiers('bench-hub-key');
const commands = handWiredCommands(store, catalogues, identifiers);

process.stdout.write(`a province of ${people.toLocaleString('en-US')} people paid by bank for April 2024… `);
await enrollWithBankAccounts(store, people, (n) =>
  personEnrollment(n, { unitCode: units[n % units.length]!, program: n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE', coefficient: 1000, effectiveFrom: '2024-04' as Period }),
);
const run = await commands.execute(new SchedulePayrollCommand({ period: '2024-04' as Period, program: null, unitCode: null }, benchContext('maker')));
await commands.execute(new ApprovePayrollRunCommand(run.runId, benchContext('checker')));
await commands.execute(new SendPayrollRunCommand(run.runId, benchContext('maker')));
const results: PaymentResult[] = [];
for await (const { events } of store.readCategory('disbursement')) {
  const { disbursementId, amount } = events[0]!.data as { disbursementId: string; amount: number };
  results.push({ disbursementId, outcome: 'PAID', amount, date: '2024-04-10' as LocalDate });
}
const imports = new FileImports({ store, commands, catalogues, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });
await imports.importPaymentResults('BANK_RESULTS', Buffer.from(bankResultsCsv(results), 'utf8'), benchContext('importer'));
const head = await store.headPosition();
console.log(`${(head + 1n).toLocaleString('en-US')} events in the log`);

process.stdout.write('compiling the hub… ');
const hubMain = buildApi().main.replace(join('apps', 'ledger-api', 'src', 'main.js'), join('apps', 'national-hub', 'src', 'main.js'));
console.log('done');
const nationalKey = 'bench-national-key-0123456789abcdef';

/**
 * One stage on a NATS server and a hub schema of its own, the publisher starting from the beginning
 * of the log: with the hub consuming as events arrive (end to end), or with the hub started only
 * once everything is in JetStream (each side alone).
 */
async function stage(hubStarts: 'with the publisher' | 'after the publisher') {
  const nats = await startScratchNatsServer();
  const schema = `bench_hub_${process.pid}_${hubStarts === 'with the publisher' ? 'pipelined' : 'apart'}`;
  const hubEnv = { NATS_URL: nats.url, HUB_DATABASE_URL: postgresUrl(), HUB_DATABASE_SCHEMA: schema, LOG_LEVEL: 'warn' };
  let hub = hubStarts === 'with the publisher' ? await startHub(hubMain, hubEnv) : undefined;
  const connection = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(connection);
  let integrationEvents = 0;
  // A checkpoint of the stage's own, in memory: each stage publishes the whole log.
  const publisher = new IntegrationPublisher(store, new SqlitePublisherCheckpoints(new Database(':memory:'), true), { natsUrl: nats.url, province: '91', nationalKey, onPublished: (count) => (integrationEvents += count) });
  try {
    const started = process.hrtime.bigint();
    await publisher.start();
    await publisher.publishedUpTo(head);
    const published = Number(process.hrtime.bigint() - started) / 1e9;
    const { state } = await jsm.streams.info(INTEGRATION_EVENTS_STREAM);
    const hubStarted = process.hrtime.bigint();
    hub ??= await startHub(hubMain, hubEnv);
    const hubCheckpoint = async () => Number(((await (await fetch(`${hub!.url}/health/ready`)).json()) as { checkpoint?: number }).checkpoint ?? 0);
    while ((await hubCheckpoint()) < state.last_seq) await new Promise((resolve) => setTimeout(resolve, 20));
    const finished = process.hrtime.bigint();
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    const applied = Number(/^hub_events_total\{outcome="applied"\} (\d+)/m.exec(metrics)?.[1]);
    if (applied !== integrationEvents || state.messages !== integrationEvents) throw new Error(`the hub applied ${applied} integration events of the ${integrationEvents} published (${state.messages} in the stream)`);
    return { published, integrationEvents, hubAlone: Number(finished - hubStarted) / 1e9, endToEnd: Number(finished - started) / 1e9, applied };
  } finally {
    await publisher.stop();
    await connection.close();
    await hub?.stop();
    await nats.dispose();
    await dropSchema(schema);
  }
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
try {
  const pipelined = await stage('with the publisher');
  const apart = await stage('after the publisher');
  clearInterval(sampler);
  const events = (head + 1n).toLocaleString('en-US');
  const rate = (count: number, seconds: number) => formatRate(count / seconds);
  printTable(`Integration events: a province's log → JetStream → the national hub's PostgreSQL — ${machineLine()}`, ['stage', 'ledger events', 'integration events', 'seconds', 'integration events/s'], [
    ['end to end: publisher and hub together, until the hub committed the last', events, pipelined.applied.toLocaleString('en-US'), pipelined.endToEnd.toFixed(2), rate(pipelined.applied, pipelined.endToEnd)],
    ['publisher alone: the log into JetStream, every PubAck in', events, apart.integrationEvents.toLocaleString('en-US'), apart.published.toFixed(2), rate(apart.integrationEvents, apart.published)],
    ['hub alone: that backlog from JetStream into PostgreSQL', '—', apart.applied.toLocaleString('en-US'), apart.hubAlone.toFixed(2), rate(apart.applied, apart.hubAlone)],
  ]);
  console.log(`target ≥ 20,000 integration events/s end to end; the publisher's process peaked at ${(peakRss / 2 ** 20).toFixed(0)} MiB RSS`);
} finally {
  await store.close();
}
