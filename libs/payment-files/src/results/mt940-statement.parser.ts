import { parseLocalDate, type LocalDate } from '@ledger/domain';
import { PaymentFileError } from '../shared/file-error.js';
import { readVndAmount } from '../shared/vnd-amount.js';
import { ResultFileReading, type ResultFile } from './result-file.js';

/** A field of the statement: its tag, its text (continuation lines joined by \n) and the line it starts on. */
interface Field {
  readonly tag: string;
  readonly text: string;
  readonly lineNumber: number;
}

/** A statement line (:61:) as read, before it is judged. */
interface StatementLine {
  readonly lineNumber: number;
  readonly mark: 'C' | 'D' | 'RC' | 'RD';
  readonly amount?: number;
  readonly problem?: string;
  /** The line's shape is wrong, not just its amount: whatever its mark, it cannot be judged. */
  readonly unreadable?: boolean;
  readonly bookingDate?: LocalDate;
  readonly customerReference: string;
  details: string;
}

const TAG = /^:(\d{2}[A-Z]?):/;
/** The FIN envelope's blocks before the text block: {1:…}{2:…}{3:{108:…}} and the opening {4:. */
export const FIN_BLOCKS = /^(\{[123]:(?:[^{}\r\n]|\{[^{}\r\n]*\})*\})+(\{4:)?/;
/** Value date, optional entry date, debit/credit mark, optional funds code, amount; the rest is read after. */
const LINE_HEAD = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z]?)([0-9,.]*)(.*)$/;
/** Transaction type, customer reference (16x, no "//"), optional bank reference after "//". */
const LINE_TAIL = /^([NSF][A-Z0-9]{3})((?:(?!\/\/).){1,16})(?:\/\/(.{0,16}))?$/;
const BALANCE = /^([CD])(\d{6})([A-Z]{3})(.*)$/;

/**
 * An MT940 customer statement: per booked debit (`:61:` with mark D) a payment, its amount, its
 * booking date (the entry date when given, else the value date) and its end-to-end id, taken from
 * `:86:` (`/EREF/…` or `EREF+…`) or else from the customer reference. Credits and reversals are
 * ignored. Each statement must close (`:62F:`/`:62M:`) and its lines must add up from the opening
 * to the closing balance; otherwise the file is truncated or altered and none of it is read.
 */
export function parseMt940(text: string): ResultFile {
  const reading = new ResultFileReading('MT940');
  for (const statement of statementsOf(fieldsOf(text))) readStatement(statement, reading);
  return reading.result();
}

function fieldsOf(text: string): Field[] {
  const fields: Array<{ tag: string; lines: string[]; lineNumber: number }> = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    // A FIN envelope ({1:…}{2:…}{4:) wraps block 4, which "-}" closes; a bare "-" ends a statement.
    const line = raw.replace(FIN_BLOCKS, '').trimEnd();
    if (line === '' || line === '-' || line.startsWith('-}')) return;
    const tag = TAG.exec(line);
    if (tag) fields.push({ tag: tag[1]!, lines: [line.slice(tag[0].length)], lineNumber: index + 1 });
    else if (fields.length) fields[fields.length - 1]!.lines.push(line);
    else throw new PaymentFileError('MALFORMED_FILE', 'The MT940 file has text before its first field', index + 1);
  });
  return fields.map(({ tag, lines, lineNumber }) => ({ tag, text: lines.join('\n'), lineNumber }));
}

function statementsOf(fields: Field[]): Field[][] {
  const statements: Field[][] = [];
  for (const field of fields) {
    if (field.tag === '20') statements.push([]);
    if (!statements.length) throw new PaymentFileError('MALFORMED_FILE', 'An MT940 statement starts with :20:', field.lineNumber);
    statements[statements.length - 1]!.push(field);
  }
  return statements;
}

