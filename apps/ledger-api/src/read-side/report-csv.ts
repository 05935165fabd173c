import type { Page, ReportKey } from '@ledger/read-models';
import { csvLine, csvLines } from './views.js';

/** One page of a report's rows, from a key on. */
export type ReportPages<Row> = (page: { after?: ReportKey; limit: number }) => Promise<Page<Row, ReportKey>>;

/** The header, then each page's lines as the database gives them: the next page is read only once the last one has gone out. */
export async function* wholeReportAsCsv<Row>(first: Page<Row, ReportKey>, pages: ReportPages<Row>, record: (row: Row) => Record<string, unknown>, pageSize: number): AsyncGenerator<string> {
  let columns: string[] | undefined;
  for (let page = first; ; ) {
    const records = page.items.map(record);
    if (records.length) {
      if (!columns) yield csvLine((columns = Object.keys(records[0]!)));
      yield csvLines(columns, records);
    }
    if (page.next === null) return;
    page = await pages({ after: page.next, limit: pageSize });
  }
}

/** The request's own path and query, with `cursor` set to the next page's. */
export function withCursor(url: string, cursor: string): string {
  const next = new URL(url, 'http://ledger.invalid');
  next.searchParams.set('cursor', cursor);
  return `${next.pathname}${next.search}`;
}

