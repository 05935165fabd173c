import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

// The same contract with the log checkpointed from a thread of its own from the first append, as a
// store that writes in bulk runs; its durability child is killed with that thread running.
const checkpointedFile = join(directory, 'checkpointed-on-a-thread.sqlite');
describeEventStoreContract('SQLite, checkpoints on a thread', {
  open: async () => SqliteEventStore.open(checkpointedFile, { checkpointOnAThreadAfter: 0 }),
  durabilityChild: (streamName, eventId) => ({
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./durability-child.ts', import.meta.url)), checkpointedFile, streamName, eventId, 'checkpoints-on-a-thread'],
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

  describe('checkpoints', () => {
    /** 3,000 events of about 4 KiB: some 12 MiB of log, below the 10,000 pages (40 MiB) at which the writer checkpoints itself. */
    const writeAFewMegabytes = async (store: SqliteEventStore) => {
      const data = { text: 'x'.repeat(4_000) };
      for (let wave = 0; wave < 10; wave++) {
        await Promise.all(Array.from({ length: 300 }, (_, n) => store.appendToStream(`bulk-${wave}-${n}`, [{ ...event(), data }], 'no_stream')));
      }
    };
    const until = async (condition: () => boolean) => {
      for (const started = Date.now(); !condition() && Date.now() - started < 10_000; ) await new Promise((resolve) => setTimeout(resolve, 50));
      return condition();
    };

    it('are made on a thread of their own once the store writes in bulk: the database file takes the log in while the writer goes on', async () => {
      const path = join(directory, 'bulk-checkpointed.sqlite');
      const store = SqliteEventStore.open(path, { checkpointOnAThreadAfter: 1_000 });
      const emptyFile = statSync(path).size;
      await writeAFewMegabytes(store);
      // Nothing on this connection copies the log below its backstop: only the thread can have grown the file.
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(100_000);
      expect(await until(() => statSync(path).size > emptyFile + 10 * 2 ** 20)).toBe(true);
      expect(await store.readStream('bulk-9-299')).toHaveLength(1);
      await store.close();
      // The thread's connection is the file's last: closing it checkpoints the log whole and removes it.
      expect(existsSync(`${path}-wal`)).toBe(false);
    });

    it('let a process that closes its store carry on and end of itself: closing waits for the thread, which does not hold the process up before', () => {
      const script = `
        import { SqliteEventStore } from ${JSON.stringify(fileURLToPath(new URL('./sqlite-event-store.ts', import.meta.url)))};
        const store = SqliteEventStore.open(${JSON.stringify(join(directory, 'closing.sqlite'))}, { checkpointOnAThreadAfter: 0 });
        await store.appendToStream('closing-1', [{ id: crypto.randomUUID(), type: 'closed', schemaVersion: 1, data: {}, metadata: {} }], 'no_stream');
        // Time for a thread that failed to start to have said so (the writer's checkpoint back at 10,000 pages).
        await new Promise((resolve) => setTimeout(resolve, 300));
        console.log('thread running:', store.db.pragma('wal_autocheckpoint', { simple: true }) === 100000);
        await store.close();
        console.log('after close');`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect({ status: child.status, stdout: child.stdout.trim() }).toEqual({ status: 0, stdout: 'thread running: true\nafter close' });
    });

    it('stay on the writer for a store that writes little, with no thread started', async () => {
      const path = join(directory, 'little-checkpointed.sqlite');
      const store = SqliteEventStore.open(path, { checkpointOnAThreadAfter: Infinity });
      const emptyFile = statSync(path).size;
      await writeAFewMegabytes(store);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      expect(statSync(path).size).toBe(emptyFile);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(10 * 2 ** 20);
      await store.close();
    });
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
