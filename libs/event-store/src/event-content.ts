import { InvalidAppend, type EventToAppend, type JsonValue } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects an append that no adapter could store faithfully, before it touches storage. */
export function assertAppendable(streamName: string, events: readonly EventToAppend[]): void {
  if (streamName.length === 0 || streamName.startsWith('$')) {
    throw new InvalidAppend(`Stream name ${JSON.stringify(streamName)} is empty or reserved`);
  }
  if (events.length === 0) throw new InvalidAppend(`Append to ${streamName} carries no events`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppend(`Event id ${JSON.stringify(event.id)} is not a UUID`);
    if (ids.has(event.id)) throw new InvalidAppend(`Event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    if (!event.type || event.type.startsWith('$')) throw new InvalidAppend(`Event type ${JSON.stringify(event.type)} is empty or reserved`);
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidAppend(`Event ${event.type} has schema version ${event.schemaVersion}; it must be a positive integer`);
    }
  }
}

/**
 * JSON with object keys sorted, so that two encodings of the same value compare equal whatever
 * order their keys were built in.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
}

/**
 * Whether a stored event is the same fact as one being appended again. Metadata is left out on
 * purpose: a retry may carry a new correlation id or a later timestamp, yet it is the same fact.
 */
export function sameContent(
  stored: { type: string; schemaVersion: number; data: JsonValue },
  retried: EventToAppend,
): boolean {
  return (
    stored.type === retried.type &&
    stored.schemaVersion === retried.schemaVersion &&
    canonicalJson(stored.data) === canonicalJson(retried.data)
  );
}
