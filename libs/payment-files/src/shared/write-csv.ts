import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify as stringifyAll } from 'csv-stringify/sync';

/** The columns of a file, in order: the header row names them, and each record's values are read by them. */
export type CsvColumns = readonly string[];
export type CsvRecord = Readonly<Record<string, unknown>>;

const EITHER: Options = {
  header: true,
  // RFC 4180 line ends, which Excel and the banks' importers both read; a line break inside a value is quoted too.
  record_delimiter: 'windows',
  quote_record_delimiter: true,
  // `true`/`false` as the JSON says, not csv-stringify's 1 and empty.
  cast: { boolean: (value) => String(value) },
};

/**
 * CSV meant for people (reports, the Post Office cash list, import error reports), who open it in a
 * spreadsheet: UTF-8 with a byte-order mark, without which Excel shows "Nguyễn" as "Nguyá»…n"; a
 * header row even when there is no record; text a spreadsheet would run as a formula (= + - @, a
 * leading tab or carriage return) prefixed with `'`. Numbers are written as numbers, never prefixed.
 */
const FOR_PEOPLE: Options = { ...EITHER, bom: true, escape_formulas: true };

/**
 * CSV read by a bank's system: no byte-order mark and every value exactly as recorded — the bank
 * matches the holder name character for character, and a `'` in front would fail the match. What a
 * spreadsheet could run is refused when it is entered instead (`assertHolderNameCannotReadAsFormula`).
 */
const FOR_BANKS: Options = { ...EITHER, bom: false, escape_formulas: false };

export const csvForPeople = (columns: CsvColumns, records: Iterable<CsvRecord>): string => stringifyAll([...records], { ...FOR_PEOPLE, columns });

/** `csvForPeople` as a stream: records in, the file out — the header too when no record comes. */
export const csvStreamForPeople = (columns: CsvColumns): Stringifier => stringify({ ...FOR_PEOPLE, columns });

export const csvForBanks = (columns: CsvColumns, records: Iterable<CsvRecord>): string => stringifyAll([...records], { ...FOR_BANKS, columns });
