import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BeneficiaryEventType, followDeathConfirmation, localDateInVietnam, to, type Catalogues, type IdentityCheckCommand } from '@ledger/domain';
import { executeStreamCommand, executeStreamCommands, readAggregate, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, latestPosition, metadataFor, metadataPerCommand, positionOf } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import type { CommandContext } from '../platform/index.js';
import { assertMayChangeBeneficiary, disbursementsOf, followUpsWritten } from './beneficiary-streams.js';
import { RecordIdentityCheckAnswerCommand, ReviewDeathReportCommand, type DeathReportReviewed, type IdentityCheckAnswerRecorded } from './identity-checks.commands.js';

/**
 * One answer of the population database, recorded on the person it is about. A DECEASED answer the
 * ledger had not been told of holds every payment of theirs until another operator reviews it; the
 * operator importing the file is recorded on the report for that reason.
 */
@CommandHandler(RecordIdentityCheckAnswerCommand)
export class RecordIdentityCheckAnswerHandler implements ICommandHandler<RecordIdentityCheckAnswerCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ beneficiaryId, source, answer, context }: RecordIdentityCheckAnswerCommand): Promise<IdentityCheckAnswerRecorded> {
    const command: IdentityCheckCommand = {
      type: 'RecordIdentityCheckAnswer',
      data: { importId: source.importId, line: source.line, answer, recordedOn: localDateInVietnam(context.receivedAt), importedBy: context.actor.userId },
    };
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, command), {
      metadata: metadataPerCommand(context),
      // One import answers many lines under one key, and two lines may name the same person: each line's events are its own.
      eventIdSeed: eventIdSeedFor(context, command.type, source.importId, String(source.line)),
      guard: (state) => assertMayChangeBeneficiary(state, context, this.catalogues.units),
    });
    return {
      beneficiaryId,
      deathReported: outcome.newEvents.some((event) => event.type === BeneficiaryEventType.DeathReported),
      recorded: outcome.newEvents.length > 0,
      position: positionOf(outcome.position),
    };
  }
}

/**
 * An operator's review of a reported death. Confirmed, it is a termination for death of every
 * enrollment not terminated yet, and its months follow as any termination's do (cancelled, or
 * flagged as overpaid). The beneficiary's stream is written first, so a request repeated after a
 * crash, under its Idempotency-Key, finds the confirmation and finishes the follow-ups. Rejected, the
 * hold is lifted and the next run pays the months it held back: nothing to do on other streams.
 */
@CommandHandler(ReviewDeathReportCommand)
export class ReviewDeathReportHandler implements ICommandHandler<ReviewDeathReportCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ beneficiaryId, decision, context }: ReviewDeathReportCommand): Promise<DeathReportReviewed> {
    const command = reviewOf(decision, context);
    const eventIdSeed = eventIdSeedFor(context, command.type);
    const current = await readAggregate(this.store, 'beneficiary', beneficiaryId);
    // A confirmed death takes effect on the date of death: its events say so, as a termination's do.
    const effectiveDate = command.type === 'ConfirmDeathReport' ? current.state.paymentHolds.DEATH_REPORTED?.dateOfDeath : undefined;
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, command), {
      metadata: metadataFor(context, command.type, effectiveDate),
      eventIdSeed,
      alreadyRead: current.read,
      guard: (state) => assertMayChangeBeneficiary(state, context, this.catalogues.units),
    });
    if (command.type === 'RejectDeathReport') return { beneficiaryId, position: positionOf(outcome.position) };

    const beneficiary = outcome.state;
    const disbursements = await disbursementsOf(this.store, beneficiary, Object.keys(beneficiary.enrollments), context);
    const followUps = followDeathConfirmation({ beneficiary, disbursements });
    const outcomes = await executeStreamCommands(this.store, followUps, { metadata: metadataPerCommand(context), eventIdSeed });
    return {
      beneficiaryId,
      position: positionOf(latestPosition(outcome.position, ...outcomes.map((followUp) => followUp.position))),
      terminatedEnrollments: outcome.newEvents.filter((event) => event.type === BeneficiaryEventType.EnrollmentTerminated).length,
      cancelledDisbursements: followUpsWritten('CancelDisbursement', followUps, outcomes),
      overpayments: followUpsWritten('FlagOverpayment', followUps, outcomes),
    };
  }
}

/** The decision completed with what only the ledger knows: who decides, and today's date in Vietnam. */
function reviewOf(decision: ReviewDeathReportCommand['decision'], context: CommandContext): Extract<IdentityCheckCommand, { type: 'ConfirmDeathReport' | 'RejectDeathReport' }> {
  const recordedOn = localDateInVietnam(context.receivedAt);
  switch (decision.decision) {
    case 'CONFIRM':
      return { type: 'ConfirmDeathReport', data: { confirmedBy: context.actor.userId, recordedOn } };
    case 'REJECT':
      return { type: 'RejectDeathReport', data: { reason: decision.reason, rejectedBy: context.actor.userId, recordedOn } };
  }
}
