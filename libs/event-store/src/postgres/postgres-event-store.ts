import pg from 'pg';
import { assertAppendable } from '../event-content.js';
import {
  AppendTooLarge,
  eventSizeOf,
  EventIdConflict,
  InvalidAppend,
  MAX_APPEND_BYTES,
  withStoredJson,
  WrongExpectedRevision,
  type AppendResult,
  categoryStreamsOf,
  type CategoryStream,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamChange,
  type CategoryStreamHead,
  type StreamHead,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { AppendPlan, metadataSerialiser, retryReadsFor, type StoredEvent, type StoredStream } from './append-plan.js';
import {
  appendedChannel,
  assertSchemaName,
  DEFAULT_EVENT_STORE_SCHEMA,
  eventLogMigrations,
  eventLogStatements,
  type EventLogStatements,
  type EventRow,
} from './postgres-event-log.js';

export interface PostgresEventStoreOptions {
  /** Schema holding the log, created if missing. Tests and benchmarks use a scratch one. */
  readonly schema?: string;
  /** Connections for reads. Appends have one of their own, and subscriptions share one listener. */
  readonly maxReadConnections?: number;
  /** Recorded time of each commit; injectable for tests. */
  readonly clock?: () => Date;
  /** A quiet subscription looks again after this long even when no commit was announced. */
  readonly pollIntervalMs?: number;
  /** Events a subscription reads ahead of its consumer. */
  readonly subscriptionBatchSize?: number;
}

type Outcome = PromiseSettledResult<AppendResult>;

/** One appendToStream, or one appendToStreams with all its appends: resolved once every append is settled. */
interface PendingRequest {
  readonly outcomes: Outcome[];
  remaining: number;
  readonly resolve: (outcomes: Outcome[]) => void;
}

interface QueuedAppend {
  readonly append: StreamAppend;
  readonly request: PendingRequest;
  readonly index: number;
}

/** A write (not a check) failed; the transaction was rolled back and the batch can be tried append by append. */
class BatchWriteFailed extends Error {}

/** The connection failed before the batch's write was sent: nothing can have been written, so it may be tried again. */
class ConnectionLostBeforeWrite extends Error {}

/**
 * Events one transaction writes at most. A wave of a payroll run (tens of thousands of appends)
 * is committed in several transactions, so appends of other commands get their turn in between.
 */
const MAX_EVENTS_PER_COMMIT = 5_000;
const NAMES_PER_QUERY = 10_000;
const CATEGORY_PAGE_STREAMS = 1_000;
/** Positions read at a time by streamChangesAfter: index columns only, so a window is small however many events it holds. */
const CHANGES_WINDOW = 10_000n;
/** Streams per page of streamHeadsOfCategory. */
const HEADS_PAGE = 1_000;
/** How long a subscription keeps retrying while PostgreSQL is unreachable before its consumer hears of it. */
const SUBSCRIPTION_OUTAGE_LIMIT_MS = 60_000;
const RETRY_FIRST_DELAY_MS = 100;
const RETRY_MAX_DELAY_MS = 5_000;
const LISTENER_RETRY_DELAY_MS = 1_000;

const INT8_OID = 20;
const JSON_OID = 114;
/** Positions and revisions as text (made bigints here), JSON as the stored text (parsed here, kept for the audit chain). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === JSON_OID ? (value: string) => value : format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid)) as typeof pg.types.getTypeParser,
};

/**
 * The event-store port on PostgreSQL (docs/adr/0011-postgresql-event-store.md).
 *
 * Appends are group-committed like the SQLite adapter's: the appends requested while a commit is
 * under way are checked and written together in the next transaction, each settled on its own. A
 * transaction first locks the log's head row and keeps it until it commits, so global positions
 * are handed out in commit order and without gaps: a reader's snapshot always holds a prefix of
 * the log, and a subscriber that reads `position > checkpoint` can never pass over an event that
 * commits later. The price is one append transaction at a time per database; group commit makes
 * each of them carry every append waiting for it.
 *
 * Subscriptions poll the log and are woken by LISTEN/NOTIFY (commits of any process) or directly
 * (commits of this one). The store connects lazily: `connect` returns at once and the schema is
 * created or migrated by the first call that needs it.
 */
export class PostgresEventStore implements EventStore {
  /** The schema holding the log's tables. */
  readonly schema: string;
  private readonly statements: EventLogStatements;
  private readonly channel: string;
  private readonly writer: pg.Pool;
  private readonly readers: pg.Pool;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly subscriptionBatchSize: number;

  private prepared: Promise<void> | undefined;
  /** Set when the server runs with synchronous_commit=off: appends then ask for it back, or an acknowledged event could be lost. */
  private forceSynchronousCommit = false;
  private queue: QueuedAppend[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  /** Bumped by every commit this store learns of (its own, or announced by another process). */
  private commitGeneration = 0;
  private readonly wakeUps = new Set<() => void>();
  private listener: pg.Client | undefined;
  private listenerRetryAt = 0;

  static connect(databaseUrl: string, options: PostgresEventStoreOptions = {}): PostgresEventStore {
    return new PostgresEventStore(databaseUrl, options);
  }

  /** Connects and creates or migrates the schema before returning. */
  static async open(databaseUrl: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(databaseUrl, options);
    try {
      await store.prepare();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private constructor(
    private readonly databaseUrl: string,
    options: PostgresEventStoreOptions,
  ) {
    this.schema = options.schema ?? DEFAULT_EVENT_STORE_SCHEMA;
    assertSchemaName(this.schema);
    this.statements = eventLogStatements(this.schema);
    this.channel = appendedChannel(this.schema);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.subscriptionBatchSize = options.subscriptionBatchSize ?? 512;
    // No JIT compilation: the store runs short index look-ups, and where the planner misjudges one
    // (tables without statistics yet) compiling it took half a second a statement.
    const connection = { connectionString: databaseUrl, options: withoutJit(databaseUrl), types };
    this.writer = new pg.Pool({ ...connection, max: 1 });
    this.readers = new pg.Pool({ ...connection, max: options.maxReadConnections ?? 8 });
    // An idle connection that dies (a server restart) must not crash the process; the next query reconnects.
    this.writer.on('error', () => undefined);
    this.readers.on('error', () => undefined);
  }

  appendToStream(streamName: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('The event store is closed'));
    try {
      assertStorable(streamName, events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) =>
      this.enqueue([{ streamName, events, expectedRevision }], ([outcome]) => (outcome!.status === 'fulfilled' ? resolve(outcome!.value) : reject(outcome!.reason))),
    );
  }

  appendToStreams(appends: readonly StreamAppend[]): Promise<Outcome[]> {
    if (this.closed) return Promise.resolve(appends.map(() => ({ status: 'rejected', reason: new Error('The event store is closed') })));
    // An append no adapter could store is refused on its own; the others are enqueued as one request.
    const outcomes = new Array<Outcome>(appends.length);
    const valid: number[] = [];
    appends.forEach(({ streamName, events }, index) => {
      try {
        assertStorable(streamName, events);
        valid.push(index);
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    });
    if (valid.length === 0) return Promise.resolve(outcomes);
    const enqueued = valid.length === appends.length ? appends : valid.map((index) => appends[index]!);
    return new Promise((resolve) =>
      this.enqueue(enqueued, (settled) => {
        settled.forEach((outcome, k) => (outcomes[valid[k]!] = outcome));
        resolve(outcomes);
      }),
    );
  }

  private enqueue(appends: readonly StreamAppend[], resolve: (outcomes: Outcome[]) => void): void {
    const request: PendingRequest = { outcomes: new Array<Outcome>(appends.length), remaining: appends.length, resolve };
    appends.forEach((append, index) => this.queue.push({ append, request, index }));
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        // Each commit waits for the rest of this event-loop turn, so that the appends requested in it,
        // and those that callers make as soon as the last commit settled theirs, go together.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.queue.length === 0) return;
        const batch = this.takeBatch();
        const outcomes = await this.commitBatch(batch.map(({ append }) => append));
        batch.forEach(({ request, index }, k) => {
          request.outcomes[index] = outcomes[k]!;
          if (--request.remaining === 0) request.resolve(request.outcomes);
        });
        if (outcomes.some((outcome) => outcome.status === 'fulfilled' && outcome.value.written)) this.announceCommit();
      }
    } finally {
      this.draining = undefined;
    }
  }

  private takeBatch(): QueuedAppend[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || events + this.queue[count]!.append.events.length <= MAX_EVENTS_PER_COMMIT)) {
      events += this.queue[count]!.append.events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** Never rejects: each append gets its own outcome. */
  private async commitBatch(appends: readonly StreamAppend[], attempt = 1): Promise<Outcome[]> {
    try {
      await this.prepare();
      return await this.inAppendTransaction(appends);
    } catch (error) {
      // A pooled connection the server has closed meanwhile (a restart, a fail-over) is found out here.
      if (error instanceof ConnectionLostBeforeWrite && attempt < 3) return this.commitBatch(appends, attempt + 1);
      if (error instanceof BatchWriteFailed && appends.length > 1) {
        // Writes do not fail in the normal course; when one does, each append is tried alone, so
        // only the one that cannot be written is refused.
        const outcomes: Outcome[] = [];
        for (const append of appends) outcomes.push((await this.commitBatch([append]))[0]!);
        return outcomes;
      }
      // Nothing of the batch is stored, unless the connection broke during COMMIT: then a retry
      // with the same event ids settles it.
      const reason = error instanceof BatchWriteFailed || error instanceof ConnectionLostBeforeWrite ? error.cause : error;
      return appends.map(() => ({ status: 'rejected', reason }));
    }
  }

  private inAppendTransaction(appends: readonly StreamAppend[]): Promise<Outcome[]> {
    return this.inTransaction(async (client) => {
      const { outcomes, written } = await appendWithinTransaction(client, this.statements, appends, this.clock(), {
        then: this.statements.commit(this.channel),
        forceSynchronousCommit: this.forceSynchronousCommit,
      });
      // Nothing written (retries and refusals only): the transaction is still open, and holds nothing worth a commit.
      if (written === 0) await client.query('ROLLBACK');
      return outcomes;
    }, beforeWrite);
  }

  /** On the writer's connection; `work` ends the transaction it opens, or it is rolled back here. */
  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, connecting = <C>(connection: Promise<C>) => connection): Promise<T> {
    const client = await connecting(this.writer.connect());
    let broken: Error | undefined;
    // A connection lost while in use is reported as an error event too: without a listener it would crash the process.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      if (!broken) await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async readStream(streamName: string, { fromRevision = 0n, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await this.prepare();
    const { rows } = await this.readers.query<EventRow>(this.statements.readStream, [streamName, fromRevision.toString(), limitOf(maxCount)]);
    return rows.map(toRecordedEvent);
  }

  async readAll({ after = 0n, maxCount }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    await this.prepare();
    const { rows } = await this.readers.query<EventRow>(this.statements.readAll, [after.toString(), limitOf(maxCount)]);
    return rows.map(toRecordedEventKeepingItsJson);
  }

  async headPosition(): Promise<bigint> {
    await this.prepare();
    const { rows } = await this.readers.query<{ position: string }>(this.statements.headPosition);
    return BigInt(rows[0]!.position);
  }

  /**
   * A page of streams at a time, walked along the stream-name index from `<category>-`: no scan of
   * other categories, and never more than two pages of events in memory. The next page is asked for
   * as soon as the last one arrives, so the database reads it while the caller works through this
   * one.
   */
  async *readCategory(category: string): AsyncIterable<CategoryStream> {
    await this.prepare();
    // Names compare byte-wise: those starting with "<category>-" lie below "<category>." ('.' follows '-').
    const end = `${category}.`;
    const pageAfter = (after: string) => this.readers.query<EventRow>(this.statements.categoryPage, [after, end, CATEGORY_PAGE_STREAMS]);
    let next: Promise<pg.QueryResult<EventRow>> | undefined = pageAfter(`${category}-`);
    try {
      while (next) {
        const { rows } = await next;
        next = undefined;
        const lastName = rows.at(-1)?.stream_name;
        if (lastName !== undefined && streamsIn(rows) === CATEGORY_PAGE_STREAMS) {
          next = pageAfter(lastName);
          // Failing or not, its outcome is taken below, or dropped here when the caller stops early.
          next.catch(() => undefined);
        }
        yield* categoryStreamsOf(rows.map(toRecordedEvent));
      }
    } finally {
      await next?.catch(() => undefined);
    }
  }

  async streamHeads(streamNames: readonly string[]): Promise<Map<string, StreamHead>> {
    await this.prepare();
    const found = new Map<string, StreamHead>();
    for (let start = 0; start < streamNames.length; start += NAMES_PER_QUERY) {
      const { rows } = await this.readers.query<{ stream_name: string; revision: string; type: string }>(this.statements.streamHeads, [
        streamNames.slice(start, start + NAMES_PER_QUERY),
      ]);
      for (const { stream_name, revision, type } of rows) found.set(stream_name, { revision: BigInt(revision), lastEventType: type });
    }
    return found;
  }

  async readLastEvents(streamNames: readonly string[]): Promise<Map<string, RecordedEvent>> {
    await this.prepare();
    const found = new Map<string, RecordedEvent>();
    for (let start = 0; start < streamNames.length; start += NAMES_PER_QUERY) {
      const { rows } = await this.readers.query<EventRow>(this.statements.lastEvents, [streamNames.slice(start, start + NAMES_PER_QUERY)]);
      for (const row of rows) found.set(row.stream_name, toRecordedEvent(row));
    }
    return found;
  }

  async readStreams(streamNames: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    await this.prepare();
    const found = new Map<string, RecordedEvent[]>();
    for (let start = 0; start < streamNames.length; start += NAMES_PER_QUERY) {
      const { rows } = await this.readers.query<EventRow>(this.statements.streams, [streamNames.slice(start, start + NAMES_PER_QUERY)]);
      for (const { streamName, events } of categoryStreamsOf(rows.map(toRecordedEvent))) found.set(streamName, events);
    }
    return found;
  }

  async *streamChangesAfter(categories: readonly string[], after: bigint): AsyncIterable<readonly StreamChange[]> {
    if (categories.length === 0) return;
    const head = await this.headPosition();
    // Names compare byte-wise: those starting with "<category>-" lie below "<category>." ('.' follows '-').
    const [lows, highs] = [categories.map((category) => `${category}-`), categories.map((category) => `${category}.`)];
    for (let from = after; from < head; ) {
      const to = from + CHANGES_WINDOW < head ? from + CHANGES_WINDOW : head;
      const { rows } = await this.readers.query<{ position: string; stream_name: string; stream_revision: string; type: string }>(this.statements.changesWindow, [
        from.toString(),
        to.toString(),
        lows,
        highs,
      ]);
      if (rows.length > 0) {
        yield rows.map((row) => ({ streamName: row.stream_name, streamRevision: BigInt(row.stream_revision), type: row.type, globalPosition: BigInt(row.position) }));
      }
      from = to;
    }
  }

  async *streamHeadsOfCategory(category: string): AsyncIterable<readonly CategoryStreamHead[]> {
    await this.prepare();
    const end = `${category}.`;
    for (let from = `${category}-`; ; ) {
      const { rows } = await this.readers.query<{ stream_name: string; revision: string; type: string; position: string }>(this.statements.categoryHeads, [from, end, HEADS_PAGE]);
      if (rows.length > 0) {
        yield rows.map((row) => ({ streamName: row.stream_name, revision: BigInt(row.revision), lastEventType: row.type, lastPosition: BigInt(row.position) }));
      }
      if (rows.length < HEADS_PAGE) return;
      from = rows.at(-1)!.stream_name;
    }
  }

  subscribeToAll({ after = 0n }: SubscribeOptions = {}): Subscription {
    // Every delivery reads committed rows by position, and every snapshot holds a prefix of the log
    // (positions are handed out under the append lock), so neither the switch from catch-up to live
    // nor a transaction committing late can open a gap or repeat an event.
    let checkpoint = after;
    let buffered: RecordedEvent[] = [];
    let next = 0;
    let closed = false;
    let failingSince: number | undefined;
    let failures = 0;
    let wake: (() => void) | undefined;
    const store = this;

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          store.wakeUps.delete(done);
          wake = undefined;
          resolve();
        }
        wake = done;
        store.wakeUps.add(done);
      });

    const iterator: AsyncIterator<RecordedEvent> = {
      async next() {
        while (!closed && !store.closed) {
          if (next < buffered.length) return { value: buffered[next++]!, done: false };
          const seen = store.commitGeneration;
          try {
            buffered = await store.readAll({ after: checkpoint, maxCount: store.subscriptionBatchSize });
            failingSince = undefined;
            failures = 0;
          } catch (error) {
            if (closed || store.closed) break;
            // PostgreSQL restarting or out of reach: keep trying for a while, from the same checkpoint.
            if (!isConnectionFailure(error)) throw error;
            failingSince ??= Date.now();
            if (Date.now() - failingSince > SUBSCRIPTION_OUTAGE_LIMIT_MS) throw error;
            buffered = [];
            await pause(Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** failures++));
            continue;
          }
          next = 0;
          if (buffered.length > 0) checkpoint = buffered[buffered.length - 1]!.globalPosition;
          else {
            store.listen();
            // A commit announced since the read began means read again now.
            if (store.commitGeneration === seen) await pause(store.pollIntervalMs);
          }
        }
        return { value: undefined, done: true };
      },
      async return() {
        closed = true;
        wake?.();
        return { value: undefined, done: true };
      },
    };
    return {
      [Symbol.asyncIterator]: () => iterator,
      async close() {
        await iterator.return!();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends accepted before close are committed, as the SQLite adapter flushes its queue.
    await this.draining;
    for (const wakeUp of this.wakeUps) wakeUp();
    const listener = this.listener;
    this.listener = undefined;
    await Promise.all([listener?.end().catch(() => undefined), this.writer.end(), this.readers.end()]);
  }

  private announceCommit(): void {
    this.commitGeneration++;
    for (const wakeUp of this.wakeUps) wakeUp();
  }

  /**
   * One LISTEN connection per store tells its subscriptions of commits made by other processes.
   * While it is down they still poll, and it is opened again at the next wait.
   */
  private listen(): void {
    if (this.listener || this.closed || Date.now() < this.listenerRetryAt) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    this.listener = client;
    const drop = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listenerRetryAt = Date.now() + LISTENER_RETRY_DELAY_MS;
      client.end().catch(() => undefined);
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', () => this.announceCommit());
    client
      .connect()
      .then(() => client.query(`LISTEN ${this.channel}`))
      // Commits made before LISTEN took effect were announced to nobody: look once more.
      .then(() => this.announceCommit())
      .catch(drop);
  }

  /** Creates or migrates the schema once, on first use; a failure is retried by the next call. */
  private prepare(): Promise<void> {
    this.prepared ??= this.migrate().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('BEGIN');
      // Two processes opening a new database at once: one creates, the other finds it done.
      await client.query(this.statements.migrationLock);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(this.statements.createMigrations);
      const { rows } = await client.query<{ version: number }>(this.statements.appliedMigrations);
      const applied = new Set(rows.map(({ version }) => version));
      for (const { version, statements } of eventLogMigrations(this.schema)) {
        if (applied.has(version)) continue;
        for (const statement of statements) await client.query(statement);
        await client.query(this.statements.recordMigration, [version]);
      }
      await client.query('COMMIT');
      const setting = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      this.forceSynchronousCommit = setting.rows[0]!.synchronous_commit === 'off';
    });
  }
}

