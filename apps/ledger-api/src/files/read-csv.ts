import { CsvError, parse } from 'csv-parse/sync';

/** One record of a file and the line it starts on (the first line of the file is line 1). */
export interface CsvLine {
  readonly line: number;
  readonly cells: readonly string[];
}

/** A line that could not be read as a record: never its content, which may be personal data. */
export interface MalformedLine {
  readonly line: number;
  readonly reason: string;
}

export interface CsvFile {
  /** `,`, or `;` as Excel writes CSV where the decimal separator is a comma (Vietnam among others). */
  readonly delimiter: ',' | ';';
  readonly header: CsvLine;
  /** Every record with as many cells as the header, blank ones left out. */
  readonly records: readonly CsvLine[];
  readonly malformed: readonly MalformedLine[];
}

/** A file with no header to read, or not in UTF-8: nothing in it can be taken. */
export class UnreadableCsv extends Error {}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;
const CR = 0x0d;

/**
 * A CSV file with a header row, read so that nobody in it is lost: every line that is not blank is
 * either the one line of a record or reported as malformed with its number. An unclosed quote would
 * otherwise run on through the lines after it, swallowing them into one cell (silently, when a quote
 * further down closes it with the right number of cells around). So a record that fails to parse,
 * has the wrong number of cells, or runs over a line break is reported at the line it starts on, and
 * reading starts again on the next line. No file the ledger reads has a value with a line break in
 * it, so a quoted line break is always such a run-on, never a value.
 *
 * The separator is the header line's: comma, or semicolon as Excel writes CSV where the decimal
 * separator is a comma (Vietnam among others). A byte-order mark is skipped; CRLF, LF and CR line
 * ends are all taken; quoted cells may hold separators and doubled quotes (RFC 4180).
 */
export function readCsv(input: Buffer): CsvFile {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new UnreadableCsv('The file is not UTF-8: save it from the spreadsheet as "CSV UTF-8".');
  }
  const lines = new PhysicalLines(input, input.subarray(0, 3).equals(BOM) ? 3 : 0);
  const headerLine = lines.firstWithContentFrom(lines.start);
  if (headerLine === undefined) throw new UnreadableCsv('The file is empty: it needs a header row.');
  const headerText = input.toString('utf8', lines.startOf(headerLine), lines.contentEndOf(headerLine));
  const delimiter = count(headerText, ';') > count(headerText, ',') ? ';' : ',';

  let header: CsvLine | undefined;
  const records: CsvLine[] = [];
  const malformed: MalformedLine[] = [];
  for (let from = lines.start; from < input.length; ) {
    /** Where the record being read starts: the end of the one before it. */
    let recordFrom = from;
    try {
      parse(input.subarray(from), {
        delimiter,
        // Whichever line end the file uses, on any line: Excel writes CRLF, other tools LF.
        record_delimiter: ['\r\n', '\n', '\r'],
        relax_column_count: true,
        skip_empty_lines: true,
        on_record: (cells: string[], { bytes }) => {
          const line = lines.firstWithContentFrom(recordFrom)!;
          recordFrom = from + bytes;
          if (lines.lineOf(recordFrom - 1) > line) {
            if (header === undefined) throw new UnreadableCsv(`The header row cannot be read: ${RUNS_ON}.`);
            malformed.push({ line, reason: RUNS_ON });
            throw new ReadAgainFrom(line + 1);
          }
          if (header === undefined) header = { line, cells };
          else if (cells.every((cell) => cell.trim() === '')) return null;
          else if (cells.length === header.cells.length) records.push({ line, cells });
          else malformed.push({ line, reason: `${cells.length} cells where the header has ${header.cells.length}` });
          return null;
        },
      });
      break;
    } catch (error) {
      if (error instanceof ReadAgainFrom) {
        from = lines.startOf(error.line);
        continue;
      }
      if (!(error instanceof CsvError)) throw error;
      const line = lines.firstWithContentFrom(recordFrom)!;
      if (header === undefined) throw new UnreadableCsv(`The header row cannot be read: ${reasonOf(error)}.`);
      malformed.push({ line, reason: reasonOf(error) });
      from = lines.startOf(line + 1);
    }
  }
  if (header === undefined) throw new UnreadableCsv('The file is empty: it needs a header row.');
  return { delimiter, header, records, malformed: malformed.sort((a, b) => a.line - b.line) };
}

/** Thrown out of the parser to stop it: the record it just read ran over lines that are read again. */
class ReadAgainFrom {
  constructor(readonly line: number) {}
}

const RUNS_ON = 'a quote opened on this line runs on past its end (a closing quote missing?)';

/** What went wrong, in words; never csv-parse's own message, which quotes the cell. */
function reasonOf(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted cell is followed by more text before the next separator (an unclosed or stray quote)';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside a cell that does not start with one';
    default:
      return `the line cannot be read as CSV (${error.code})`;
  }
}

const count = (text: string, character: string) => text.split(character).length - 1;

/** Where each line of the file starts, in bytes, as csv-parse counts them (CRLF, LF or a lone CR ends a line). */
class PhysicalLines {
  private readonly starts: number[];

  constructor(
    private readonly input: Buffer,
    readonly start: number,
  ) {
    this.starts = [start];
    for (let index = start; index < input.length; index++) {
      const byte = input[index];
      if (byte === CR && input[index + 1] === LF) index++;
      if (byte === CR || byte === LF) this.starts.push(index + 1);
    }
  }

  /** The line (from 1) holding the byte at `offset`. */
  lineOf(offset: number): number {
    let [low, high] = [0, this.starts.length - 1];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  startOf(line: number): number {
    return this.starts[line - 1] ?? this.input.length;
  }

  /** Where `line`'s content ends, before its line break. */
  contentEndOf(line: number): number {
    let end = this.starts[line] ?? this.input.length;
    if (end > this.startOf(line) && this.input[end - 1] === LF) end--;
    if (end > this.startOf(line) && this.input[end - 1] === CR) end--;
    return end;
  }

  /** The first line at or after `offset` (a line start) that is not empty, as the parser skips empty ones. */
  firstWithContentFrom(offset: number): number | undefined {
    for (let line = this.lineOf(offset); this.startOf(line) < this.input.length; line++) {
      if (this.contentEndOf(line) > this.startOf(line)) return line;
    }
    return undefined;
  }
}
