import { csvRecords, csvText, type CsvRecord } from '../shared/csv.js';
import { localDateOf } from '../shared/iso-date-time.js';
import { vndAmountOn } from './line-amount.js';
import { ResultFileReading, type PaymentResult, type ResultFile } from './result-file.js';

/** The bank results CSV's columns, in the order the ledger writes them; a bank may add others. */
export const BANK_RESULTS_COLUMNS = ['end_to_end_id', 'status', 'amount', 'currency', 'booking_date', 'reason'] as const;

/**
 * The CSV a bank exports with a payment's outcome: `status` PAID (with amount, currency and booking
 * date) or FAILED (with the bank's reason). The end-to-end id is the disbursement id as the bank was
 * given it, hyphenated or not.
 */
export function parseBankResultsCsv(text: string): ResultFile {
  const reading = new ResultFileReading('BANK_RESULTS_CSV');
  const { records, problems } = csvRecords(text, BANK_RESULTS_COLUMNS);
  reading.problems.push(...problems);
  for (const record of records) readRecord(record, reading);
  return reading.result();
}

function readRecord(record: CsvRecord, reading: ResultFileReading): void {
  const { lineNumber } = record;
  const problem = (reason: string) => void reading.problems.push({ lineNumber, reason });
  const endToEndId = record.field('end_to_end_id');
  const status = record.field('status').toUpperCase();
  if (!endToEndId) return problem('the end_to_end_id is missing');
  if (status !== 'PAID' && status !== 'FAILED') return problem(`the status '${status.slice(0, 20)}' is neither PAID nor FAILED`);
  const amountText = record.field('amount');
  const stated = amountText || status === 'PAID' ? vndAmountOn(amountText, record.field('currency'), '.') : undefined;
  if (stated?.problem !== undefined) return problem(stated.problem);
  const amount = stated ? { amount: stated.amount, currency: 'VND' as const } : {};
  if (status === 'FAILED') {
    return void reading.lines.push({ lineNumber, endToEndId, outcome: 'FAILED', ...amount, reason: record.field('reason') || 'NO_REASON_GIVEN' });
  }
  const date = localDateOf(record.field('booking_date'));
  if (!date) return problem('the booking_date is not a date written YYYY-MM-DD');
  reading.lines.push({ lineNumber, endToEndId, outcome: 'PAID', ...amount, date });
}

/** The bank results CSV for the given results; a bank has no word for a payment returned. */
export function bankResultsCsv(results: readonly PaymentResult[]): string {
  const rows = results.map((result) => {
    if (result.outcome === 'RETURNED') throw new RangeError('A bank results file cannot say a payment was returned');
    const paid = result.outcome === 'PAID';
    return [result.disbursementId, result.outcome, result.amount ?? '', result.amount === undefined ? '' : 'VND', paid ? (result.date ?? '') : '', paid ? '' : (result.reason ?? '')];
  });
  return csvText(BANK_RESULTS_COLUMNS, rows, { forPeople: false });
}
