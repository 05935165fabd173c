import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, enrollment, expectStatus, headPosition, openAccount, runPayroll, schedulePayroll, type LedgerActor } from './support/ledger-flow.js';

// The rules that used to break at their edges, each reproduced over HTTP. Every scenario works in a
// district of its own, so a payroll run of that district holds its people only.

const MERITORIOUS_2024 = 2_055_000;
const PROBLEM = /^application\/problem\+json/;

describe('rules at the edges, over HTTP', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let person = 500;
  const nextPerson = () => ++person;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['91'], 'lan.operator');
    checker = await actor(ledger, 'operator', ['91'], 'minh.operator');
  });
  afterAll(() => ledger.close());

  async function expectRefusal(request: () => Promise<TestResponse>, status: number, code?: string): Promise<TestResponse> {
    const before = await headPosition(ledger);
    const response = await request();
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code: code ?? expect.any(String) });
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    expect(await headPosition(ledger)).toBe(before);
    return response;
  }

  const disbursement = async (id: string) => {
    const response = await maker.getFresh(`/v1/disbursements/${id}`);
    expectStatus(response, 200);
    return response.body;
  };

  /** Two people paid by the April run of `unitCode`, one by bank and one in cash; their disbursement ids. */
  async function sentApril(unitCode: string, effectiveFrom = '2024-04') {
    const byBank = await enroll(maker, nextPerson(), { unitCode, effectiveFrom });
    await openAccount(maker, byBank);
    const inCash = await enroll(maker, nextPerson(), { unitCode, effectiveFrom });
    const run = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode });
    return {
      runId: run.runId,
      byBank: (await disbursementOf(maker, byBank, '2024-04')).disbursementId as string,
      inCash: (await disbursementOf(maker, inCash, '2024-04')).disbursementId as string,
      beneficiaries: { byBank, inCash },
    };
  }

  describe('a provider reference pays one disbursement only', () => {
    let april: Awaited<ReturnType<typeof sentApril>>;
    const paidAt = '2024-04-05T09:30:00+07:00';

    beforeAll(async () => {
      april = await sentApril('909');
    });

    it('refuses the reference of one payment presented for another with a 409 it records as a duplicate attempt', async () => {
      expectStatus(await maker.post(`/v1/disbursements/${april.inCash}/settle`, { providerReference: 'PO24040500001', paidAt, amount: MERITORIOUS_2024 }), 200);
      const before = await headPosition(ledger);
      const reused = await maker.post(`/v1/settlements`, { items: [{ disbursementId: april.byBank, providerReference: 'PO24040500001', paidAt, amount: MERITORIOUS_2024 }] });
      expectStatus(reused, 200);
      // Another paying agent's reference: the bank's own numbering may repeat the Post Office's.
      expect(reused.body.items).toEqual([expect.objectContaining({ httpStatus: 200, status: 'PAID' })]);
      const cashAgain = await enroll(maker, nextPerson(), { unitCode: '909' });
      await runPayroll(maker, checker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '909' });
      const may = (await disbursementOf(maker, cashAgain, '2024-05')).disbursementId;
      const refused = await maker.post(`/v1/disbursements/${may}/settle`, { providerReference: 'PO24040500001', paidAt: '2024-05-05T09:30:00+07:00', amount: MERITORIOUS_2024 });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'PROVIDER_REFERENCE_IN_USE' });
      expect(refused.text).not.toContain(april.inCash);
      expect(await headPosition(ledger)).toBeGreaterThan(before);
      expect(await disbursement(may)).toMatchObject({ status: 'SENT' });
      const duplicates = await (await actor(ledger, 'auditor')).getFresh('/v1/reports/duplicate-attempts');
      expect(duplicates.text).toContain(may);
    });

    it('refuses the same reference with another amount or time with a 409, not a silent 200', async () => {
      await expectRefusal(() => maker.post(`/v1/disbursements/${april.inCash}/settle`, { providerReference: 'PO24040500001', paidAt: '2024-04-06T09:30:00+07:00', amount: MERITORIOUS_2024 }), 409, 'SETTLEMENT_MISMATCH');
      const repeat = await maker.post(`/v1/disbursements/${april.inCash}/settle`, { providerReference: 'PO24040500001', paidAt, amount: MERITORIOUS_2024 });
      expect(repeat.body).toMatchObject({ status: 'PAID' });
    });

    it('records every duplicate inside one batch, by the order of its lines', async () => {
      const one = await enroll(maker, nextPerson(), { unitCode: '910' });
      const two = await enroll(maker, nextPerson(), { unitCode: '910' });
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '910' });
      const [first, second] = [(await disbursementOf(maker, one, '2024-04')).disbursementId, (await disbursementOf(maker, two, '2024-04')).disbursementId];
      const response = await maker.post('/v1/settlements', {
        items: [
          { disbursementId: first, providerReference: 'PO910-1', paidAt, amount: MERITORIOUS_2024 },
          { disbursementId: first, providerReference: 'PO910-2', paidAt, amount: MERITORIOUS_2024 },
          { disbursementId: second, providerReference: 'PO910-1', paidAt, amount: MERITORIOUS_2024 },
        ],
      });
      expectStatus(response, 200);
      expect(response.body.items.map((item: { httpStatus: number; code?: string }) => [item.httpStatus, item.code ?? 'PAID'])).toEqual([
        [200, 'PAID'],
        [409, 'DUPLICATE_PAYMENT'],
        [409, 'PROVIDER_REFERENCE_IN_USE'],
      ]);
      const duplicates = await (await actor(ledger, 'auditor')).getFresh('/v1/reports/duplicate-attempts');
      expect(duplicates.text).toContain(first);
      expect(duplicates.text).toContain(second);
    });
  });

  describe('races on the write side', () => {
    it('ten payments presented at once under one reference: exactly one is paid, nine refused and recorded', async () => {
      const payees = [];
      for (let i = 0; i < 10; i++) payees.push(await enroll(maker, nextPerson(), { unitCode: '899' }));
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
      const ids: string[] = [];
      for (const payee of payees) ids.push((await disbursementOf(maker, payee, '2024-04')).disbursementId);
      const before = await headPosition(ledger);
      const answers = await Promise.all(ids.map((id) => maker.post(`/v1/disbursements/${id}/settle`, { providerReference: 'PO-RACE-1', paidAt: '2024-04-05T09:30:00+07:00', amount: MERITORIOUS_2024 })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(9).fill(409)]);
      expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.code === 'PROVIDER_REFERENCE_IN_USE')).toBe(true);
      // The claim and the payment of the winner, and one recorded attempt per refusal.
      expect(await headPosition(ledger)).toBe(before + 2n + 9n);
    });

    it('two people opening one account number at the same moment: never both verified by name alone', async () => {
      const one = await enroll(maker, nextPerson(), { unitCode: '899' });
      const two = await enroll(maker, nextPerson(), { unitCode: '899' });
      const account = { bankCode: 'BIDV', accountNumber: '31410000777001', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' };
      const answers = await Promise.all([one, two].map((beneficiaryId) => maker.post(`/v1/beneficiaries/${beneficiaryId}/accounts`, account)));
      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      expect(answers.filter((answer) => answer.body.status === 'VERIFIED').length).toBeLessThanOrEqual(1);
      expect(answers.some((answer) => answer.body.unverifiedReason === 'SHARED_ACCOUNT')).toBe(true);
    });
  });

  describe('a settlement out of bounds is refused before anything is written', () => {
    let april: Awaited<ReturnType<typeof sentApril>>;

    beforeAll(async () => {
      april = await sentApril('911');
    });

    it('refuses an absurd amount (10^21, or past 10^12) with a 400', async () => {
      for (const amount of [1e21, 1_000_000_000_001]) {
        await expectRefusal(() => maker.post(`/v1/disbursements/${april.byBank}/settle`, { providerReference: 'FT911-1', paidAt: '2024-04-05T09:30:00+07:00', amount }), 400, 'VALIDATION_FAILED');
      }
    });

    it('refuses a paidAt before the month before the period, or after tomorrow, with a 422', async () => {
      for (const paidAt of ['1900-01-01T00:00:00+07:00', '2024-02-29T23:59:59+07:00', '2999-01-01T00:00:00+07:00']) {
        await expectRefusal(() => maker.post(`/v1/disbursements/${april.byBank}/settle`, { providerReference: 'FT911-2', paidAt, amount: MERITORIOUS_2024 }), 422, 'PAID_AT_OUT_OF_RANGE');
      }
      expectStatus(await maker.post(`/v1/disbursements/${april.byBank}/settle`, { providerReference: 'FT911-2', paidAt: '2024-03-01T00:00:00+07:00', amount: MERITORIOUS_2024 }), 200);
    });
  });

  describe('money that left is never refused', () => {
    it('accepts a payment the bank executed after it was cancelled: PAID, flagged as an overpayment to recover', async () => {
      const april = await sentApril('912');
      const suspended = await maker.post(`/v1/beneficiaries/${april.beneficiaries.byBank}/enrollments/MERITORIOUS/suspend`, { reason: 'Under review', effectiveFrom: '2024-04' });
      expect(suspended.body).toMatchObject({ cancelledDisbursements: 1 });
      expect(await disbursement(april.byBank)).toMatchObject({ status: 'CANCELLED' });

      const settled = await maker.post(`/v1/disbursements/${april.byBank}/settle`, { providerReference: 'FT912-1', paidAt: '2024-04-05T09:30:00+07:00', amount: MERITORIOUS_2024 });
      expectStatus(settled, 200);
      expect(settled.body).toMatchObject({ status: 'PAID', overpayment: true });
      const overpayments = await (await actor(ledger, 'auditor')).getFresh('/v1/reports/overpayments');
      expect(overpayments.text).toContain(april.byBank);
    });
  });

  describe('a termination', () => {
    it('refuses a date of death in the future, or before the enrollment began, with a 422', async () => {
      const beneficiaryId = await enroll(maker, nextPerson(), { unitCode: '913' });
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2042-01-01' }), 422, 'TERMINATION_IN_FUTURE');
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-03-31' }), 422, 'TERMINATION_BEFORE_ENROLLMENT');
    });

    it('cancels failed and returned months it ends, so they leave the late report', async () => {
      const april = await sentApril('913', '2024-03');
      expectStatus(await maker.post(`/v1/disbursements/${april.byBank}/fail`, { reason: 'Account frozen' }), 200);
      expectStatus(await maker.post(`/v1/disbursements/${april.inCash}/return`, { reason: 'Not collected' }), 200);
      for (const [who, id] of [
        [april.beneficiaries.byBank, april.byBank],
        [april.beneficiaries.inCash, april.inCash],
      ] as const) {
        const terminated = await maker.post(`/v1/beneficiaries/${who}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-03-20' });
        expect(terminated.body).toMatchObject({ cancelledDisbursements: 1 });
        expect(await disbursement(id)).toMatchObject({ status: 'CANCELLED' });
      }
      const late = await (await actor(ledger, 'auditor')).getFresh('/v1/reports/late-payments?unitCode=913');
      expect(late.text).not.toContain(april.byBank);
      expect(late.text).not.toContain(april.inCash);
    });

    it('recorded wrongly is corrected: months owed again are paid again, months no longer owed become overpayments', async () => {
      const beneficiaryId = await enroll(maker, nextPerson(), { unitCode: '914', effectiveFrom: '2024-01' });
      const run = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '914' });
      expect(run.scheduled).toMatchObject({ scheduled: 4, arrears: 3 });
      for (const period of ['2024-01', '2024-02', '2024-03', '2024-04']) {
        const { disbursementId } = await disbursementOf(maker, beneficiaryId, period);
        expectStatus(await maker.post(`/v1/disbursements/${disbursementId}/settle`, { providerReference: `PO914-${period}`, paidAt: '2024-04-05T09:30:00+07:00', amount: MERITORIOUS_2024 }), 200);
      }
      const terminated = await maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-02-10' });
      expect(terminated.body).toMatchObject({ overpayments: 2 });

      const corrected = await maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/correct-termination`, { effectiveDate: '2024-03-10', reason: 'Date misread from the death certificate' });
      expectStatus(corrected, 200);
      expect(corrected.body).toMatchObject({ withdrawnOverpayments: 1, overpayments: 0 });
      await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/correct-termination`, { effectiveDate: '2043-01-01', reason: 'Typo' }),
        422,
        'TERMINATION_IN_FUTURE',
      );

      const revoked = await maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/revoke-termination`, { reason: 'A namesake died, not him' });
      expectStatus(revoked, 200);
      expect(revoked.body).toMatchObject({ withdrawnOverpayments: 1 });
      const may = await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '914' });
      expect(may).toMatchObject({ scheduled: 1 });
    });

    it('does not stop a new enrollment in the same program from a month after it', async () => {
      const beneficiaryId = await enroll(maker, nextPerson(), { unitCode: '914' });
      expectStatus(await maker.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/terminate`, { reason: 'NO_LONGER_ELIGIBLE', effectiveDate: '2024-05-31' }), 200);
      const again = enrollment(person, { unitCode: '914', effectiveFrom: '2024-05', decision: { number: '9/QĐ-UBND', date: '2024-06-15' } });
      await expectRefusal(() => maker.post('/v1/beneficiaries', again), 422, 'REENROLLMENT_OVERLAPS');
      const reenrolled = await maker.post('/v1/beneficiaries', { ...again, effectiveFrom: '2024-07' });
      expectStatus(reenrolled, 201);
      expect(reenrolled.body.beneficiaryId).toBe(beneficiaryId);
    });
  });

  describe('large arrears', () => {
    it('refuses a coefficient outside the program’s range with a 400', async () => {
      await expectRefusal(() => maker.post('/v1/beneficiaries', enrollment(nextPerson(), { unitCode: '902', coefficient: 100_000 })), 400, 'INVALID_VALUE');
    });

    it('are listed in the run, and approving it needs them acknowledged', async () => {
      const owed = await enroll(maker, nextPerson(), { unitCode: '902', program: 'SOCIAL_ASSISTANCE', effectiveFrom: '2021-07', coefficient: 2500 });
      const run = await schedulePayroll(maker, { period: '2024-04', program: 'SOCIAL_ASSISTANCE', unitCode: '902' });
      expect(run.largeArrears).toEqual([{ beneficiaryId: owed, months: 33, totalAmount: 33 * 900_000 }]);
      expect((await maker.get(`/v1/payroll-runs/${run.runId}`)).body.largeArrears).toEqual(run.largeArrears);
      await expectRefusal(() => checker.post(`/v1/payroll-runs/${run.runId}/approve`), 422, 'LARGE_ARREARS_NOT_ACKNOWLEDGED');
      expectStatus(await checker.post(`/v1/payroll-runs/${run.runId}/approve`, { acknowledgeLargeArrears: true }), 200);
    });
  });

  describe('a checker who rejects a run', () => {
    it('sends nothing of it, and the next run of the period takes its disbursements', async () => {
      const payee = await enroll(maker, nextPerson(), { unitCode: '903' });
      const run = await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '903' });
      await expectRefusal(() => maker.post(`/v1/payroll-runs/${run.runId}/reject`, { reason: 'Mine, but wrong' }), 422, 'REJECTION_BY_CREATOR');
      const rejected = await checker.post(`/v1/payroll-runs/${run.runId}/reject`, { reason: 'Unit 903 list not yet signed' });
      expectStatus(rejected, 200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectedBy: 'minh.operator', released: 1 });
      await expectRefusal(() => checker.post(`/v1/payroll-runs/${run.runId}/approve`), 409, 'PAYROLL_RUN_REJECTED');
      await expectRefusal(() => maker.post(`/v1/payroll-runs/${run.runId}/send`), 409, 'PAYROLL_RUN_REJECTED');

      const next = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '903' });
      expect(next.scheduled).toMatchObject({ scheduled: 1 });
      expect(await disbursementOf(maker, payee, '2024-04')).toMatchObject({ status: 'SENT', payrollRunId: next.runId });
    });
  });

  describe('an account closed between approval and sending', () => {
    it('is not paid into: the payment goes into the Post Office list instead', async () => {
      const payee = await enroll(maker, nextPerson(), { unitCode: '900' });
      const { accountId } = await openAccount(maker, payee);
      const run = await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '900' });
      // Without large arrears, approval needs no body at all (as an operator types it with curl).
      const approval = await ledger.request('POST', `/v1/payroll-runs/${run.runId}/approve`, { headers: { authorization: `Bearer ${checker.token}`, 'idempotency-key': 'approve-900' } });
      expectStatus(approval, 200);
      expectStatus(await maker.post(`/v1/beneficiaries/${payee}/accounts/${accountId}/close`, { reason: 'Closed by the bank' }), 200);
      const sent = await maker.post(`/v1/payroll-runs/${run.runId}/send`);
      expect(sent.body.paymentFiles).toEqual([{ paymentFile: 'POST_OFFICE', count: 1, totalAmount: MERITORIOUS_2024 }]);
      expect(await disbursementOf(maker, payee, '2024-04')).toMatchObject({ channel: 'CASH', status: 'SENT' });
    });
  });

  describe('identities', () => {
    it('refuses a national id with a province code that was never issued, and a date of birth in the future', async () => {
      await expectRefusal(() => maker.post('/v1/beneficiaries', enrollment(nextPerson(), { nationalId: '003052000123' })), 400, 'INVALID_VALUE');
      await expectRefusal(() => maker.post('/v1/beneficiaries', enrollment(nextPerson(), { nationalId: '091252000123', dateOfBirth: '2052-03-14' })), 400, 'INVALID_VALUE');
    });

    it('matches a holder name written with a typographic apostrophe', async () => {
      const payee = await enroll(maker, nextPerson(), { unitCode: '900', fullName: "H'Hen Niê", gender: 'FEMALE', nationalId: `0911520${String(person).padStart(5, '0')}` });
      const account = await maker.post(`/v1/beneficiaries/${payee}/accounts`, { bankCode: 'VBA', accountNumber: '7700205900123', holderName: 'H’Hen Niê', openedOn: '2024-03-01' });
      expect(account.body).toMatchObject({ status: 'VERIFIED' });
    });
  });
});

describe('auditors bound by their units', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await startTestLedger();
  });
  afterAll(() => ledger.close());

  it('read the history of their own units only; another unit’s person or payment is answered as unknown; the whole log needs every unit', async () => {
    const maker = await actor(ledger, 'operator', ['91'], 'lan.operator');
    const checker = await actor(ledger, 'operator', ['91'], 'minh.operator');
    const person = await enroll(maker, 777, { unitCode: '899' });
    await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
    const { disbursementId } = await disbursementOf(maker, person, '2024-04');
    const asOf = encodeURIComponent(new Date().toISOString());

    const own = await actor(ledger, 'auditor', ['899']);
    expectStatus(await own.get(`/v1/audit/streams/${disbursementId}`), 200);
    expectStatus(await own.get(`/v1/audit/beneficiaries/${person}?asOf=${asOf}`), 200);

    const other = await actor(ledger, 'auditor', ['900']);
    const unknown = await other.get(`/v1/audit/streams/${disbursementId}`);
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'STREAM_NOT_FOUND' });
    const asOfElsewhere = await other.get(`/v1/audit/beneficiaries/${person}?asOf=${asOf}`);
    expect({ status: asOfElsewhere.status, code: asOfElsewhere.body.code }).toEqual({ status: 404, code: 'BENEFICIARY_NOT_FOUND' });
    expect((await other.get('/v1/audit/log?limit=10')).status).toBe(403);
    expect((await other.post('/v1/audit/replay-check')).status).toBe(403);
    expectStatus(await (await actor(ledger, 'auditor', ['*'])).get('/v1/audit/log?limit=10'), 200);
  });
});

describe('the list of payroll runs', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await startTestLedger();
  });
  afterAll(() => ledger.close());

  it('shows a checker the runs awaiting approval in their units, newest period first, paged', async () => {
    const maker = await actor(ledger, 'operator', ['91'], 'lan.operator');
    const checker = await actor(ledger, 'operator', ['91'], 'minh.operator');
    await enroll(maker, 901, { unitCode: '905' });
    const sent = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '905' });
    const waiting = await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '905' });

    const awaiting = await checker.getFresh('/v1/payroll-runs?status=SCHEDULED&unitCode=905');
    expectStatus(awaiting, 200);
    expect(awaiting.body.items).toEqual([expect.objectContaining({ runId: waiting.runId, period: '2024-05', status: 'SCHEDULED', createdBy: 'lan.operator', approvedBy: null })]);

    const first = await checker.getFresh('/v1/payroll-runs?unitCode=905&limit=1');
    expect(first.body.items.map((run: { runId: string }) => run.runId)).toEqual([waiting.runId]);
    const second = await checker.getFresh(`/v1/payroll-runs?unitCode=905&limit=1&cursor=${first.body.next}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ runId: sent.runId, status: 'SENT', sent: 1 })], next: null });

    const elsewhere = await actor(ledger, 'operator', ['900']);
    expect((await elsewhere.getFresh('/v1/payroll-runs')).body.items).toEqual([]);
    const badCursor = await checker.get('/v1/payroll-runs?cursor=bm90LWEtY3Vyc29y');
    expect({ status: badCursor.status, field: badCursor.body.errors?.[0]?.field ?? badCursor.body.field }).toEqual({ status: 400, field: 'cursor' });
  });
});