function readStatement(fields: Field[], reading: ResultFileReading): void {
  const start = fields[0]!.lineNumber;
  const opening = fields.find((field) => field.tag === '60F' || field.tag === '60M');
  const closing = fields.find((field) => field.tag === '62F' || field.tag === '62M');
  if (!opening) throw new PaymentFileError('MALFORMED_FILE', 'The statement has no opening balance (:60F:)', start);
  if (!closing) throw new PaymentFileError('MALFORMED_FILE', 'The statement has no closing balance (:62F:): the file looks truncated', start);
  const currency = BALANCE.exec(opening.text)?.[3];
  if (!currency) throw new PaymentFileError('MALFORMED_FILE', 'The opening balance cannot be read', opening.lineNumber);

  const lines: StatementLine[] = [];
  for (const field of fields) {
    if (field.tag === '61') {
      if (field.lineNumber < opening.lineNumber) throw new PaymentFileError('MALFORMED_FILE', 'A statement line comes before the opening balance', field.lineNumber);
      lines.push(statementLine(field));
    } else if (field.tag === '86' && lines.length && field.lineNumber < closing.lineNumber) {
      // Wrapped :86: text continues mid-word on the next line: join without a separator.
      lines[lines.length - 1]!.details += field.text.replace(/\n/g, '');
    }
  }
  if (currency === 'VND') assertAddsUp(opening, closing, lines);

  for (const line of lines) {
    const { lineNumber } = line;
    if (line.unreadable) {
      reading.problems.push({ lineNumber, reason: line.problem! });
      continue;
    }
    if (line.mark !== 'D') {
      reading.ignored.push({ lineNumber, reason: line.mark === 'C' ? 'a credit entry' : 'a reversal entry' });
      continue;
    }
    const endToEndId = endToEndIdOf(line);
    if (!endToEndId) reading.ignored.push({ lineNumber, reason: 'the entry has no end-to-end id' });
    else if (currency !== 'VND') reading.problems.push({ lineNumber, reason: `the currency is ${currency}, not VND` });
    else if (line.problem !== undefined) reading.problems.push({ lineNumber, reason: line.problem });
    else reading.lines.push({ lineNumber, endToEndId, outcome: 'PAID', amount: line.amount!, currency: 'VND', ...(line.bookingDate ? { date: line.bookingDate } : {}) });
  }
}

function statementLine(field: Field): StatementLine {
  const [first = ''] = field.text.split('\n');
  const base = { lineNumber: field.lineNumber, customerReference: '', details: '' };
  const head = LINE_HEAD.exec(first);
  if (!head) return { ...base, mark: 'D', unreadable: true, problem: 'the :61: line has no date and debit/credit mark' };
  const mark = head[3] as StatementLine['mark'];
  const tail = LINE_TAIL.exec(head[6]!);
  const bookingDate = bookingDateOf(head[1]!, head[2]);
  const amount = readVndAmount(head[5], ',');
  if (!tail) return { ...base, mark, unreadable: true, problem: 'the :61: line has no transaction type and reference' };
  if (!bookingDate) return { ...base, mark, unreadable: true, problem: 'the :61: line has an impossible date' };
  return { ...base, mark, bookingDate, customerReference: tail[2]!, ...amount };
}

/** The entry date (MMDD) takes its year from the value date, across a new year either way. */
function bookingDateOf(valueDate: string, entryDate: string | undefined): LocalDate | undefined {
  const year = 2000 + Number(valueDate.slice(0, 2));
  const valueMonth = Number(valueDate.slice(2, 4));
  let date = `${year}-${valueDate.slice(2, 4)}-${valueDate.slice(4, 6)}`;
  if (entryDate) {
    const entryMonth = Number(entryDate.slice(0, 2));
    const entryYear = entryMonth < valueMonth - 6 ? year + 1 : entryMonth > valueMonth + 6 ? year - 1 : year;
    date = `${entryYear}-${entryDate.slice(0, 2)}-${entryDate.slice(2, 4)}`;
  }
  try {
    return parseLocalDate(date, 'bookingDate');
  } catch {
    return undefined;
  }
}

/** `/EREF/…` (SEPA-style :86:), `EREF+…` (German ?20 subfields), else a customer reference other than NONREF. */
function endToEndIdOf(line: StatementLine): string | undefined {
  const fromDetails = /\/EREF\/([^/?\s]+)/.exec(line.details)?.[1] ?? /EREF\+([^/?\s]+)/.exec(line.details)?.[1];
  if (fromDetails && fromDetails !== 'NOTPROVIDED') return fromDetails;
  const reference = line.customerReference.trim();
  return reference && reference !== 'NONREF' ? reference : undefined;
}

/** Opening balance plus credits minus debits must be the closing balance, to the đồng. */
function assertAddsUp(opening: Field, closing: Field, lines: readonly StatementLine[]): void {
  if (lines.some((line) => line.amount === undefined)) return; // each such line is already a problem
  const balance = (field: Field) => {
    const match = BALANCE.exec(field.text);
    const amount = readVndAmount(match?.[4], ',').amount;
    if (!match || amount === undefined) throw new PaymentFileError('MALFORMED_FILE', 'The balance cannot be read as đồng', field.lineNumber);
    return match[1] === 'C' ? amount : -amount;
  };
  const turnover = lines.reduce((sum, line) => sum + (line.mark === 'C' || line.mark === 'RD' ? line.amount! : -line.amount!), 0);
  if (balance(opening) + turnover !== balance(closing)) {
    throw new PaymentFileError('MALFORMED_FILE', 'The statement lines do not add up to its closing balance: lines are missing or altered', closing.lineNumber);
  }
}
