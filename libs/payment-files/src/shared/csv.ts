import { parse } from 'csv-parse/sync';
import { PaymentFileError } from './file-error.js';
import type { LineProblem } from '../results/result-file.js';
import { csvForBanks, csvForPeople } from './write-csv.js';

/**
 * A header row and `rows` under it, by the shared rules for who reads the file: `forPeople` gets the
 * byte-order mark and formula defusing of `csvForPeople`, a bank's system every value as it is.
 */
export function csvText(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, { forPeople }: { forPeople: boolean }): string {
  const records = rows.map((row) => Object.fromEntries(header.map((column, index) => [column, row[index]])));
  return (forPeople ? csvForPeople : csvForBanks)(header, records);
}

/** One record of a CSV file by its column names, with the line it starts on. */
export interface CsvRecord {
  readonly lineNumber: number;
  readonly field: (column: string) => string;
}

/** The header's column names, lower-cased and trimmed, or undefined when the text has no first line. */
export function csvHeader(text: string): string[] | undefined {
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0];
  if (!firstLine?.trim()) return undefined;
  try {
    const [header] = parse(firstLine, { relax_column_count: true, trim: true }) as string[][];
    return header?.map((name) => name.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

/**
 * The records under a header that names at least `required` columns, in any order (other columns
 * are ignored). A record with the wrong number of fields is a problem on its line and the rest are
 * still read; a broken quote makes every later line ambiguous, so it stops the whole file.
 */
export function csvRecords(text: string, required: readonly string[]): { records: CsvRecord[]; problems: LineProblem[] } {
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with where it was read; the typings do not follow the option.
    rows = parse(text.replace(/\r\n?/g, '\n'), { info: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: '\n', trim: true }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new PaymentFileError('MALFORMED_FILE', `The CSV cannot be read: ${(error as { code?: string }).code ?? 'parse error'}`, line);
  }
  const [head, ...body] = rows;
  const columns = (head?.record ?? []).map((name) => name.trim().toLowerCase());
  const missing = required.filter((column) => !columns.includes(column));
  if (missing.length) throw new PaymentFileError('MALFORMED_FILE', `The CSV header lacks the column(s) ${missing.join(', ')}`, 1);
  const position = new Map(columns.map((column, index) => [column, index]));

  const records: CsvRecord[] = [];
  const problems: LineProblem[] = [];
  for (const { record, info } of body) {
    // A quoted field can hold line breaks: the record starts that many lines before it ends.
    const lineNumber = info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.every((field) => field.trim() === '')) continue;
    if (record.length !== columns.length) {
      problems.push({ lineNumber, reason: `the line has ${record.length} fields where the header has ${columns.length}` });
      continue;
    }
    records.push({ lineNumber, field: (column) => (record[position.get(column) ?? -1] ?? '').trim() });
  }
  return { records, problems };
}
