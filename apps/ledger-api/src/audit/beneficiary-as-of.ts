import {
  addMonths,
  beneficiaryDecider,
  beneficiaryStreamName,
  daysLateOnDate,
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  enrollmentActivityIn,
  fold,
  localDateInVietnam,
  NotFound,
  paymentAccountOf,
  periodOfDate,
  periodsFromTo,
  enrollmentStatusOn,
  firstOwedPeriodOf,
  upcast,
  type BeneficiaryEvent,
  type DisbursementEvent,
  type LocalDate,
} from '@ledger/domain';
import type { EventStore, RecordedEvent } from '@ledger/event-store';

/**
 * How far past the month of `asOf` to look for disbursements: a payroll for period P is scheduled
 * in the month before P (lists go to the paying agent before the 25th), sometimes earlier.
 */
const MONTHS_SCHEDULED_AHEAD = 2;

/**
 * A stream as of an instant: the events recorded at or before it. A prefix in stream order, never a
 * filter: a clock stepping back must not let a later event in without the ones it builds on.
 */
function recordedBy(events: readonly RecordedEvent[], asOf: Date): RecordedEvent[] {
  const cutoff = asOf.getTime();
  const end = events.findIndex((event) => event.recordedAt.getTime() > cutoff);
  return end === -1 ? [...events] : events.slice(0, end);
}

/**
 * The beneficiary as the ledger knew them at `asOf`: their stream and each of
 * their disbursement streams folded with the domain's own deciders over the events recorded by then.
 * Disbursement ids derive from (beneficiary, program, period), so the streams to read are known
 * from the enrollments without any projection.
 */
export async function beneficiaryAsOf(store: EventStore, beneficiaryId: string, asOf: Date) {
  const stream = await store.readStream(beneficiaryStreamName(beneficiaryId));
  if (stream.length === 0) throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
  const known = recordedBy(stream, asOf);
  if (known.length === 0) {
    throw new NotFound('BENEFICIARY_NOT_YET_RECORDED', `The beneficiary was first recorded at ${stream[0]!.recordedAt.toISOString()}, after ${asOf.toISOString()}`, {
      firstRecordedAt: stream[0]!.recordedAt.toISOString(),
    });
  }
  const state = fold(beneficiaryDecider, known.map((event) => upcast(event) as BeneficiaryEvent));
  const today = localDateInVietnam(asOf);
  const periodThen = periodOfDate(today);

  const enrollments = Object.values(state.enrollments);
  const candidates = enrollments.flatMap((enrollment) =>
    periodsFromTo(firstOwedPeriodOf(enrollment), addMonths(periodThen, MONTHS_SCHEDULED_AHEAD)).map((period) =>
      disbursementStreamName(disbursementIdFor(beneficiaryId, enrollment.program, period)),
    ),
  );
  const existing = await store.streamHeads(candidates);
  const payments = [];
  let position = known.at(-1)!.globalPosition;
  for (const streamName of candidates.filter((name) => existing.has(name))) {
    const events = recordedBy(await store.readStream(streamName), asOf);
    if (events.length === 0) continue;
    if (events.at(-1)!.globalPosition > position) position = events.at(-1)!.globalPosition;
    const disbursement = fold(disbursementDecider, events.map((event) => upcast(event) as DisbursementEvent));
    const unpaid = disbursement.status !== 'PAID' && disbursement.status !== 'CANCELLED';
    payments.push({
      disbursementId: disbursement.disbursementId,
      program: disbursement.program,
      period: disbursement.period,
      unitCode: disbursement.unitCode,
      amount: disbursement.amount,
      channel: disbursement.channel,
      bankCode: disbursement.account?.bankCode ?? null,
      status: disbursement.status,
      dueDate: disbursement.dueDate,
      arrears: disbursement.arrears,
      attempt: disbursement.attempt,
      payrollRunId: disbursement.payrollRunId,
      paidAt: disbursement.payment?.paidAt ?? null,
      providerReference: disbursement.payment?.providerReference ?? null,
      // Days late as they stood then: a settled payment's own count, an unpaid one's as of that day.
      daysLate: disbursement.payment ? disbursement.payment.daysLate : unpaid ? daysLateOnDate(disbursement.dueDate as LocalDate, today) : 0,
      overpayment: disbursement.overpaymentFlagged,
      lastChangedAt: events.at(-1)!.recordedAt.toISOString(),
    });
  }
  payments.sort((a, b) => (a.period === b.period ? (a.program < b.program ? -1 : 1) : a.period < b.period ? -1 : 1));

  const payingAccount = paymentAccountOf(state);
  return {
    asOf: asOf.toISOString(),
    /** The last event included: the beneficiary's or one of their disbursements'. */
    position: position.toString(),
    beneficiary: {
      beneficiaryId,
      nationalId: state.nationalId,
      fullName: state.fullName,
      dateOfBirth: state.dateOfBirth,
      gender: state.gender,
      unitCode: state.unitCode,
      firstRecordedAt: known[0]!.recordedAt.toISOString(),
      channel: payingAccount ? 'BANK' : 'CASH',
    },
    enrollments: enrollments.map((enrollment) => ({
      program: enrollment.program,
      /** As it stood in the month of `asOf`: a suspension or termination counts from the month it takes effect. */
      status: enrollmentStatusOn(enrollment, periodThen),
      /** Whether the month of `asOf` was a paid month of the enrollment, as known then. */
      activeInPeriod: enrollmentActivityIn(enrollment, periodThen).active,
      coefficient: enrollment.coefficient,
      effectiveFrom: enrollment.effectiveFrom,
      decision: enrollment.decision,
      suspensions: enrollment.suspensions.map((suspension) => ({ from: suspension.from, reason: suspension.reason, resumedFrom: suspension.resumedFrom ?? null })),
      termination: enrollment.termination ?? null,
    })),
    accounts: state.accounts.map((account) => ({
      accountId: account.accountId,
      bankCode: account.bankCode,
      accountNumber: account.accountNumber,
      holderName: account.holderName,
      openedOn: account.openedOn,
      status: account.status,
      paymentAccount: account.accountId === payingAccount?.accountId,
    })),
    payments,
  };
}

export type BeneficiaryAsOf = Awaited<ReturnType<typeof beneficiaryAsOf>>;
