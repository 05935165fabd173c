import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SqliteEventStore, WrongExpectedRevision, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { resolveBeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { handWiredCommands } from './hand-wired-commands.js';
import { demoSeedStatus, seedDemo, type LedgerCommands } from './seed-demo.js';
import { SeedingEventStore } from './seeding-event-store.js';

const IDENTIFIERS = new LedgerIdentifiers('seeding-store-spec-identifier-key-0123456789');
/** About 600 beneficiaries: every part of the story, in a few seconds. */
const SCALE = 0.03;

const directories: string[] = [];
const openScratchStore = () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-seeding-'));
  directories.push(directory);
  return SqliteEventStore.open(join(directory, 'ledger.sqlite'));
};

/** What a seed leaves, without what the store stamps at commit (position, time): each event's id, type, data and metadata, in log order. */
const contentOf = (events: readonly RecordedEvent[]) =>
  events.map(({ id, type, schemaVersion, data, metadata, streamName, streamRevision }) => ({ id, type, schemaVersion, data, metadata, streamName, streamRevision }));

async function seeded(through: (store: SqliteEventStore) => Promise<EventStore>): Promise<SqliteEventStore> {
  const store = openScratchStore();
  const beneficiaryIds = await resolveBeneficiaryIds(store, IDENTIFIERS);
  const seeding = await through(store);
  await seedDemo({ commands: handWiredCommands(seeding, loadCatalogues(), IDENTIFIERS), store: seeding, beneficiaryIds, scale: SCALE });
  return store;
}

let direct: SqliteEventStore;
let throughTheCopy: SqliteEventStore;

beforeAll(async () => {
  direct = await seeded(async (store) => store);
  throughTheCopy = await seeded((store) => SeedingEventStore.over(store));
}, 120_000);

afterAll(async () => {
  await Promise.all([direct?.close(), throughTheCopy?.close()]);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('when the demo is seeded through the seeding store', () => {
  it('leaves the very log a seed straight into the store leaves: the same events, in the same order', async () => {
    const [expected, actual] = await Promise.all([direct.readAll(), throughTheCopy.readAll()]);
    expect(actual.length).toBe(expected.length);
    expect(contentOf(actual)).toEqual(contentOf(expected));
  });

  it('leaves the demo seeded', async () => {
    expect(await demoSeedStatus(throughTheCopy, await resolveBeneficiaryIds(throughTheCopy, IDENTIFIERS))).toEqual({ status: 'SEEDED', scale: SCALE });
  });
});

describe('when a stream changed in the store behind its copy', () => {
  it('refuses an append decided on the copy, and reads the stream from the store again', async () => {
    const store = openScratchStore();
    try {
      const seeding = await SeedingEventStore.over(store);
      const event = (id: string) => ({ id, type: 'Noted', schemaVersion: 1, data: { id }, metadata: {} });
      await seeding.appendToStream('note-1', [event('00000000-0000-4000-8000-000000000001')], 'no_stream');
      expect(await seeding.readStream('note-1')).toHaveLength(1);

      await store.appendToStream('note-1', [event('00000000-0000-4000-8000-000000000002')], 0n);
      await expect(seeding.appendToStream('note-1', [event('00000000-0000-4000-8000-000000000003')], 0n)).rejects.toThrow(WrongExpectedRevision);
      expect((await seeding.readStream('note-1')).map((recorded) => recorded.id)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    } finally {
      await store.close();
    }
  });
});

describe('when many streams are read at once (readStreams)', () => {
  const event = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: 'Noted', schemaVersion: 1, data: { n }, metadata: {} });
  const idsOf = (read: Map<string, RecordedEvent[]>) => new Map([...read].map(([streamName, events]) => [streamName, events.map((recorded) => recorded.id)]));

  it('gives what the store gives, reading the streams it does not know in one call, and then knows them', async () => {
    const store = openScratchStore();
    try {
      // More than it reads whole at the start: it knows no stream until it reads it.
      await store.appendToStreams(Array.from({ length: 1_001 }, (_, n) => ({ streamName: `note-${n}`, events: [event(n)], expectedRevision: 'no_stream' as const })));
      await store.appendToStream('note-0', [event(5_000)], 0n);
      const seeding = await SeedingEventStore.over(store);
      const names = ['note-0', 'note-1', 'note-absent', 'note-2', 'note-1'];
      const fromStore = jest.spyOn(store, 'readStreams');
      const readStream = jest.spyOn(store, 'readStream');

      expect(idsOf(await seeding.readStreams(names))).toEqual(idsOf(await store.readStreams(names)));
      expect(fromStore).toHaveBeenCalledTimes(2);
      expect(fromStore.mock.calls[0]![0]).toEqual(['note-0', 'note-1', 'note-absent', 'note-2']);

      await seeding.appendToStream('note-1', [event(5_001)], 0n);
      fromStore.mockClear();
      expect(idsOf(await seeding.readStreams(names))).toEqual(idsOf(await store.readStreams(names)));
      expect((await seeding.readStreams(['note-1'])).get('note-1')!.map((recorded) => recorded.data['n'])).toEqual([1, 5_001]);
      expect(fromStore).toHaveBeenCalledTimes(1);
      expect(readStream).not.toHaveBeenCalled();
    } finally {
      await store.close();
    }
  });

  it('reads again from the store a stream that changed behind its copy', async () => {
    const store = openScratchStore();
    try {
      const seeding = await SeedingEventStore.over(store);
      await seeding.appendToStream('note-1', [event(1)], 'no_stream');
      await store.appendToStream('note-1', [event(2)], 0n);
      expect(idsOf(await seeding.readStreams(['note-1', 'note-2']))).toEqual(new Map([['note-1', [event(1).id]]]));

      await expect(seeding.appendToStream('note-1', [event(3)], 0n)).rejects.toThrow(WrongExpectedRevision);
      expect(idsOf(await seeding.readStreams(['note-1', 'note-2']))).toEqual(new Map([['note-1', [event(1).id, event(2).id]]]));
    } finally {
      await store.close();
    }
  });
});

describe('when it starts on a seed that was interrupted', () => {
  it('reads each stream from the store, and finishes the seed as the store alone would', async () => {
    const store = openScratchStore();
    try {
      const beneficiaryIds = await resolveBeneficiaryIds(store, IDENTIFIERS);
      const handlers = handWiredCommands(store, loadCatalogues(), IDENTIFIERS);
      let allowed = 2_000;
      const failingMidway: LedgerCommands = { execute: (command) => (allowed-- > 0 ? handlers.execute(command) : Promise.reject(new Error('power cut'))) };
      await expect(seedDemo({ commands: failingMidway, store, beneficiaryIds, scale: SCALE })).rejects.toThrow('power cut');
      // The wave's commands already in flight land; only then is the seed started again, as after a restart.
      for (let head = -2n; head !== (await store.headPosition()); ) {
        head = await store.headPosition();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      const seeding = await SeedingEventStore.over(store);
      const finished = await seedDemo({ commands: handWiredCommands(seeding, loadCatalogues(), IDENTIFIERS), store: seeding, beneficiaryIds });
      expect(finished.status).toBe('FINISHED');
      expect(contentOf(await store.readAll()).map(({ id, streamName }) => `${streamName}/${id}`).sort()).toEqual(
        contentOf(await direct.readAll()).map(({ id, streamName }) => `${streamName}/${id}`).sort(),
      );
    } finally {
      await store.close();
    }
  }, 60_000);
});
