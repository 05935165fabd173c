import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, enrollment, expectStatus, headPosition, nationalIdFor, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

// Every role bound by its units, refusals that tell nothing, reporters' birth years, paged reports
// and the search of the register, over HTTP. Unit 899 and unit 900 are sibling districts of 91.

/** A refusal as the caller sees it, without the path it answers (`instance`), which names the id asked for. */
const refusal = (response: TestResponse) => {
  const { instance: _instance, ...body } = response.body ?? {};
  return { status: response.status, contentType: response.headers.get('content-type'), body };
};
const items = (response: TestResponse): Array<Record<string, unknown>> => response.body?.items ?? [];
const UNKNOWN_BENEFICIARY = '5d41402a-bc4b-5a76-b971-9d911017c592';
const UNKNOWN_DISBURSEMENT = '7b52009b-64fd-50a2-9c15-1f0a0c8b6e0e';
const UNKNOWN_RUN = '9f86d081-884c-5d63-9fe5-1e35b62e0d0a';

describe('reads within the caller’s units, over HTTP', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let operatorOf900: LedgerActor;
  const readers = {} as Record<'reporterOf899' | 'auditorOf899' | 'reporterOf900' | 'auditorOf900' | 'reporterEverywhere', LedgerActor>;
  /** In 899: Bùi Trung Tài (paid by bank), with his April disbursement and the run that sent it. */
  let tai: { beneficiaryId: string; disbursementId: string; runId: string };
  /** In 900, paid by a run of 900. */
  let ofUnit900: { beneficiaryId: string; disbursementId: string };

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899', '900'], 'maker');
    checker = await actor(ledger, 'operator', ['899', '900'], 'checker');
    operatorOf900 = await actor(ledger, 'operator', ['900']);
    readers.reporterOf899 = await actor(ledger, 'reporter', ['899']);
    readers.auditorOf899 = await actor(ledger, 'auditor', ['899']);
    readers.reporterOf900 = await actor(ledger, 'reporter', ['900']);
    readers.auditorOf900 = await actor(ledger, 'auditor', ['900']);
    readers.reporterEverywhere = await actor(ledger, 'reporter', ['*']);

    const taiId = await enroll(maker, 1, { effectiveFrom: '2024-01' });
    await openAccount(maker, taiId, { accountNumber: '7700205123456' });
    await enroll(maker, 2, { fullName: 'Bùi Trung Tâm', effectiveFrom: '2024-02' });
    await enroll(maker, 3, { fullName: 'Đặng Thị Ánh', gender: 'FEMALE', nationalId: '091152000003', effectiveFrom: '2024-03', program: 'SOCIAL_ASSISTANCE' });
    const inNine = await enroll(maker, 4, { unitCode: '900', effectiveFrom: '2024-04' });
    const run899 = await runPayroll(maker, checker, { period: '2024-04', unitCode: '899' });
    await runPayroll(maker, checker, { period: '2024-04', unitCode: '900' });
    tai = { beneficiaryId: taiId, disbursementId: (await disbursementOf(maker, taiId, '2024-04')).disbursementId, runId: run899.runId };
    ofUnit900 = { beneficiaryId: inNine, disbursementId: (await disbursementOf(maker, inNine, '2024-04')).disbursementId };
  });
  afterAll(() => ledger.close());

  describe('every role is bound by its units', () => {
    it.each(['reporterOf900', 'auditorOf900'] as const)('does not list unit 899’s people or payments to a %s', async (reader) => {
      const beneficiaries = await readers[reader].getFresh('/v1/beneficiaries?limit=1000');
      expectStatus(beneficiaries, 200);
      expect(items(beneficiaries).map((item) => item.beneficiaryId)).toEqual([ofUnit900.beneficiaryId]);
      const disbursements = await readers[reader].getFresh('/v1/disbursements?limit=1000');
      expect(new Set(items(disbursements).map((item) => item.unitCode))).toEqual(new Set(['900']));
      expect(items(await readers[reader].getFresh(`/v1/disbursements?beneficiaryId=${tai.beneficiaryId}`))).toEqual([]);
    });

    it.each(['reporterOf900', 'auditorOf900'] as const)('leaves unit 899 out of every report for a %s, and refuses it by name', async (reader) => {
      for (const report of ['coverage', 'summary?period=2024-04', 'late-payments', 'overpayments', 'duplicate-attempts']) {
        const response = await readers[reader].getFresh(`/v1/reports/${report}`);
        expectStatus(response, 200);
        expect(items(response).filter((item) => item.unitCode !== '900')).toEqual([]);
        const byName = await readers[reader].getFresh(`/v1/reports/${report}${report.includes('?') ? '&' : '?'}unitCode=899`);
        expect({ status: byName.status, code: byName.body.code }).toEqual({ status: 403, code: 'UNIT_OUT_OF_SCOPE' });
      }
      const summary = await readers[reader].getFresh('/v1/reports/summary?period=2024-04', { accept: 'text/csv' });
      expect(summary.text).not.toContain(',899,');
    });

    it.each(['reporterOf899', 'auditorOf899'] as const)('shows a %s their own unit’s people, payments and reports', async (reader) => {
      expect(items(await readers[reader].getFresh('/v1/beneficiaries')).map((item) => item.beneficiaryId)).toContain(tai.beneficiaryId);
      expectStatus(await readers[reader].getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`), 200);
      expectStatus(await readers[reader].getFresh(`/v1/disbursements/${tai.disbursementId}`), 200);
      expect(items(await readers[reader].getFresh('/v1/reports/late-payments')).map((item) => item.disbursementId)).toContain(tai.disbursementId);
    });

    it('lets an auditor of unit 899 read its payroll run and payment files, and not an auditor of 900', async () => {
      expectStatus(await readers.auditorOf899.getFresh(`/v1/payroll-runs/${tai.runId}`), 200);
      expectStatus(await readers.auditorOf899.getFresh(`/v1/payroll-runs/${tai.runId}/payment-files/VBA`), 200);
      expect(refusal(await readers.auditorOf900.get(`/v1/payroll-runs/${tai.runId}`))).toEqual(refusal(await readers.auditorOf900.get(`/v1/payroll-runs/${UNKNOWN_RUN}`)));
      const file = await readers.auditorOf900.get(`/v1/payroll-runs/${tai.runId}/payment-files/VBA`);
      expect(refusal(file)).toEqual(refusal(await readers.auditorOf900.get(`/v1/payroll-runs/${UNKNOWN_RUN}/payment-files/VBA`)));
      expect(file.text).not.toContain('7700205123456');
    });
  });

  describe('a refusal tells nothing about a person outside the caller’s units', () => {
    it.each(['operatorOf900', 'reporterOf900', 'auditorOf900'] as const)('answers a %s on a record of unit 899 exactly as on an unknown id: 404', async (who) => {
      const caller = who === 'operatorOf900' ? operatorOf900 : readers[who];
      const beneficiary = await caller.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`);
      expect(refusal(beneficiary)).toEqual(refusal(await caller.get(`/v1/beneficiaries/${UNKNOWN_BENEFICIARY}`)));
      expect(refusal(beneficiary)).toMatchObject({ status: 404, body: { code: 'BENEFICIARY_NOT_FOUND' } });
      const disbursement = await caller.getFresh(`/v1/disbursements/${tai.disbursementId}`);
      expect(refusal(disbursement)).toEqual(refusal(await caller.get(`/v1/disbursements/${UNKNOWN_DISBURSEMENT}`)));
      expect(refusal(disbursement)).toMatchObject({ status: 404, body: { code: 'DISBURSEMENT_NOT_FOUND' } });
    });

    it('answers an operator’s change to a record of another unit exactly as one to an unknown id, and writes nothing', async () => {
      const before = await headPosition(ledger);
      const pairs: Array<[string, string, unknown]> = [
        [`/v1/beneficiaries/${tai.beneficiaryId}/enrollments/MERITORIOUS/suspend`, `/v1/beneficiaries/${UNKNOWN_BENEFICIARY}/enrollments/MERITORIOUS/suspend`, { reason: 'x', effectiveFrom: '2024-07' }],
        [`/v1/beneficiaries/${tai.beneficiaryId}/relocate`, `/v1/beneficiaries/${UNKNOWN_BENEFICIARY}/relocate`, { unitCode: '900' }],
        [`/v1/disbursements/${tai.disbursementId}/fail`, `/v1/disbursements/${UNKNOWN_DISBURSEMENT}/fail`, { reason: 'x' }],
        [`/v1/payroll-runs/${tai.runId}/send`, `/v1/payroll-runs/${UNKNOWN_RUN}/send`, {}],
      ];
      for (const [existing, unknown, body] of pairs) {
        const answer = await operatorOf900.post(existing, body);
        expect(refusal(answer)).toEqual(refusal(await operatorOf900.post(unknown, body)));
        expect(answer.status).toBe(404);
      }
      expect(await headPosition(ledger)).toBe(before);
    });

    it('refuses to enroll a person registered in another unit, or with other details, with one plain 409', async () => {
      const elsewhere = await operatorOf900.post('/v1/beneficiaries', enrollment(1, { unitCode: '900', program: 'SOCIAL_ASSISTANCE' }));
      const otherBirthday = await maker.post('/v1/beneficiaries', enrollment(1, { dateOfBirth: '1952-03-15', program: 'SOCIAL_ASSISTANCE' }));
      const otherName = await maker.post('/v1/beneficiaries', enrollment(1, { fullName: 'Bùi Trung Tín', program: 'SOCIAL_ASSISTANCE' }));
      for (const answer of [elsewhere, otherBirthday, otherName]) {
        expect(refusal(answer)).toEqual(refusal(elsewhere));
        expect(answer.text).not.toMatch(/899|1952-03-14|dateOfBirth|fullName|Tài/);
      }
      expect(refusal(elsewhere)).toEqual({
        status: 409,
        contentType: expect.stringMatching(/^application\/problem\+json/),
        body: { type: '/problems/identity-conflict', title: 'Identity conflict', status: 409, code: 'IDENTITY_CONFLICT', detail: expect.any(String) },
      });
    });
  });

  describe('reporters see a birth year, never a date of birth', () => {
    it('in a record, a list and a search, with the national id and account number masked', async () => {
      const record = await readers.reporterOf899.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`);
      expect(record.body).toMatchObject({ nationalId: '091******001', birthYear: 1952, gender: 'MALE', accounts: [{ accountNumber: '*********3456' }] });
      expect(record.body).not.toHaveProperty('dateOfBirth');
      const list = await readers.reporterOf899.getFresh('/v1/beneficiaries?limit=1000');
      const search = await readers.reporterOf899.post('/v1/beneficiaries/search', { name: 'bui trung tai' }, null);
      for (const response of [record, list, search]) {
        expect(response.text).not.toContain('1952-03-14');
        expect(response.text).not.toContain(nationalIdFor(1));
        expect(response.text).not.toContain('7700205123456');
      }
      expect(items(search)).toEqual([expect.objectContaining({ beneficiaryId: tai.beneficiaryId, birthYear: 1952 })]);
    });

    it('while operators and auditors read the date of birth', async () => {
      expect((await maker.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`)).body).toMatchObject({ dateOfBirth: '1952-03-14', nationalId: nationalIdFor(1) });
      expect((await readers.auditorOf899.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`)).body).toMatchObject({ dateOfBirth: '1952-03-14' });
    });
  });

  describe('reports are paged like the lists', () => {
    const everyPage = async (reader: LedgerActor, path: string) => {
      const pages: TestResponse[] = [];
      let next: string | null = null;
      do {
        const page = await reader.getFresh(`${path}${path.includes('?') ? '&' : '?'}limit=1${next ? `&cursor=${next}` : ''}`);
        expectStatus(page, 200);
        pages.push(page);
        next = page.body.next;
      } while (next !== null && pages.length < 100);
      return pages;
    };

    it.each(['coverage', 'summary', 'late-payments', 'overpayments', 'duplicate-attempts'])('answers %s as { items, next }, 100 rows unless asked', async (report) => {
      const response = await readers.reporterEverywhere.getFresh(`/v1/reports/${report}`);
      expect(Object.keys(response.body).sort()).toEqual(['items', 'next']);
      expect(response.body.next).toBeNull();
    });

    it.each(['coverage', 'summary', 'late-payments'])('pages %s one row at a time through the whole report, nothing lost or repeated', async (report) => {
      const whole = items(await readers.reporterEverywhere.getFresh(`/v1/reports/${report}?limit=1000`));
      expect(whole.length).toBeGreaterThan(1);
      const pages = await everyPage(readers.reporterEverywhere, `/v1/reports/${report}`);
      expect(pages.every((page) => items(page).length === 1)).toBe(true);
      expect(pages.flatMap(items)).toEqual(whole);
      expect(pages.at(-1)!.body.next).toBeNull();
    });

    it('answers CSV without a cursor or limit as the whole report', async () => {
      const whole = items(await readers.reporterEverywhere.getFresh('/v1/reports/late-payments?limit=1000'));
      const csv = await readers.reporterEverywhere.getFresh('/v1/reports/late-payments', { accept: 'text/csv' });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('link')).toBeNull();
      const lines = csv.text.split('\r\n').filter(Boolean);
      expect(lines[0]).toMatch(/^disbursementId,beneficiaryId,/);
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(whole.map((item) => item.disbursementId));
    });

    it('answers CSV with a limit as that page, and names the next in a Link header', async () => {
      const first = await readers.reporterEverywhere.getFresh('/v1/reports/late-payments?unitCode=899&limit=2', { accept: 'text/csv' });
      expect(first.text.split('\r\n').filter(Boolean)).toHaveLength(3);
      const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '');
      expect(link?.[1]).toMatch(/^\/v1\/reports\/late-payments\?unitCode=899&limit=2&cursor=[\w-]+$/);
      const second = await readers.reporterEverywhere.getFresh(link![1]!, { accept: 'text/csv' });
      expect(second.status).toBe(200);
      expect(second.text.split('\r\n')[1]).not.toEqual(first.text.split('\r\n')[1]);
    });

    it.each([
      ['a cursor that is not one the API gave', '/v1/reports/late-payments?cursor=not-a-cursor', 'cursor'],
      ['a cursor of another report', `/v1/reports/coverage?cursor=${Buffer.from(JSON.stringify(['2024-04', '899', randomUUID()])).toString('base64url')}`, 'cursor'],
      ['a position past 2^63', `/v1/reports/duplicate-attempts?cursor=${Buffer.from(JSON.stringify(['9223372036854775808'])).toString('base64url')}`, 'cursor'],
      ['a cursor holding a NUL', `/v1/reports/summary?cursor=${Buffer.from(JSON.stringify(['2024-04', 'MERITORIOUS', '899\u0000', 'BANK'])).toString('base64url')}`, 'cursor'],
      ['a limit of 0', '/v1/reports/coverage?limit=0', 'limit'],
      ['a limit over 1000', '/v1/reports/summary?limit=1001', 'limit'],
      ['a limit that is no number', '/v1/reports/overpayments?limit=ten', 'limit'],
      ['a limit of 2^64', '/v1/reports/overpayments?limit=18446744073709551616', 'limit'],
      ['a list cursor that is not one the API gave', '/v1/beneficiaries?cursor=%E2%80%8B', 'cursor'],
    ])('refuses %s with a 400 naming the field', async (_case, path, field) => {
      const response = await readers.reporterEverywhere.get(path);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('POST /v1/beneficiaries/search', () => {
    it('finds a person by national id, in the body, within the caller’s units', async () => {
      const found = await maker.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(1) }, null);
      expectStatus(found, 200);
      expect(found.body).toEqual({ items: [expect.objectContaining({ beneficiaryId: tai.beneficiaryId, nationalId: nationalIdFor(1), fullName: 'Bùi Trung Tài' })], next: null });
      expect(await operatorOf900.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(1) }, null)).toMatchObject({ status: 200, body: { items: [], next: null } });
      expect((await readers.auditorOf900.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(1) }, null)).body.items).toEqual([]);
    });

    it('finds people by name whatever the accents and case, by the whole name or its leading words', async () => {
      const names = async (body: Record<string, unknown>) => items(await maker.post('/v1/beneficiaries/search', body, null)).map((item) => item.fullName);
      expect(await names({ name: 'bui trung tai', unitCode: '899' })).toEqual(['Bùi Trung Tài']);
      expect(await names({ name: 'BÙI  trung', unitCode: '899' })).toEqual(['Bùi Trung Tài', 'Bùi Trung Tâm']);
      expect(await names({ name: 'dang thi anh' })).toEqual(['Đặng Thị Ánh']);
      expect(await names({ name: 'bui trung ta' })).toEqual([]);
      // The same name in both of the maker's units: two people, unit 900's among them.
      expect(items(await maker.post('/v1/beneficiaries/search', { name: 'Bùi Trung Tài' }, null)).map((item) => item.unitCode).sort()).toEqual(['899', '900']);
      expect(items(await operatorOf900.post('/v1/beneficiaries/search', { name: 'Bùi Trung Tài' }, null)).map((item) => item.beneficiaryId)).toEqual([ofUnit900.beneficiaryId]);
    });

    it('pages with the cursor of the answer before', async () => {
      const first = await maker.post('/v1/beneficiaries/search', { name: 'bui', unitCode: '899', limit: 1 }, null);
      expect(items(first).map((item) => item.fullName)).toEqual(['Bùi Trung Tài']);
      const second = await maker.post('/v1/beneficiaries/search', { name: 'bui', unitCode: '899', limit: 1, cursor: first.body.next }, null);
      expect(second.body).toEqual({ items: [expect.objectContaining({ fullName: 'Bùi Trung Tâm' })], next: null });
    });

    it('records in the access log who found whom, and who read whose record', async () => {
      const finder = await actor(ledger, 'operator', ['899']);
      expectStatus(await finder.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(1) }, null), 200);
      expectStatus(await finder.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`), 200);
      // Not found is not read: a refused read records nothing.
      expect((await operatorOf900.getFresh(`/v1/beneficiaries/${tai.beneficiaryId}`)).status).toBe(404);
      const auditor = await actor(ledger, 'auditor', ['*']);
      const log = await auditor.get(`/v1/audit/access-log?beneficiaryId=${tai.beneficiaryId}&actor=${finder.sub}`);
      expectStatus(log, 200);
      expect(items(log).map((record) => record.route)).toEqual(['POST /v1/beneficiaries/search', 'GET /v1/beneficiaries/:beneficiaryId']);
      expect(items(await auditor.get(`/v1/audit/access-log?beneficiaryId=${tai.beneficiaryId}&actor=${operatorOf900.sub}`))).toEqual([]);
    });

    it('refuses a search with neither or both of nationalId and name, a malformed national id, an unknown field or a forged cursor', async () => {
      for (const body of [{}, { nationalId: nationalIdFor(1), name: 'bui' }, { nationalId: '09105200000' }, { name: 'bui', unit: '899' }, { name: 'bui', cursor: 'abc' }, { name: '   ' }, { name: 'bui', limit: 0 }]) {
        const response = await maker.post('/v1/beneficiaries/search', body, null);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: expect.stringMatching(/^(VALIDATION_FAILED|INVALID_VALUE)$/) });
        expect(response.body.errors).toEqual([expect.objectContaining({ field: expect.any(String) })]);
      }
    });
  });
});
