import { createHash, randomUUID } from 'node:crypto';
import {
  eventsToRecord,
  refusalOf,
  schemaVersionOf,
  upcast,
  uuidV5,
  type Decider,
  type Decision,
  type DomainEvent,
} from '@ledger/domain';
import { NO_STREAM, WrongExpectedRevision, type EventMetadata, type EventStore, type EventToAppend, type RecordedEvent } from './event-store.port.js';

/** Who did it and why: written on every event. */
export interface CommandMetadata {
  actorId: string;
  actorRole: string;
  command: string;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  effectiveDate?: string;
}

export interface HandleCommandOptions<State = unknown> {
  readonly metadata: CommandMetadata;
  /**
   * Seed of the event ids. Derived from the idempotency key, it makes a retried command find its
   * own events instead of writing them again. Without one, ids are random.
   */
  readonly eventIdSeed?: string;
  /** How often to re-read and re-decide after losing a race for the stream. */
  readonly maxAttempts?: number;
  /** Checks on the current state before deciding, such as the actor's unit scope. */
  readonly guard?: (state: State) => void;
  /**
   * The stream as the caller just read it (with `readDomainStream`), to decide on without reading
   * it again; a lost race reads it afresh. Its events must be the whole stream.
   */
  readonly alreadyRead?: { readonly events: readonly DomainEvent[]; readonly recorded: readonly RecordedEvent[] };
}

export interface CommandOutcome<State, Event extends DomainEvent> {
  readonly state: State;
  readonly newEvents: readonly Event[];
  /** Global position of the last event the command wrote, or of the stream's last event if it wrote none. */
  readonly position: bigint | null;
  /** True when the command had already been applied by an earlier attempt with the same seed. */
  readonly replayed: boolean;
}

export const EVENT_ID_NAMESPACE = 'c1f6a2f8-0d5e-5b7c-8f3e-2a9d4b6c7e10';

export const eventIdFor = (seed: string, streamName: string, index: number) => uuidV5(`${seed}\u0000${streamName}\u0000${index}`, EVENT_ID_NAMESPACE);

/** Reads a stream and turns its stored events into current-version domain events. */
export async function readDomainStream<Event extends DomainEvent>(store: EventStore, streamName: string): Promise<{ events: Event[]; recorded: RecordedEvent[] }> {
  return domainStreamOf<Event>(await store.readStream(streamName));
}

/** A stream's stored events as current-version domain events, beside the records they came from. */
export function domainStreamOf<Event extends DomainEvent>(recorded: RecordedEvent[]): { events: Event[]; recorded: RecordedEvent[] } {
  return { recorded, events: recorded.map((event) => upcast(event) as Event) };
}

export function toEventToAppend(event: DomainEvent, id: string, metadata: CommandMetadata | EventMetadata): EventToAppend {
  return { id, type: event.type, schemaVersion: schemaVersionOf(event.type), data: event.data as EventToAppend['data'], metadata: storedMetadata(metadata) };
}

/** Metadata as stored: absent fields are left out rather than written as null. */
export function storedMetadata(metadata: CommandMetadata | EventMetadata): EventMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)) as EventMetadata;
}

