/**
 * The event-store port: the only way the ledger persists a fact.
 *
 * Positions and revisions are bigints. Stream revisions start at 0 (the first event of a stream);
 * global positions grow with commit order but need not be contiguous (EventStoreDB's are byte
 * offsets in its transaction log).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who did it and why. Every event written by the ledger carries this. */
export interface EventMetadata extends JsonObject {}

export interface EventToAppend {
  /** A UUID. Deterministic ids (derived from an idempotency key) make retries harmless. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly streamName: string;
  readonly streamRevision: bigint;
  readonly globalPosition: bigint;
  readonly recordedAt: Date;
}

const STORED_JSON = Symbol('stored JSON');

/**
 * The JSON text an adapter read an event's data and metadata from, when it has it (SQLite): what
 * was written, byte for byte, so the audit chain can hash it without serialising the parsed event
 * again. Kept off the event's enumerable properties, so it never shows in comparisons or output.
 */
export function storedJsonOf(event: RecordedEvent): { readonly data: string; readonly metadata: string } | undefined {
  return (event as { [STORED_JSON]?: { data: string; metadata: string } })[STORED_JSON];
}

export function withStoredJson<Event extends RecordedEvent>(event: Event, data: string, metadata: string): Event {
  return Object.defineProperty(event, STORED_JSON, { value: { data, metadata } });
}

/** The four expectations EventStoreDB offers, with the same meaning. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export const ANY = 'any' as const;
export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event appended (or found already appended). */
  readonly position: bigint;
  /** False when every event was already in the stream (an idempotent retry). */
  readonly written: boolean;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the start of the log. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: delivery starts with the first event after it. */
  readonly after?: bigint;
}

/**
 * A subscription to the global log. Iterating it yields events in commit order, first the ones
 * already stored (catch-up), then new ones as they commit (live). The next event is not fetched
 * until the consumer asks for it, so a slow consumer slows delivery instead of buffering without
 * bound.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/** Where a stream stands: enough to tell, without reading it, whether it needs reading. */
export interface StreamHead {
  readonly revision: bigint;
  readonly lastEventType: string;
}

/** That an event was written to a stream, without its content: what `streamChangesAfter` lists. */
export interface StreamChange {
  readonly streamName: string;
  readonly streamRevision: bigint;
  readonly type: string;
  readonly globalPosition: bigint;
}

/** A stream of a category, where it stands: what `streamHeadsOfCategory` lists. */
export interface CategoryStreamHead extends StreamHead {
  readonly streamName: string;
  /** The global position of its last event. */
  readonly lastPosition: bigint;
}

/** One append of a batch: the arguments of appendToStream. */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  appendToStream(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Many appends at once, each exactly as appendToStream would make it: checked against its own
   * expected revision and settled on its own, so one refused append never fails another. Outcomes
   * come in the order of the appends. For callers with thousands of independent appends (a payroll
   * run) this spares a promise and a callback per append.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<Array<PromiseSettledResult<AppendResult>>>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the last event in the log, or -1n when it is empty. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /**
   * Every stream of a category (`<category>-<id>`), each with all its events, one stream at a
   * time. A payroll run decides eligibility from these authoritative streams, never from a
   * projection.
   */
  readCategory(category: string): AsyncIterable<CategoryStream>;
  /** The current revision and last event type of each of these streams that holds at least one event. */
  streamHeads(streamNames: readonly string[]): Promise<Map<string, StreamHead>>;
  /**
   * The last event of each of these streams that holds at least one, read together: for a caller
   * facing many streams whose last event usually tells it enough, so it reads in full only the few
   * whose last event does not.
   */
  readLastEvents(streamNames: readonly string[]): Promise<Map<string, RecordedEvent>>;
  /**
   * Every event of each of these streams, in stream order, read together: for a caller that will
   * decide on many streams at once (a result file's chunk of payments), so it asks once rather than
   * once a stream. A stream that holds no event is absent from the map, as readStream gives it none.
   * Each stream is whole as of one moment, as readStream's is; two streams need not be of the same one.
   */
  readStreams(streamNames: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /**
   * What was written to these categories' streams after a position (exclusive) up to the head when
   * asked: each event's stream, revision and type, in log order and in pages, with no event's data
   * or metadata read. For a caller that knows everything up to a position and needs only which
   * streams moved since (a payroll rerun): the cost is the events written since, not the categories.
   */
  streamChangesAfter(categories: readonly string[], after: bigint): AsyncIterable<readonly StreamChange[]>;
  /**
   * Where each stream of a category stands, its last event's type and position with it, in pages,
   * without reading any event's data: for a category of few streams whose caller wants the latest
   * of some kind (the runs of a payroll) without reading them all.
   */
  streamHeadsOfCategory(category: string): AsyncIterable<readonly CategoryStreamHead[]>;
  close(): Promise<void>;
}

export interface CategoryStream {
  readonly streamName: string;
  readonly events: RecordedEvent[];
}

/** A page of a category, its events in stream order, as one CategoryStream per stream. */
export function* categoryStreamsOf(events: Iterable<RecordedEvent>): Iterable<CategoryStream> {
  let current: CategoryStream | undefined;
  for (const event of events) {
    if (current?.streamName !== event.streamName) {
      if (current) yield current;
      current = { streamName: event.streamName, events: [] };
    }
    current.events.push(event);
  }
  if (current) yield current;
}

export type StreamState = bigint | 'no_stream';

export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's revision when the append was checked, or 'no_stream'. */
    readonly actual: StreamState,
  ) {
    super(`Append to ${streamName} expected revision ${String(expected)} but the stream is at ${String(actual)}`);
  }
}

/** A retry reused an event id that is already in the stream with other content. */
export class EventIdConflict extends Error {
  override readonly name = 'EventIdConflict';
  constructor(
    readonly streamName: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} is already in ${streamName} with different content`);
  }
}

export class InvalidAppend extends Error {
  override readonly name = 'InvalidAppend';
}

/**
 * The most one append may carry, in bytes, whichever adapter stores it: for each event, the UTF-8
 * length of its data and its metadata as JSON, plus EVENT_ALLOWANCE_BYTES for its type, its id and
 * what an adapter adds of its own. EventStoreDB refuses a request past its maximum append size (1 MiB
 * by default) as a whole; this leaves room under it. A caller with more to record splits it into
 * several appends at exact revisions.
 */
export const MAX_APPEND_BYTES = 1_000_000;
export const EVENT_ALLOWANCE_BYTES = 128;

/** What one event weighs, from its data and metadata as JSON. */
export const eventSizeOf = (dataJson: string, metadataJson: string) => Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson) + EVENT_ALLOWANCE_BYTES;

/** What an append weighs against MAX_APPEND_BYTES. */
export function appendSizeOf(events: readonly EventToAppend[]): number {
  return events.reduce((bytes, event) => bytes + eventSizeOf(JSON.stringify(event.data), JSON.stringify(event.metadata)), 0);
}

/** An append heavier than MAX_APPEND_BYTES, refused before anything is sent or written. */
export class AppendTooLarge extends Error {
  override readonly name = 'AppendTooLarge';
  constructor(
    readonly streamName: string,
    readonly bytes: number,
    readonly limit: number = MAX_APPEND_BYTES,
  ) {
    super(`Append to ${streamName} weighs ${bytes} bytes; one append may carry at most ${limit}: split it into several appends`);
  }
}
