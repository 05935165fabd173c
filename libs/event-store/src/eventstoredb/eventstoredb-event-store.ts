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
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
  type ReadPosition,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { assertAppendable, sameContent } from '../event-content.js';
import { settleEachWithLimit } from '../settle-with-concurrency-limit.js';
import {
  APPEND_ID,
  SCHEMA_VERSION,
  globalPositionOf,
  parseClientEvent,
  skippedEventWarning,
  toPosition,
  type StoredEvent,
} from './recorded-event-parsing.js';
import { ResubscriptionBudget } from './resubscription-budget.js';
import {
  AppendTooLarge,
  appendSizeOf,
  EventIdConflict,
  InvalidAppend,
  MAX_APPEND_BYTES,
  WrongExpectedRevision,
  type AppendResult,
  type CategoryStream,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamChange,
  type CategoryStreamHead,
  type StreamHead,
  type StreamState,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';

const READ_ALL_PAGE_SIZE = 512;
const HEAD_PAGE_SIZE = 64;
/** Changes handed to the caller at a time by streamChangesAfter. */
const CHANGES_PAGE = 1_000;
/**
 * Calls one batch keeps in flight. The server queues what it cannot write at once and times a write
 * out after 2 s, so thousands started together fail by the thousand; 64 keeps the server busy
 * without a queue that outlasts the timeout.
 */
const MAX_CALLS_IN_FLIGHT = 64;
/** Streams of a category read ahead while the caller folds the previous ones. */
const CATEGORY_READ_AHEAD = 16;
/** How long close() waits for appends already sent before it disposes of the client anyway. */
const CLOSE_GRACE_MS = 10_000;
const RESUBSCRIBE = {
  firstDelayMs: 100,
  maxDelayMs: 5_000,
  /** About a minute of a server that keeps refusing us; then the consumer hears about it. */
  maxAttempts: 20,
  /** A subscription that stayed open this long was healthy, even on a log with nothing new. */
  healthyAfterMs: 30_000,
};

export interface EventStoreDbOptions {
  /**
   * Where a warning goes when an event the adapter cannot read (another producer's) is skipped.
   * It names the event's position, stream and type, never its data.
   */
  readonly warn?: (message: string) => void;
}

/**
 * The event-store port on EventStoreDB (gRPC client 6.x, server 22.6 or later; readCategory ends its
 * catch-up on the caught-up signal of 23.10 and later).
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
 * An event the adapter cannot read (another producer's, without a schema version; or one of those
 * transactions) is passed over by every read and by subscriptions, with a warning naming its position
 * and type: one foreign event must not stop the ledger's projections for good, and the ledger never
 * folds an event it did not write.
 *
 * Idempotence rests on EventStoreDB's: a re-append of the same ids where an expectation of
 * 'no_stream' or an exact revision puts them is a no-op. Under 'any' or 'stream_exists' the server
 * only remembers recent ids, so a late retry there may be written a second time.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly appendsInFlight = new Set<Promise<AppendResult>>();
  private closing = false;
  private readonly warn: (message: string) => void;

  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  constructor(
    private readonly client: EventStoreDBClient,
    { warn = (message) => console.warn(message) }: EventStoreDbOptions = {},
  ) {
    this.warn = warn;
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(streamName, events);
    // The server refuses a request past its maximum append size as a whole; refused here first, with the port's typed error.
    const bytes = appendSizeOf(events);
    if (bytes > MAX_APPEND_BYTES) throw new AppendTooLarge(streamName, bytes);
    for (const event of events) assertNoReservedMetadata(event);
    if (this.closing) throw new Error(`The EventStoreDB event store is closing; the append to ${streamName} was not sent`);
    const append = this.append(streamName, events, expectedRevision);
    this.appendsInFlight.add(append);
    try {
      return await append;
    } finally {
      this.appendsInFlight.delete(append);
    }
  }

  private async append(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
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
   * The client (6.x) appends to one stream per call, so a batch is that many appends, at most
   * MAX_CALLS_IN_FLIGHT at a time, each settled on its own: the same outcomes as calling
   * appendToStream for each.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<Array<PromiseSettledResult<AppendResult>>> {
    return settleEachWithLimit(appends, MAX_CALLS_IN_FLIGHT, ({ streamName, events, expectedRevision }) =>
      this.appendToStream(streamName, events, expectedRevision),
    );
  }

  /**
   * EventStoreDB answers a re-append of event ids already at that place in the stream with success,
   * writes nothing and does not compare content, so the append result alone cannot tell the port's
   * `written` nor catch an id reused with other content (EventIdConflict). One event settles it: the
   * last one of the append carries this call's append id exactly when this call wrote it (an append
   * is atomic). Only a retry reads the whole range, to compare content. Reads go to the leader, which
   * acknowledged the write: a follower may not have it yet and would report it missing.
   */
  private async confirmAppend(
    streamName: string,
    events: readonly EventToAppend[],
    lastRevision: bigint,
    appendId: string,
  ): Promise<AppendResult> {
    const [last] = await this.readStored(streamName, lastRevision, 1);
    if (!last || last.recorded.id !== events.at(-1)!.id.toLowerCase()) {
      throw new Error(`EventStoreDB acknowledged an append to ${streamName} at revision ${lastRevision}, but other events are there`);
    }
    const appended = { nextExpectedRevision: lastRevision, position: last.recorded.globalPosition };
    if (last.appendId === appendId) return { ...appended, written: true };
    const stored = events.length === 1 ? [last] : await this.readStored(streamName, lastRevision - BigInt(events.length) + 1n, events.length);
    if (!sameIds(stored, events)) {
      throw new Error(`EventStoreDB acknowledged an append to ${streamName} at revision ${lastRevision}, but other events are there`);
    }
    assertSameContent(streamName, stored, events);
    return { ...appended, written: false };
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

  /** A deleted (tombstoned) stream reads like one that never existed: no events. */
  async readStream(streamName: string, { fromRevision = 0n, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stored = await this.readStored(streamName, fromRevision < 0n ? 0n : fromRevision, maxCount);
    return stored.map((event) => event.recorded);
  }

  private async readStored(streamName: string, fromRevision: bigint, maxCount?: number): Promise<StoredEvent[]> {
    if (maxCount !== undefined && maxCount <= 0) return [];
    try {
      const read = await collect(this.client.readStream(streamName, { fromRevision, maxCount, requiresLeader: true }));
      return read.flatMap((resolved) => this.readable(resolved.event));
    } catch (error) {
      if (isAbsentStream(error)) return [];
      throw error;
    }
  }

  /** The event as the port sees it, or nothing, with a warning, when the adapter cannot read it. */
  private readable(event: ClientRecordedEvent | undefined): StoredEvent[] {
    if (!event) return [];
    const parsed = parseClientEvent(event);
    if ('parsed' in parsed) return [parsed.parsed];
    this.warn(skippedEventWarning(event, parsed.unreadable));
    return [];
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
        for (const stored of this.readable(event)) events.push(stored.recorded);
        if (events.length === maxCount) break;
      }
      if (page.length < pageSize) break;
    }
    return events;
  }

  /**
   * Lists the category's streams with a catch-up subscription to $all filtered on the server by the
   * stream-name prefix, up to the log's head when the read began, and reads each stream as it is
   * first seen: a few streams ahead of the caller, never the whole category at once. The server
   * still walks the log, but sends only the category's events (docs/adr/0013).
   */
  async *readCategory(category: string): AsyncIterable<CategoryStream> {
    const head = await this.headPosition();
    if (head < 0n) return;
    const seen = new Set<string>();
    const ahead: Array<Promise<CategoryStream>> = [];
    const next = async (): Promise<CategoryStream | undefined> => {
      const stream = await ahead.shift()!;
      return stream.events.length > 0 ? stream : undefined;
    };
    for await (const streamName of this.streamNamesWithPrefix(`${category}-`, head)) {
      if (seen.has(streamName)) continue;
      seen.add(streamName);
      const read = this.readStream(streamName).then((events) => ({ streamName, events }));
      // Awaited in turn below; this only keeps a failure that the caller never reaches from being unhandled.
      read.catch(() => undefined);
      ahead.push(read);
      if (ahead.length >= CATEGORY_READ_AHEAD) {
        const stream = await next();
        if (stream) yield stream;
      }
    }
    while (ahead.length > 0) {
      const stream = await next();
      if (stream) yield stream;
    }
  }

  async *streamChangesAfter(categories: readonly string[], after: bigint): AsyncIterable<readonly StreamChange[]> {
    if (categories.length === 0) return;
    const head = await this.headPosition();
    if (head <= after) return;
    let page: StreamChange[] = [];
    for await (const event of this.eventsWithPrefixes(categories.map((category) => `${category}-`), after, head)) {
      if (isSystemEvent(event)) continue;
      page.push({ streamName: event.streamId, streamRevision: BigInt(event.revision), type: event.type, globalPosition: toPosition(event.position).commit });
      if (page.length === CHANGES_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /** The category's streams as readCategory finds them (the log walked by the server), each one's head read backwards. */
  async *streamHeadsOfCategory(category: string): AsyncIterable<readonly CategoryStreamHead[]> {
    const head = await this.headPosition();
    if (head < 0n) return;
    const names = new Set<string>();
    for await (const name of this.streamNamesWithPrefix(`${category}-`, head)) names.add(name);
    const outcomes = await settleEachWithLimit([...names], MAX_CALLS_IN_FLIGHT, async (name) => {
      try {
        const [last] = await collect(this.client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
        return last?.event
          ? { streamName: name, revision: BigInt(last.event.revision), lastEventType: last.event.type, lastPosition: toPosition(last.event.position!).commit }
          : undefined;
      } catch (error) {
        if (isAbsentStream(error)) return undefined;
        throw error;
      }
    });
    const heads: CategoryStreamHead[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value) heads.push(outcome.value);
    }
    if (heads.length > 0) yield heads;
  }

  /** The stream of every event whose stream name starts with the prefix, up to `head`. */
  private async *streamNamesWithPrefix(prefix: string, head: bigint): AsyncGenerator<string> {
    for await (const event of this.eventsWithPrefixes([prefix], undefined, head)) yield event.streamId;
  }

  /**
   * Every event whose stream name starts with one of the prefixes, after `after` (from the start when
   * undefined) up to `head`, without its data parsed. Catch-up ends when the server says it has
   * caught up (24.10 does), or when a checkpoint or an event passes the head. Both signals travel
   * through the subscription's own buffer, after the events before them.
   */
  private async *eventsWithPrefixes(prefixes: readonly string[], after: bigint | undefined, head: bigint): AsyncGenerator<NonNullable<AllStreamResolvedEvent['event']>> {
    const from = after === undefined || after < 0n ? undefined : positionAt(after);
    const source = this.client.subscribeToAll({
      fromPosition: from ?? START,
      filter: streamNameFilter({
        prefixes: [...prefixes],
        checkpointReached: (subscription, position) => {
          if (BigInt(position.commit) >= head) subscription.push(REACHED_HEAD);
        },
      }),
    });
    // Emitted from inside the client's transform, after the events before it were pushed.
    source.once('caughtUp', () => source.push(REACHED_HEAD));
    try {
      for await (const item of source as AsyncIterable<AllStreamResolvedEvent | typeof REACHED_HEAD>) {
        if (item === REACHED_HEAD) return;
        const { event } = item;
        if (!event) continue;
        if (BigInt(event.position.commit) > head) return;
        // A subscription from a position starts at it: what is at or before `after` is known already.
        if (from && comparePositions(toPosition(event.position), from) <= 0) continue;
        if (prefixes.some((prefix) => event.streamId.startsWith(prefix))) yield event;
      }
    } finally {
      await unsubscribe(source);
    }
  }

  /** Heads of MAX_CALLS_IN_FLIGHT streams at a time; a stream deleted or never written has none. */
  async streamHeads(streamNames: readonly string[]): Promise<Map<string, StreamHead>> {
    const outcomes = await settleEachWithLimit(streamNames, MAX_CALLS_IN_FLIGHT, async (name) => {
      try {
        const [last] = await collect(this.client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
        return last?.event ? { name, head: { revision: BigInt(last.event.revision), lastEventType: last.event.type } } : undefined;
      } catch (error) {
        if (isAbsentStream(error)) return undefined;
        throw error;
      }
    });
    const found = new Map<string, StreamHead>();
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value) found.set(outcome.value.name, outcome.value.head);
    }
    return found;
  }

  /** Last events of MAX_CALLS_IN_FLIGHT streams at a time, each read backwards from the stream's end. */
  async readLastEvents(streamNames: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const outcomes = await settleEachWithLimit(streamNames, MAX_CALLS_IN_FLIGHT, async (name) => {
      try {
        const [last] = await collect(this.client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true }));
        const [stored] = this.readable(last?.event);
        return stored ? { name, event: stored.recorded } : undefined;
      } catch (error) {
        if (isAbsentStream(error)) return undefined;
        throw error;
      }
    });
    const found = new Map<string, RecordedEvent>();
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value) found.set(outcome.value.name, outcome.value.event);
    }
    return found;
  }

  /**
   * EventStoreDB reads one stream a call: each is read whole, MAX_CALLS_IN_FLIGHT at a time, so a
   * caller with many waits for a few rounds of calls rather than one call per stream.
   */
  async readStreams(streamNames: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const distinct = [...new Set(streamNames)];
    const outcomes = await settleEachWithLimit(distinct, MAX_CALLS_IN_FLIGHT, (name) => this.readStream(name));
    const found = new Map<string, RecordedEvent[]>();
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value.length > 0) found.set(distinct[index]!, outcome.value);
    });
    return found;
  }

  /**
   * The last event of the log as readAll and subscriptions see it, so system events at the tail
   * (settings, scavenges, statistics) and events the adapter skips are passed over rather than
   * reported as the head.
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
        if (!isSystemEvent(event) && 'parsed' in parseClientEvent(event)) return globalPositionOf(position);
        cursor = position;
      }
      if (page.length < HEAD_PAGE_SIZE) return -1n;
    }
  }

  subscribeToAll({ after }: SubscribeOptions = {}): Subscription {
    const checkpoint = after === undefined || after < 0n ? undefined : positionAt(after);
    const subscription = new EventStoreDbSubscription(this.client, checkpoint, this.warn, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Refuses new appends, then waits (up to CLOSE_GRACE_MS) for those already sent: disposing of the
   * client cancels their calls, leaving their callers an unknown outcome to retry.
   */
  async close(): Promise<void> {
    this.closing = true;
    // Subscriptions first: once the client is disposed, their drops would look like outages to retry.
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await settledOrTimedOut([...this.appendsInFlight], CLOSE_GRACE_MS);
    await this.client.dispose();
  }
}

