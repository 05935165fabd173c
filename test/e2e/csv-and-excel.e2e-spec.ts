import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { SummaryItem } from '@ledger/read-models';
import { flatSummary } from '../../apps/ledger-api/src/read-side/views.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, headPosition, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('CSV and Excel files over HTTP', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let reporter: LedgerActor;
  let runId: string;
  let bankPayee: string;
  let cashPayee: string;

  /** The response's bytes as sent (a TextDecoder would hide the byte-order mark), after every write so far is in the read models. */
  async function download(reader: LedgerActor, path: string, accept: string) {
    const head = await headPosition(ledger);
    const response = await fetch(`${ledger.url}${path}`, { headers: { authorization: `Bearer ${reader.token}`, accept, 'x-min-position': head.toString() } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** A workbook's first sheet as records under its header row; an empty cell reads as null, as the JSON has it. */
  async function sheetOf(bytes: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const records: Array<Record<string, unknown>> = [];
    sheet.eachRow((row, number) => {
      if (number > 1) records.push(Object.fromEntries(header.map((column, index) => [column, row.getCell(index + 1).value ?? null])));
    });
    return { header, records };
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'maker');
    checker = await actor(ledger, 'operator', ['899'], 'checker');
    reporter = await actor(ledger, 'reporter');
    bankPayee = await enroll(maker, 31, { fullName: 'H’Hen Niê' });
    expect((await openAccount(maker, bankPayee, { holderName: 'H’Hen Niê' })).status).toBe('VERIFIED');
    // A name the ledger takes (letters and a hyphen) that a spreadsheet would still read as a formula.
    cashPayee = await enroll(maker, 32, { fullName: '-Nguyễn Văn Ba' });
    runId = (await runPayroll(maker, checker, { period: '2024-04', unitCode: '899' })).runId;
  });
  afterAll(() => ledger.close());

  describe('when an account holder name could be read as a formula', () => {
    it.each(['=1+1', '+84912345678', '-Nguyễn Văn Ba', '@SUM(A1:A9)', ' =HYPERLINK("x")', 'NGUYEN\tVAN BA'])('refuses %j at input, as a field error on holderName', async (holderName) => {
      const response = await maker.post(`/v1/beneficiaries/${cashPayee}/accounts`, { bankCode: 'VBA', accountNumber: '7700205932001', holderName, openedOn: '2024-03-01' });
      expect({ status: response.status, code: response.body.code, errors: response.body.errors }).toEqual({
        status: 400,
        code: 'HOLDER_NAME_READS_AS_FORMULA',
        errors: [{ field: 'holderName', message: expect.stringContaining('formula') }],
      });
    });

    it('takes a Vietnamese name with its diacritics', async () => {
      const other = await enroll(maker, 33, { fullName: 'Đặng Văn Ánh' });
      expect(await openAccount(maker, other, { holderName: 'Đặng Văn Ánh' })).toMatchObject({ status: 'VERIFIED' });
    });
  });

  describe('the payment files', () => {
    it('writes the bank file for the bank’s system: no byte-order mark, the holder name exactly as recorded', async () => {
      const file = await download(maker, `/v1/payroll-runs/${runId}/payment-files/VBA`, 'text/csv');
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(file.bytes.subarray(0, 3).equals(BOM)).toBe(false);
      const { disbursementId } = await disbursementOf(maker, bankPayee, '2024-04');
      const records = parse(file.bytes, { columns: true }) as Array<Record<string, string>>;
      expect(records).toEqual([expect.objectContaining({ disbursement_id: disbursementId, holder_name: "H'HEN NIE", amount_vnd: expect.stringMatching(/^\d+$/) })]);
      expect(file.bytes.toString('utf8')).toContain(",H'HEN NIE,");
    });

    it('writes the Post Office cash list for people: byte-order mark, header, formulas defused', async () => {
      const file = await download(maker, `/v1/payroll-runs/${runId}/payment-files/POST_OFFICE`, 'text/csv');
      expect(file.status).toBe(200);
      expect(file.bytes.subarray(0, 3).equals(BOM)).toBe(true);
      const records = parse(file.bytes, { bom: true, columns: true }) as Array<Record<string, string>>;
      const { disbursementId } = await disbursementOf(maker, cashPayee, '2024-04');
      expect(records).toEqual([expect.objectContaining({ disbursement_id: disbursementId, full_name: "'-Nguyễn Văn Ba" })]);
    });
  });

  describe('the reports', () => {
    const reports = ['coverage?unitCode=899', 'summary?period=2024-04', 'late-payments?unitCode=899', 'duplicate-attempts', 'overpayments'];
    const flat = (report: string, item: Record<string, unknown>): Record<string, unknown> => (report.startsWith('summary') ? flatSummary(item as unknown as SummaryItem) : item);
    const withQuery = (report: string, query: string) => `/v1/reports/${report}${report.includes('?') ? '&' : '?'}${query}`;

    it.each(reports)('serves %s as CSV with a byte-order mark, a header row and the JSON rows', async (report) => {
      const json = ((await reporter.getFresh(withQuery(report, 'limit=1000'))).body.items as Array<Record<string, unknown>>).map((item) => flat(report, item));
      const file = await download(reporter, `/v1/reports/${report}`, 'text/csv');
      expect(file.status).toBe(200);
      expect(file.bytes.subarray(0, 3).equals(BOM)).toBe(true);
      const [header, ...rows] = parse(file.bytes, { bom: true }) as string[][];
      expect(header!.length).toBeGreaterThan(0);
      expect(rows).toEqual(json.map((item) => header!.map((column) => (item[column] === null ? '' : String(item[column])))));
    });

    it.each(reports)('serves %s as an Excel workbook whose rows are the JSON rows, numbers as numbers', async (report) => {
      const json = (await reporter.getFresh(withQuery(report, 'limit=1000'))).body.items as Array<Record<string, unknown>>;
      const file = await download(reporter, `/v1/reports/${report}`, XLSX);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe(XLSX);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z-]+\.xlsx"$/);
      const { header, records } = await sheetOf(file.bytes);
      expect(header.length).toBeGreaterThan(0);
      expect(records).toEqual(json.map((item) => flat(report, item)));
    });

    it('has real data to compare: the late payments hold amounts', async () => {
      const { records } = await sheetOf((await download(reporter, '/v1/reports/late-payments?unitCode=899', XLSX)).bytes);
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((record) => typeof record.amount === 'number' && record.amount > 0)).toBe(true);
    });

    it('gives an empty report its header row, as CSV and as a workbook', async () => {
      const csv = await download(reporter, '/v1/reports/summary?period=2020-01', 'text/csv');
      expect(csv.bytes.toString('utf8')).toBe('\uFEFFperiod,program,unitCode,channel,count,totalAmount,scheduledCount,scheduledAmount,sentCount,sentAmount,paidCount,paidAmount,failedCount,failedAmount,returnedCount,returnedAmount,cancelledCount,cancelledAmount\r\n');
      const page = await download(reporter, '/v1/reports/summary?period=2020-01&limit=10', 'text/csv');
      expect(page.bytes.toString('utf8')).toBe(csv.bytes.toString('utf8'));
      const workbook = await sheetOf((await download(reporter, '/v1/reports/summary?period=2020-01', XLSX)).bytes);
      expect(workbook).toEqual({ header: expect.arrayContaining(['period', 'totalAmount', 'paidAmount']), records: [] });
    });

    it('gives each page of a paged CSV its own byte-order mark and header', async () => {
      const first = await download(reporter, '/v1/reports/late-payments?unitCode=899&limit=1', 'text/csv');
      expect(first.headers.get('link')).toMatch(/rel="next"/);
      const [header, ...rows] = parse(first.bytes, { bom: true }) as string[][];
      expect(first.bytes.subarray(0, 3).equals(BOM)).toBe(true);
      expect(header![0]).toBe('disbursementId');
      expect(rows).toHaveLength(1);
    });
  });
});
