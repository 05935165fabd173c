import type {
  AppendResult,
  CategoryStream,
  CategoryStreamHead,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SqliteEventStore,
  StreamAppend,
  StreamChange,
  StreamHead,
  SubscribeOptions,
  Subscription,
  EventStore,
} from '@ledger/event-store';

/** A log at most this long when the seed starts is read whole: the streams it does not hold do not exist. */
const READ_WHOLE_UP_TO = 1_000;

/**
 * The embedded store as the demo seed sees it: every write goes to the store, checked there as
 * always, and every stream the seed has read or written is also kept in memory, so the next
 * command on it is decided without reading it back and parsing its JSON again. Most of a seed's
 * time went there: each of its 89,000 commands reads one to three streams, and each settlement
 * reads back a disbursement the seed wrote moments before.
 *
 * It holds only while nobody else writes the streams the seed writes, which is true of a seed: it
 * runs before the API listens. Even then a stale copy could not write a wrong event: the store
 * checks each append against the revision the command read, and a refused append makes the copy of
 * that stream be read again from the store, as handleCommand then does.
 *
 * Started on a store that holds next to nothing (its settings), it reads that whole and then knows
 * every stream, so reading a stream that does not exist yet costs no query either; started on a
 * seed that was interrupted, it reads each stream from the store the first time.
 *
 * Kept in memory with what the store would give back: data and metadata as their JSON reads back,
 * the revisions and global positions of the append (the SQLite store gives an append's events
 * consecutive positions). Not the recorded time, which the store takes at its commit: within a
 * seed it is approximated by when the append settled, and no command decides on it.
 */
export class SeedingEventStore implements EventStore {
  /** The streams known, each whole. */
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** Streams whose copy may be behind the store (a refused append, a read that an append overtook): read again next time. */
  private readonly stale = new Set<string>();
  /** Appends settled per stream: a read from the store is kept only if none settled while it was read. */
  private readonly appendsSettled = new Map<string, number>();

  private constructor(
    private readonly store: SqliteEventStore,
    /** True when every stream of the store is in `streams`. */
    private readonly knowsEveryStream: boolean,
  ) {}

  static async over(store: SqliteEventStore): Promise<SeedingEventStore> {
    const log = await store.readAll({ maxCount: READ_WHOLE_UP_TO + 1 });
    const seeding = new SeedingEventStore(store, log.length <= READ_WHOLE_UP_TO);
    if (seeding.knowsEveryStream) for (const event of log) seeding.copyOf(event.streamName, []).push(event);
    return seeding;
  }

  async readStream(streamName: string, { fromRevision = 0n, maxCount = -1 }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events = this.inMemory(streamName) ?? (await this.readFromStore(streamName));
    const from = Number(fromRevision);
    return maxCount < 0 ? events.slice(from) : events.slice(from, from + maxCount);
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.store.appendToStream(streamName, events, expectedRevision);
      this.remember(streamName, events, result);
      return result;
    } catch (error) {
      this.forget(streamName);
      throw error;
    }
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<Array<PromiseSettledResult<AppendResult>>> {
    const outcomes = await this.store.appendToStreams(appends);
    outcomes.forEach((outcome, index) => {
      const { streamName, events } = appends[index]!;
      if (outcome.status === 'fulfilled') this.remember(streamName, events, outcome.value);
      else this.forget(streamName);
    });
    return outcomes;
  }

  /** In the store's order, that of the streams' creation: the order of their first events in the log. */
  async *readCategory(category: string): AsyncIterable<CategoryStream> {
    if (!this.knowsEveryStream || this.stale.size > 0) {
      yield* this.store.readCategory(category);
      return;
    }
    const prefix = `${category}-`;
    const streams = [...this.streams].filter(([name, events]) => events.length > 0 && name.startsWith(prefix));
    streams.sort(([, a], [, b]) => (a[0]!.globalPosition < b[0]!.globalPosition ? -1 : 1));
    for (const [streamName, events] of streams) yield { streamName, events: events.slice() };
  }