/**
 * Opens an append transaction on `client`, takes the append lock, decides every append of the
 * batch and writes what they add, then runs `then` in the same round trip: the store commits there
 * (`NOTIFY …; COMMIT`); a test that holds a transaction open on purpose passes nothing. When no
 * append writes anything, the transaction is left open for the caller to roll back.
 */
export async function appendWithinTransaction(
  client: pg.ClientBase,
  statements: EventLogStatements,
  appends: readonly StreamAppend[],
  recordedAt: Date,
  { then = '', forceSynchronousCommit = false }: { readonly then?: string; readonly forceSynchronousCommit?: boolean } = {},
): Promise<{ readonly outcomes: Outcome[]; readonly written: number }> {
  const names = [...new Set(appends.map(({ streamName }) => streamName))];
  const results = (await beforeWrite(client.query(statements.beginLockAndReadStreams(JSON.stringify(names), forceSynchronousCommit)))) as unknown as pg.QueryResult[];
  const head = (results.at(-2) as pg.QueryResult<{ position: string; stream_count: string }>).rows[0]!;
  const streams = new Map<string, StoredStream>();
  for (const row of (results.at(-1) as pg.QueryResult<{ stream_id: string; stream_name: string; revision: string }>).rows) {
    streams.set(row.stream_name, { streamId: BigInt(row.stream_id), revision: BigInt(row.revision) });
  }

  // Read only when an append may be a retry: an append at the head of its stream, or to a new one, reads nothing.
  const reads = retryReadsFor(appends, streams);
  const stored: StoredEvent[] = [];
  const firstRevisionsById: Array<{ streamId: bigint; eventId: string; revision: bigint }> = [];
  if (reads.ranges.length > 0 || reads.byId.length > 0) {
    const { rows } = await beforeWrite(
      client.query<{
        stream_id: string;
        stream_revision: string;
        position: string;
        event_id: string;
        type: string;
        schema_version: number;
        data: string;
        looked_up: string | null;
      }>(statements.retryCandidates, [
        reads.ranges.map(({ streamId }) => streamId.toString()),
        reads.ranges.map(({ first }) => first.toString()),
        reads.ranges.map(({ last }) => last.toString()),
        reads.byId.map(({ streamId }) => streamId.toString()),
        reads.byId.map(({ eventId }) => eventId),
        reads.byId.map(({ count }) => count),
      ]),
    );
    for (const row of rows) {
      const event = {
        streamId: BigInt(row.stream_id),
        revision: BigInt(row.stream_revision),
        position: BigInt(row.position),
        id: row.event_id,
        type: row.type,
        schemaVersion: row.schema_version,
        data: row.data,
      };
      stored.push(event);
      if (row.looked_up !== null) firstRevisionsById.push({ streamId: event.streamId, eventId: row.looked_up, revision: event.revision });
    }
  }

  const plan = new AppendPlan({ position: BigInt(head.position), streamCount: BigInt(head.stream_count) }, streams, stored, firstRevisionsById);
  const outcomes = appends.map((append): Outcome => {
    try {
      return { status: 'fulfilled', value: plan.decide(append) };
    } catch (reason) {
      if (reason instanceof WrongExpectedRevision || reason instanceof EventIdConflict) return { status: 'rejected', reason };
      throw reason;
    }
  });
  if (plan.rows.length === 0) return { outcomes, written: 0 };

  const metadataJson = metadataSerialiser();
  const batch = {
    position: plan.head.position,
    streamCount: plan.head.streamCount,
    createdStreamsJson: JSON.stringify(plan.createdStreams.map(({ streamId, streamName, revision }) => ({ stream_id: String(streamId), stream_name: streamName, revision: String(revision) }))),
    movedStreamsJson: JSON.stringify(plan.movedStreams.map(({ streamId, revision }) => ({ stream_id: String(streamId), revision: String(revision) }))),
    eventsJson: JSON.stringify(
      plan.rows.map(({ position, streamId, revision, event }) => {
        const json = serialised.get(event);
        return {
          p: String(position),
          s: String(streamId),
          r: String(revision),
          i: event.id,
          t: event.type,
          v: event.schemaVersion,
          d: json?.data ?? JSON.stringify(event.data),
          m: json?.metadata ?? metadataJson(event.metadata),
        };
      }),
    ),
    recordedAt,
  };
  try {
    await client.query(statements.writeBatch(batch, then));
  } catch (error) {
    // A lost connection leaves the outcome unknown (the commit may have happened): that is not a write to try again alone.
    if (isConnectionFailure(error)) throw error;
    throw new BatchWriteFailed('A write failed in a group commit', { cause: error });
  }
  return { outcomes, written: plan.rows.length };
}

