import type { DomainError } from './shared/domain-errors.js';

/** A fact in a stream: an explicit type string and its data. Stored names never come from class names. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * What a command decides. Usually the events to record. Sometimes a refusal that must itself leave
 * a trace (a rejected duplicate payment is reported to auditors): record these events, then refuse.
 */
export type Decision<Event extends DomainEvent> =
  | readonly Event[]
  | { readonly record: readonly Event[]; readonly thenRefuse: DomainError };

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly decide: (command: Command, state: State) => Decision<Event>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

export function eventsToRecord<Event extends DomainEvent>(decision: Decision<Event>): readonly Event[] {
  return 'thenRefuse' in decision ? decision.record : decision;
}

export function refusalOf<Event extends DomainEvent>(decision: Decision<Event>): DomainError | undefined {
  return 'thenRefuse' in decision ? decision.thenRefuse : undefined;
}

export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Exhaustiveness check for switches over unions. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
