import type { LocalDate, Vnd } from '@ledger/domain';
import { endToEndIdOf } from '../shared/end-to-end-id.js';
import type { PaymentResult } from './result-file.js';

export interface Mt940StatementHeader {
  /** :20: the bank's reference for the statement, at most 16 characters. */
  readonly reference: string;
  /** :25: the paying account, as the bank identifies it. */
  readonly accountIdentification: string;
  /** :28C: the statement's sequence number. */
  readonly statementNumber: number;
  readonly statementDate: LocalDate;
  /** By default what the payments take out, so the statement closes at zero. */
  readonly openingBalance?: Vnd;
}

/**
 * A bank's MT940 statement of the paying account: one `:61:` debit per paid result, with the booking
 * date as value and entry date, and the end-to-end id in `:86:` as `/EREF/…` — the `:61:` customer
 * reference holds only 16 characters, too few for a disbursement id.
 */
export function mt940Statement(header: Mt940StatementHeader, results: readonly PaymentResult[]): string {
  if (header.reference.length > 16) throw new RangeError('An MT940 reference is at most 16 characters');
  const debits = results.reduce((sum, result) => sum + amountOf(result), 0);
  const opening = header.openingBalance ?? debits;
  const lines = [
    `:20:${header.reference}`,
    `:25:${header.accountIdentification}`,
    `:28C:${header.statementNumber}/1`,
    `:60F:${balance(opening, header.statementDate)}`,
  ];
  for (const result of results) {
    if (!result.date) throw new RangeError('A booked entry has a booking date');
    lines.push(`:61:${yymmdd(result.date)}${result.date.slice(5, 7)}${result.date.slice(8, 10)}D${amountOf(result)},NTRFNONREF`);
    lines.push(`:86:/EREF/${endToEndIdOf(result.disbursementId)}`);
  }
  lines.push(`:62F:${balance(opening - debits, header.statementDate)}`, '-');
  return `${lines.join('\r\n')}\r\n`;
}

function balance(amount: number, date: LocalDate): string {
  return `${amount >= 0 ? 'C' : 'D'}${yymmdd(date)}VND${Math.abs(amount)},`;
}

function yymmdd(date: LocalDate): string {
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}

function amountOf(result: PaymentResult): number {
  if (result.outcome !== 'PAID') throw new RangeError(`A statement has no entry for a payment ${result.outcome.toLowerCase()}`);
  if (result.amount === undefined) throw new RangeError('A booked entry has an amount');
  return result.amount;
}