/** A query sent before the batch's write: a lost connection there has written nothing. */
async function beforeWrite<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw isConnectionFailure(error) ? new ConnectionLostBeforeWrite('The connection was lost before the append was written', { cause: error }) : error;
  }
}

/** The JSON of the events checked on their way in, reused when they are written. */
const serialised = new WeakMap<EventToAppend, { readonly data: string; readonly metadata: string }>();

/**
 * The port's checks, its maximum append size, and what PostgreSQL text cannot hold: a NUL would
 * fail the whole batch's look-ups, not just this append.
 */
function assertStorable(streamName: string, events: readonly EventToAppend[]): void {
  assertAppendable(streamName, events);
  if (streamName.includes('\0')) throw new InvalidAppend(`Stream name ${JSON.stringify(streamName)} contains a NUL character`);
  let bytes = 0;
  let previous: { readonly object: EventMetadata; readonly json: string } | undefined;
  for (const event of events) {
    if (event.type.includes('\0')) throw new InvalidAppend(`Event type ${JSON.stringify(event.type)} contains a NUL character`);
    if (previous?.object !== event.metadata) previous = { object: event.metadata, json: JSON.stringify(event.metadata) };
    const json = { data: JSON.stringify(event.data), metadata: previous.json };
    serialised.set(event, json);
    bytes += eventSizeOf(json.data, json.metadata);
  }
  if (bytes > MAX_APPEND_BYTES) throw new AppendTooLarge(streamName, bytes);
}

