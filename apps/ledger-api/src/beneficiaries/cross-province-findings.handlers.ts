import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  followCrossProvinceFindingResolution,
  InvalidValue,
  localDateInVietnam,
  parseLocalDate,
  to,
  type Catalogues,
  type CrossProvinceFindingCommand,
  type CrossProvinceFindingFacts,
} from '@ledger/domain';
import { executeStreamCommand, executeStreamCommands, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, latestPosition, metadataPerCommand, positionOf } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import type { CommandContext } from '../platform/index.js';
import { assertMayChangeBeneficiary, disbursementsOf, followUpsWritten } from './beneficiary-streams.js';
import {
  RecordCrossProvinceFindingCommand,
  ResolveCrossProvinceFindingCommand,
  type CrossProvinceFindingRecorded,
  type CrossProvinceFindingResolution,
  type CrossProvinceFindingResolved,
} from './cross-province-findings.commands.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One finding of the national hub, recorded on the person it names. The decider reads the notice
 * again (it came over the network) and records a finding once, however often it is delivered; the
 * person's payments of its program wait from then on.
 */
@CommandHandler(RecordCrossProvinceFindingCommand)
export class RecordCrossProvinceFindingHandler implements ICommandHandler<RecordCrossProvinceFindingCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ finding, context }: RecordCrossProvinceFindingCommand): Promise<CrossProvinceFindingRecorded> {
    const { beneficiaryId, ...facts } = finding;
    // The notice names the stream: only an id of the ledger's own shape may.
    if (typeof beneficiaryId !== 'string' || !UUID.test(beneficiaryId)) throw new InvalidValue('beneficiaryId', 'beneficiaryId must be a UUID');
    const command: CrossProvinceFindingCommand = {
      type: 'RecordCrossProvinceFinding',
      // Read as the domain reads it: the decider refuses whatever part of the notice is not what it claims.
      data: { finding: facts as unknown as CrossProvinceFindingFacts, recordedOn: localDateInVietnam(context.receivedAt) },
    };
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, command), {
      metadata: metadataPerCommand(context),
      eventIdSeed: eventIdSeedFor(context, command.type, finding.findingId),
      guard: (state) => assertMayChangeBeneficiary(state, context, this.catalogues.units),
    });
    // The decider read the finding id: a string, kept in lower case.
    return { beneficiaryId, findingId: finding.findingId.toLowerCase(), recorded: outcome.newEvents.length > 0, position: positionOf(outcome.position) };
  }
}

/**
 * An operator's resolution of a finding. KEEP lifts its hold: the next run pays the months it held
 * back, nothing to do on other streams. TERMINATE is a termination of the finding's program (MOVED_OUT)
 * in the same decision, and its months follow as any termination's do (cancelled, or flagged as
 * overpaid). The beneficiary's stream is written first, so a request repeated after a crash, under
 * its Idempotency-Key, finds the resolution and finishes the follow-ups.
 */
@CommandHandler(ResolveCrossProvinceFindingCommand)
export class ResolveCrossProvinceFindingHandler implements ICommandHandler<ResolveCrossProvinceFindingCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ beneficiaryId, findingId, resolution, context }: ResolveCrossProvinceFindingCommand): Promise<CrossProvinceFindingResolved> {
    const command = resolutionOf(findingId.toLowerCase(), resolution, context);
    const options = { metadata: metadataPerCommand(context), eventIdSeed: eventIdSeedFor(context, command.type, command.data.findingId) };
    const outcome = await executeStreamCommand(this.store, to.beneficiary(beneficiaryId, command), {
      ...options,
      guard: (state) => assertMayChangeBeneficiary(state, context, this.catalogues.units),
    });
    const result = { beneficiaryId, findingId: command.data.findingId, decision: resolution.decision, position: positionOf(outcome.position) };
    if (resolution.decision === 'KEEP') return result;

    const beneficiary = outcome.state;
    const program = beneficiary.crossProvinceFindings[command.data.findingId]!.program;
    const disbursements = await disbursementsOf(this.store, beneficiary, [program], context);
    const followUps = followCrossProvinceFindingResolution({ beneficiary, findingId: command.data.findingId, disbursements });
    const outcomes = await executeStreamCommands(this.store, followUps, options);
    return {
      ...result,
      position: positionOf(latestPosition(outcome.position, ...outcomes.map((followUp) => followUp.position))),
      cancelledDisbursements: followUpsWritten('CancelDisbursement', followUps, outcomes),
      overpayments: followUpsWritten('FlagOverpayment', followUps, outcomes),
    };
  }
}

/** The resolution completed with what only the ledger knows: who decides, and today's date in Vietnam. */
function resolutionOf(findingId: string, resolution: CrossProvinceFindingResolution, context: CommandContext): Extract<CrossProvinceFindingCommand, { type: 'ResolveCrossProvinceFinding' }> {
  const common = { findingId, reason: resolution.reason, resolvedBy: context.actor.userId, recordedOn: localDateInVietnam(context.receivedAt) };
  switch (resolution.decision) {
    case 'KEEP':
      return { type: 'ResolveCrossProvinceFinding', data: { ...common, decision: 'KEEP' } };
    case 'TERMINATE':
      return { type: 'ResolveCrossProvinceFinding', data: { ...common, decision: 'TERMINATE', effectiveDate: parseLocalDate(resolution.effectiveDate, 'effectiveDate') } };
  }
}