/**
 * The one way a command changes state: read the stream, fold it, decide, append with the revision
 * that was read. Losing a race (a wrong expected revision) means someone else changed the stream:
 * deciding again on the new state is always safe because decide is pure.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  { metadata, eventIdSeed, maxAttempts = 64, guard, alreadyRead }: HandleCommandOptions<State>,
): Promise<CommandOutcome<State, Event>> {
  for (let attempt = 1; ; attempt++) {
    const { events, recorded } = attempt === 1 && alreadyRead ? (alreadyRead as { events: Event[]; recorded: RecordedEvent[] }) : await readDomainStream<Event>(store, streamName);
    const state = events.reduce(decider.evolve, decider.initialState());
    const lastPosition = recorded.at(-1)?.globalPosition ?? null;
    guard?.(state);

    if (eventIdSeed) {
      const firstId = eventIdFor(eventIdSeed, streamName, 0);
      const earlier = recorded.findIndex((event) => event.id === firstId);
      if (earlier >= 0) {
        // Applied by an earlier attempt. If that decision recorded a refusal (a duplicate payment
        // attempt, kept for the auditors), the retry must be refused the same way, not answered as a
        // success: decide again on the state the first attempt decided on (decide is pure). A retry
        // whose command was made from what the first attempt left (a workflow reads the streams
        // afresh) may no longer be one that state accepts: what was written stands, and is the answer.
        const refusal = recordedRefusalOf(() => decider.decide(command, events.slice(0, earlier).reduce(decider.evolve, decider.initialState())));
        if (refusal) throw refusal;
        const ids = new Set(recorded.map((_, index) => eventIdFor(eventIdSeed, streamName, index)));
        let last = earlier;
        while (last + 1 < recorded.length && ids.has(recorded[last + 1]!.id)) last++;
        return { state, newEvents: [], position: recorded[last]!.globalPosition, replayed: true };
      }
    }

    const decision = decider.decide(command, state);
    const newEvents = eventsToRecord(decision);
    const refusal = refusalOf(decision);
    if (newEvents.length === 0) {
      if (refusal) throw refusal;
      return { state, newEvents, position: lastPosition, replayed: false };
    }

    const toAppend = newEvents.map((event, index) =>
      toEventToAppend(event, eventIdSeed ? eventIdFor(eventIdSeed, streamName, index) : randomUUID(), metadata),
    );
    const expected = recorded.length === 0 ? NO_STREAM : recorded.at(-1)!.streamRevision;
    try {
      const result = await store.appendToStream(streamName, toAppend, expected);
      if (refusal) throw refusal;
      return { state: newEvents.reduce(decider.evolve, state), newEvents, position: result.position, replayed: false };
    } catch (error) {
      if (error instanceof WrongExpectedRevision && attempt < maxAttempts) continue;
      throw error;
    }
  }
}

/** A stream as its one writer keeps it between its own appends: the state folded so far and the revision it is at. */
export interface KnownStream<State> {
  readonly state: State;
  readonly revision: bigint | typeof NO_STREAM;
}

/**
 * A command decided on a stream as its writer knows it and appended at that revision, without reading
 * back or folding again a stream that grows at every command (an import records a thousand chunks on
 * its own; deciding each on a fresh fold of all before it made the import quadratic). Should anyone
 * else have written to the stream meanwhile, the append fails and the command goes the ordinary way,
 * read, fold, decide, after which the stream is known afresh from the store.
 */
export async function handleCommandOnKnownStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  known: KnownStream<State>,
  { metadata }: { readonly metadata: CommandMetadata },
): Promise<KnownStream<State>> {
  const decision = decider.decide(command, known.state);
  const newEvents = eventsToRecord(decision);
  const refusal = refusalOf(decision);
  if (newEvents.length === 0) {
    if (refusal) throw refusal;
    return known;
  }
  try {
    await store.appendToStream(streamName, newEvents.map((event) => toEventToAppend(event, randomUUID(), metadata)), known.revision);
  } catch (error) {
    if (!(error instanceof WrongExpectedRevision)) throw error;
    await handleCommand(store, decider, streamName, command, { metadata });
    const { events, recorded } = await readDomainStream<Event>(store, streamName);
    return { state: events.reduce(decider.evolve, decider.initialState()), revision: recorded.at(-1)?.streamRevision ?? NO_STREAM };
  }
  if (refusal) throw refusal;
  return { state: newEvents.reduce(decider.evolve, known.state), revision: (known.revision === NO_STREAM ? -1n : known.revision) + BigInt(newEvents.length) };
}

function recordedRefusalOf<Event extends DomainEvent>(decide: () => Decision<Event>) {
  try {
    return refusalOf(decide());
  } catch {
    return undefined;
  }
}

/** A stable fingerprint for seeds made of several parts. */
export function seedOf(...parts: Array<string | number | undefined>): string {
  return createHash('sha256').update(parts.map((part) => String(part ?? '')).join('\u0000')).digest('hex');
}
