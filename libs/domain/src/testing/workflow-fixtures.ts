// Builders for workflow specs: states folded from the events a real history would hold.
import { fold } from '../decider.js';
import { beneficiaryDecider } from '../beneficiary/beneficiary.decider.js';
import { BeneficiaryEventType as B, type BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { disbursementDecider } from '../disbursement/disbursement.decider.js';
import { DisbursementEventType as D, type DisbursementEvent, type PayeeAccount } from '../disbursement/disbursement.events.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { disbursementIdFor } from '../disbursement/disbursement.stream.js';

export const beneficiaryId = '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c';
export const PROGRAM = 'MERITORIOUS';

export const registered: BeneficiaryEvent = {
  type: B.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
export const enrolledFrom = (effectiveFrom: string, decisionDate = '2023-12-20'): BeneficiaryEvent => ({
  type: B.EnrollmentStarted,
  data: { beneficiaryId, program: PROGRAM, unitCode: '899', coefficient: 1000, effectiveFrom, decision: { number: '123/QĐ-UBND', date: decisionDate } },
});
export const suspendedFrom = (effectiveFrom: string): BeneficiaryEvent => ({ type: B.EnrollmentSuspended, data: { beneficiaryId, program: PROGRAM, reason: 'Under review', effectiveFrom } });
export const resumedFrom = (effectiveFrom: string): BeneficiaryEvent => ({ type: B.EnrollmentResumed, data: { beneficiaryId, program: PROGRAM, effectiveFrom } });
export const terminatedOn = (effectiveDate: string): BeneficiaryEvent => ({
  type: B.EnrollmentTerminated,
  data: { beneficiaryId, program: PROGRAM, reason: 'DECEASED', effectiveDate, recordedOn: '2024-06-01' },
});
export const terminationCorrectedTo = (effectiveDate: string, previousEffectiveDate: string): BeneficiaryEvent => ({
  type: B.EnrollmentTerminationCorrected,
  data: { beneficiaryId, program: PROGRAM, effectiveDate, previousEffectiveDate, reason: 'Date misread from the certificate', recordedOn: '2024-06-20' },
});
export const terminationRevoked = (revokedEffectiveDate: string): BeneficiaryEvent => ({
  type: B.EnrollmentTerminationRevoked,
  data: { beneficiaryId, program: PROGRAM, reason: 'Never died: a namesake', revokedEffectiveDate, recordedOn: '2024-06-20' },
});
export const relocatedTo = (toUnitCode: string): BeneficiaryEvent => ({ type: B.Relocated, data: { beneficiaryId, fromUnitCode: '899', toUnitCode } });
export const accountOpened = (accountId: string, status: 'VERIFIED' | 'UNVERIFIED' = 'VERIFIED', bankCode = 'VBA'): BeneficiaryEvent => ({
  type: B.PaymentAccountOpened,
  data: {
    beneficiaryId,
    accountId,
    bankCode,
    accountNumber: `77002051${accountId.length}`,
    holderName: 'BUI TRUNG TAI',
    openedOn: '2024-01-05',
    status,
    ...(status === 'UNVERIFIED' ? { unverifiedReason: 'NAME_MISMATCH' as const } : {}),
    openedBy: 'lan.operator',
  },
});
export const accountClosed = (accountId: string): BeneficiaryEvent => ({ type: B.PaymentAccountClosed, data: { beneficiaryId, accountId, reason: 'Closed by the bank' } });

/** The import of the population database's answer file the identity-check fixtures come from. */
export const ANSWER_IMPORT = 'import-2024-06-a1b2c3';
export const deathReported = (dateOfDeath: string, line = 7): BeneficiaryEvent => ({
  type: B.DeathReported,
  data: { beneficiaryId, unitCode: '899', dateOfDeath, importId: ANSWER_IMPORT, line, recordedOn: '2024-06-05' },
});
/** An operator confirms: the report closes and the enrollment ends as of the date of death, as the decider records it. */
export const deathReportConfirmed = (dateOfDeath: string, line = 7): BeneficiaryEvent[] => [
  { type: B.DeathReportConfirmed, data: { beneficiaryId, dateOfDeath, importId: ANSWER_IMPORT, line, confirmedBy: 'hoa.operator', recordedOn: '2024-06-10' } },
  { type: B.EnrollmentTerminated, data: { beneficiaryId, program: PROGRAM, reason: 'DECEASED', effectiveDate: dateOfDeath, recordedOn: '2024-06-10' } },
];
export const deathReportRejected = (dateOfDeath: string, line = 7): BeneficiaryEvent => ({
  type: B.DeathReportRejected,
  data: { beneficiaryId, dateOfDeath, importId: ANSWER_IMPORT, line, rejectedBy: 'hoa.operator', reason: 'Seen alive at the commune office', recordedOn: '2024-06-10' },
});

export const beneficiaryAfter = (...events: BeneficiaryEvent[]): BeneficiaryState => fold(beneficiaryDecider, events);

export const payee = (accountId: string, bankCode = 'VBA'): PayeeAccount => ({ accountId, bankCode, accountNumber: `77002051${accountId.length}`, holderName: 'BUI TRUNG TAI' });

/** A disbursement of `period` through the lifecycle steps named, each a real event. */
export function disbursement(period: string, steps: ReadonlyArray<'sent' | 'paid' | 'failed' | 'returned' | 'cancelled' | 'flagged'>, options: { account?: PayeeAccount | null; runId?: string; unitCode?: string } = {}): DisbursementState {
  const disbursementId = disbursementIdFor(beneficiaryId, PROGRAM, period);
  const account = options.account === undefined ? null : options.account;
  const runId = options.runId ?? 'run-1';
  const events: DisbursementEvent[] = [
    {
      type: D.Scheduled,
      data: {
        disbursementId,
        beneficiaryId,
        program: PROGRAM,
        period,
        unitCode: options.unitCode ?? '899',
        amount: 2_055_000,
        channel: account ? 'BANK' : 'CASH',
        account,
        dueDate: `${period}-10`,
        arrears: false,
        payrollRunId: runId,
        attempt: 1,
      },
    },
  ];
  for (const step of steps) {
    switch (step) {
      case 'sent':
        events.push({ type: D.Sent, data: { payrollRunId: runId, attempt: 1 } });
        break;
      case 'paid':
        events.push({ type: D.Paid, data: { attempt: 1, providerReference: `FT${period.replace('-', '')}`, paidAt: `${period}-05T02:30:00.000Z`, amount: 2_055_000, daysLate: 0 } });
        break;
      case 'failed':
        events.push({ type: D.Failed, data: { attempt: 1, reason: 'Account dormant' } });
        break;
      case 'returned':
        events.push({ type: D.Returned, data: { attempt: 1, reason: 'Not collected' } });
        break;
      case 'cancelled':
        events.push({ type: D.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } });
        break;
      case 'flagged':
        events.push({ type: D.OverpaymentFlagged, data: { amount: 2_055_000, reason: 'Paid after the termination', terminationEffectiveDate: '2024-02-15', reasonCode: 'TERMINATED_BEFORE_PERIOD' } });
        break;
    }
  }
  return fold(disbursementDecider, events);
}
