import { daysLateOnDate, maskAccountNumber, maskNationalId, type LocalDate } from '@ledger/domain';
import type { AccountRow, BeneficiaryRow, CoverageItem, DisbursementRow, DuplicateAttemptRow, EnrollmentRow, SummaryItem } from '@ledger/read-models';
import type { Actor } from '../platform/index.js';

/**
 * Reporters read lists and reports with national ids and account numbers masked, and a birth year
 * in place of the date of birth: with a masked id, a full date of birth and the gender would leave
 * few enough candidates to try.
 */
export const masksFor = (actor: Actor) => actor.role === 'reporter';

const truthy = (value: number | boolean) => value === true || value === 1;

export function disbursementView(row: DisbursementRow, today: LocalDate) {
  const paid = row.status === 'PAID';
  const unpaid = row.status !== 'PAID' && row.status !== 'CANCELLED';
  return {
    disbursementId: row.disbursement_id,
    beneficiaryId: row.beneficiary_id,
    program: row.program,
    period: row.period,
    unitCode: row.unit_code,
    amount: Number(row.amount),
    channel: row.channel,
    bankCode: row.bank_code,
    status: row.status,
    dueDate: row.due_date,
    daysLate: paid ? (row.days_late ?? 0) : unpaid ? daysLateOnDate(row.due_date as LocalDate, today) : 0,
    arrears: truthy(row.arrears),
    attempt: row.attempt,
    payrollRunId: row.payroll_run_id,
    paidAt: row.paid_at,
    providerReference: row.provider_reference,
    overpayment: truthy(row.overpayment),
    terminationDate: row.termination_date,
  };
}

export function beneficiaryView(row: BeneficiaryRow & { enrollments: EnrollmentRow[]; accounts: AccountRow[] }, mask: boolean) {
  const payingAccount = row.accounts
    .filter((account) => account.status === 'VERIFIED')
    .sort((a, b) => Number(b.verified_position) - Number(a.verified_position))[0];
  return {
    beneficiaryId: row.beneficiary_id,
    nationalId: mask ? maskNationalId(row.national_id) : row.national_id,
    fullName: row.full_name,
    ...(mask ? { birthYear: Number(row.date_of_birth.slice(0, 4)) } : { dateOfBirth: row.date_of_birth }),
    gender: row.gender,
    unitCode: row.unit_code,
    channel: payingAccount ? 'BANK' : 'CASH',
    accountStatus: payingAccount ? 'VERIFIED' : row.accounts.some((account) => account.status === 'UNVERIFIED') ? 'UNVERIFIED' : 'NONE',
    enrollments: row.enrollments.map((enrollment) => ({
      program: enrollment.program,
      status: enrollment.status,
      coefficient: enrollment.coefficient,
      effectiveFrom: enrollment.effective_from,
      suspendedFrom: enrollment.suspended_from,
      terminatedOn: enrollment.terminated_on,
      terminationReason: enrollment.termination_reason,
    })),
    accounts: row.accounts.map((account) => ({
      accountId: account.account_id,
      bankCode: account.bank_code,
      accountNumber: mask ? maskAccountNumber(account.account_number) : account.account_number,
      holderName: account.holder_name,
      status: account.status,
      paymentAccount: account.account_id === payingAccount?.account_id,
    })),
  };
}

const SUMMARY_STATUSES = ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'] as const;

/** The summary's groups with their statuses side by side, as a file's columns: `paidCount`, `paidAmount`… */
export function flatSummary({ byStatus, ...group }: SummaryItem) {
  return {
    ...group,
    ...Object.fromEntries(
      SUMMARY_STATUSES.flatMap((status) => [
        [`${status.toLowerCase()}Count`, byStatus[status]?.count ?? 0],
        [`${status.toLowerCase()}Amount`, byStatus[status]?.totalAmount ?? 0],
      ]),
    ),
  };
}

export function duplicateAttemptView(row: DuplicateAttemptRow) {
  return {
    position: String(row.position),
    disbursementId: row.disbursement_id,
    beneficiaryId: row.beneficiary_id,
    program: row.program,
    period: row.period,
    unitCode: row.unit_code,
    amount: Number(row.amount),
    attemptedReference: row.provider_reference_attempted,
    paidUnderReference: row.paid_under_reference,
    attemptedAmount: Number(row.attempted_amount),
    attemptedPaidAt: row.attempted_paid_at,
    recordedAt: row.recorded_at,
  };
}

/**
 * A view's keys as a file's columns, in order. A file has its header even when it has no row, so the
 * columns cannot come from the first row; the compiler checks that none of the view's keys is left out.
 */
const columnsOf =
  <View>() =>
  <const Columns extends ReadonlyArray<keyof View & string>>(columns: Columns & ([Exclude<keyof View, Columns[number]>] extends [never] ? unknown : { missing: Exclude<keyof View, Columns[number]> })) =>
    columns;

export const COVERAGE_COLUMNS = columnsOf<CoverageItem>()([
  'unitCode',
  'program',
  'asOfPeriod',
  'activeBeneficiaries',
  'verifiedAccounts',
  'latestPeriod',
  'paidInLatestPeriod',
  'paidByBankInLatestPeriod',
  'bankShareInLatestPeriod',
]);

export const SUMMARY_COLUMNS = [
  ...columnsOf<Omit<SummaryItem, 'byStatus'>>()(['period', 'program', 'unitCode', 'channel', 'count', 'totalAmount']),
  ...SUMMARY_STATUSES.flatMap((status) => [`${status.toLowerCase()}Count`, `${status.toLowerCase()}Amount`]),
] as const;

export const DISBURSEMENT_COLUMNS = columnsOf<ReturnType<typeof disbursementView>>()([
  'disbursementId',
  'beneficiaryId',
  'program',
  'period',
  'unitCode',
  'amount',
  'channel',
  'bankCode',
  'status',
  'dueDate',
  'daysLate',
  'arrears',
  'attempt',
  'payrollRunId',
  'paidAt',
  'providerReference',
  'overpayment',
  'terminationDate',
]);

export const DUPLICATE_ATTEMPT_COLUMNS = columnsOf<ReturnType<typeof duplicateAttemptView>>()([
  'position',
  'disbursementId',
  'beneficiaryId',
  'program',
  'period',
  'unitCode',
  'amount',
  'attemptedReference',
  'paidUnderReference',
  'attemptedAmount',
  'attemptedPaidAt',
  'recordedAt',
]);
