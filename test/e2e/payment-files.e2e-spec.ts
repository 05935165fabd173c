import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { PDFParse } from 'pdf-parse';
import { disbursementIdFromEndToEndId } from '@ledger/payment-files';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enroll, expectStatus, headPosition, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

/** The province's paying account, configured as production configures it. */
const PAYING_ACCOUNT = {
  LEDGER_PAYING_ACCOUNT_NAME: 'Sở Lao động - Thương binh và Xã hội tỉnh Kiên Giang',
  LEDGER_PAYING_ACCOUNT_NUMBER: '3711000123456',
  LEDGER_PAYING_ACCOUNT_BANK_BIC: 'VBAAVNVX',
  LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
};

/** People paid in cash, with the diacritics a cash list must print. */
const CASH_PAYEES = [
  { n: 61, fullName: 'Đặng Thị Huệ', unitCode: '899', coefficient: 1000 },
  { n: 62, fullName: 'Nguyễn Văn Ánh', unitCode: '899', coefficient: 1500 },
  { n: 63, fullName: 'Trần Thị Ơn', unitCode: '900', coefficient: 2000 },
  { n: 64, fullName: 'Thạch Thị Sa Rết', unitCode: '900', coefficient: 1200 },
];

const PATH = 'GET /v1/payroll-runs/:runId/payment-files/:paymentFile';

/** Read back with fast-xml-parser, which shares no code with the xmlbuilder2 that wrote the file. */
function pain001Of(bytes: Buffer) {
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' || name === 'PmtInf' });
  return parser.parse(bytes.toString('utf8')).Document.CstmrCdtTrfInitn;
}

