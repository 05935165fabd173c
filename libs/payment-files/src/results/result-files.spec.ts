import { describe, expect, it } from '@jest/globals';
import type { LocalDate } from '@ledger/domain';
import { disbursementIdFromEndToEndId } from '../shared/end-to-end-id.js';
import { allowance, disbursementId } from '../testing/fixtures.js';
import { bankResultsCsv } from './bank-results-csv.js';
import { camt053Statement, camt054Notification } from './camt-statement.builder.js';
import { mt940Statement } from './mt940-statement.builder.js';
import { pain002StatusReport } from './pain002-status-report.builder.js';
import { postOfficeReturnsCsv } from './post-office-returns-csv.js';
import type { PaymentResult, ResultFile, ResultFileFormat } from './result-file.js';
import { parseResultFile } from './result-file.parser.js';

const PAID_ON = '2025-03-15' as LocalDate;
const paid = (index: number, amount = allowance(index)): PaymentResult => ({ disbursementId: disbursementId(index), outcome: 'PAID', amount, date: PAID_ON });

/**
 * A run's results as a bank reports them: most paid, some rejected, one payment the run never made
 * (unknown id), one paid with the wrong amount, and one reported twice. The parsers must give all of
 * it back as written; telling which line is wrong is the ledger's work, not theirs.
 */
const paidResults: PaymentResult[] = [
  ...Array.from({ length: 10 }, (_, index) => paid(index)),
  paid(999), // not in the run
  paid(10, allowance(10) + 1_000), // the wrong amount
  paid(0), // a repeat of the first line
];
const rejected: PaymentResult[] = [
  { disbursementId: disbursementId(11), outcome: 'FAILED', amount: allowance(11), reason: 'AC04' },
  { disbursementId: disbursementId(12), outcome: 'FAILED', amount: allowance(12), reason: 'AM04' },
];
const returned: PaymentResult[] = [
  { disbursementId: disbursementId(11), outcome: 'RETURNED', reason: 'Người nhận đã chuyển đi nơi khác' },
  { disbursementId: disbursementId(12), outcome: 'RETURNED', reason: 'NOT_COLLECTED' },
];
const bankResults = [...paidResults.slice(0, 5), ...rejected, ...paidResults.slice(5)];
const postOfficeResults = [...paidResults.slice(0, 5), ...returned, ...paidResults.slice(5)];

const header = { messageId: 'VBA-RESULT-0001', createdAt: new Date('2025-03-15T10:00:00Z'), reportId: 'STMT-2025-03-15', accountNumber: '3711000123456', statementDate: PAID_ON };

const files: Array<[ResultFileFormat, string, PaymentResult[], RegExp]> = [
  ['PAIN_002', pain002StatusReport({ messageId: 'VBA-PSR-1', createdAt: header.createdAt, originalMessageId: 'HT-VBA-2025-03-01' }, bankResults), bankResults, /<TxInfAndSts>/],
  ['CAMT_053', camt053Statement({ ...header, openingBalance: 5_000_000_000 }, paidResults), paidResults, /<TxDtls>/],
  ['CAMT_054', camt054Notification(header, paidResults), paidResults, /<TxDtls>/],
  ['MT940', mt940Statement({ reference: 'STMT250315', accountIdentification: 'VBAAVNVX/3711000123456', statementNumber: 74, statementDate: PAID_ON }, paidResults), paidResults, /^:61:/],
  ['BANK_RESULTS_CSV', bankResultsCsv(bankResults), bankResults, /^[0-9a-f-]{36},/],
  ['POST_OFFICE_RETURNS_CSV', postOfficeReturnsCsv(postOfficeResults), postOfficeResults, /^[0-9a-f-]{36},/],
];

/** A parsed line in the shape it was built from. */
function asBuilt(file: ResultFile): PaymentResult[] {
  return file.lines.map(({ endToEndId, outcome, amount, date, reason }) => ({
    disbursementId: disbursementIdFromEndToEndId(endToEndId)!,
    outcome,
    ...(amount !== undefined ? { amount } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(reason !== undefined ? { reason } : {}),
  }));
}

describe.each(files)('a %s file built from a run’s results', (format, content, built, transactionLine) => {
  const file = parseResultFile(Buffer.from(content, 'utf8'));

  it('is recognised from its content', () => {
    expect(file.format).toBe(format);
  });

  it('reads back every result as built — the unknown id, the wrong amount and the repeat included', () => {
    expect(file.problems).toEqual([]);
    expect(file.ignored).toEqual([]);
    expect(asBuilt(file)).toEqual(built);
  });

  it('gives each result the line its transaction starts on', () => {
    const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\n/);
    const numbers = file.lines.map((line) => line.lineNumber);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(lines[number - 1]!.trim()).toMatch(transactionLine);
  });

  it('states VND for every amount', () => {
    expect(file.lines.filter((line) => line.amount !== undefined).every((line) => line.currency === 'VND')).toBe(true);
  });
});

describe('builders', () => {
  it('refuse results their format has no word for', () => {
    expect(() => camt054Notification(header, rejected)).toThrow(RangeError);
    expect(() => mt940Statement({ reference: 'S', accountIdentification: 'A', statementNumber: 1, statementDate: PAID_ON }, returned)).toThrow(RangeError);
    expect(() => bankResultsCsv(returned)).toThrow(RangeError);
    expect(() => postOfficeReturnsCsv(rejected)).toThrow(RangeError);
    expect(() => pain002StatusReport({ messageId: 'M', createdAt: header.createdAt, originalMessageId: 'O' }, returned)).toThrow(RangeError);
  });
});
