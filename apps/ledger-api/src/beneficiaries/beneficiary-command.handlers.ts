import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertAccountMayBeOpened,
  claimAccountNumber,
  followEnrollmentChange,
  followRelocation,
  localDateInVietnam,
  openAccountAfterClaim,
  releaseAccountNumber,
  to,
  type BeneficiaryCommand,
  type BeneficiaryState,
  type Catalogues,
  type DomainEvent,
  type StreamCommand,
} from '@ledger/domain';
import { executeStreamCommand, executeStreamCommands, readAggregate, type CommandOutcome, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, latestPosition, metadataPerCommand, positionOf } from '../ledger/command-context.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayActIn, type CommandContext } from '../platform/index.js';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand, type BeneficiaryChange } from './beneficiary.commands.js';
import { assertMayChangeBeneficiary, disbursementsOf, followUpsWritten } from './beneficiary-streams.js';

@CommandHandler(EnrollBeneficiaryCommand)
export class EnrollBeneficiaryHandler implements ICommandHandler<EnrollBeneficiaryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ enrollment, context }: EnrollBeneficiaryCommand) {
    const { beneficiaryId, unitCode } = enrollment.data;
    assertActorMayActIn(context.actor, unitCode, this.catalogues.units);
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, enrollment), {
      metadata: metadataPerCommand(context),
      eventIdSeed: eventIdSeedFor(context, enrollment.type),
    });
    return { beneficiaryId, position: positionOf(outcome.position) };
  }
}

/**
 * A change to a beneficiary, then what the domain's workflows say follows from it on other streams.
 * The beneficiary's own stream is written first: it is the authority the follow-ups are decided on,
 * and a request repeated after a crash finds it written and finishes the follow-ups.
 */
@CommandHandler(ChangeBeneficiaryCommand)
export class ChangeBeneficiaryHandler implements ICommandHandler<ChangeBeneficiaryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
    @Inject(LedgerIdentifiers) private readonly identifiers: LedgerIdentifiers,
  ) {}

  async execute({ beneficiaryId, change, context }: ChangeBeneficiaryCommand) {
    const options = { metadata: metadataPerCommand(context), eventIdSeed: eventIdSeedFor(context, change.type) };
    if (change.type === 'OpenPaymentAccount') return this.openAccount(beneficiaryId, change.data, context, options);

    if (change.type === 'RelocateBeneficiary') {
      // A district cannot push people into another district: the operator must work in both units.
      assertActorMayActIn(context.actor, change.data.unitCode, this.catalogues.units);
    }
    const command = withCallerFacts(change, context);
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, command), { ...options, guard: (state) => this.assertMayChange(state, context) });
    const beneficiary = outcome.state;
    const result = { beneficiaryId, position: positionOf(outcome.position) };

    switch (command.type) {
      case 'SuspendEnrollment':
      case 'ResumeEnrollment':
      case 'TerminateEnrollment':
      case 'CorrectTermination':
      case 'RevokeTermination': {
        const { program } = command.data;
        const disbursements = await disbursementsOf(this.store, beneficiary, [program], context);
        const followUps = followEnrollmentChange({ beneficiary, program, disbursements, reason: reasonOf(command) });
        const outcomes = await executeStreamCommands(this.store, followUps, options);
        return { ...result, position: positionOf(latestPosition(outcome.position, ...outcomes.map((o) => o.position))), ...countFollowUps(command.type, followUps, outcomes) };
      }
      case 'RelocateBeneficiary': {
        const disbursements = await disbursementsOf(this.store, beneficiary, Object.keys(beneficiary.enrollments), context);
        const followUps = followRelocation({ beneficiary, disbursements });
        const outcomes = await executeStreamCommands(this.store, followUps, options);
        return { ...result, position: positionOf(latestPosition(outcome.position, ...outcomes.map((o) => o.position))), movedDisbursements: written(outcomes) };
      }
      case 'VerifyPaymentAccount':
        return { ...result, ...accountStatus(beneficiary, command.data.accountId) };
      case 'ClosePaymentAccount': {
        const account = beneficiary.accounts.find((candidate) => candidate.accountId === command.data.accountId)!;
        const key = this.identifiers.accountNumberKey(account.bankCode, account.accountNumber);
        const released = await executeStreamCommand(this.store, releaseAccountNumber(beneficiaryId, key, account.accountId), options);
        return { ...result, position: positionOf(latestPosition(outcome.position, released.position)), ...accountStatus(beneficiary, account.accountId) };
      }
      default:
        return result;
    }
  }

  /**
   * The account number is claimed for this beneficiary first, then the account opened on the claim
   * as recorded: an account someone else is paid into is never verified by the name alone.
   */
  private async openAccount(beneficiaryId: string, opening: Extract<BeneficiaryChange, { type: 'OpenPaymentAccount' }>['data'], context: CommandContext, options: { metadata: ReturnType<typeof metadataPerCommand>; eventIdSeed: string | undefined }) {
    const { state: current } = await readAggregate(this.store, 'beneficiary', beneficiaryId);
    this.assertMayChange(current, context);
    const fullOpening = { ...opening, openedBy: context.actor.userId };
    assertAccountMayBeOpened(current, fullOpening);
    const key = this.identifiers.accountNumberKey(opening.bankCode, opening.accountNumber);
    const claim = await executeStreamCommand(this.store, claimAccountNumber(beneficiaryId, key, fullOpening), options);
    const opened = await executeStreamCommand(this.store, openAccountAfterClaim(beneficiaryId, claim.state, fullOpening), { ...options, guard: (state) => this.assertMayChange(state, context) });
    return { beneficiaryId, position: positionOf(opened.position), ...accountStatus(opened.state, opening.accountId) };
  }

  private assertMayChange(state: BeneficiaryState | undefined, context: CommandContext): void {
    assertMayChangeBeneficiary(state, context, this.catalogues.units);
  }
}

