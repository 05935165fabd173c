import { expect } from '@jest/globals';
import { eventsToRecord, refusalOf, type Decider, type DomainEvent } from '../decider.js';
import type { DomainError } from '../shared/domain-errors.js';

type ErrorClass = abstract new (...args: never[]) => DomainError;

/** given(events).when(command).then(events) / .thenRefuses(ErrorClass, code), as in emmett. */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[] = []) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]) {
              const decision = decide();
              expect(refusalOf(decision)).toBeUndefined();
              expect(eventsToRecord(decision)).toEqual(expected);
            },
            thenRefuses(errorClass: ErrorClass, code: string) {
              let refusal: unknown;
              try {
                refusal = refusalOf(decide());
              } catch (error) {
                refusal = error;
              }
              expect(refusal).toBeInstanceOf(errorClass);
              expect((refusal as DomainError).code).toBe(code);
            },
            thenRecordsAndRefuses(expected: readonly Event[], errorClass: ErrorClass, code: string) {
              const decision = decide();
              expect(eventsToRecord(decision)).toEqual(expected);
              expect(refusalOf(decision)).toBeInstanceOf(errorClass);
              expect(refusalOf(decision)!.code).toBe(code);
            },
          };
        },
      };
    },
  };
}
