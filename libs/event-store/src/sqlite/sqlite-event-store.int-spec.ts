import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { storedJsonOf } from '../event-store.port.js';
import { describeEventStoreContract, event } from '../testing/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-sqlite-contract-'));
const file = join(directory, 'ledger.sqlite');
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStoreContract('SQLite', {
  open: async () => SqliteEventStore.open(file),
  durabilityChild: (streamName, eventId) => ({
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./durability-child.ts', import.meta.url)), file, streamName, eventId],
  }),
});

describe('SQLite event store', () => {
  it('hands back the stored JSON of data and metadata, the very text the parsed event serialises to', async () => {
    const store = SqliteEventStore.open(join(directory, 'stored-json.sqlite'));
    const data = { name: 'Đặng Thị Ánh', amount: 2_055_000, nested: { list: [1, 2.5, -0.125], flag: true }, '10': 'integer-like key' };
    await store.appendToStream('stored-json-1', [{ ...event(), data }], 'no_stream');
    const [read] = await store.readAll();
    expect(storedJsonOf(read!)).toEqual({ data: JSON.stringify(read!.data), metadata: JSON.stringify(read!.metadata) });
    // Not an enumerable property: invisible to comparisons, spreads and serialisation.
    expect(Object.keys(read!)).not.toContain('storedJson');
    expect(storedJsonOf({ ...read! })).toBeUndefined();
    // A stream read to decide on keeps only the parsed event: the text would double what a batch holds.
    const [decidedOn] = await store.readStream('stored-json-1');
    expect(decidedOn).toEqual(read);
    expect(storedJsonOf(decidedOn!)).toBeUndefined();
    await store.close();
  });

  it('opens the file in WAL mode with synchronous=FULL', () => {
    const store = SqliteEventStore.open(join(directory, 'pragmas.sqlite'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    store.db.close();
  });

  it('commits the appends of one event-loop turn together, at one recorded time', async () => {
    const store = SqliteEventStore.open(join(directory, 'group.sqlite'));
    const results = await Promise.all(Array.from({ length: 64 }, (_, n) => store.appendToStream(`group-${n}`, [event()], 'no_stream')));
    const recorded = await store.readAll();
    expect(results.map((r) => r.position)).toEqual(recorded.map((e) => e.globalPosition));
    expect(new Set(recorded.map((e) => e.recordedAt.getTime())).size).toBe(1);
    await store.close();
  });

  it('rolls back only the append whose write fails, keeping its neighbours in the same commit', async () => {
    const store = SqliteEventStore.open(join(directory, 'failing.sqlite'));
    store.db.exec(`CREATE TEMP TRIGGER refuse AFTER INSERT ON events WHEN NEW.type = 'poison'
      BEGIN SELECT RAISE(FAIL, 'disk on fire'); END`);
    const outcomes = await Promise.allSettled([
      store.appendToStream('ok-1', [event()], 'no_stream'),
      store.appendToStream('poisoned', [event('poison')], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect(await store.readStream('poisoned')).toEqual([]);
    await store.close();
  });
});
