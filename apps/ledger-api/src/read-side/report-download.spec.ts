import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Page, ReportKey, SummaryItem } from '@ledger/read-models';
import { REPORT_FILES, reportFile, reportFormatOf, reportPageFile, wholeReport, withCursor, XLSX_MEDIA_TYPE, type ReportFile } from './report-download.js';
import { DISBURSEMENT_COLUMNS, disbursementView, DUPLICATE_ATTEMPT_COLUMNS, duplicateAttemptView, flatSummary, SUMMARY_COLUMNS } from './views.js';

const BOM = '\uFEFF';
const amounts: ReportFile = { name: 'amounts', keyShape: [], columns: ['id', 'amount'] };

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
  const file = reportFile('csv', amounts, wholeReport(await pages({ limit: pageSize }), pages, pageSize));
  // Bytes, not text(): a TextDecoder would drop the byte-order mark this checks for.
  return { text: (await buffer(file)).toString('utf8'), reads };
}

/** A workbook's first sheet as records under its header row; an empty cell reads as null, as the JSON has it. */
async function sheetOf(file: Readable): Promise<Array<Record<string, unknown>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.read(file);
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const records: Array<Record<string, unknown>> = [];
  sheet.eachRow((row, number) => {
    if (number > 1) records.push(Object.fromEntries(header.map((column, index) => [column, row.getCell(index + 1).value ?? null])));
  });
  return records;
}

describe('a whole report as CSV', () => {
  it('is a byte-order mark, one header and every row of every page, each once, in order', async () => {
    const { text, reads } = await csvOf(25, 10);
    expect(text.startsWith(`${BOM}id,amount\r\n`)).toBe(true);
    const lines = text.slice(BOM.length).split('\r\n');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 25 }, (_, index) => `d-${String(index).padStart(3, '0')},${index * 1000}`));
    expect(lines.at(-1)).toBe('');
    expect(reads.map((read) => read.after?.[0] ?? null)).toEqual([null, 'd-009', 'd-019']);
  });

  it('reads no further page than the last one', async () => {
    expect((await csvOf(20, 10)).reads).toHaveLength(2);
  });

  it('is its header alone when the report is empty', async () => {
    expect((await csvOf(0, 10)).text).toBe(`${BOM}id,amount\r\n`);
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers as they are', async () => {
    const file = reportPageFile('csv', amounts, [
      { id: '=HYPERLINK("http://x","y")', amount: -5 },
      { id: '@SUM(A1)', amount: 0 },
      { id: '+84', amount: 1 },
      { id: 'Nguyễn, "Út"', amount: 2 },
    ]);
    expect(file).toBe(`${BOM}id,amount\r\n"'=HYPERLINK(""http://x"",""y"")",-5\r\n'@SUM(A1),0\r\n'+84,1\r\n"Nguyễn, ""Út""",2\r\n`);
  });
});

describe('a whole report as an Excel workbook', () => {
  it('has the header row, then every row of every page with numbers as numbers', async () => {
    const { rows, pages } = report(2_500);
    const records = await sheetOf(reportFile('xlsx', amounts, wholeReport(await pages({ limit: 1_000 }), pages, 1_000)));
    expect(records).toEqual(rows);
  });

  it('formats money in whole đồng with thousands separators', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(reportPageFile('xlsx', amounts, [{ id: 'd-1', amount: 2_055_000 }]) as Readable);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).getCell(2)).toMatchObject({ value: 2_055_000, numFmt: '#,##0' });
    expect(sheet.getRow(2).getCell(1).numFmt).toBeUndefined();
  });

  it('has its header row even when the report is empty', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(reportPageFile('xlsx', amounts, []) as Readable);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([undefined, 'id', 'amount']);
    expect(workbook.worksheets[0]!.rowCount).toBe(1);
  });

  it('writes text that looks like a formula as text, never as a formula', async () => {
    const records = await sheetOf(reportPageFile('xlsx', amounts, [{ id: '=1+1', amount: null }]) as Readable);
    expect(records).toEqual([{ id: '=1+1', amount: null }]);
  });
});

describe('the columns of each report', () => {
  const disbursement = {
    disbursement_id: 'd-1', beneficiary_id: 'b-1', program: 'MERITORIOUS', period: '2024-04', unit_code: '899', amount: 2_055_000, channel: 'BANK', bank_code: 'VBA',
    status: 'SENT', due_date: '2024-04-10', arrears: 0, attempt: 1, payroll_run_id: 'r-1', paid_at: null, days_late: null, provider_reference: null, overpayment: 0,
    termination_date: null, overpayment_reason: null, channel_change_reason: null,
  };

  it('are the keys of the rows the JSON gives, in their order', () => {
    expect(DISBURSEMENT_COLUMNS).toEqual(Object.keys(disbursementView(disbursement, '2024-05-01' as never)));
    const attempt = { ...disbursement, provider_reference_attempted: 'FT1', reason: 'PROVIDER_REFERENCE_IN_USE', paid_under_reference: null, attempted_amount: 1, attempted_paid_at: 'x', recorded_at: 'y', position: '7' };
    expect(DUPLICATE_ATTEMPT_COLUMNS).toEqual(Object.keys(duplicateAttemptView(attempt)));
    const summary: SummaryItem = { period: '2024-04', program: 'MERITORIOUS', unitCode: '899', channel: 'BANK', count: 1, totalAmount: 5, byStatus: { PAID: { count: 1, totalAmount: 5 } } };
    expect(SUMMARY_COLUMNS).toEqual(Object.keys(flatSummary(summary)));
    expect(REPORT_FILES.overpayments.columns).toBe(DISBURSEMENT_COLUMNS);
  });
});

describe('the format a caller asks for', () => {
  it('is JSON unless the Accept header names CSV or a workbook, and the first named of the two', () => {
    expect(reportFormatOf(undefined)).toBe('json');
    expect(reportFormatOf('application/json')).toBe('json');
    expect(reportFormatOf('text/csv')).toBe('csv');
    expect(reportFormatOf(XLSX_MEDIA_TYPE)).toBe('xlsx');
    expect(reportFormatOf(`${XLSX_MEDIA_TYPE}, text/csv;q=0.5`)).toBe('xlsx');
    expect(reportFormatOf(`text/csv, ${XLSX_MEDIA_TYPE}`)).toBe('csv');
  });
});

describe('the Link to the next page', () => {
  it('keeps the request’s filters and puts the cursor in place of any other', () => {
    expect(withCursor('/v1/reports/summary?period=2024-04&cursor=old&limit=2', 'next-one')).toBe('/v1/reports/summary?period=2024-04&cursor=next-one&limit=2');
    expect(withCursor('/v1/reports/coverage', 'abc')).toBe('/v1/reports/coverage?cursor=abc');
  });
});

