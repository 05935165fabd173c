import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { firstLedgerEvent, isStoreSetting, recordedStoreSetting, settleStoreSetting, storeSettingStreamName } from './store-settings.js';
import { event } from './testing/event-store.contract.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-store-settings-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
/** Through the port alone, so every adapter keeps its settings alike; EventStoreDB when a server is configured. */
const adapters: Array<[string, () => EventStore]> = [['SQLite', () => SqliteEventStore.open(join(directory, `${randomUUID()}.sqlite`))]];
if (connectionString) adapters.push(['EventStoreDB', () => EventStoreDbEventStore.connect(connectionString)]);

describe.each(adapters)('store settings on the %s event store', (_, open) => {
  // Unique per run: an EventStoreDB server is shared between runs.
  const name = () => `spec-${randomUUID().slice(0, 8)}`;

  it('records a setting once: later proposals read the first one back and write nothing', async () => {
    const store = open();
    try {
      const setting = name();
      expect(await recordedStoreSetting(store, setting)).toBeUndefined();
      expect(await settleStoreSetting(store, setting, async () => ({ scheme: 'A' }))).toEqual({ value: { scheme: 'A' }, recordedNow: true });
      const head = await store.headPosition();
      expect(await settleStoreSetting(store, setting, async () => ({ scheme: 'B' }))).toEqual({ value: { scheme: 'A' }, recordedNow: false });
      expect(await recordedStoreSetting(store, setting)).toEqual({ scheme: 'A' });
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream(storeSettingStreamName(setting))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('gives processes that settle at once, each proposing its own value, the one value recorded first', async () => {
    const store = open();
    try {
      const setting = name();
      const settled = await Promise.all(Array.from({ length: 8 }, (_, index) => settleStoreSetting(store, setting, async () => ({ proposedBy: index % 3 }))));
      expect(new Set(settled.map(({ value }) => JSON.stringify(value))).size).toBe(1);
      expect(settled[0]!.value).toEqual(await recordedStoreSetting(store, setting));
      expect(await store.readStream(storeSettingStreamName(setting))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('a store that holds only its settings', () => {
  it('holds no ledger event yet; the first event of anything else is found past the settings', async () => {
    const store = SqliteEventStore.open(join(directory, 'first-event.sqlite'));
    try {
      expect(await firstLedgerEvent(store)).toBeUndefined();
      await settleStoreSetting(store, 'beneficiary-ids', async () => ({ scheme: 'A' }));
      expect(await firstLedgerEvent(store)).toBeUndefined();
      const fact = event('something-happened');
      await store.appendToStream('beneficiary-1', [fact], 'no_stream');
      const first = await firstLedgerEvent(store);
      expect(first?.id).toBe(fact.id);
      expect(isStoreSetting(first!)).toBe(false);
      expect(isStoreSetting((await store.readAll({ maxCount: 1 }))[0]!)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
