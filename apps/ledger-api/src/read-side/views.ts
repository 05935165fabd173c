import { daysLateOnDate, maskAccountNumber, maskNationalId, type LocalDate } from '@ledger/domain';
import type { AccountRow, BeneficiaryRow, DisbursementRow, EnrollmentRow } from '@ledger/read-models';
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

/** RFC 4180 CSV of flat records; nested values are JSON, formula-looking text is defused. */
export function toCsv(records: ReadonlyArray<Record<string, unknown>>): string {
  if (records.length === 0) return '';
  const columns = Object.keys(records[0]!);
  return csvLine(columns) + csvLines(columns, records);
}

export const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The records' lines under a header of `columns` (every record of a report has the same keys). */
export const csvLines = (columns: readonly string[], records: ReadonlyArray<Record<string, unknown>>) => records.map((record) => csvLine(columns.map((column) => record[column]))).join('');

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
