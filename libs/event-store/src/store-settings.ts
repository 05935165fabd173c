import { uuidV5 } from '@ledger/domain';
import { canonicalJson } from './event-content.js';
import { EventIdConflict, NO_STREAM, WrongExpectedRevision, type EventStore, type JsonObject, type RecordedEvent } from './event-store.port.js';

/**
 * Settings a store carries with it, such as how its beneficiary ids are derived: decided once, when
 * the store is first used, and read back by every process that opens it, whichever adapter holds
 * it. Each setting is a stream of its own, `settings-<name>`, whose one event is appended with "no
 * stream" expected: the first process to record a setting wins, and everyone else reads theirs.
 */
export const STORE_SETTING_CATEGORY = 'settings';
export const STORE_SETTING_RECORDED = 'StoreSettingRecorded';

const STORE_SETTING_NAMESPACE = '5d0e8b2a-61c4-5f3e-9a7d-2b8c4e6f1a03';
const PREFIX = `${STORE_SETTING_CATEGORY}-`;

export const storeSettingStreamName = (name: string) => `${PREFIX}${name}`;

/** Whether an event records a setting of the store rather than a fact of the ledger. */
export const isStoreSetting = (event: Pick<RecordedEvent, 'streamName'>) => event.streamName.startsWith(PREFIX);

/** The value recorded for a setting, or undefined when the store has none yet. */
export async function recordedStoreSetting(store: EventStore, name: string): Promise<JsonObject | undefined> {
  const [recorded] = await store.readStream(storeSettingStreamName(name), { maxCount: 1 });
  return recorded ? (recorded.data['value'] as JsonObject) : undefined;
}

/**
 * The setting the store holds: the one recorded already, else the one `propose` makes, recorded
 * now. Two processes settling at once both end up with whichever was recorded first.
 */
export async function settleStoreSetting(
  store: EventStore,
  name: string,
  propose: () => Promise<JsonObject>,
): Promise<{ readonly value: JsonObject; readonly recordedNow: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const recorded = await recordedStoreSetting(store, name);
    if (recorded) return { value: recorded, recordedNow: false };
    const value = await propose();
    const data = { name, value };
    // Derived from the content: two processes proposing the same value write one event between them.
    const id = uuidV5(canonicalJson(data), STORE_SETTING_NAMESPACE);
    const metadata = { actorId: 'ledger', actorRole: 'system', command: 'RecordStoreSetting', correlationId: id, causationId: id };
    try {
      const { written } = await store.appendToStream(storeSettingStreamName(name), [{ id, type: STORE_SETTING_RECORDED, schemaVersion: 1, data, metadata }], NO_STREAM);
      return { value, recordedNow: written };
    } catch (error) {
      // Someone else recorded another value first: theirs holds, read it.
      if (!(error instanceof WrongExpectedRevision || error instanceof EventIdConflict) || attempt >= 3) throw error;
    }
  }
}

/**
 * The first event of the log that is not a store setting, or undefined when the store holds no
 * facts yet (at most its settings).
 */
export async function firstLedgerEvent(store: EventStore): Promise<RecordedEvent | undefined> {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: 16 });
    const found = page.find((event) => !isStoreSetting(event));
    if (found || page.length < 16) return found;
    after = page.at(-1)!.globalPosition;
  }
}