/** The caller's change completed with what only the ledger knows: who asks, and today's date in Vietnam. */
function withCallerFacts(change: Exclude<BeneficiaryChange, { type: 'OpenPaymentAccount' }>, context: CommandContext): BeneficiaryCommand {
  const recordedOn = localDateInVietnam(context.receivedAt);
  switch (change.type) {
    case 'TerminateEnrollment':
    case 'CorrectTermination':
    case 'RevokeTermination':
      return { type: change.type, data: { ...change.data, recordedOn } } as BeneficiaryCommand;
    case 'VerifyPaymentAccount':
      return { type: change.type, data: { ...change.data, verifiedBy: context.actor.userId } };
    default:
      return change;
  }
}

function reasonOf(command: BeneficiaryCommand): string {
  switch (command.type) {
    case 'ResumeEnrollment':
      return `The enrollment resumed from ${command.data.effectiveFrom}`;
    case 'CorrectTermination':
      return `The termination was corrected to ${command.data.effectiveDate}: ${command.data.reason}`;
    case 'RevokeTermination':
      return `The termination was revoked: ${command.data.reason}`;
    default:
      return command.type;
  }
}

function written(outcomes: ReadonlyArray<CommandOutcome<unknown, DomainEvent>>): number {
  return outcomes.filter((outcome) => outcome.newEvents.length > 0).length;
}

/** How many months each kind of follow-up changed, for the response: the kinds the change can cause. */
function countFollowUps(change: BeneficiaryCommand['type'], followUps: readonly StreamCommand[], outcomes: ReadonlyArray<CommandOutcome<unknown, DomainEvent>>) {
  const count = (type: StreamCommand['command']['type']) => followUpsWritten(type, followUps, outcomes);
  const cancelledDisbursements = count('CancelDisbursement');
  const overpayments = count('FlagOverpayment');
  const reinstatedDisbursements = count('RescheduleDisbursement');
  const withdrawnOverpayments = count('WithdrawOverpayment');
  switch (change) {
    case 'SuspendEnrollment':
      return { cancelledDisbursements };
    case 'TerminateEnrollment':
      return { cancelledDisbursements, overpayments };
    case 'ResumeEnrollment':
      return { reinstatedDisbursements };
    default:
      return { cancelledDisbursements, overpayments, reinstatedDisbursements, withdrawnOverpayments };
  }
}

function accountStatus(beneficiary: BeneficiaryState, accountId: string) {
  const account = beneficiary.accounts.find((candidate) => candidate.accountId === accountId)!;
  return { accountId: account.accountId, status: account.status, ...(account.status === 'UNVERIFIED' && account.unverifiedReason ? { unverifiedReason: account.unverifiedReason } : {}) };
}
