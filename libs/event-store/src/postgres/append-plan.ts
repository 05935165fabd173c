import { sameContent } from '../event-content.js';
import {
  EventIdConflict,
  WrongExpectedRevision,
  type AppendResult,
  type EventMetadata,
  type EventToAppend,
  type ExpectedRevision,
  type JsonValue,
  type StreamAppend,
} from '../event-store.port.js';

/** A stream as the log holds it when the batch's transaction has taken the append lock. */
export interface StoredStream {
  readonly streamId: bigint;
  readonly revision: bigint;
}

/** An event already in the log, read because an append of the batch may be a retry of it. */
export interface StoredEvent {
  readonly streamId: bigint;
  readonly revision: bigint;
  readonly position: bigint;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The stored JSON text, parsed only when a retry's content has to be compared. */
  readonly data: string;
}

/** What the transaction reads before deciding: the events an append would find if it were a retry. */
export interface RetryReads {
  /** Revisions `first..last` of a stream: where an append pinned to a place would have put its events. */
  readonly ranges: Array<{ readonly streamId: bigint; readonly first: bigint; readonly last: bigint }>;
  /** `count` events from the first of the stream that carries `eventId`: for "any" and "stream exists". */
  readonly byId: Array<{ readonly streamId: bigint; readonly eventId: string; readonly count: number }>;
}

export interface EventRowToInsert {
  readonly position: bigint;
  readonly streamId: bigint;
  readonly revision: bigint;
  readonly event: EventToAppend;
}

interface KnownEvent {
  readonly revision: bigint;
  readonly position: bigint;
  /** Lower case: PostgreSQL hands uuids back that way. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: () => JsonValue;
}

interface StreamInBatch {
  readonly streamName: string;
  readonly streamId: bigint;
  revision: bigint;
  /** Created by this batch: inserted with its final revision rather than moved. */
  readonly created: boolean;
  /** Events this batch writes to the stream, in revision order. */
  readonly written: KnownEvent[];
}

/** The events a batch's appends could be retries of, given the streams' heads at the lock. */
export function retryReadsFor(batch: readonly StreamAppend[], streams: ReadonlyMap<string, StoredStream>): RetryReads {
  const reads: RetryReads = { ranges: [], byId: [] };
  for (const { streamName, events, expectedRevision } of batch) {
    const stream = streams.get(streamName);
    if (!stream) continue;
    if (expectedRevision === 'any' || expectedRevision === 'stream_exists') {
      reads.byId.push({ streamId: stream.streamId, eventId: events[0]!.id, count: events.length });
      continue;
    }
    const first = expectedRevision === 'no_stream' ? 0n : expectedRevision + 1n;
    const last = first + BigInt(events.length) - 1n;
    // Nothing is stored past the head; whatever lies there after this batch, the batch itself writes.
    if (first <= stream.revision) reads.ranges.push({ streamId: stream.streamId, first, last: last < stream.revision ? last : stream.revision });
  }
  return reads;
}

/**
 * Decides a batch of appends, one after the other, exactly as the SQLite adapter checks and writes
 * them inside its transaction: each against its own expected revision, a retry recognised where
 * the retried events would have landed, and every append seeing the ones decided before it. It
 * only plans: positions and stream ids are handed out from the log's head, which the transaction
 * holds locked, and the caller writes what was planned.
 */
export class AppendPlan {
  private readonly streams = new Map<string, StreamInBatch>();
  private readonly storedById = new Map<string, bigint>();
  private readonly stored = new Map<string, KnownEvent>();
  private position: bigint;
  private streamCount: bigint;
  readonly rows: EventRowToInsert[] = [];

  constructor(
    head: { readonly position: bigint; readonly streamCount: bigint },
    streams: ReadonlyMap<string, StoredStream>,
    storedEvents: readonly StoredEvent[],
    /** For each `byId` read, the revision of the first event with that id, when the stream has one. */
    firstRevisionsById: ReadonlyArray<{ readonly streamId: bigint; readonly eventId: string; readonly revision: bigint }>,
  ) {
    this.position = head.position;
    this.streamCount = head.streamCount;
    for (const [streamName, { streamId, revision }] of streams) this.streams.set(streamName, { streamName, streamId, revision, created: false, written: [] });
    for (const event of storedEvents) {
      let parsed: JsonValue | undefined;
      this.stored.set(eventKey(event.streamId, event.revision), {
        revision: event.revision,
        position: event.position,
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: () => (parsed ??= JSON.parse(event.data) as JsonValue),
      });
    }
    for (const { streamId, eventId, revision } of firstRevisionsById) this.storedById.set(idKey(streamId, eventId), revision);
  }

