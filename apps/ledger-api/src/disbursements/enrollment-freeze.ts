import {
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  enrollmentActivityIn,
  fold,
  localDateInVietnam,
  paymentChannelOf,
  periodsFromTo,
  schedulingHorizon,
  type BeneficiaryState,
  type DisbursementEvent,
  type Period,
} from '@ledger/domain';
import { handleCommand, readDomainStream, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import type { CommandContext } from '../platform/index.js';

export interface FreezeOutcome {
  readonly cancelledDisbursements: number;
  readonly overpayments: number;
  readonly position: bigint | null;
}

/**
 * After a suspension or termination, the months the enrollment no longer covers must not be paid:
 * their scheduled or sent disbursements are cancelled, and those already paid are flagged as
 * overpayments to recover. Event ids derive from the command's idempotency key, so retrying the
 * command finishes an interrupted follow-up without repeating any of it.
 */
export async function freezeDisbursementsAfter(
  store: EventStore,
  beneficiary: BeneficiaryState,
  program: string,
  firstFrozenPeriod: Period,
  context: CommandContext,
): Promise<FreezeOutcome> {
  const enrollment = beneficiary.enrollments[program];
  const horizon = schedulingHorizon(localDateInVietnam(context.receivedAt));
  const periods = periodsFromTo(firstFrozenPeriod, horizon);
  const streams = periods.map((period) => disbursementStreamName(disbursementIdFor(beneficiary.beneficiaryId, program, period)));
  const existing = await store.streamHeads(streams);

  let cancelledDisbursements = 0;
  let overpayments = 0;
  let position: bigint | null = null;
  for (const [index, period] of periods.entries()) {
    const streamName = streams[index]!;
    if (!existing.has(streamName)) continue;
    const activity = enrollmentActivityIn(enrollment, period);
    if (activity.active) continue;

    const cancel = await handleCommand(store, disbursementDecider, streamName, { type: 'CancelDisbursement', data: { enrollment: activity } }, {
      metadata: metadataFor(context, 'CancelDisbursement'),
      eventIdSeed: eventIdSeedFor(context, 'CancelDisbursement'),
    });
    if (cancel.newEvents.length > 0) cancelledDisbursements++;
    position = cancel.position ?? position;

    if (activity.reason === 'TERMINATED' && enrollment?.termination) {
      const flag = await handleCommand(
        store,
        disbursementDecider,
        streamName,
        { type: 'FlagOverpayment', data: { terminationEffectiveDate: enrollment.termination.effectiveDate } },
        { metadata: metadataFor(context, 'FlagOverpayment', enrollment.termination.effectiveDate), eventIdSeed: eventIdSeedFor(context, 'FlagOverpayment') },
      );
      if (flag.newEvents.length > 0) overpayments++;
      position = flag.position ?? position;
    }
  }
  return { cancelledDisbursements, overpayments, position };
}

export interface ReinstatementOutcome {
  readonly reinstatedDisbursements: number;
  readonly position: bigint | null;
}

/**
 * After a resumption, the months the enrollment covers again are owed again. A disbursement the
 * suspension cancelled is the month's one stream, so it is rescheduled as a new attempt (in the
 * channel that applies now) for the next payroll run of its period to send; left CANCELLED, the
 * month could never be paid.
 */
export async function reinstateDisbursementsFrom(
  store: EventStore,
  beneficiary: BeneficiaryState,
  program: string,
  firstCoveredPeriod: Period,
  context: CommandContext,
): Promise<ReinstatementOutcome> {
  const enrollment = beneficiary.enrollments[program];
  const horizon = schedulingHorizon(localDateInVietnam(context.receivedAt));
  const periods = periodsFromTo(firstCoveredPeriod, horizon);
  const streams = periods.map((period) => disbursementStreamName(disbursementIdFor(beneficiary.beneficiaryId, program, period)));
  const existing = await store.streamHeads(streams);
  const { channel, account } = paymentChannelOf(beneficiary);
  const payee = account ? { accountId: account.accountId, bankCode: account.bankCode, accountNumber: account.accountNumber, holderName: account.holderName } : null;

  let reinstatedDisbursements = 0;
  let position: bigint | null = null;
  for (const [index, period] of periods.entries()) {
    const streamName = streams[index]!;
    if (!existing.has(streamName)) continue;
    const activity = enrollmentActivityIn(enrollment, period);
    if (!activity.active) continue;
    const current = fold(disbursementDecider, (await readDomainStream<DisbursementEvent>(store, streamName)).events);
    if (current.status !== 'CANCELLED') continue;

    const reschedule = await handleCommand(
      store,
      disbursementDecider,
      streamName,
      { type: 'RescheduleDisbursement', data: { channel, account: payee, reason: `The enrollment resumed from ${firstCoveredPeriod}`, enrollment: activity } },
      { metadata: metadataFor(context, 'RescheduleDisbursement'), eventIdSeed: eventIdSeedFor(context, 'RescheduleDisbursement') },
    );
    if (reschedule.newEvents.length > 0) reinstatedDisbursements++;
    position = reschedule.position ?? position;
  }
  return { reinstatedDisbursements, position };
}
