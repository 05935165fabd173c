import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  beneficiaryDecider,
  beneficiaryStreamName,
  daysLate,
  disbursementDecider,
  disbursementStreamName,
  enrollmentActivityIn,
  fold,
  NotFound,
  paymentChannelOf,
  type BeneficiaryEvent,
  type Catalogues,
  type DisbursementCommand,
  type DisbursementEvent,
  type LocalDate,
  type Period,
} from '@ledger/domain';
import { handleCommand, readDomainStream, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayActIn } from '../platform/index.js';
import { ChangeDisbursementCommand, type DisbursementChanged } from './disbursement.commands.js';

/**
 * Settle, fail, return or reschedule one disbursement. The beneficiary stream is read first: it is
 * the authority on whether the enrollment still covers the disbursement's period (the freeze) and
 * on the account a rescheduled bank payment goes to.
 */
@CommandHandler(ChangeDisbursementCommand)
export class ChangeDisbursementHandler implements ICommandHandler<ChangeDisbursementCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ disbursementId, change, context }: ChangeDisbursementCommand): Promise<DisbursementChanged> {
    const streamName = disbursementStreamName(disbursementId);
    const read = await readDomainStream<DisbursementEvent>(this.store, streamName);
    const current = fold(disbursementDecider, read.events);
    if (!current.exists) throw new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');
    assertActorMayActIn(context.actor, current.unitCode, this.catalogues.units);

    const beneficiary = fold(beneficiaryDecider, (await readDomainStream<BeneficiaryEvent>(this.store, beneficiaryStreamName(current.beneficiaryId))).events);
    const enrollment = enrollmentActivityIn(beneficiary.enrollments[current.program], current.period as Period);

    const command: DisbursementCommand = (() => {
      switch (change.type) {
        case 'SettleDisbursement':
          return {
            type: change.type,
            data: { ...change.data, daysLate: daysLate(current.dueDate as LocalDate, change.data.paidAt), enrollment },
          };
        case 'RescheduleDisbursement': {
          const { channel, account } = paymentChannelOf(beneficiary);
          const payee = account ? { accountId: account.accountId, bankCode: account.bankCode, accountNumber: account.accountNumber, holderName: account.holderName } : null;
          return { type: change.type, data: { channel, account: payee, reason: change.data.reason, enrollment } };
        }
        default:
          return change;
      }
    })();

    const outcome = await handleCommand(this.store, disbursementDecider, streamName, command, {
      metadata: metadataFor(context, change.type),
      eventIdSeed: eventIdSeedFor(context, change.type, disbursementId),
      guard: (state) => assertActorMayActIn(context.actor, state.unitCode, this.catalogues.units),
      alreadyRead: read,
    });
    const { state } = outcome;
    return {
      disbursementId,
      status: state.status,
      ...(state.payment ? { daysLate: state.payment.daysLate } : {}),
      attempt: state.attempt,
      channel: state.channel,
      position: outcome.position === null ? null : outcome.position.toString(),
    };
  }
}