  /** The head of the log once the planned rows are written. */
  get head(): { readonly position: bigint; readonly streamCount: bigint } {
    return { position: this.position, streamCount: this.streamCount };
  }

  /** Streams this batch creates, with their final revision. */
  get createdStreams(): Array<{ readonly streamId: bigint; readonly streamName: string; readonly revision: bigint }> {
    return [...this.streams.values()].filter((stream) => stream.created).map(({ streamId, streamName, revision }) => ({ streamId, streamName, revision }));
  }

  /** Streams that existed before this batch and that it appends to, with their new revision. */
  get movedStreams(): Array<{ readonly streamId: bigint; readonly revision: bigint }> {
    return [...this.streams.values()].filter((stream) => !stream.created && stream.written.length > 0).map(({ streamId, revision }) => ({ streamId, revision }));
  }

  /** Throws WrongExpectedRevision or EventIdConflict, having planned nothing for this append. */
  decide({ streamName, events, expectedRevision }: StreamAppend): AppendResult {
    const stream = this.streams.get(streamName);
    if (expectedRevision === 'no_stream' && !stream) return this.write(streamName, undefined, events);
    const head = stream?.revision;
    const retried = stream && this.alreadyAppended(stream, events, expectedRevision);
    if (retried) return retried;

    const expectationHolds =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && head === undefined) ||
      (expectedRevision === 'stream_exists' && head !== undefined) ||
      (typeof expectedRevision === 'bigint' && head === expectedRevision);
    if (!expectationHolds) throw new WrongExpectedRevision(streamName, expectedRevision, head ?? 'no_stream');
    return this.write(streamName, stream, events);
  }

  private write(streamName: string, existing: StreamInBatch | undefined, events: readonly EventToAppend[]): AppendResult {
    const stream = existing ?? { streamName, streamId: (this.streamCount += 1n), revision: -1n, created: true, written: [] };
    if (!existing) this.streams.set(streamName, stream);
    for (const event of events) {
      stream.revision += 1n;
      this.position += 1n;
      const { data } = event;
      stream.written.push({ revision: stream.revision, position: this.position, id: event.id.toLowerCase(), type: event.type, schemaVersion: event.schemaVersion, data: () => data });
      this.rows.push({ position: this.position, streamId: stream.streamId, revision: stream.revision, event });
    }
    return { nextExpectedRevision: stream.revision, position: this.position, written: true };
  }

  /**
   * An append is a retry when its first event id is already in the stream where that append would
   * have put it. Then every event must be there, in order, with the same content.
   */
  private alreadyAppended(stream: StreamInBatch, events: readonly EventToAppend[], expected: ExpectedRevision): AppendResult | undefined {
    const firstRevision =
      typeof expected === 'bigint' ? expected + 1n
      : expected === 'no_stream' ? 0n
      : this.firstRevisionOf(stream, events[0]!.id.toLowerCase());
    if (firstRevision === undefined) return undefined;
    const first = this.eventAt(stream, firstRevision);
    if (!first || first.id !== events[0]!.id.toLowerCase()) return undefined;

    let last = first;
    for (const [index, event] of events.entries()) {
      const stored = index === 0 ? first : this.eventAt(stream, firstRevision + BigInt(index));
      if (!stored || stored.id !== event.id.toLowerCase()) throw new WrongExpectedRevision(stream.streamName, expected, stream.revision);
      if (!sameContent({ type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data() }, event)) {
        throw new EventIdConflict(stream.streamName, event.id);
      }
      last = stored;
    }
    return { nextExpectedRevision: last.revision, position: last.position, written: false };
  }

  /** The stored events come first: they hold the lower revisions. */
  private firstRevisionOf(stream: StreamInBatch, id: string): bigint | undefined {
    return this.storedById.get(idKey(stream.streamId, id)) ?? stream.written.find((event) => event.id === id)?.revision;
  }

  private eventAt(stream: StreamInBatch, revision: bigint): KnownEvent | undefined {
    const stored = this.stored.get(eventKey(stream.streamId, revision));
    if (stored) return stored;
    const firstWritten = stream.written[0]?.revision;
    return firstWritten === undefined || revision < firstWritten ? undefined : stream.written[Number(revision - firstWritten)];
  }
}

/** The metadata objects of a batch are usually one object shared by its appends: serialised once. */
export function metadataSerialiser(): (metadata: EventMetadata) => string {
  let last: { object: EventMetadata; json: string } | undefined;
  return (metadata) => {
    if (last?.object !== metadata) last = { object: metadata, json: JSON.stringify(metadata) };
    return last.json;
  };
}

const eventKey = (streamId: bigint, revision: bigint) => `${streamId}/${revision}`;
const idKey = (streamId: bigint, eventId: string) => `${streamId}/${eventId.toLowerCase()}`;
