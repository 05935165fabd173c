import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  Conflict,
  NotFound,
  reschedulePayment,
  settlePayment,
  to,
  type Catalogues,
  type DisbursementState,
} from '@ledger/domain';
import { executeStreamCommand, readAggregate, type EventStore, type ReadStream } from '@ledger/event-store';
import { eventIdSeedFor, latestPosition, metadataPerCommand, positionOf } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayChangeRecordIn, type CommandContext } from '../platform/index.js';
import { ChangeDisbursementCommand, type DisbursementChanged, type DisbursementLifecycleChange } from './disbursement.commands.js';
import { settlementStreamsOf, type SettlementReads } from './settlement-reads.js';

/** A lost race for a provider reference is decided again once, on what the winner recorded. */
const SETTLEMENT_ATTEMPTS = 2;

/**
 * Settle, fail, return or reschedule one disbursement. Settling and rescheduling are workflows over
 * several streams (the provider reference's, the beneficiary's); failing and returning touch the
 * disbursement alone.
 */
@CommandHandler(ChangeDisbursementCommand)
export class ChangeDisbursementHandler implements ICommandHandler<ChangeDisbursementCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ disbursementId, change, context, itemOfBatch, alreadyRead }: ChangeDisbursementCommand): Promise<DisbursementChanged> {
    const seedParts = itemOfBatch === undefined ? [disbursementId] : [disbursementId, `item/${itemOfBatch}`];
    const options = {
      metadata: metadataPerCommand(context),
      eventIdSeed: eventIdSeedFor(context, change.type, ...seedParts),
      guard: (state: DisbursementState) => this.assertMayChange(state, context),
    };
    const readByCaller = alreadyRead?.state.disbursementId === disbursementId ? alreadyRead : undefined;
    const { state: current, read } = readByCaller ?? (await readAggregate(this.store, 'disbursement', disbursementId));
    this.assertMayChange(current, context);

    switch (change.type) {
      case 'SettleDisbursement':
        return this.settle(current, read, readByCaller?.settlement, change.data, context, options);
      case 'RescheduleDisbursement': {
        const { state: beneficiary } = await readAggregate(this.store, 'beneficiary', current.beneficiaryId);
        const outcome = await executeStreamCommand(this.store, reschedulePayment(beneficiary, current, change.data.reason), { ...options, alreadyRead: read });
        return resultOf(outcome.state, outcome.position);
      }
      default: {
        const outcome = await executeStreamCommand(this.store, to.disbursement(disbursementId, change), { ...options, alreadyRead: read });
        return resultOf(outcome.state, outcome.position);
      }
    }
  }

  private async settle(
    disbursement: DisbursementState,
    read: ReadStream,
    readWithBatch: SettlementReads | undefined,
    settlement: Extract<DisbursementLifecycleChange, { type: 'SettleDisbursement' }>['data'],
    context: CommandContext,
    options: { metadata: ReturnType<typeof metadataPerCommand>; eventIdSeed: string | undefined; guard: (state: DisbursementState) => void },
  ): Promise<DisbursementChanged> {
    const { beneficiaryId, providerReferenceId: referenceId } = settlementStreamsOf(disbursement, settlement.providerReference);
    // Taken only if the caller read the very streams this settlement decides on.
    const readFirst = readWithBatch?.beneficiaryId === beneficiaryId && readWithBatch.providerReferenceId === referenceId ? readWithBatch : undefined;
    for (let attempt = 1; ; attempt++) {
      // The streams as the caller just read them; after a lost race for the reference, as they stand now.
      const [current, { state: beneficiary }, { state: reference, read: referenceRead }] =
        attempt === 1 && readFirst
          ? [disbursement, readFirst.beneficiary, readFirst.providerReference]
          : await Promise.all([
              attempt === 1 ? disbursement : readAggregate(this.store, 'disbursement', disbursement.disbursementId).then(({ state }) => state),
              readAggregate(this.store, 'beneficiary', beneficiaryId),
              readAggregate(this.store, 'providerReference', referenceId),
            ]);
      const commands = settlePayment({ ...settlement, recordedAt: context.receivedAt }, current, beneficiary, referenceId, reference.claimedBy);
      try {
        let position: bigint | null = null;
        let state = current;
        for (const command of commands) {
          if (command.aggregate === 'disbursement') {
            // Decided on the read it was planned on; a race with another writer re-reads it (handleCommand).
            const outcome = await executeStreamCommand(this.store, command, attempt === 1 ? { ...options, alreadyRead: read } : options);
            position = latestPosition(position, outcome.position);
            state = outcome.state;
          } else {
            // Claimed on the reference as just read; a claim made meanwhile is found by the append, and decided again.
            position = latestPosition(position, (await executeStreamCommand(this.store, command, { metadata: options.metadata, eventIdSeed: options.eventIdSeed, alreadyRead: referenceRead })).position);
          }
        }
        return resultOf(state, position);
      } catch (error) {
        // Another payment claimed the reference between our read and our claim: decided again, this is a duplicate attempt.
        if (error instanceof Conflict && error.code === 'PROVIDER_REFERENCE_IN_USE' && attempt < SETTLEMENT_ATTEMPTS && commands[0]?.aggregate === 'providerReference') continue;
        throw error;
      }
    }
  }

  private assertMayChange(state: DisbursementState, context: CommandContext): void {
    const unknown = () => new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');
    if (!state.exists) throw unknown();
    assertActorMayChangeRecordIn(context.actor, state.unitCode, this.catalogues.units, unknown);
  }
}

function resultOf(state: DisbursementState, position: bigint | null): DisbursementChanged {
  return {
    disbursementId: state.disbursementId,
    status: state.status,
    ...(state.payment ? { daysLate: state.payment.daysLate } : {}),
    attempt: state.attempt,
    channel: state.channel,
    ...(state.overpaymentFlagged ? { overpayment: true } : {}),
    position: positionOf(position),
  };
}