  async streamHeads(streamNames: readonly string[]): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    for (const [streamName, last] of await this.lastEventsOf(streamNames)) heads.set(streamName, { revision: last.streamRevision, lastEventType: last.type });
    return heads;
  }

  readLastEvents(streamNames: readonly string[]): Promise<Map<string, RecordedEvent>> {
    return this.lastEventsOf(streamNames);
  }

  /** The streams known from memory, the others read from the store in one call and kept as readStream keeps them. */
  async readStreams(streamNames: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const found = new Map<string, RecordedEvent[]>();
    const unknown = new Set<string>();
    for (const streamName of streamNames) {
      const events = this.inMemory(streamName);
      if (!events) unknown.add(streamName);
      else if (events.length > 0) found.set(streamName, events.slice());
    }
    if (unknown.size === 0) return found;
    const settledBefore = new Map([...unknown].map((streamName) => [streamName, this.appendsSettled.get(streamName) ?? 0]));
    const read = await this.store.readStreams([...unknown]);
    for (const [streamName, before] of settledBefore) {
      const events = read.get(streamName) ?? [];
      this.keepIfCurrent(streamName, before, events);
      if (events.length > 0) found.set(streamName, events.slice());
    }
    return found;
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.store.headPosition();
  }

  streamChangesAfter(categories: readonly string[], after: bigint): AsyncIterable<readonly StreamChange[]> {
    return this.store.streamChangesAfter(categories, after);
  }

  streamHeadsOfCategory(category: string): AsyncIterable<readonly CategoryStreamHead[]> {
    return this.store.streamHeadsOfCategory(category);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.store.subscribeToAll(options);
  }

  /** The store stays open: it belongs to whoever opened it. */
  async close(): Promise<void> {}

  private async lastEventsOf(streamNames: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const found = new Map<string, RecordedEvent>();
    for (const streamName of streamNames) {
      const last = (this.inMemory(streamName) ?? (await this.readFromStore(streamName))).at(-1);
      if (last) found.set(streamName, last);
    }
    return found;
  }

  /** The stream as known, with no promise to wait for: most of a seed's reads. */
  private inMemory(streamName: string): readonly RecordedEvent[] | undefined {
    if (this.stale.size > 0 && this.stale.has(streamName)) return undefined;
    return this.streams.get(streamName) ?? (this.knowsEveryStream ? NO_EVENTS : undefined);
  }

  private async readFromStore(streamName: string): Promise<readonly RecordedEvent[]> {
    const settledBefore = this.appendsSettled.get(streamName) ?? 0;
    const read = await this.store.readStream(streamName);
    this.keepIfCurrent(streamName, settledBefore, read);
    return read;
  }

  /** A read from the store is kept only if no append to the stream settled while it was read: it could be behind that append. */
  private keepIfCurrent(streamName: string, appendsSettledBefore: number, read: RecordedEvent[]): void {
    if ((this.appendsSettled.get(streamName) ?? 0) !== appendsSettledBefore) return;
    this.streams.set(streamName, read);
    this.stale.delete(streamName);
  }

  private copyOf(streamName: string, orElse: RecordedEvent[]): RecordedEvent[] {
    let events = this.streams.get(streamName);
    if (!events) this.streams.set(streamName, (events = orElse));
    return events;
  }

  /** Adds an append the store accepted, if the copy is exactly the stream it was appended to; otherwise marks the copy stale. */
  private remember(streamName: string, events: readonly EventToAppend[], { nextExpectedRevision, position, written }: AppendResult): void {
    this.appendsSettled.set(streamName, (this.appendsSettled.get(streamName) ?? 0) + 1);
    if (!written) return;
    const known = this.stale.has(streamName) ? undefined : this.knowsEveryStream ? this.copyOf(streamName, []) : this.streams.get(streamName);
    const firstRevision = nextExpectedRevision - BigInt(events.length - 1);
    if (!known || BigInt(known.length) !== firstRevision) return this.forget(streamName);
    const recordedAt = new Date();
    events.forEach((event, index) => {
      const back = BigInt(events.length - 1 - index);
      known.push({
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: asStored(event.data),
        metadata: asStored(event.metadata),
        streamName,
        streamRevision: nextExpectedRevision - back,
        globalPosition: position - back,
        recordedAt,
      });
    });
  }

  private forget(streamName: string): void {
    this.appendsSettled.set(streamName, (this.appendsSettled.get(streamName) ?? 0) + 1);
    this.stale.add(streamName);
  }
}

const NO_EVENTS: readonly RecordedEvent[] = Object.freeze([]);

/**
 * What the store reads back: absent rather than undefined fields, dates as ISO strings. A value
 * that is JSON already (the deciders' events nearly always are) is kept as it is: copying each
 * event through JSON text took 6 % of the seed's thread (profiled), besides the garbage it made.
 * The events are not changed after they are appended (the domain makes new values, never edits them).
 */
const asStored = <T extends JsonObject>(value: T): T => (isJson(value) ? value : (JSON.parse(JSON.stringify(value)) as T));

/** True when JSON.parse(JSON.stringify(value)) would give an equal value: plain objects and arrays of strings, finite numbers, booleans and null. */
function isJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) if (!isJson(value[index])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!isJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
