import { pipeline, Readable } from 'node:stream';
import type { Page, ReportKey } from '@ledger/read-models';
import { csvForPeople, csvStreamForPeople, type CsvColumns, type CsvRecord } from '@ledger/payment-files';
import { XLSX_MEDIA_TYPE, xlsxForPeople } from '../files/write-xlsx.js';
import { REPORT_KEYS, type KeyShape } from './query-scope.js';
import { COVERAGE_COLUMNS, DISBURSEMENT_COLUMNS, DUPLICATE_ATTEMPT_COLUMNS, SUMMARY_COLUMNS } from './views.js';

export { XLSX_MEDIA_TYPE };
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

/** One page of a report's rows, from a key on. */
export type ReportPages<Row> = (page: { after?: ReportKey; limit: number }) => Promise<Page<Row, ReportKey>>;

/** A report as a file: its name, the shape of its cursor, and its columns (the header even of an empty report). */
export interface ReportFile {
  readonly name: string;
  readonly keyShape: KeyShape;
  readonly columns: CsvColumns;
}

export const REPORT_FILES = {
  coverage: { name: 'coverage', keyShape: REPORT_KEYS.coverage, columns: COVERAGE_COLUMNS },
  summary: { name: 'summary', keyShape: REPORT_KEYS.summary, columns: SUMMARY_COLUMNS },
  latePayments: { name: 'late-payments', keyShape: REPORT_KEYS.latePayments, columns: DISBURSEMENT_COLUMNS },
  duplicateAttempts: { name: 'duplicate-attempts', keyShape: REPORT_KEYS.duplicateAttempts, columns: DUPLICATE_ATTEMPT_COLUMNS },
  overpayments: { name: 'overpayments', keyShape: REPORT_KEYS.overpayments, columns: DISBURSEMENT_COLUMNS },
} as const satisfies Record<string, ReportFile>;

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/** JSON unless the Accept header names CSV or an Excel workbook; of the two, the one it names first. */
export function reportFormatOf(accept: string | undefined): ReportFormat {
  const text = accept?.toLowerCase() ?? '';
  const [csv, xlsx] = [text.indexOf('text/csv'), text.indexOf(XLSX_MEDIA_TYPE)];
  if (xlsx >= 0 && (csv < 0 || xlsx < csv)) return 'xlsx';
  return csv >= 0 ? 'csv' : 'json';
}

/** Every row of a report from its first page on: the next page is read only once the last one's rows have gone out. */
export async function* wholeReport<Row>(first: Page<Row, ReportKey>, pages: ReportPages<Row>, pageSize: number): AsyncGenerator<Row> {
  for (let page = first; ; ) {
    yield* page.items;
    if (page.next === null) return;
    page = await pages({ after: page.next, limit: pageSize });
  }
}

/**
 * A report's records as a file for people, streamed as they come: CSV (byte-order mark, header row,
 * formulas defused) or an Excel workbook. A client that goes away stops the reading of pages.
 */
export function reportFile(format: 'csv' | 'xlsx', report: ReportFile, records: AsyncIterable<CsvRecord>): Readable {
  if (format === 'xlsx') return xlsxForPeople(report.name, report.columns, records);
  // The error, if any, reaches the response through the last stream, which pipeline destroys with it.
  return pipeline(Readable.from(records), csvStreamForPeople(report.columns), () => {});
}

/** One page of a report as a file of its own, with its header: a BI tool follows the Link header to the next. */
export function reportPageFile(format: 'csv' | 'xlsx', report: ReportFile, records: readonly CsvRecord[]): string | Readable {
  return format === 'csv' ? csvForPeople(report.columns, records) : xlsxForPeople(report.name, report.columns, Readable.from(records));
}

export const mediaTypeOf = (format: 'csv' | 'xlsx') => (format === 'csv' ? CSV_MEDIA_TYPE : XLSX_MEDIA_TYPE);

/** `attachment; filename="late-payments.xlsx"`: a browser saves the file under the report's name. */
export const attachmentOf = (report: ReportFile, format: 'csv' | 'xlsx') => `attachment; filename="${report.name}.${format}"`;

/** The request's own path and query, with `cursor` set to the next page's. */
export function withCursor(url: string, cursor: string): string {
  const next = new URL(url, 'http://ledger.invalid');
  next.searchParams.set('cursor', cursor);
  return `${next.pathname}${next.search}`;
}