/** The PDF's text, one string per page: pdftotext where the machine has it, else pdf-parse, which inflates the content streams itself. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  if (existsSync('/usr/bin/pdftotext')) {
    const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
    return text.split('\f').map(flat).filter((page) => page.trim() !== '');
  }
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).pages.map((page) => flat(page.text));
  } finally {
    await parser.destroy();
  }
}

describe('payment files in the format the paying agent reads', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let admin: LedgerActor;
  let runId: string;
  let run: { totalAmount: number; sent: number; paymentFiles: Array<{ paymentFile: string; count: number; totalAmount: number }> };
  let runDisbursements: Array<{ disbursementId: string; channel: string; bankCode: string | null; amount: number }>;

  /** The response's bytes as sent, after every write so far is in the read models. */
  async function download(paymentFile: string, accept?: string, reader: LedgerActor = maker) {
    const head = await headPosition(ledger);
    const response = await fetch(`${ledger.url}/v1/payroll-runs/${runId}/payment-files/${paymentFile}`, {
      headers: { authorization: `Bearer ${reader.token}`, 'x-min-position': head.toString(), ...(accept === undefined ? {} : { accept }) },
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  const fileOf = (paymentFile: string) => run.paymentFiles.find((file) => file.paymentFile === paymentFile)!;

  beforeAll(async () => {
    ledger = await startTestLedger(PAYING_ACCOUNT);
    maker = await actor(ledger, 'operator', ['91'], 'files-maker');
    checker = await actor(ledger, 'operator', ['91'], 'files-checker');
    admin = await actor(ledger, 'admin', ['*'], 'files-admin');

    // Bank payees at two banks, in two units: the holder names as banks print them, one with an apostrophe.
    const atVba = [
      await enroll(maker, 51, { coefficient: 1000 }),
      await enroll(maker, 52, { fullName: 'H’Hen Niê', coefficient: 1800 }),
      await enroll(maker, 53, { unitCode: '900', coefficient: 2500 }),
    ];
    await openAccount(maker, atVba[0]!);
    await openAccount(maker, atVba[1]!, { holderName: 'H’Hen Niê' });
    await openAccount(maker, atVba[2]!);
    const atVcb = await enroll(maker, 54, { unitCode: '900', coefficient: 1300 });
    await openAccount(maker, atVcb, { bankCode: 'VCB' });
    for (const payee of CASH_PAYEES) await enroll(maker, payee.n, { fullName: payee.fullName, unitCode: payee.unitCode, coefficient: payee.coefficient });

    // Every unit of the province: the cash list has a pay point per unit.
    ({ runId } = await runPayroll(maker, checker, { period: '2024-04' }));
    const read = await maker.get(`/v1/payroll-runs/${runId}`);
    expectStatus(read, 200);
    run = read.body;
    const listed = await maker.getFresh('/v1/disbursements?period=2024-04&limit=1000');
    expectStatus(listed, 200);
    runDisbursements = listed.body.items.filter((item: { payrollRunId: string | null }) => item.payrollRunId === runId);
    expect(runDisbursements).toHaveLength(8);
    expect(run.paymentFiles.map((file) => file.paymentFile).sort()).toEqual(['POST_OFFICE', 'VBA', 'VCB']);
  });
  afterAll(() => ledger?.close());

  describe('when a bank’s file is asked for as application/xml', () => {
    let file: Awaited<ReturnType<typeof download>>;
    let initiation: any;

    beforeAll(async () => {
      file = await download('VBA', 'application/xml');
      initiation = pain001Of(file.bytes);
    });

    it('answers a pain.001.001.09 document, named for saving', () => {
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="2024-04-VBA-[0-9a-f]{8}\.xml"$/);
      expect(file.headers.get('vary')).toMatch(/accept/i);
      expect(file.bytes.toString('utf8')).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"');
    });

    it('counts and sums what the run sent to the bank, in the group header and the payment instruction', () => {
      const { count, totalAmount } = fileOf('VBA');
      expect(count).toBe(3);
      for (const block of [initiation.GrpHdr, initiation.PmtInf[0]]) {
        expect(block.NbOfTxs).toBe(String(count));
        expect(block.CtrlSum).toBe(String(totalAmount));
      }
      const transfers = initiation.PmtInf[0].CdtTrfTxInf;
      expect(transfers).toHaveLength(count);
      expect(transfers.reduce((sum: number, tx: any) => sum + Number(tx.Amt.InstdAmt['#text']), 0)).toBe(totalAmount);
    });

    it('names by its end-to-end id every disbursement of the run the bank pays, each once, for its amount', () => {
      const atBank = runDisbursements.filter((item) => item.channel === 'BANK' && item.bankCode === 'VBA');
      const transfers = initiation.PmtInf[0].CdtTrfTxInf.map((tx: any) => ({ disbursementId: disbursementIdFromEndToEndId(tx.PmtId.EndToEndId), amount: Number(tx.Amt.InstdAmt['#text']) }));
      expect(transfers.map((tx: { disbursementId: string }) => tx.disbursementId).sort()).toEqual(atBank.map((item) => item.disbursementId).sort());
      for (const tx of transfers) expect(tx.amount).toBe(atBank.find((item) => item.disbursementId === tx.disbursementId)!.amount);
    });

    it('holds what the CSV holds: the same payments to the same accounts under the same names', async () => {
      const csv = parse((await download('VBA', 'text/csv')).bytes, { columns: true }) as Array<Record<string, string>>;
      const fromXml = initiation.PmtInf[0].CdtTrfTxInf.map((tx: any) => [disbursementIdFromEndToEndId(tx.PmtId.EndToEndId), tx.Amt.InstdAmt['#text'], tx.CdtrAcct.Id.Othr.Id, tx.Cdtr.Nm, tx.CdtrAgt.FinInstnId.Othr.Id]);
      expect(fromXml).toEqual(csv.map((row) => [row.disbursement_id, row.amount_vnd, row.account_number, row.holder_name, row.bank_code]));
      expect(fromXml.map((tx: string[]) => tx[3])).toContain("H'HEN NIE");
    });

    it('pays from the province’s paying account, as configured', () => {
      const instruction = initiation.PmtInf[0];
      expect(initiation.GrpHdr.InitgPty.Nm).toBe(PAYING_ACCOUNT.LEDGER_PAYING_ACCOUNT_NAME);
      expect(instruction.Dbtr.Nm).toBe(PAYING_ACCOUNT.LEDGER_PAYING_ACCOUNT_NAME);
      expect(instruction.DbtrAcct.Id.Othr.Id).toBe(PAYING_ACCOUNT.LEDGER_PAYING_ACCOUNT_NUMBER);
      expect(instruction.DbtrAgt.FinInstnId).toEqual({ BICFI: 'VBAAVNVX', Othr: { Id: 'VBA' } });
    });

    it('is the same bytes when downloaded again, message id included; another bank’s file is another message', async () => {
      expect((await download('VBA', 'application/xml')).bytes.equals(file.bytes)).toBe(true);
      const other = pain001Of((await download('VCB', 'application/xml')).bytes);
      expect(other.GrpHdr.MsgId).toMatch(/^[0-9a-f]{32}$/);
      expect(other.GrpHdr.MsgId).not.toBe(initiation.GrpHdr.MsgId);
      expect(other.GrpHdr.NbOfTxs).toBe(String(fileOf('VCB').count));
      expect(other.GrpHdr.CtrlSum).toBe(String(fileOf('VCB').totalAmount));
    });
  });

  describe('when the Post Office’s list is asked for as application/pdf', () => {
    let file: Awaited<ReturnType<typeof download>>;
    let pages: string[];

    beforeAll(async () => {
      file = await download('POST_OFFICE', 'application/pdf');
      pages = await pdfPages(file.bytes);
    });

    it('answers a PDF, named for saving', () => {
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/pdf');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="2024-04-POST_OFFICE-[0-9a-f]{8}\.pdf"$/);
      expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('has a list per unit, whose totals add up to what the run sent to the Post Office', () => {
      const text = pages.join(' ');
      const totals = [...text.matchAll(/Tổng cộng \((\d+) người\) ([\d.]+) ₫/g)].map((match) => ({ people: Number(match[1]), amount: Number(match[2]!.replace(/\./g, '')) }));
      expect(totals).toHaveLength(2);
      expect(totals.reduce((sum, total) => sum + total.people, 0)).toBe(fileOf('POST_OFFICE').count);
      expect(totals.reduce((sum, total) => sum + total.amount, 0)).toBe(fileOf('POST_OFFICE').totalAmount);
      const cash = runDisbursements.filter((item) => item.channel === 'CASH');
      expect(fileOf('POST_OFFICE').totalAmount).toBe(cash.reduce((sum, item) => sum + item.amount, 0));
      expect(text).toContain('Điểm chi trả: Thành phố Rạch Giá');
      expect(text).toContain('Điểm chi trả: Thành phố Hà Tiên');
      expect(text).toContain('TỈNH KIÊN GIANG');
    });

    it('prints every name with its diacritics and birth year', () => {
      const text = pages.join(' ');
      for (const payee of CASH_PAYEES) expect(text).toContain(`${payee.fullName} 1952`);
    });

    it('is the same bytes when downloaded again', async () => {
      expect((await download('POST_OFFICE', 'application/pdf')).bytes.equals(file.bytes)).toBe(true);
    });
  });

  describe('when the Accept header names no format', () => {
    it('answers CSV, as before', async () => {
      for (const accept of [undefined, '*/*']) {
        const file = await download('POST_OFFICE', accept);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(parse(file.bytes, { bom: true, columns: true })).toHaveLength(CASH_PAYEES.length);
      }
    });
  });

  describe('when the Accept header accepts none of the file’s formats', () => {
    it.each([
      ['VBA', 'image/png', ['text/csv', 'application/xml']],
      ['POST_OFFICE', 'image/png', ['text/csv', 'application/pdf']],
      ['VBA', 'application/pdf', ['text/csv', 'application/xml']],
    ])('refuses %s as %s with a 406 problem naming the formats there are', async (paymentFile, accept, available) => {
      const file = await download(paymentFile, accept);
      expect(file.status).toBe(406);
      expect(file.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(file.bytes.toString('utf8'))).toMatchObject({ status: 406, code: 'NOT_ACCEPTABLE', available });
    });
  });

  describe('the access log', () => {
    it('records every file read, whatever its format, and nothing for a refused one', async () => {
      const reader = await actor(ledger, 'auditor', ['*'], 'files-auditor');
      const statuses = [];
      for (const accept of ['application/xml', 'text/csv', 'image/png']) statuses.push((await download('VBA', accept, reader)).status);
      statuses.push((await download('POST_OFFICE', 'application/pdf', reader)).status);
      expect(statuses).toEqual([200, 200, 406, 200]);
      const log = await admin.get('/v1/audit/access-log?actor=files-auditor&limit=1000');
      expectStatus(log, 200);
      expect(log.body.items.map((record: Record<string, unknown>) => [record.route, record.payrollRunId, record.payingAgent, record.beneficiaryId])).toEqual([
        [PATH, runId, 'VBA', null],
        [PATH, runId, 'VBA', null],
        [PATH, runId, 'POST_OFFICE', null],
      ]);
    });
  });
});
