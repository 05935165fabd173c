import { parseArgs } from 'node:util';
import { rebuildReadModels, recordedChainHead } from '@ledger/read-models';
import { progressBar, withLedgerStorage } from '../../audit/offline-tools.js';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

/**
 * Rebuilds every read model (the audit chain with them) from the first event, batch by batch, each
 * batch with its checkpoint in one transaction. The API and the projector must be stopped: two
 * projectors writing the same read models would overwrite each other's checkpoint.
 */
export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'rebuild the read models and the audit chain from zero (stop the API and the projector first)',
  usage: `rebuild [--batch 5000]
    --batch   events per read-model transaction (default: 5000 into SQLite, 2500 into PostgreSQL)
  Stop the API and the projector first: they would write the same read models meanwhile.`,

  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { batch: { type: 'string' } }, strict: true, allowPositionals: false });
    const batchSize = values.batch === undefined ? undefined : Number(values.batch);
    if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) throw new UsageError('--batch must be a positive whole number.');
    const config = loadLedgerConfig(io.env);
    return withLedgerStorage(config, async ({ eventStore, readModels }) => {
      const head = await eventStore.headPosition();
      io.err(`Rebuilding the read models from the log (up to position ${head})…`);
      const started = performance.now();
      // Positions, not counts, measure the way: EventStoreDB's positions are byte offsets, not event numbers.
      const bar = progressBar('read models [{bar}] {percentage}% | position {value}/{total} | {events} events | ETA {eta_formatted}', Number(head), { events: 0 });
      let result;
      try {
        result = await rebuildReadModels(eventStore, readModels, { ...(batchSize === undefined ? {} : { batchSize }), onProgress: (events, position) => bar.update(Number(position), { events }) });
      } finally {
        bar.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const chain = await recordedChainHead(readModels);
      io.out(
        `Rebuilt the read models from ${result.events.toLocaleString('en-US')} events up to position ${result.position} in ${seconds.toFixed(1)} s ` +
          `(${Math.round(result.events / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s); audit chain head ${chain.hash}.`,
      );
      return EXIT_OK;
    });
  },
};
