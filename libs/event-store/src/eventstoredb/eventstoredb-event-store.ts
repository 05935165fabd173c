import { randomUUID } from 'node:crypto';
import {
  ANY as CLIENT_ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  NO_STREAM as CLIENT_NO_STREAM,
  START,
  STREAM_EXISTS as CLIENT_STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
  type ReadPosition,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { assertAppendable, sameContent } from '../event-content.js';
import {
  EventIdConflict,
  InvalidAppend,
  WrongExpectedRevision,
  type AppendResult,
  type CategoryStream,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamHead,
  type StreamState,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';

/**
 * What the port models but an EventStoreDB event has no field for travels in the event metadata
 * under reserved keys, stripped again on read.
 */
const SCHEMA_VERSION = '$schemaVersion';
/** A fresh id per appendToStream call: reading it back tells whether this call wrote the events. */
const APPEND_ID = '$appendId';

const READ_ALL_PAGE_SIZE = 512;
const HEAD_PAGE_SIZE = 64;
const RESUBSCRIBE_FIRST_DELAY_MS = 100;
const RESUBSCRIBE_MAX_DELAY_MS = 5_000;
/** About a minute of a server that keeps refusing us; then the consumer hears about it. */
const RESUBSCRIBE_MAX_ATTEMPTS = 20;

/**
 * The event-store port on EventStoreDB (gRPC client 6.x, server 22.6 or later).
 *
 * Global positions are the commit positions of the transaction log. EventStoreDB writes every event
 * of a gRPC append as its own self-committed record (a prepare with the IsCommitted flag), and reads
 * of $all give each such event the commit position of that record, which equals its prepare
 * position (the server's AllReader returns a self-committed prepare at its own log position): unique
 * per event and growing in $all order, even for the events of one append. Shared commit positions
 * exist only for the explicit transactions of the retired TCP API; this adapter refuses to expose
 * such events rather than hand out a position that could skip or repeat one. Internally, reads and
 * subscriptions resume from the full {commit, prepare} pair.
 *
 * Idempotence rests on EventStoreDB's: a re-append of the same ids where an expectation of
 * 'no_stream' or an exact revision puts them is a no-op. Under 'any' or 'stream_exists' the server
 * only remembers recent ids, so a late retry there may be written a second time.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  constructor(private readonly client: EventStoreDBClient) {}

  async appendToStream(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(streamName, events);
    for (const event of events) assertNoReservedMetadata(event);

    const appendId = randomUUID();
    let lastRevision: bigint;
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) => toEventData(event, appendId)),
        { expectedRevision: toClientExpectedRevision(expectedRevision) },
      );
      lastRevision = BigInt(result.nextExpectedRevision);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const retried = await this.findRetry(streamName, events, expectedRevision);
      if (retried) return retried;
      throw new WrongExpectedRevision(streamName, expectedRevision, toStreamState(error.actualVersion));
    }
    return this.confirmAppend(streamName, events, lastRevision, appendId);
  }

  /**
   * The client (6.x) appends to one stream per call, so a batch is that many concurrent appends,
   * each settled on its own: the same outcomes as calling appendToStream for each.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<Array<PromiseSettledResult<AppendResult>>> {
    return Promise.allSettled(appends.map(({ streamName, events, expectedRevision }) => this.appendToStream(streamName, events, expectedRevision)));
  }

  /**
   * EventStoreDB answers a re-append of event ids already at that place in the stream with success,
   * writes nothing and does not compare content. Reading the events back settles both questions the
   * port asks: they were written by this call only if they carry its append id, and when they were
   * not, their content must be the content retried. The price is one bounded read per append.
   */
  private async confirmAppend(
    streamName: string,
    events: readonly EventToAppend[],
    lastRevision: bigint,
    appendId: string,
  ): Promise<AppendResult> {
    const stored = await this.readStored(streamName, lastRevision - BigInt(events.length) + 1n, events.length);
    if (!sameIds(stored, events)) {
      throw new Error(`EventStoreDB acknowledged an append to ${streamName} at revision ${lastRevision}, but other events are there`);
    }
    const written = stored.every((event) => event.appendId === appendId);
    if (!written) assertSameContent(streamName, stored, events);
    return { nextExpectedRevision: lastRevision, position: stored.at(-1)!.recorded.globalPosition, written };
  }

  /**
   * A wrong expected revision still hides a retry when the appended events already sit where this
   * expectation puts them. Only 'no_stream' and an exact revision pin that place ('any' never fails;
   * 'stream_exists' fails only on a missing stream), the same rule as the SQLite adapter's.
   */
  private async findRetry(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult | undefined> {
    const from = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
    if (from === undefined) return undefined;
    const stored = await this.readStored(streamName, from, events.length);
    if (!sameIds(stored, events)) return undefined;
    assertSameContent(streamName, stored, events);
    const last = stored.at(-1)!.recorded;
    return { nextExpectedRevision: last.streamRevision, position: last.globalPosition, written: false };
  }

  async readStream(streamName: string, { fromRevision = 0n, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stored = await this.readStored(streamName, fromRevision < 0n ? 0n : fromRevision, maxCount);
    return stored.map((event) => event.recorded);
  }

  private async readStored(streamName: string, fromRevision: bigint, maxCount?: number): Promise<StoredEvent[]> {
    if (maxCount !== undefined && maxCount <= 0) return [];
    try {
      const read = await collect(this.client.readStream(streamName, { fromRevision, maxCount }));
      return read.flatMap((resolved) => (resolved.event ? [fromClientEvent(resolved.event)] : []));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll({ after, maxCount = Number.POSITIVE_INFINITY }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    // A forward read of $all includes the event at its start position, so every page begins with
    // the cursor's own event, which is dropped like anything else at or before the cursor.
    let cursor = after === undefined || after < 0n ? undefined : positionAt(after);
    while (events.length < maxCount) {
      const pageSize = Math.min(READ_ALL_PAGE_SIZE, maxCount - events.length + 1);
      const page = await collect(this.client.readAll({ fromPosition: cursor ?? START, maxCount: pageSize }));
      for (const { event } of page) {
        if (!event) continue;
        const position = toPosition(event.position);
        if (cursor && comparePositions(position, cursor) <= 0) continue;
        cursor = position;
        if (isSystemEvent(event)) continue;
        events.push(fromClientEvent(event).recorded);
        if (events.length === maxCount) break;
      }
      if (page.length < pageSize) break;
    }
    return events;
  }

  /**
   * Scans $all and groups a category's events by stream. A filtered read would need the server's
   * system projections ($ce-…); a scan works on any node, at the cost of reading the whole log.
   */
  async *readCategory(category: string): AsyncIterable<CategoryStream> {
    const prefix = `${category}-`;
    const streams = new Map<string, RecordedEvent[]>();
    let after: bigint | undefined;
    for (;;) {
      const page = await this.readAll({ after, maxCount: READ_ALL_PAGE_SIZE });
      for (const event of page) {
        if (!event.streamName.startsWith(prefix)) continue;
        const events = streams.get(event.streamName) ?? [];
        events.push(event);
        streams.set(event.streamName, events);
      }
      if (page.length < READ_ALL_PAGE_SIZE) break;
      after = page.at(-1)!.globalPosition;
    }
    for (const [streamName, events] of streams) yield { streamName, events };
  }

  async streamHeads(streamNames: readonly string[]): Promise<Map<string, StreamHead>> {
    const found = new Map<string, StreamHead>();
    await Promise.all(
      streamNames.map(async (name) => {
        try {
          for await (const resolved of this.client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
            if (resolved.event) found.set(name, { revision: BigInt(resolved.event.revision), lastEventType: resolved.event.type });
          }
        } catch (error) {
          if (!(error instanceof StreamNotFoundError)) throw error;
        }
      }),
    );
    return found;
  }

  /**
   * The last event of the log as readAll and subscriptions see it, so system events at the tail
   * (settings, scavenges, statistics) are passed over rather than reported as the head.
   */
  async headPosition(): Promise<bigint> {
    let cursor: ReadPosition = END;
    for (;;) {
      const page = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: cursor, maxCount: HEAD_PAGE_SIZE }));
      for (const { event } of page) {
        if (!event) continue;
        const position = toPosition(event.position);
        // Skips the cursor's own event, whether the server repeats it or not.
        if (cursor !== END && comparePositions(position, cursor) >= 0) continue;
        if (!isSystemEvent(event)) return globalPositionOf(position);
        cursor = position;
      }
      if (page.length < HEAD_PAGE_SIZE) return -1n;
    }
  }

  subscribeToAll({ after }: SubscribeOptions = {}): Subscription {
    const checkpoint = after === undefined || after < 0n ? undefined : positionAt(after);
    const subscription = new EventStoreDbSubscription(this.client, checkpoint, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    // Subscriptions first: once the client is disposed, their drops would look like outages to retry.
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }
}

/**
 * A catch-up subscription to $all that outlives dropped connections. Events are pulled one at a time
 * through the client's readable stream, whose bounded buffer pauses the gRPC call while the consumer
 * is busy. After a transient failure it resubscribes from the last event it delivered; the client may
 * start at or after that position, so anything at or before it is dropped, never delivered twice.
 */
class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private iterated = false;
  private source: AllStreamSubscription | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private checkpoint: Position | undefined,
    private readonly onClose: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;

    let failures = 0;
    while (!this.closed) {
      const source = this.client.subscribeToAll({ fromPosition: this.checkpoint ?? START, filter: excludeSystemEvents() });
      this.source = source;
      try {
        for await (const { event } of source) {
          if (this.closed) return;
          if (!event || isSystemEvent(event)) continue;
          const position = toPosition(event.position);
          if (this.checkpoint && comparePositions(position, this.checkpoint) <= 0) continue;
          const recorded = fromClientEvent(event).recorded;
          this.checkpoint = position;
          failures = 0;
          yield recorded;
        }
      } catch (error) {
        if (this.closed) return;
        if (!isTransient(error) || failures + 1 >= RESUBSCRIBE_MAX_ATTEMPTS) throw error;
      } finally {
        await unsubscribe(source);
      }
      // The server does not end a subscription on its own; an end or a drop alike means resubscribe.
      if (this.closed) return;
      await this.sleep(Math.min(RESUBSCRIBE_MAX_DELAY_MS, RESUBSCRIBE_FIRST_DELAY_MS * 2 ** failures++));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.wakeUp?.();
    // Cancelling the call ends the source's iteration, which lets a waiting consumer return.
    if (this.source) await unsubscribe(this.source);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

interface StoredEvent {
  readonly recorded: RecordedEvent;
  /** The appendToStream call that wrote it; absent on events written by other tools. */
  readonly appendId: string | undefined;
}

function fromClientEvent(event: ClientRecordedEvent): StoredEvent {
  const where = `event ${event.id} of ${event.streamId}`;
  if (!isJsonObject(event.data)) throw new Error(`The data of ${where} is not a JSON object`);
  const { [SCHEMA_VERSION]: schemaVersion, [APPEND_ID]: appendId, ...metadata } = isJsonObject(event.metadata) ? event.metadata : {};
  if (typeof schemaVersion !== 'number') throw new Error(`The metadata of ${where} has no ${SCHEMA_VERSION}`);
  if (!event.position) throw new Error(`EventStoreDB returned ${where} without its position; it must be version 22.6 or later`);
  return {
    recorded: {
      id: event.id,
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata,
      streamName: event.streamId,
      // Typed bigint but delivered as a number by some client versions (KurrentDB-Client-NodeJS#513).
      streamRevision: BigInt(event.revision),
      globalPosition: globalPositionOf(toPosition(event.position)),
      recordedAt: event.created,
    },
    appendId: typeof appendId === 'string' ? appendId : undefined,
  };
}

function toEventData(event: EventToAppend, appendId: string) {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, [SCHEMA_VERSION]: event.schemaVersion, [APPEND_ID]: appendId },
  });
}

function assertNoReservedMetadata(event: EventToAppend): void {
  for (const key of [SCHEMA_VERSION, APPEND_ID]) {
    if (key in event.metadata) throw new InvalidAppend(`Event ${event.id} uses the reserved metadata key ${key}`);
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return CLIENT_ANY;
    case 'no_stream':
      return CLIENT_NO_STREAM;
    case 'stream_exists':
      return CLIENT_STREAM_EXISTS;
    default:
      return expected;
  }
}

/** The client reports a missing stream as 'no_stream', or as -1 when it read the server's error metadata. */
function toStreamState(actual: CurrentRevision): StreamState {
  if (actual === CLIENT_NO_STREAM) return 'no_stream';
  const revision = BigInt(actual);
  return revision < 0n ? 'no_stream' : revision;
}

function sameIds(stored: readonly StoredEvent[], events: readonly EventToAppend[]): boolean {
  // EventStoreDB hands ids back in lower case, whatever case they were sent in.
  return stored.length === events.length && events.every((event, index) => stored[index]!.recorded.id === event.id.toLowerCase());
}

function assertSameContent(streamName: string, stored: readonly StoredEvent[], events: readonly EventToAppend[]): void {
  events.forEach((event, index) => {
    if (!sameContent(stored[index]!.recorded, event)) throw new EventIdConflict(streamName, event.id);
  });
}

/**
 * The client types positions as bigints, yet some versions deliver numbers
 * (KurrentDB-Client-NodeJS#423, #513); BigInt() makes either a bigint.
 */
function toPosition(position: Position): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

function positionAt(globalPosition: bigint): Position {
  return { commit: globalPosition, prepare: globalPosition };
}

/** See the class comment: a self-committed event's commit and prepare positions are one number. */
function globalPositionOf({ commit, prepare }: Position): bigint {
  if (commit !== prepare) {
    throw new Error(`An event at commit ${commit} / prepare ${prepare} was written in an explicit transaction; its commit position is not unique`);
  }
  return commit;
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Failures a later attempt can outlive: the server unreachable, restarting, or handing over leadership. */
const TRANSIENT_ERRORS: ReadonlySet<ErrorType> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.CANCELLED,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.UNKNOWN,
]);

function isTransient(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && TRANSIENT_ERRORS.has(error.type);
}

async function unsubscribe(source: AllStreamSubscription): Promise<void> {
  // Rejects when the call never opened (server unreachable): there is nothing to cancel then.
  await source.unsubscribe().catch(() => undefined);
}

function isJsonObject(value: unknown): value is JsonObject {
  // Values here come from JSON.parse in the client, so an object that is not an array or bytes is JSON.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
