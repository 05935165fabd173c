import { parseLocalDate, type LocalDate } from '@ledger/domain';
import { csvRecords, csvText, type CsvRecord } from '../shared/csv.js';
import { readVndAmount } from '../shared/vnd-amount.js';
import { ResultFileReading, type PaymentResult, type ResultFile } from './result-file.js';

export const POST_OFFICE_RETURNS_COLUMNS = ['disbursement_id', 'collected', 'collected_date', 'amount_vnd', 'note'] as const;

/** People fill this file in, in English or Vietnamese. */
const YES = new Set(['yes', 'y', 'có', 'co']);
const NO = new Set(['no', 'n', 'không', 'khong']);

/**
 * The Post Office's returns: per cash payment, collected (with the date, and optionally the amount
 * paid out) → PAID, or not collected → RETURNED with the note as reason. Dates are read as
 * YYYY-MM-DD or as the Vietnamese DD/MM/YYYY.
 */
export function parsePostOfficeReturnsCsv(text: string): ResultFile {
  const reading = new ResultFileReading('POST_OFFICE_RETURNS_CSV');
  const { records, problems } = csvRecords(text, POST_OFFICE_RETURNS_COLUMNS.slice(0, 3));
  reading.problems.push(...problems);
  for (const record of records) readRecord(record, reading);
  return reading.result();
}

function readRecord(record: CsvRecord, reading: ResultFileReading): void {
  const { lineNumber } = record;
  const problem = (reason: string) => void reading.problems.push({ lineNumber, reason });
  const endToEndId = record.field('disbursement_id');
  const collected = record.field('collected').normalize('NFC').toLowerCase();
  if (!endToEndId) return problem('the disbursement_id is missing');
  if (NO.has(collected)) return void reading.lines.push({ lineNumber, endToEndId, outcome: 'RETURNED', reason: record.field('note') || 'NOT_COLLECTED' });
  if (!YES.has(collected)) return problem(`collected must be yes or no, not '${collected.slice(0, 20)}'`);
  const date = collectedDate(record.field('collected_date'));
  if (!date) return problem('the collected_date is not a date written DD/MM/YYYY or YYYY-MM-DD');
  const amountText = record.field('amount_vnd');
  const stated = amountText ? readVndAmount(amountText, '.') : undefined;
  if (stated?.problem !== undefined) return problem(stated.problem);
  reading.lines.push({ lineNumber, endToEndId, outcome: 'PAID', ...(stated ? { amount: stated.amount, currency: 'VND' as const } : {}), date });
}

function collectedDate(text: string): LocalDate | undefined {
  const vietnamese = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = vietnamese ? `${vietnamese[3]}-${vietnamese[2]!.padStart(2, '0')}-${vietnamese[1]!.padStart(2, '0')}` : text;
  try {
    return parseLocalDate(iso, 'collected_date');
  } catch {
    return undefined;
  }
}

/** The returns file as a Post Office would fill it in: dates as DD/MM/YYYY, with a byte-order mark for Excel. */
export function postOfficeReturnsCsv(results: readonly PaymentResult[]): string {
  const rows = results.map((result) => {
    if (result.outcome === 'FAILED') throw new RangeError('A cash payment is collected or returned, never failed');
    if (result.outcome === 'RETURNED') return [result.disbursementId, 'no', '', '', result.reason ?? ''];
    const date = result.date ? `${result.date.slice(8, 10)}/${result.date.slice(5, 7)}/${result.date.slice(0, 4)}` : '';
    return [result.disbursementId, 'yes', date, result.amount ?? '', ''];
  });
  return csvText(POST_OFFICE_RETURNS_COLUMNS, rows, { forPeople: true });
}
