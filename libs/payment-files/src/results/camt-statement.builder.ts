import type { LocalDate, Vnd } from '@ledger/domain';
import { create } from 'xmlbuilder2';
import { endToEndIdOf } from '../shared/end-to-end-id.js';
import { isoDateTimeInVietnam } from '../shared/iso-date-time.js';
import type { PaymentResult } from './result-file.js';

type XMLBuilder = ReturnType<typeof create>;

export const CAMT_053_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';
export const CAMT_054_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';

export interface AccountReportHeader {
  readonly messageId: string;
  readonly createdAt: Date;
  /** The statement's or notification's own id. */
  readonly reportId: string;
  /** The province's paying account the bank reports on. */
  readonly accountNumber: string;
  /** The day the statement's balances are for. */
  readonly statementDate: LocalDate;
  /** The statement's opening balance; by default what the payments take out, so it closes at zero. */
  readonly openingBalance?: Vnd;
}

/** A bank's camt.053.001.08 end-of-day statement of the paying account: one booked debit entry per paid result. */
export function camt053Statement(header: AccountReportHeader, results: readonly PaymentResult[]): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAMT_053_NAMESPACE, 'Document');
  const message = root.ele('BkToCstmrStmt');
  groupHeader(message, header);
  const statement = message.ele('Stmt');
  statement.ele('Id').txt(header.reportId).up().ele('CreDtTm').txt(isoDateTimeInVietnam(header.createdAt));
  statement.ele('Acct').ele('Id').ele('Othr').ele('Id').txt(header.accountNumber).up().up().up().ele('Ccy').txt('VND');
  const debits = results.reduce((sum, result) => sum + amountOf(result), 0);
  const opening = header.openingBalance ?? debits;
  balance(statement, 'OPBD', opening, header.statementDate);
  balance(statement, 'CLBD', opening - debits, header.statementDate);
  for (const result of results) entry(statement, result);
  return root.end({ prettyPrint: true });
}

/** A bank's camt.054.001.08 debit notification on the paying account: one booked debit entry per paid result. */
export function camt054Notification(header: AccountReportHeader, results: readonly PaymentResult[]): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAMT_054_NAMESPACE, 'Document');
  const message = root.ele('BkToCstmrDbtCdtNtfctn');
  groupHeader(message, header);
  const notification = message.ele('Ntfctn');
  notification.ele('Id').txt(header.reportId).up().ele('CreDtTm').txt(isoDateTimeInVietnam(header.createdAt));
  notification.ele('Acct').ele('Id').ele('Othr').ele('Id').txt(header.accountNumber).up().up().up().ele('Ccy').txt('VND');
  for (const result of results) entry(notification, result);
  return root.end({ prettyPrint: true });
}

function groupHeader(message: XMLBuilder, header: AccountReportHeader): void {
  message.ele('GrpHdr').ele('MsgId').txt(header.messageId).up().ele('CreDtTm').txt(isoDateTimeInVietnam(header.createdAt));
}

function balance(statement: XMLBuilder, type: 'OPBD' | 'CLBD', amount: number, date: LocalDate): void {
  const element = statement.ele('Bal');
  element.ele('Tp').ele('CdOrPrtry').ele('Cd').txt(type);
  element.ele('Amt', { Ccy: 'VND' }).txt(String(Math.abs(amount)));
  element.ele('CdtDbtInd').txt(amount >= 0 ? 'CRDT' : 'DBIT');
  element.ele('Dt').ele('Dt').txt(date);
}

/** A booked debit, coded as an issued domestic credit transfer (PMNT / ICDT / DMCT). */
function entry(report: XMLBuilder, result: PaymentResult): void {
  const amount = String(amountOf(result));
  const date = result.date;
  if (!date) throw new RangeError('A booked entry has a booking date');
  const element = report.ele('Ntry');
  element.ele('Amt', { Ccy: 'VND' }).txt(amount);
  element.ele('CdtDbtInd').txt('DBIT');
  element.ele('Sts').ele('Cd').txt('BOOK');
  element.ele('BookgDt').ele('Dt').txt(date);
  element.ele('ValDt').ele('Dt').txt(date);
  element.ele('BkTxCd').ele('Domn').ele('Cd').txt('PMNT').up().ele('Fmly').ele('Cd').txt('ICDT').up().ele('SubFmlyCd').txt('DMCT');
  const details = element.ele('NtryDtls').ele('TxDtls');
  details.ele('Refs').ele('EndToEndId').txt(endToEndIdOf(result.disbursementId));
  details.ele('Amt', { Ccy: 'VND' }).txt(amount);
  details.ele('CdtDbtInd').txt('DBIT');
}

/** A statement shows money that left the account: only a paid result, with its amount, has an entry. */
function amountOf(result: PaymentResult): number {
  if (result.outcome !== 'PAID') throw new RangeError(`A statement has no entry for a payment ${result.outcome.toLowerCase()}`);
  if (result.amount === undefined) throw new RangeError('A booked entry has an amount');
  return result.amount;
}
