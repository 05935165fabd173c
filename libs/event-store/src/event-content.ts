import { AppendTooLarge, eventSizeOf, InvalidAppend, MAX_APPEND_BYTES, type EventMetadata, type EventToAppend, type JsonValue } from './event-store.port.js';

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

/** An append's events as the JSON text an adapter stores, event by event. */
export interface AppendJson {
  readonly data: readonly string[];
  readonly metadata: readonly string[];
}

/** The appends of one call usually share one metadata object (a command's, a payroll wave's): serialised once. */
export function metadataSerialiser(): (metadata: EventMetadata) => string {
  let last: { object: EventMetadata; json: string } | undefined;
  return (metadata) => {
    if (last?.object !== metadata) last = { object: metadata, json: JSON.stringify(metadata) };
    return last.json;
  };
}

/**
 * Serialises an append's events once, both to store them and to weigh them, and refuses with
 * AppendTooLarge an append heavier than MAX_APPEND_BYTES before anything is written. The text is
 * taken when the append is asked for, so a caller that changes an event object afterwards changes
 * nothing stored.
 */
export function serialiseWithinLimit(streamName: string, events: readonly EventToAppend[], metadataJson = metadataSerialiser()): AppendJson {
  const data = new Array<string>(events.length);
  const metadata = new Array<string>(events.length);
  let bytes = 0;
  events.forEach((event, index) => {
    data[index] = JSON.stringify(event.data);
    metadata[index] = metadataJson(event.metadata);
    bytes += eventSizeOf(data[index]!, metadata[index]!);
  });
  if (bytes > MAX_APPEND_BYTES) throw new AppendTooLarge(streamName, bytes);
  return { data, metadata };
}

/**
 * Events in consecutive groups, each as heavy as one append may be at most (`appendSizeOf`), in
 * their order. An event heavier than the limit on its own is a group of its own, which the store
 * then refuses: no split can make it fit.
 */
export function boundedAppendsOf(events: readonly EventToAppend[], limit = MAX_APPEND_BYTES): EventToAppend[][] {
  const groups: EventToAppend[][] = [];
  let current: EventToAppend[] = [];
  let bytes = 0;
  const metadataJson = metadataSerialiser();
  for (const event of events) {
    const size = eventSizeOf(JSON.stringify(event.data), metadataJson(event.metadata));
    if (current.length > 0 && bytes + size > limit) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
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
