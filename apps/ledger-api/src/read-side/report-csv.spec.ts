import { describe, expect, it } from '@jest/globals';
import type { Page, ReportKey } from '@ledger/read-models';
import { wholeReportAsCsv, withCursor } from './report-csv.js';

/** A report of `count` rows served in pages, counting the reads. */
function report(count: number) {
  const rows = Array.from({ length: count }, (_, index) => ({ id: `d-${String(index).padStart(3, '0')}`, amount: index * 1000 }));
  const reads: Array<{ after?: ReportKey; limit: number }> = [];
  const pages = async (page: { after?: ReportKey; limit: number }): Promise<Page<(typeof rows)[number], ReportKey>> => {
    reads.push(page);
    const from = page.after ? rows.findIndex((row) => row.id === page.after![0]) + 1 : 0;
    const items = rows.slice(from, from + page.limit);
    return { items, next: from + page.limit < rows.length ? [items.at(-1)!.id] : null };
  };
  return { rows, reads, pages };
}

async function csvOf(count: number, pageSize: number) {
  const { reads, pages } = report(count);
  let text = '';
  for await (const chunk of wholeReportAsCsv(await pages({ limit: pageSize }), pages, (row) => row, pageSize)) text += chunk;
  return { text, reads };
}

describe('a whole report as CSV', () => {
  it('is one header and every row of every page, each once, in order', async () => {
    const { text, reads } = await csvOf(25, 10);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,amount');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 25 }, (_, index) => `d-${String(index).padStart(3, '0')},${index * 1000}`));
    expect(lines.at(-1)).toBe('');
    expect(reads.map((read) => read.after?.[0] ?? null)).toEqual([null, 'd-009', 'd-019']);
  });

  it('reads no further page than the last one', async () => {
    expect((await csvOf(20, 10)).reads).toHaveLength(2);
  });

  it('is empty when the report is', async () => {
    expect((await csvOf(0, 10)).text).toBe('');
  });
});

describe('the Link to the next page', () => {
  it('keeps the request’s filters and puts the cursor in place of any other', () => {
    expect(withCursor('/v1/reports/summary?period=2024-04&cursor=old&limit=2', 'next-one')).toBe('/v1/reports/summary?period=2024-04&cursor=next-one&limit=2');
    expect(withCursor('/v1/reports/coverage', 'abc')).toBe('/v1/reports/coverage?cursor=abc');
  });
});
