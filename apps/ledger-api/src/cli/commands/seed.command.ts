import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eventStoreKindOf, openEventStore } from '@ledger/event-store';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { handWiredCommands } from '../../demo/hand-wired-commands.js';
import { SMALLEST_DEMO_SCALE } from '../../demo/demo-province.js';
import { demoResultFilesDirectory, writeDemoResultFiles } from '../../demo/demo-result-files.js';
import { demoSeedStatus, seedDemo } from '../../demo/seed-demo.js';
import { SeedProgressPrinter } from '../../demo/seed-progress.js';
import { loadCatalogues } from '../../ledger/ledger-catalogues.js';
import { resolveBeneficiaryIds } from '../../ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../../ledger/ledger-identifiers.js';
import { resolveJwtSecret } from '../../platform/auth/jwt-secret.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

/**
 * Seeds the demo province offline, through the same command handlers the API runs (wired by hand:
 * see hand-wired-commands.ts). `npm start` seeds an empty data directory by itself; this is for
 * seeding ahead of time, or another store.
 */
export const seedCommand: CliCommand = {
  name: 'seed',
  summary: 'seed the demo province (Kiên Giang, ~20,000 beneficiaries) into an empty store',
  usage: `seed [--scale 1]
    --scale   a smaller demo, from ${SMALLEST_DEMO_SCALE} to 1 (default 1: about 20,000 beneficiaries and three months of payrolls)
  Seeds LEDGER_DATA_DIR (default ./data), or EventStoreDB when EVENTSTORE_CONNECTION_STRING is set.
  Refuses a store that already holds events, except a demo seed that was interrupted: that one it finishes.`,

  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { scale: { type: 'string' } }, strict: true, allowPositionals: false });
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    if (!(scale >= SMALLEST_DEMO_SCALE && scale <= 1)) throw new UsageError(`--scale must be a number from ${SMALLEST_DEMO_SCALE} to 1.`);

    const config = loadLedgerConfig(io.env);
    const where = { sqlite: join(config.dataDirectory, 'ledger.sqlite'), postgres: 'the PostgreSQL event store', eventstoredb: 'EventStoreDB' }[eventStoreKindOf(config)];
    const store = openEventStore(config);
    try {
      const identifiers = LedgerIdentifiers.fromConfig(config);
      // Recorded in an empty store before the first person is enrolled; the API started on it later reads the same record.
      const beneficiaryIds = await resolveBeneficiaryIds(store, identifiers);
      const found = await demoSeedStatus(store, beneficiaryIds);
      switch (found.status) {
        case 'OTHER_DATA':
          io.err(`${where} already holds events that are not the demo's. The demo is seeded only into an empty store: set LEDGER_DATA_DIR to a new directory.`);
          return EXIT_FAILURE;
        case 'SEEDED':
          io.err(`${where} already holds the demo province; nothing to do. Start the API with npm start.`);
          return EXIT_FAILURE;
        case 'UNFINISHED':
          io.err(`${where} holds a demo seed that was interrupted: finishing it (at its scale, ${found.scale}).`);
          break;
        case 'EMPTY':
          io.err(`Seeding the demo province into ${where}${scale === 1 ? '' : ` at scale ${scale}`}…`);
      }
      // A terminal gets a bar redrawn in place; a pipe or a log gets one line per step.
      const progress = new SeedProgressPrinter(process.stderr.isTTY ? process.stderr : { write: (text: string) => io.err(text.replace(/\n$/, '')) });
      const report = await seedDemo({ commands: handWiredCommands(store, loadCatalogues(), identifiers), store, beneficiaryIds, scale, onProgress: progress.update });
      progress.finish();
      const examples = await writeDemoResultFiles(store, demoResultFilesDirectory(config.dataDirectory));

      const { size } = report.province;
      const people = size.meritorious + size.socialAssistance - size.inBothPrograms;
      io.out(
        `Seeded the demo province into ${where}: ${people.toLocaleString('en-US')} beneficiaries, payroll runs ${report.runs.map((run) => run.period).join(', ')}; ` +
          `${report.commands.toLocaleString('en-US')} commands in ${report.seconds.toFixed(1)} s.`,
      );
      // The API started on this directory verifies with this secret, so tokens minted now work there.
      if (!config.jwtSecret) resolveJwtSecret(config);
      io.err(`Result files about the demo's March payments, to import with import-results: ${examples.map((example) => example.file).join(', ')}.`);
      io.err('Start the API on it with npm start (same LEDGER_DATA_DIR): it prints a token for each role and commands to try.');
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
