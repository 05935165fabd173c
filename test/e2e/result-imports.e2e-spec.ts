import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  bankResultsCsv,
  camt053Statement,
  camt054Notification,
  endToEndIdOf,
  mt940Statement,
  pain002StatusReport,
  postOfficeReturnsCsv,
  type PaymentResult,
} from '@ledger/payment-files';
import type { LocalDate } from '@ledger/domain';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, expectStatus, headPosition, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

const PAID_ON = '2024-04-10' as LocalDate;
const statementHeader = { messageId: 'STMT-1', createdAt: new Date('2024-04-11T08:00:00+07:00'), reportId: 'RPT-1', accountNumber: '1200100009999', statementDate: PAID_ON };

describe('Result files from the banks and the Post Office', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  /** People 1–8 are paid by bank transfer, 9–10 in cash at the Post Office; [n] is person n's April payment. */
  const payment: Array<{ beneficiaryId: string; disbursementId: string; amount: number }> = [];

  async function upload(who: LedgerActor, path: string, file: string | Buffer, contentType = 'application/octet-stream'): Promise<TestResponse> {
    return ledger.request('POST', path, { body: typeof file === 'string' ? Buffer.from(file, 'utf8') : file, headers: { authorization: `Bearer ${who.token}`, 'content-type': contentType } });
  }
  const status = async (n: number) => (await disbursementOf(maker, payment[n]!.beneficiaryId, '2024-04')).status as string;
  const result = (n: number, outcome: PaymentResult['outcome'], extra: Partial<PaymentResult> = {}): PaymentResult => ({
    disbursementId: payment[n]!.disbursementId,
    outcome,
    amount: payment[n]!.amount,
    date: PAID_ON,
    ...extra,
  });

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'maker');
    checker = await actor(ledger, 'operator', ['899'], 'checker');
    for (let n = 1; n <= 10; n++) {
      const beneficiaryId = await enroll(maker, 600 + n);
      if (n <= 8) await openAccount(maker, beneficiaryId);
      payment[n] = { beneficiaryId, disbursementId: '', amount: 0 };
    }
    await runPayroll(maker, checker, { period: '2024-04', unitCode: '899' });
    for (let n = 1; n <= 10; n++) {
      const found = await disbursementOf(maker, payment[n]!.beneficiaryId, '2024-04');
      expect(found).toMatchObject({ status: 'SENT', channel: n <= 8 ? 'BANK' : 'CASH' });
      Object.assign(payment[n]!, { disbursementId: found.disbursementId, amount: found.amount });
    }
  }, 60_000);
  afterAll(() => ledger?.close());

  describe('a pain.002 status report', () => {
    let report: string;
    let importId: string;

    beforeAll(() => {
      report = pain002StatusReport({ messageId: 'PSR-1', createdAt: new Date('2024-04-11T08:00:00+07:00'), originalMessageId: 'RUN-APR' }, [
        result(1, 'PAID'),
        result(2, 'PAID'),
        result(3, 'FAILED', { reason: 'AC04' }),
        { disbursementId: randomUUID(), outcome: 'PAID', amount: 2_055_000, date: PAID_ON },
        result(4, 'PAID', { amount: payment[4]!.amount + 45_000 }),
        result(1, 'PAID'),
      ]);
    });

    it('applies what it can and reports every other line with its reason', async () => {
      const response = await upload(maker, '/v1/bank-results', report, 'application/xml');
      expectStatus(response, 201);
      importId = response.body.importId;
      expect(response.headers.get('location')).toBe(`/v1/imports/${importId}`);
      expect(response.body).toMatchObject({ kind: 'BANK_RESULTS', format: 'PAIN_002', status: 'COMPLETED', repeat: false, lineCount: 6, importedBy: 'maker' });
      expect(response.body.counts).toMatchObject({ APPLIED: 3, UNMATCHED: 1, AMOUNT_MISMATCH: 1, DUPLICATE: 1, REFUSED: 0, UNREADABLE: 0 });
      expect(response.body.attentionCount).toBe(3);
      const byOutcome = Object.fromEntries(response.body.attention.map((line: { outcome: string }) => [line.outcome, line]));
      expect(byOutcome.AMOUNT_MISMATCH).toMatchObject({ disbursementId: payment[4]!.disbursementId, expectedAmount: payment[4]!.amount, statedAmount: payment[4]!.amount + 45_000 });
      expect(byOutcome.DUPLICATE).toMatchObject({ disbursementId: payment[1]!.disbursementId, code: 'REPEATED_IN_FILE', detail: expect.stringMatching(/line \d+/) });
      expect(byOutcome.UNMATCHED).toMatchObject({ reported: 'PAID' });
      // Every line number points into the file, at the transaction it reports.
      const lines = report.split('\n');
      for (const line of response.body.attention) expect(lines[line.line - 1]).toMatch(/TxInfAndSts/);
    });

    it('leaves each payment in the state the bank reported', async () => {
      expect([await status(1), await status(2), await status(3), await status(4)]).toEqual(['PAID', 'PAID', 'FAILED', 'SENT']);
      const paid = await disbursementOf(maker, payment[1]!.beneficiaryId, '2024-04');
      expect(paid.providerReference).toBe(endToEndIdOf(payment[1]!.disbursementId));
    });

    it('answers the same file again with its report, and changes nothing', async () => {
      const before = await headPosition(ledger);
      const again = await upload(maker, '/v1/bank-results', report, 'text/xml');
      expectStatus(again, 200);
      expect(again.body).toMatchObject({ importId, repeat: true, counts: { APPLIED: 3, UNMATCHED: 1, AMOUNT_MISMATCH: 1, DUPLICATE: 1 } });
      expect(await headPosition(ledger)).toBe(before);
    });

    it('serves the whole report as JSON and as CSV, every line by number', async () => {
      const json = await maker.getFresh(`/v1/imports/${importId}`);
      expectStatus(json, 200);
      expect(json.body.lines.map((line: { outcome: string }) => line.outcome).sort()).toEqual(['AMOUNT_MISMATCH', 'APPLIED', 'APPLIED', 'APPLIED', 'DUPLICATE', 'UNMATCHED']);
      const onlyApplied = await maker.get(`/v1/imports/${importId}?outcome=APPLIED`);
      expect(onlyApplied.body.lines).toHaveLength(3);

      const csv = await maker.get(`/v1/imports/${importId}`, { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse(csv.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(6);
      expect(rows.find((row) => row.outcome === 'AMOUNT_MISMATCH')).toMatchObject({ expected_amount_vnd: String(payment[4]!.amount), stated_amount_vnd: String(payment[4]!.amount + 45_000) });
    });

    it('lists the import, with its counts, to its unit and to the province', async () => {
      const provinceAuditor = await actor(ledger, 'auditor');
      const listed = await provinceAuditor.getFresh('/v1/imports');
      expectStatus(listed, 200);
      expect(listed.body.items.find((item: { importId: string }) => item.importId === importId)).toMatchObject({
        format: 'PAIN_002',
        status: 'COMPLETED',
        importedBy: 'maker',
        counts: { APPLIED: 3, UNMATCHED: 1, AMOUNT_MISMATCH: 1, DUPLICATE: 1 },
      });
      const otherDistrict = await actor(ledger, 'operator', ['898']);
      expect((await otherDistrict.getFresh('/v1/imports')).body.items.some((item: { importId: string }) => item.importId === importId)).toBe(false);
      expect((await otherDistrict.get(`/v1/imports/${importId}`)).status).toBe(404);
    });
  });

  it('takes camt.054, camt.053, MT940 and the bank CSV, and does not pay twice what a statement confirms', async () => {
    const camt054 = await upload(maker, '/v1/bank-results', camt054Notification(statementHeader, [result(4, 'PAID'), result(1, 'PAID')]));
    expectStatus(camt054, 201);
    expect(camt054.body).toMatchObject({ format: 'CAMT_054', counts: { APPLIED: 1, ALREADY_RECORDED: 1 } });

    const camt053 = await upload(maker, '/v1/bank-results', camt053Statement({ ...statementHeader, reportId: 'RPT-2' }, [result(5, 'PAID')]));
    expect(camt053.body).toMatchObject({ format: 'CAMT_053', counts: { APPLIED: 1 } });

    const mt940 = await upload(maker, '/v1/bank-results', mt940Statement({ reference: 'MT-1', accountIdentification: '1200100009999', statementNumber: 1, statementDate: PAID_ON }, [result(6, 'PAID')]), 'text/plain');
    expect(mt940.body).toMatchObject({ format: 'MT940', counts: { APPLIED: 1 } });

    // Paid on another day than recorded: a second payment of the month, not a confirmation.
    const csv = await upload(maker, '/v1/bank-results', bankResultsCsv([result(7, 'FAILED', { reason: 'AC01' }), result(5, 'PAID', { date: '2024-04-12' as LocalDate })]), 'text/csv');
    expect(csv.body).toMatchObject({ format: 'BANK_RESULTS_CSV', counts: { APPLIED: 1, DUPLICATE: 1 } });
    expect(csv.body.attention[0]).toMatchObject({ disbursementId: payment[5]!.disbursementId, code: 'PAID_TWICE' });

    expect([await status(4), await status(5), await status(6), await status(7)]).toEqual(['PAID', 'PAID', 'PAID', 'FAILED']);
  });

  it('takes the Post Office’s returns: collected is paid, not collected is returned', async () => {
    const returns = await upload(maker, '/v1/post-office-returns', postOfficeReturnsCsv([result(9, 'PAID'), result(10, 'RETURNED', { reason: 'Người nhận vắng nhà' })]), 'text/csv');
    expectStatus(returns, 201);
    expect(returns.body).toMatchObject({ kind: 'POST_OFFICE_RETURNS', format: 'POST_OFFICE_RETURNS_CSV', counts: { APPLIED: 2 } });
    expect([await status(9), await status(10)]).toEqual(['PAID', 'RETURNED']);
  });

  it('reports a payment of a unit outside the importer’s as out of scope, and leaves it alone', async () => {
    const otherDistrict = await actor(ledger, 'operator', ['898'], 'other-district');
    const response = await upload(otherDistrict, '/v1/bank-results', bankResultsCsv([result(8, 'PAID')]), 'text/csv');
    expectStatus(response, 201);
    expect(response.body.counts).toMatchObject({ OUT_OF_SCOPE: 1, APPLIED: 0 });
    expect(await status(8)).toBe('SENT');
  });

  describe('refuses a file it cannot import, whole, and changes nothing', () => {
    const cases: Array<[string, () => string | Buffer, string, number, string]> = [
      ['a file of no known format', () => 'hello,world\n1,2\n', '/v1/bank-results', 422, 'UNKNOWN_FORMAT'],
      ['a truncated status report', () => pain002StatusReport({ messageId: 'T', createdAt: new Date(), originalMessageId: 'X' }, [result(8, 'PAID')]).slice(0, 600), '/v1/bank-results', 422, 'MALFORMED_FILE'],
      ['the Post Office’s returns sent as bank results', () => postOfficeReturnsCsv([result(9, 'PAID')]), '/v1/bank-results', 422, 'WRONG_KIND_OF_FILE'],
      ['a bank statement sent as Post Office returns', () => bankResultsCsv([result(8, 'PAID')]), '/v1/post-office-returns', 422, 'WRONG_KIND_OF_FILE'],
      ['an empty file', () => Buffer.alloc(0), '/v1/bank-results', 422, 'EMPTY_FILE'],
      ['a file larger than the import limit', () => Buffer.alloc(33 * 1024 * 1024 + 1, 0x41), '/v1/bank-results', 413, 'PAYLOAD_TOO_LARGE'],
    ];
    it.each(cases)('%s', async (_name, file, path, expected, code) => {
      const before = await headPosition(ledger);
      const response = await upload(maker, path, file());
      expect({ status: response.status, code: response.body?.code }).toEqual({ status: expected, code });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await headPosition(ledger)).toBe(before);
    });

    it('the same file as the other kind of import it was before', async () => {
      const file = bankResultsCsv([result(8, 'FAILED', { reason: 'AC04' })]);
      const outsider = await actor(ledger, 'operator', ['898'], 'outsider');
      expectStatus(await upload(outsider, '/v1/bank-results', file), 201);
      const response = await upload(outsider, '/v1/post-office-returns', file);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 422, code: 'WRONG_KIND_OF_FILE' });
    });

    it('a JSON body where a file belongs', async () => {
      const response = await maker.post('/v1/bank-results', { lines: [] });
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'FILE_REQUIRED' });
    });

    it('a file sent to a route that takes JSON', async () => {
      const response = await upload(maker, '/v1/beneficiaries', bankResultsCsv([result(8, 'PAID')]), 'text/csv');
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('a role that only reads', async () => {
      const auditor = await actor(ledger, 'auditor');
      expect((await upload(auditor, '/v1/bank-results', bankResultsCsv([result(8, 'PAID')]))).status).toBe(403);
    });
  });
});
