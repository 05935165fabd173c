import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, SqliteEventStore } from '@ledger/event-store';
import type { LedgerConfig } from '../config/ledger-config.js';
import { resolveBeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { demoResultFilesDirectory, writeDemoResultFiles } from './demo-result-files.js';
import { handWiredCommands } from './hand-wired-commands.js';
import type { SeedWorkerMessage } from './seed-in-worker.js';
import { seedDemo } from './seed-demo.js';
import { SeedingEventStore } from './seeding-event-store.js';

/**
 * The demo seed in a worker thread (see seed-in-worker.ts): the ledger's command handlers, wired by
 * hand as the CLI wires them, on a connection of its own to the embedded store.
 */
async function seedTheDemo(config: LedgerConfig): Promise<void> {
  const store = openEventStore(config);
  if (!(store instanceof SqliteEventStore)) throw new Error('The demo is seeded in a worker only into the embedded SQLite store');
  try {
    const identifiers = LedgerIdentifiers.fromConfig(config);
    // Recorded by the API before it started this worker: read here, never chosen.
    const beneficiaryIds = await resolveBeneficiaryIds(store, identifiers);
    const seeding = await SeedingEventStore.over(store);
    // Each group commit waits for the disk (synchronous=FULL), as every append of the ledger does: a
    // seed makes only about 160 of them, thousands of commands each, so relaxing it would save little.
    const report = await seedDemo({
      commands: handWiredCommands(seeding, loadCatalogues(), identifiers),
      store: seeding,
      beneficiaryIds,
      onProgress: (progress) => post({ kind: 'progress', progress }),
    });
    const task = 'Result files about March, to import';
    post({ kind: 'progress', progress: { task, done: 0, total: 0, detail: 'writing' } });
    const files = await writeDemoResultFiles(seeding, demoResultFilesDirectory(config.dataDirectory));
    post({ kind: 'progress', progress: { task, done: files.length, total: files.length } });
    post({ kind: 'seeded', commands: report.commands, seconds: report.seconds });
  } finally {
    await store.close();
  }
}

const post = (message: SeedWorkerMessage) => parentPort!.postMessage(message);

await seedTheDemo((workerData as { config: LedgerConfig }).config);
