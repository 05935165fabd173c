import {
  AGGREGATES,
  fold,
  streamNameOf,
  type AggregateName,
  type DomainEvent,
  type EventOf,
  type StateOf,
  type StreamCommand,
} from '@ledger/domain';
import { domainStreamOf, handleCommand, seedOf, type CommandMetadata, type CommandOutcome } from './command-handling.js';
import { boundedAppendsOf } from './event-content.js';
import { InvalidAppend, type AppendResult, type EventStore, type EventToAppend, type RecordedEvent } from './event-store.port.js';

/** A stream as read: its domain events (upcast) and the records they came from. */
export interface ReadStream<Event extends DomainEvent = DomainEvent> {
  readonly events: Event[];
  readonly recorded: RecordedEvent[];
}

export interface StreamCommandOptions<State = unknown> {
  /** Who and why, per command: every event carries the name of the command that wrote it. */
  readonly metadata: CommandMetadata | ((target: StreamCommand) => CommandMetadata);
  /**
   * Seed of the event ids of a whole request (from its idempotency key). Each command's own seed is
   * derived from it and the command's type, so two commands on one stream never collide and a
   * repeated request finds every event it wrote. Without one, ids are random.
   */
  readonly eventIdSeed?: string;
  /** The stream as the caller just read it; it is decided on without reading it again. */
  readonly alreadyRead?: ReadStream;
  /** Checks on the current state before deciding, such as the actor's unit scope. */
  readonly guard?: (state: State) => void;
}

/**
 * The one executor of what deciders and workflows decide: the command goes to its aggregate's
 * stream (name and decider from the domain's registry) through `handleCommand` — read, fold,
 * decide, append at the revision read.
 */
export function executeStreamCommand<Name extends AggregateName>(
  store: EventStore,
  target: StreamCommand<Name>,
  options: StreamCommandOptions<StateOf<Name>>,
): Promise<CommandOutcome<StateOf<Name>, EventOf<Name>>> {
  const aggregate = AGGREGATES[target.aggregate] as unknown as (typeof AGGREGATES)['beneficiary'];
  const command = target as StreamCommand;
  const metadata = typeof options.metadata === 'function' ? options.metadata(command) : options.metadata;
  return handleCommand(store, aggregate.decider, streamNameOf(command), command.command as never, {
    metadata,
    ...(options.eventIdSeed === undefined ? {} : { eventIdSeed: commandSeed(options.eventIdSeed, command) }),
    ...(options.alreadyRead ? { alreadyRead: options.alreadyRead } : {}),
    ...(options.guard ? { guard: options.guard as never } : {}),
  }) as unknown as Promise<CommandOutcome<StateOf<Name>, EventOf<Name>>>;
}

/**
 * A workflow's commands, one after the other in the order it decided them: when a later command
 * depends on an earlier one (claim a reference, then record the payment), a crash between them
 * leaves the earlier one done, and the repeated request finds it done and carries on.
 */
export async function executeStreamCommands(
  store: EventStore,
  targets: readonly StreamCommand[],
  options: Omit<StreamCommandOptions, 'alreadyRead' | 'guard'>,
): Promise<Array<CommandOutcome<unknown, DomainEvent>>> {
  const outcomes: Array<CommandOutcome<unknown, DomainEvent>> = [];
  for (const target of targets) outcomes.push(await executeStreamCommand(store, target, options));
  return outcomes;
}

/** An aggregate as read: the state folded from its stream, and the stream, to append at the revision read. */
export interface AggregateRead<Name extends AggregateName> {
  readonly state: StateOf<Name>;
  readonly read: ReadStream<EventOf<Name>>;
}

/** Reads an aggregate's stream and folds it: the state a workflow decides on. */
export async function readAggregate<Name extends AggregateName>(store: EventStore, aggregate: Name, id: string): Promise<AggregateRead<Name>> {
  return aggregateOf(aggregate, await store.readStream(AGGREGATES[aggregate].streamName(id)));
}

/**
 * Many aggregates of one kind, their streams read in one call: for a caller deciding on a batch (a
 * result file's chunk). Every id asked for is answered, one whose stream holds nothing with the
 * initial state, as readAggregate answers it.
 */
export async function readAggregates<Name extends AggregateName>(store: EventStore, aggregate: Name, ids: Iterable<string>): Promise<Map<string, AggregateRead<Name>>> {
  const names = new Map([...ids].map((id) => [id, AGGREGATES[aggregate].streamName(id)]));
  const streams = names.size === 0 ? new Map<string, RecordedEvent[]>() : await store.readStreams([...names.values()]);
  return new Map([...names].map(([id, name]) => [id, aggregateOf(aggregate, streams.get(name) ?? [])]));
}

function aggregateOf<Name extends AggregateName>(aggregate: Name, recorded: RecordedEvent[]): AggregateRead<Name> {
  const read = domainStreamOf<EventOf<Name>>(recorded);
  const decider = AGGREGATES[aggregate].decider as unknown as Parameters<typeof fold<EventOf<Name>, StateOf<Name>>>[0];
  return { state: fold(decider, read.events), read };
}

/** Several streams of one aggregate, only those that exist (one look-up for all of them), read concurrently. */
export async function readExistingAggregates<Name extends AggregateName>(store: EventStore, aggregate: Name, ids: readonly string[]): Promise<Array<StateOf<Name>>> {
  const names = ids.map((id) => AGGREGATES[aggregate].streamName(id));
  const heads = await store.streamHeads(names);
  const existing = ids.filter((_, index) => heads.has(names[index]!));
  return Promise.all(existing.map(async (id) => (await readAggregate(store, aggregate, id)).state));
}

/**
 * Records more than one append may carry (MAX_APPEND_BYTES) on one stream: consecutive appends, in
 * order, each at the exact revision the previous one left, the first at `afterRevision`. A crash
 * between two leaves the first ones written, so the caller's records must show such a stream
 * unfinished (a payroll run stays SCHEDULING until its last record) and its next attempt finish it;
 * the same events appended again at the same revisions are recognised, part by part, as already
 * there. A wrong expected revision means someone else wrote to the stream meanwhile: it is thrown,
 * the parts before it staying written.
 */
export async function appendInBoundedParts(store: EventStore, streamName: string, events: readonly EventToAppend[], afterRevision: bigint): Promise<AppendResult> {
  let result: AppendResult | undefined;
  let expected = afterRevision;
  for (const part of boundedAppendsOf(events)) {
    const appended = await store.appendToStream(streamName, part, expected);
    result = { ...appended, written: appended.written || result?.written === true };
    expected = appended.nextExpectedRevision;
  }
  if (!result) throw new InvalidAppend(`Append to ${streamName} carries no events`);
  return result;
}

function commandSeed(requestSeed: string, target: StreamCommand): string {
  return seedOf(requestSeed, target.aggregate, (target.command as { type: string }).type);
}
