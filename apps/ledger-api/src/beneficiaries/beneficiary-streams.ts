import {
  disbursementIdFor,
  firstOwedPeriodOf,
  localDateInVietnam,
  NotFound,
  periodsFromTo,
  schedulingHorizon,
  type BeneficiaryState,
  type DisbursementState,
  type DomainEvent,
  type StreamCommand,
} from '@ledger/domain';
import { readExistingAggregates, type CommandOutcome, type EventStore } from '@ledger/event-store';
import { assertActorMayChangeRecordIn, type CommandContext, type UnitHierarchy } from '../platform/index.js';

/**
 * Who may change a beneficiary: someone whose units hold their record. Outside them the person is
 * answered as unknown, exactly as an id that names no one, so a refusal never tells that they exist.
 */
export function assertMayChangeBeneficiary(state: BeneficiaryState | undefined, context: CommandContext, units: UnitHierarchy): void {
  const unknown = () => new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
  if (!state?.registered) throw unknown();
  assertActorMayChangeRecordIn(context.actor, state.unitCode, units, unknown);
}

/**
 * The disbursements of these programs that exist, from the first month any of them could be owed to
 * the furthest a run may reach: what a change of the person's enrollments may cancel, reinstate or flag.
 */
export function disbursementsOf(store: EventStore, beneficiary: BeneficiaryState, programs: readonly string[], context: CommandContext): Promise<DisbursementState[]> {
  const horizon = schedulingHorizon(localDateInVietnam(context.receivedAt));
  const ids = programs.flatMap((program) => {
    const enrollment = beneficiary.enrollments[program];
    if (!enrollment) return [];
    return periodsFromTo(firstOwedPeriodOf(enrollment), horizon).map((period) => disbursementIdFor(beneficiary.beneficiaryId, program, period));
  });
  return readExistingAggregates(store, 'disbursement', ids);
}

/** How many follow-ups of one kind wrote something: a request repeated after a crash counts only what it finished. */
export function followUpsWritten(type: StreamCommand['command']['type'], followUps: readonly StreamCommand[], outcomes: ReadonlyArray<CommandOutcome<unknown, DomainEvent>>): number {
  return followUps.filter((followUp, index) => followUp.command.type === type && outcomes[index]!.newEvents.length > 0).length;
}
