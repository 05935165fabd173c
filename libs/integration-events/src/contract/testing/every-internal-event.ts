import { disbursementIdFor, payrollRunStreamName } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { InternalHistory } from './internal-history.js';

export const PROVINCE = '91';
export const NATIONAL_KEY = 'test-national-key';

/** The person of the story, as the province knows them: none of it may reach the hub but the key. */
export const PERSON = {
  beneficiaryId: '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c',
  nationalId: '091052000123',
  fullName: 'Bùi Trung Tài',
  holderName: 'BUI TRUNG TAI',
  accountNumber: '7700205100123',
  secondAccountNumber: '2150009988776',
  /** HMAC-SHA256 of the national id under NATIONAL_KEY, as `openssl dgst -sha256 -hmac` computes it. */
  personKey: 'fb15622320224fddd02923f6f5477e2ba876f8157704eb6043aab22c7b227a3d',
} as const;

export const PROGRAM = 'MERITORIOUS';
export const FEBRUARY = disbursementIdFor(PERSON.beneficiaryId, PROGRAM, '2024-02');
export const MAY = disbursementIdFor(PERSON.beneficiaryId, PROGRAM, '2024-05');
export const FINDING_ID = '4d7c2b1a-9e8f-5a6b-8c7d-0e1f2a3b4c5d';
const RUN_FEBRUARY = '1b2c3d4e-5f60-5a7b-8c9d-0e1f2a3b4c5d';
const RUN_MARCH = '2c3d4e5f-6071-5b8c-9d0e-1f2a3b4c5d6e';
const RUN_MAY = '3d4e5f60-7182-5c9d-8e1f-2a3b4c5d6e7f';

/**
 * One person's story that holds every event type of a beneficiary and of a disbursement at least
 * once, in an order the ledger could have written them, with the free text the province writes
 * (reasons, notes) naming the person and quoting their account, as real reasons do. `step` names
 * the events the specs look at.
 */
