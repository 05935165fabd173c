import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { openEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { ConfigurationError, loadLedgerConfig, type LedgerConfig } from './config/ledger-config.js';
import { demoSeedStatus, type DemoSeedStatus } from './demo/demo-seed-status.js';
import { seedDemoInWorker, type SeedInWorker } from './demo/seed-in-worker.js';
import { SeedProgressPrinter } from './demo/seed-progress.js';
import { resolveBeneficiaryIds, StoreIdentityMismatch, type BeneficiaryIds } from './ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from './ledger/ledger-identifiers.js';
import { logLevelFrom, prettyDestination, type LogLevel } from './platform/logging/ledger-logger.js';

let config: LedgerConfig;
let logLevel: LogLevel;
try {
  config = loadLedgerConfig();
  logLevel = logLevelFrom();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// How this store derives beneficiary ids, read from it (or recorded in it, when it is new) before
// anything else: the demo seed, the banner and the enroll route all derive ids with it.
const eventStore = openEventStore(config);
let beneficiaryIds: BeneficiaryIds;
try {
  beneficiaryIds = await resolveBeneficiaryIds(eventStore, LedgerIdentifiers.fromConfig(config));
} catch (error) {
  if (!(error instanceof StoreIdentityMismatch)) throw error;
  console.error(error.message);
  await eventStore.close();
  process.exit(1);
}

// The demo's status is read before Nest boots: an embedded store that needs seeding is seeded from
// a worker thread meanwhile (seed-in-worker.ts), the slowest part of a first start.
let demo: DemoSeedStatus | undefined = config.production ? undefined : await demoSeedStatus(eventStore, beneficiaryIds);
if (config.seedDemo) demo ??= await demoSeedStatus(eventStore, beneficiaryIds);
const demoToSeed = demo?.status === 'EMPTY' || demo?.status === 'UNFINISHED' ? demo : undefined;
const seedingBeside = demoToSeed && config.seedDemo && eventStore instanceof SqliteEventStore ? startSeeding(demoToSeed) : undefined;
// Awaited once Nest is up: a seed that fails meanwhile is reported there, not as an unhandled rejection.
seedingBeside?.catch(() => undefined);

// Nest and the rest of the API are loaded only now (a second or two of module loading): the seed's
// worker, started above, loads its own modules and begins seeding on the other core meanwhile.
const [
  { NestFactory },
  { CommandBus },
  { AppModule },
  { demoBanner },
  { demoResultFilesDirectory, writeDemoResultFiles },
  { seedDemo },
  { EVENT_STORE },
  { AccessTokens },
  { configureLedgerHttp, LEDGER_APP_OPTIONS, ledgerHttpAdapter },
  { setupOpenApi },
  { ReadModelFreshness },
] = await Promise.all([
  import('@nestjs/core'),
  import('@nestjs/cqrs'),
  import('./app.module.js'),
  import('./demo/demo-banner.js'),
  import('./demo/demo-result-files.js'),
  import('./demo/seed-demo.js'),
  import('./ledger.tokens.js'),
  import('./platform/auth/access-tokens.js'),
  import('./platform/http/configure-http.js'),
  import('./platform/openapi/openapi.js'),
  import('./read-side/read-model-freshness.js'),
]);

// JSON lines on standard output; readable ones on a developer's terminal.
const logging = { level: logLevel, destination: await prettyDestination({ production: config.production }) };
// Nest's start-up lines wait for the pino logger that configureLedgerHttp installs.
const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, { eventStore, beneficiaryIds }), ledgerHttpAdapter(config, logging), {
  ...LEDGER_APP_OPTIONS,
  bufferLogs: true,
});
await configureLedgerHttp(app, config);
setupOpenApi(app);
app.enableShutdownHooks();
// Registers the command handlers on the bus and starts the embedded projector; listening comes
// after the demo is seeded, so nobody is served a half-seeded ledger.
await app.init();

const store = app.get<EventStore>(EVENT_STORE);
if (seedingBeside) demo = await seedingBeside;
else if (demoToSeed && config.seedDemo) demo = await seedThroughTheBus(demoToSeed);
if (config.projector === 'embedded') await readModelsCaughtUp();
await app.listen(config.port, config.host);

const url = await app.getUrl();
if (config.production || !demo) app.getHttpAdapter().getInstance().log.info({ url }, 'Ledger API listening');
else console.log(await demoBanner({ url, config, tokens: app.get(AccessTokens), demo, beneficiaryIds }));

/** Seeds (or finishes seeding) the embedded store's demo from a worker thread, showing progress. */
async function startSeeding(found: DemoSeedStatus): Promise<DemoSeedStatus> {
  let worker: SeedInWorker | undefined;
  await seedInterruptibly(found, `the ledger's command handlers`, (onProgress) => (worker = seedDemoInWorker(config, onProgress)).seeded, () => void worker?.stop());
  return demoSeedStatus(eventStore, beneficiaryIds);
}

/** Seeds (or finishes seeding) the demo through the app's own command bus, showing progress: for a store other than the embedded one. */
async function seedThroughTheBus(found: DemoSeedStatus): Promise<DemoSeedStatus> {
  await seedInterruptibly(found, 'the command bus', async (onProgress) => {
    const report = await seedDemo({ commands: app.get(CommandBus), store, beneficiaryIds, onProgress });
    await writeDemoResultFiles(store, demoResultFilesDirectory(config.dataDirectory));
    return report;
  });
  return demoSeedStatus(store, beneficiaryIds);
}

/**
 * Runs a seed with a progress line; Ctrl-C (or SIGTERM) stops it, and every command carried a
 * deterministic idempotency key, so the next start finishes the job.
 */
async function seedInterruptibly(
  found: DemoSeedStatus,
  through: string,
  seed: (onProgress: SeedProgressPrinter['update']) => Promise<{ commands: number; seconds: number }>,
  onStop: () => void = () => undefined,
): Promise<void> {
  console.log(found.status === 'EMPTY' ? 'Empty data directory: seeding the demo province (Kiên Giang)…' : 'Finishing the demo seed that was interrupted…');
  const progress = new SeedProgressPrinter(process.stdout);
  let stopping = false;
  const stop = () => {
    stopping = true;
    onStop();
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const report = await seed(progress.update);
    progress.finish();
    console.log(`Demo seeded: ${report.commands.toLocaleString('en-US')} commands through ${through} in ${report.seconds.toFixed(1)} s.`);
  } catch (error) {
    progress.finish();
    if (!stopping) throw error;
    console.log('Seeding interrupted; start again to finish it.');
    process.exit(130);
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}


/** Waits until the embedded projector has applied every event, so the first queries see the whole demo. */
async function readModelsCaughtUp(): Promise<void> {
  const freshness = app.get(ReadModelFreshness);
  const head = await store.headPosition();
  if (head < 0n || (await freshness.checkpoint()) >= head) return;
  const progress = new SeedProgressPrinter(process.stdout);
  const task = 'Projecting the read models';
  for (;;) {
    const checkpoint = await freshness.checkpoint();
    progress.update({ task, done: Number(checkpoint + 1n), total: Number(head + 1n), detail: `at position ${checkpoint.toLocaleString('en-US')} of ${head.toLocaleString('en-US')}` });
    if (await freshness.waitFor(head, 500)) break;
  }
  progress.update({ task, done: Number(head + 1n), total: Number(head + 1n), detail: `up to position ${head.toLocaleString('en-US')}` });
  progress.finish();
}
