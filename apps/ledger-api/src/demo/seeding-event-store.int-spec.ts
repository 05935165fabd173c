import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