/** Marks, in a subscription's buffer, the point where a bounded catch-up read is complete. */
const REACHED_HEAD = Symbol('reached the head');

/**
 * A catch-up subscription to $all that outlives dropped connections. Events are pulled one at a time
 * through the client's readable stream, whose bounded buffer pauses the gRPC call while the consumer
 * is busy. After a transient failure it resubscribes from the last event it delivered; the client may
 * start at or after that position, so anything at or before it is dropped, never delivered twice.
 * An event it cannot read is passed over with a warning, its position kept as the checkpoint.
 */
class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private iterated = false;
  private source: AllStreamSubscription | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private checkpoint: Position | undefined,
    private readonly warn: (message: string) => void,
    private readonly onClose: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;

    const budget = new ResubscriptionBudget(RESUBSCRIBE);
    while (!this.closed) {
      const source = this.client.subscribeToAll({ fromPosition: this.checkpoint ?? START, filter: excludeSystemEvents() });
      this.source = source;
      source.on('confirmation', () => budget.opened(Date.now()));
      source.on('caughtUp', () => budget.healthy());
      let dropped: unknown;
      try {
        for await (const { event } of source) {
          if (this.closed) return;
          if (!event || isSystemEvent(event)) continue;
          const position = toPosition(event.position);
          if (this.checkpoint && comparePositions(position, this.checkpoint) <= 0) continue;
          const parsed = parseClientEvent(event);
          this.checkpoint = position;
          budget.healthy();
          if ('parsed' in parsed) yield parsed.parsed.recorded;
          else this.warn(skippedEventWarning(event, parsed.unreadable));
        }
      } catch (error) {
        if (this.closed) return;
        if (!isTransient(error)) throw error;
        dropped = error;
      } finally {
        await unsubscribe(source);
      }
      // The server does not end a subscription on its own; an end, like a drop, means resubscribe.
      if (this.closed) return;
      const delay = budget.afterDrop(Date.now());
      if (delay === undefined) throw dropped ?? new Error('The EventStoreDB subscription to $all kept ending; giving up');
      await this.sleep(delay);
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

function positionAt(globalPosition: bigint): Position {
  return { commit: globalPosition, prepare: globalPosition };
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

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

/** A stream that was never written, or was deleted or tombstoned: the port sees no events either way. */
function isAbsentStream(error: unknown): boolean {
  return error instanceof StreamNotFoundError || error instanceof StreamDeletedError;
}

/** Waits until every one of the calls settled, or until the grace period ran out, whichever is first. */
async function settledOrTimedOut(calls: ReadonlyArray<Promise<unknown>>, graceMs: number): Promise<void> {
  if (calls.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([Promise.allSettled(calls), timedOut]);
  clearTimeout(timer);
}
