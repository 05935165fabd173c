import { createHash } from 'node:crypto';
import { localDateInVietnam, type BeneficiaryState, type Catalogues, type DisbursementState, type Period } from '@ledger/domain';
import { csvForBanks, csvForPeople, pain001PaymentFile, type PayingAccount } from '@ledger/payment-files';
import { cashListPdfOffThread } from './cash-list-pdf-thread.js';

/** A payment as the run sent it to a bank: the disbursement as it stood then, account included. */
export type SentBankPayment = DisbursementState & { readonly account: NonNullable<DisbursementState['account']> };

/** A cash payment as the run sent it to the Post Office, with the person who collects it. */
export interface SentCashPayment {
  readonly disbursement: DisbursementState;
  readonly beneficiary: BeneficiaryState;
}

/** What every file of one run shares: which run, when it was sent (the file's own date), what it paid for. */
export interface SentRun {
  readonly runId: string;
  readonly period: Period;
  readonly sentAt: Date;
}

const BANK_FILE_COLUMNS = ['disbursement_id', 'beneficiary_id', 'program', 'period', 'amount_vnd', 'bank_code', 'account_number', 'holder_name', 'payment_reference'] as const;
const CASH_LIST_COLUMNS = ['disbursement_id', 'beneficiary_id', 'full_name', 'national_id', 'unit_code', 'program', 'period', 'amount_vnd'] as const;

/** What the beneficiary reads on their bank statement. */
const paymentReferenceOf = (payment: DisbursementState) => `${payment.program} ${payment.period}`;

/**
 * A bank's file for the bank's system, which matches the holder name character for character: no
 * byte-order mark, every value as recorded.
 */
export function bankFileCsv(payments: readonly SentBankPayment[]): string {
  return csvForBanks(
    BANK_FILE_COLUMNS,
    payments.map((payment) => ({
      disbursement_id: payment.disbursementId,
      beneficiary_id: payment.beneficiaryId,
      program: payment.program,
      period: payment.period,
      amount_vnd: payment.amount,
      bank_code: payment.account.bankCode,
      account_number: payment.account.accountNumber,
      holder_name: payment.account.holderName,
      payment_reference: paymentReferenceOf(payment),
    })),
  );
}

/**
 * A bank's file as an ISO 20022 pain.001 credit transfer initiation from the province's paying
 * account. Everything in it comes from what the run recorded — its id, the bank, the moment it was
 * sent — so downloading it again gives the same bytes, message id included, and a bank that
 * receives it twice can tell it is one message.
 */
export function bankFilePain001(payments: readonly SentBankPayment[], run: SentRun, bankCode: string, payingAccount: PayingAccount): string {
  return pain001PaymentFile({
    messageId: paymentMessageIdOf(run.runId, bankCode),
    createdAt: run.sentAt,
    // The run was sent to be paid: the bank is asked to execute on the day it was sent.
    requestedExecutionDate: localDateInVietnam(run.sentAt),
    payingAccount,
    transfers: payments.map((payment) => ({
      disbursementId: payment.disbursementId,
      amount: payment.amount,
      holderName: payment.account.holderName,
      accountNumber: payment.account.accountNumber,
      bankCode: payment.account.bankCode,
      remittanceInformation: paymentReferenceOf(payment),
    })),
  });
}

/** 32 hex digits of a hash of run and bank: one message id per file, within pain.001's 35 characters. */
export function paymentMessageIdOf(runId: string, bankCode: string): string {
  return createHash('sha256').update(`${runId}\u0000${bankCode}`).digest('hex').slice(0, 32);
}

/** The Post Office's list read by people, in a spreadsheet: byte-order mark, formulas defused. */
export function cashListCsv(payments: readonly SentCashPayment[]): string {
  return csvForPeople(
    CASH_LIST_COLUMNS,
    payments.map(({ disbursement, beneficiary }) => ({
      disbursement_id: disbursement.disbursementId,
      beneficiary_id: disbursement.beneficiaryId,
      full_name: beneficiary.fullName,
      national_id: beneficiary.nationalId,
      unit_code: disbursement.unitCode,
      program: disbursement.program,
      period: disbursement.period,
      amount_vnd: disbursement.amount,
    })),
  );
}

const byName = new Intl.Collator('vi', { sensitivity: 'base' });

/**
 * The Post Office's list as a printable PDF: a list of its own per unit (the pay point where the
 * people of that unit collect), in the catalogue's order, people by name within it. One row per
 * payment, as in the CSV, so the lists add up to what the run sent; a person owed two months, or by
 * two programs, signs twice. It is dated the day the run was sent, so it prints the same every time.
 */
export function cashListPdf(payments: readonly SentCashPayment[], run: SentRun, catalogues: Catalogues): Promise<Buffer> {
  const byUnit = new Map<string, SentCashPayment[]>();
  for (const payment of payments) {
    const unit = payment.disbursement.unitCode;
    const list = byUnit.get(unit);
    if (list) list.push(payment);
    else byUnit.set(unit, [payment]);
  }
  const units = catalogues.units.codes().filter((code) => byUnit.has(code));
  const programs = [...new Set(payments.map(({ disbursement }) => disbursement.program))].sort();
  return cashListPdfOffThread({
    province: provinceOf(units, catalogues),
    program: programs.map((code) => catalogues.programs.get(code).name).join(', '),
    period: run.period,
    preparedOn: localDateInVietnam(run.sentAt),
    payPoints: units.map((code) => ({
      payPoint: catalogues.units.get(code).name,
      payments: byUnit
        .get(code)!
        .sort((a, b) => byName.compare(a.beneficiary.fullName, b.beneficiary.fullName) || a.disbursement.disbursementId.localeCompare(b.disbursement.disbursementId))
        .map(({ disbursement, beneficiary }) => ({ fullName: beneficiary.fullName, birthYear: Number(beneficiary.dateOfBirth.slice(0, 4)), amount: disbursement.amount })),
    })),
  });
}

/** The top-level unit (the province) the pay points belong to; the names of each, in the rare catalogue with several. */
function provinceOf(units: readonly string[], catalogues: Catalogues): string {
  const roots = new Set(
    units.map((code) => {
      let unit = catalogues.units.get(code);
      while (unit.parentCode !== null) unit = catalogues.units.get(unit.parentCode);
      return unit.name;
    }),
  );
  return [...roots].join(', ');
}
