import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '@ledger/event-store';
import { SqliteReadModelStore } from '@ledger/read-models';
import { startProjectorProcess, type ProjectorProcess } from './projector-process.js';
import { writeLedgerHistory } from './testing/ledger-history.js';

/** `name{labels} value` lines and `# TYPE name type` lines of the Prometheus text format. */
function typesAndSamples(text: string) {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n').filter(Boolean)) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    else if (!line.startsWith('#')) samples.set(line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return { types, samples };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the projector process /metrics', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-projector-metrics-'));
  let projector: ProjectorProcess;
  let head: bigint;
  const scrape = async () => typesAndSamples(await (await fetch(`${projector.url}/metrics`)).text());

  beforeAll(async () => {
    const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    new SqliteReadModelStore(store.db); // creates the read-model tables, as the API would
    await writeLedgerHistory(store, 50, ['899']);
    head = await store.headPosition();
    await store.close();
    projector = await startProjectorProcess({ host: '127.0.0.1', port: 0, dataDirectory: directory, eventStoreConnectionString: undefined, databaseUrl: undefined, maxBatch: 40, national: undefined });
  }, 30_000);
  afterAll(async () => {
    await projector?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when it has caught up with the log', () => {
    it('says there is no lag, in events and in seconds, and counts what it projected', async () => {
      await until(async () => (await scrape()).samples.get('ledger_projection_lag_events') === 0, 10_000);
      const { samples } = await scrape();
      expect(samples.get('ledger_read_models_checkpoint_position')).toBe(Number(head));
      expect(samples.get('ledger_event_store_head_position')).toBe(Number(head));
      expect(samples.get('ledger_projection_lag_seconds')).toBe(0);
      expect(samples.get('ledger_projector_events_total')).toBe(Number(head));
      expect(samples.get('ledger_projector_failures_total{reason="connection_lost"}')).toBe(0);
    });

    it("follows Prometheus conventions: _total on counters only, Node's process metrics unprefixed", async () => {
      const { types } = await scrape();
      for (const [name, type] of types) expect({ name, counter: type === 'counter' }).toEqual({ name, counter: name.endsWith('_total') });
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_eventloop_lag_seconds']) expect(types.has(name)).toBe(true);
      for (const [name, type] of types) if (type === 'histogram') expect(name).toMatch(/_(seconds|bytes)$/);
    });
  });
});