export function everyInternalEvent() {
  const history = new InternalHistory();
  const b = (type: string, data: object) => history.beneficiary(PERSON.beneficiaryId, type, { beneficiaryId: PERSON.beneficiaryId, ...data });
  const { beneficiaryId } = PERSON;
  const account = { accountId: 'a-1', bankCode: 'VBA', accountNumber: PERSON.accountNumber, holderName: PERSON.holderName };
  const secondAccount = { accountId: 'a-2', bankCode: 'BIDV', accountNumber: PERSON.secondAccountNumber, holderName: 'BUI T TAI' };

  history.at('2024-01-02T03:00:00.000Z');
  const registered = b('BeneficiaryRegistered', { nationalId: PERSON.nationalId, fullName: PERSON.fullName, dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' });
  const enrolled = b('EnrollmentStarted', { program: PROGRAM, unitCode: '899', coefficient: 1000, effectiveFrom: '2024-01', decision: { number: '123/QĐ-UBND', date: '2023-12-20' } });
  const accountOpened = b('PaymentAccountOpened', { ...account, openedOn: '2024-01-05', status: 'VERIFIED', openedBy: 'lan.operator' });

  history.at('2024-02-01T02:00:00.000Z');
  const scheduled = history.disbursement(FEBRUARY, 'DisbursementScheduled', {
    disbursementId: FEBRUARY,
    beneficiaryId,
    program: PROGRAM,
    period: '2024-02',
    unitCode: '899',
    amount: 2_055_000,
    channel: 'BANK',
    account,
    dueDate: '2024-02-10',
    arrears: false,
    payrollRunId: RUN_FEBRUARY,
    attempt: 1,
  });
  history.append(payrollRunStreamName(RUN_FEBRUARY), 'PayrollRunCreated', { runId: RUN_FEBRUARY, period: '2024-02', program: PROGRAM, unitCode: '899', createdBy: 'lan.operator' });
  const assigned = history.disbursement(FEBRUARY, 'DisbursementAssignedToRun', { payrollRunId: RUN_FEBRUARY, attempt: 1 });
  history.at('2024-02-05T01:00:00.000Z');
  const sent = history.disbursement(FEBRUARY, 'DisbursementSent', { payrollRunId: RUN_FEBRUARY, attempt: 1 });
  history.at('2024-02-07T04:00:00.000Z');
  const failed = history.disbursement(FEBRUARY, 'DisbursementFailed', { attempt: 1, reason: `AC04: account ${PERSON.accountNumber} of ${PERSON.holderName} closed` });
  const accountClosed = b('PaymentAccountClosed', { accountId: 'a-1', reason: `Closed by the bank: ${PERSON.fullName} asked` });
  const rescheduled = history.disbursement(FEBRUARY, 'DisbursementRescheduled', { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: `${PERSON.fullName} will collect cash` });

  history.at('2024-02-20T08:00:00.000Z');
  const relocated = b('BeneficiaryRelocated', { fromUnitCode: '899', toUnitCode: '900' });
  const disbursementRelocated = history.disbursement(FEBRUARY, 'DisbursementRelocated', { attempt: 2, fromUnitCode: '899', toUnitCode: '900' });
  const released = history.disbursement(FEBRUARY, 'DisbursementReleasedFromRun', { payrollRunId: RUN_FEBRUARY, attempt: 2 });
  history.disbursement(FEBRUARY, 'DisbursementAssignedToRun', { payrollRunId: RUN_MARCH, attempt: 2 });
  history.at('2024-02-28T01:00:00.000Z');
  const sentAgain = history.disbursement(FEBRUARY, 'DisbursementSent', { payrollRunId: RUN_MARCH, attempt: 2 });
  history.at('2024-03-04T09:00:00.000Z');
  // Paid at 01:30 on 1 March in Vietnam, 29 February in UTC.
  const paid = history.disbursement(FEBRUARY, 'DisbursementPaid', { attempt: 2, providerReference: 'VNP-0001', paidAt: '2024-02-29T18:30:00.000Z', amount: 2_055_000, daysLate: 20 });
  const duplicate = history.disbursement(FEBRUARY, 'DuplicatePaymentRejected', {
    disbursementId: FEBRUARY,
    providerReference: 'VNP-0002',
    paidAt: '2024-03-02T05:00:00.000Z',
    amount: 2_055_000,
    reason: 'PAID_UNDER_ANOTHER_REFERENCE',
    paidUnderReference: 'VNP-0001',
  });

  history.at('2024-04-02T02:00:00.000Z');
  const suspended = b('EnrollmentSuspended', { program: PROGRAM, reason: `${PERSON.fullName} under review`, effectiveFrom: '2024-04' });
  history.at('2024-05-02T02:00:00.000Z');
  const resumed = b('EnrollmentResumed', { program: PROGRAM, effectiveFrom: '2024-05' });
  const secondAccountOpened = b('PaymentAccountOpened', { ...secondAccount, openedOn: '2024-05-02', status: 'UNVERIFIED', unverifiedReason: 'NAME_MISMATCH', openedBy: 'lan.operator' });
  const accountVerified = b('PaymentAccountVerified', { accountId: 'a-2', reason: `${PERSON.holderName} showed the passbook`, verifiedBy: 'hoa.operator' });
  const mayScheduled = history.disbursement(MAY, 'DisbursementScheduled', {
    disbursementId: MAY,
    beneficiaryId,
    program: PROGRAM,
    period: '2024-05',
    unitCode: '900',
    amount: 2_055_000,
    channel: 'BANK',
    account: secondAccount,
    dueDate: '2024-05-10',
    arrears: false,
    payrollRunId: RUN_MAY,
    attempt: 1,
  });
  b('PaymentAccountClosed', { accountId: 'a-2', reason: 'Dormant' });
  const channelChanged = history.disbursement(MAY, 'DisbursementChannelChanged', { attempt: 1, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' });
  history.disbursement(MAY, 'DisbursementSent', { payrollRunId: RUN_MAY, attempt: 1 });
  history.at('2024-05-20T02:00:00.000Z');
  const returned = history.disbursement(MAY, 'DisbursementReturned', { attempt: 1, reason: `Ông ${PERSON.fullName} không có mặt` });

  history.at('2024-06-05T02:00:00.000Z');
  const answered = b('IdentityCheckAnswerRecorded', { importId: 'import-1', line: 7, outcome: 'DECEASED', dateOfDeath: '2024-01-20', recordedOn: '2024-06-05' });
  const deathReported = b('DeathReported', { unitCode: '900', dateOfDeath: '2024-01-20', importId: 'import-1', line: 7, recordedOn: '2024-06-05' });
  history.at('2024-06-10T02:00:00.000Z');
  const deathConfirmed = b('DeathReportConfirmed', { dateOfDeath: '2024-01-20', importId: 'import-1', line: 7, confirmedBy: 'hoa.operator', recordedOn: '2024-06-10' });
  const terminated = b('EnrollmentTerminated', { program: PROGRAM, reason: 'DECEASED', effectiveDate: '2024-01-20', recordedOn: '2024-06-10' });
  const cancelled = history.disbursement(MAY, 'DisbursementCancelled', { attempt: 1, reason: 'ENROLLMENT_TERMINATED' });
  const overpaymentFlagged = history.disbursement(FEBRUARY, 'OverpaymentFlagged', {
    amount: 2_055_000,
    reason: 'Paid for 2024-02, after the enrollment\u2019s termination on 2024-01-20',
    reasonCode: 'TERMINATED_BEFORE_PERIOD',
    terminationEffectiveDate: '2024-01-20',
  });
  history.at('2024-06-20T02:00:00.000Z');
  const corrected = b('EnrollmentTerminationCorrected', { program: PROGRAM, effectiveDate: '2024-03-20', previousEffectiveDate: '2024-01-20', reason: 'Date misread from the certificate', recordedOn: '2024-06-20' });
  const overpaymentWithdrawn = history.disbursement(FEBRUARY, 'OverpaymentWithdrawn', { amount: 2_055_000, reason: 'The termination moved to 2024-03-20' });
  history.at('2024-07-01T02:00:00.000Z');
  const revoked = b('EnrollmentTerminationRevoked', { program: PROGRAM, reason: `${PERSON.fullName} was never dead: a namesake`, revokedEffectiveDate: '2024-03-20', recordedOn: '2024-07-01' });
  const secondReport = b('DeathReported', { unitCode: '900', dateOfDeath: '2024-06-30', importId: 'import-2', line: 3, recordedOn: '2024-07-01' });
  const deathRejected = b('DeathReportRejected', { dateOfDeath: '2024-06-30', importId: 'import-2', line: 3, rejectedBy: 'hoa.operator', reason: `${PERSON.fullName} seen alive`, recordedOn: '2024-07-01' });

  history.at('2024-07-15T02:00:00.000Z');
  const findingRecorded = b('CrossProvinceFindingRecorded', {
    unitCode: '900',
    findingId: FINDING_ID,
    kind: 'ENROLLED_IN_TWO_PROVINCES',
    program: PROGRAM,
    otherProvinces: ['79'],
    foundAt: '2024-07-15T01:59:00.000Z',
    recordedOn: '2024-07-15',
  });
  history.at('2024-07-16T02:00:00.000Z');
  const findingResolved = b('CrossProvinceFindingResolved', { findingId: FINDING_ID, program: PROGRAM, decision: 'KEEP', reason: `${PERSON.fullName} lives here`, resolvedBy: 'hoa.operator', recordedOn: '2024-07-16' });
  // Written by a newer ledger: this one does not know it.
  const unknown = b('BeneficiaryNicknameRecorded', { nickname: PERSON.fullName });

  const step = {
    registered,
    enrolled,
    accountOpened,
    scheduled,
    assigned,
    sent,
    failed,
    accountClosed,
    rescheduled,
    relocated,
    disbursementRelocated,
    released,
    sentAgain,
    paid,
    duplicate,
    suspended,
    resumed,
    secondAccountOpened,
    accountVerified,
    mayScheduled,
    channelChanged,
    returned,
    answered,
    deathReported,
    deathConfirmed,
    terminated,
    cancelled,
    overpaymentFlagged,
    corrected,
    overpaymentWithdrawn,
    revoked,
    secondReport,
    deathRejected,
    findingRecorded,
    findingResolved,
    unknown,
  } satisfies Record<string, RecordedEvent>;
  return { events: history.events, step };
}
