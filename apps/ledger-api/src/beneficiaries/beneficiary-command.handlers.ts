import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { beneficiaryDecider, beneficiaryStreamName, NotFound, periodAfter, periodOfDate, type BeneficiaryState, type Catalogues } from '@ledger/domain';
import { handleCommand, type EventStore } from '@ledger/event-store';
import { freezeDisbursementsAfter, reinstateDisbursementsFrom } from '../disbursements/enrollment-freeze.js';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayActIn } from '../platform/index.js';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand } from './beneficiary.commands.js';

const positionOf = (position: bigint | null) => (position === null ? null : position.toString());
const NOTHING_FROZEN = { cancelledDisbursements: 0, overpayments: 0, position: null } as const;

@CommandHandler(EnrollBeneficiaryCommand)
export class EnrollBeneficiaryHandler implements ICommandHandler<EnrollBeneficiaryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ enrollment, context }: EnrollBeneficiaryCommand) {
    const { beneficiaryId, unitCode } = enrollment.data;
    assertActorMayActIn(context.actor, unitCode, this.catalogues.units);
    const outcome = await handleCommand(this.store, beneficiaryDecider, beneficiaryStreamName(beneficiaryId), enrollment, {
      metadata: metadataFor(context, enrollment.type),
      eventIdSeed: eventIdSeedFor(context, enrollment.type),
    });
    return { beneficiaryId, position: positionOf(outcome.position) };
  }
}

@CommandHandler(ChangeBeneficiaryCommand)
export class ChangeBeneficiaryHandler implements ICommandHandler<ChangeBeneficiaryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ beneficiaryId, change, context }: ChangeBeneficiaryCommand) {
    const outcome = await handleCommand(this.store, beneficiaryDecider, beneficiaryStreamName(beneficiaryId), change, {
      metadata: metadataFor(context, change.type, effectiveDateOf(change)),
      eventIdSeed: eventIdSeedFor(context, change.type),
      guard: (state: BeneficiaryState) => {
        if (!state.registered) throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
        assertActorMayActIn(context.actor, state.unitCode, this.catalogues.units);
      },
    });
    const result = { beneficiaryId, position: positionOf(outcome.position) };

    switch (change.type) {
      case 'SuspendEnrollment':
      case 'TerminateEnrollment': {
        // A termination frees the months after the one it takes effect in; the calendar's last month has none after it.
        const firstFrozen = change.type === 'SuspendEnrollment' ? change.data.effectiveFrom : periodAfter(periodOfDate(change.data.effectiveDate));
        const freeze = firstFrozen ? await freezeDisbursementsAfter(this.store, outcome.state, change.data.program, firstFrozen, context) : NOTHING_FROZEN;
        return {
          ...result,
          position: positionOf(freeze.position ?? outcome.position),
          cancelledDisbursements: freeze.cancelledDisbursements,
          ...(change.type === 'TerminateEnrollment' ? { overpayments: freeze.overpayments } : {}),
        };
      }
      case 'ResumeEnrollment': {
        const reinstatement = await reinstateDisbursementsFrom(this.store, outcome.state, change.data.program, change.data.effectiveFrom, context);
        return { ...result, position: positionOf(reinstatement.position ?? outcome.position), reinstatedDisbursements: reinstatement.reinstatedDisbursements };
      }
      case 'OpenPaymentAccount': {
        const account = outcome.state.accounts.find((candidate) => candidate.accountId === change.data.accountId)!;
        return { ...result, accountId: account.accountId, status: account.status };
      }
      case 'VerifyPaymentAccount':
      case 'ClosePaymentAccount': {
        const account = outcome.state.accounts.find((candidate) => candidate.accountId === change.data.accountId)!;
        return { ...result, accountId: account.accountId, status: account.status };
      }
      default:
        return result;
    }
  }
}

function effectiveDateOf(change: ChangeBeneficiaryCommand['change']): string | undefined {
  switch (change.type) {
    case 'SuspendEnrollment':
    case 'ResumeEnrollment':
      return change.data.effectiveFrom;
    case 'TerminateEnrollment':
      return change.data.effectiveDate;
    default:
      return undefined;
  }
}