/** The connection's startup options: those the URL names, if any, and JIT off. */
function withoutJit(databaseUrl: string): string {
  let named: string | null = null;
  try {
    named = new URL(databaseUrl).searchParams.get('options');
  } catch {
    // A connection string pg reads but a URL parser does not: it names no options of its own here.
  }
  return [named, '-c jit=off'].filter(Boolean).join(' ');
}

/** How many streams a category page holds: its rows come stream after stream. */
function streamsIn(rows: readonly EventRow[]): number {
  let streams = 0;
  for (let index = 0; index < rows.length; index++) if (index === 0 || rows[index]!.stream_name !== rows[index - 1]!.stream_name) streams++;
  return streams;
}

/** No limit for an absent or negative count, as in the SQLite adapter. */
const limitOf = (maxCount: number | undefined) => (maxCount === undefined || maxCount < 0 ? null : maxCount);

/** Failures a later attempt can outlive: the server restarting, unreachable, or refusing connections for now. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  return error instanceof Error && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    streamName: row.stream_name,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: BigInt(row.position),
    recordedAt: row.recorded_at,
  };
}

/**
 * An event of the global log, with the JSON text it was stored as: the audit chain hashes that text
 * rather than serialising the event again. Reads for deciding keep only the parsed event: a batch of
 * streams is held while its commands are decided, and the text beside each event would be held too.
 */
function toRecordedEventKeepingItsJson(row: EventRow): RecordedEvent {
  return withStoredJson(toRecordedEvent(row), row.data, row.metadata);
}
