import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import {
  actor,
  approveAndSend,
  disbursementOf,
  enroll,
  enrollment,
  expectStatus,
  headPosition,
  nationalIdFor,
  openAccount,
  runPayroll,
  schedulePayroll,
  type LedgerActor,
} from './support/ledger-flow.js';

// Each scenario works in a district of its own, so a payroll run of that district holds its people only.

const MERITORIOUS_2024 = 2_055_000; // 1000‰ × the standard level from 2023-07 (Decree 55/2023)
const POSITION = expect.stringMatching(/^\d+$/);
const UNKNOWN_ID = '6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f'; // a well-formed UUIDv5 nothing has
const PROBLEM = /^application\/problem\+json/;

/** The fields a 400 names, each once: its errors[] has one entry per broken constraint. */
const fieldsOf = (response: TestResponse) => [...new Set(response.body.errors.map((error: { field: string }) => error.field))].sort();

describe('command routes over HTTP', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let person = 0;
  const nextPerson = () => ++person;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['91'], 'maker');
    checker = await actor(ledger, 'operator', ['91'], 'checker');
  });
  afterAll(() => ledger.close());

  /** Sends a request that must be refused, checks the problem it answers, and that nothing was appended. */
  async function expectRefusal(request: () => Promise<TestResponse>, status: number, code?: string): Promise<TestResponse> {
    const before = await headPosition(ledger);
    const response = await request();
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code: code ?? expect.any(String) });
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ type: expect.stringMatching(/^\/problems\//), title: expect.any(String), status, detail: expect.any(String) });
    expect(await headPosition(ledger)).toBe(before);
    return response;
  }

  const disbursement = async (disbursementId: string) => {
    const response = await maker.getFresh(`/v1/disbursements/${disbursementId}`);
    expectStatus(response, 200);
    return response.body;
  };

  describe('when an enrollment is suspended and resumed', () => {
    let suspended: string;
    let other: string;
    const aprilIds: Record<string, string> = {};
    const mayIds: Record<string, string> = {};

    beforeAll(async () => {
      suspended = await enroll(maker, nextPerson(), { unitCode: '902' });
      other = await enroll(maker, nextPerson(), { unitCode: '902' });
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '902' });
      await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '902' });
      for (const id of [suspended, other]) {
        aprilIds[id] = (await disbursementOf(maker, id, '2024-04')).disbursementId;
        mayIds[id] = (await disbursementOf(maker, id, '2024-05')).disbursementId;
      }
    });

    it('refuses a suspension before the enrollment took effect with a 422', async () => {
      await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${suspended}/enrollments/MERITORIOUS/suspend`, { reason: 'Hospitalised abroad', effectiveFrom: '2024-03' }),
        422,
        'EFFECTIVE_PERIOD_TOO_EARLY',
      );
    });

    it('answers 200 with how many disbursements it cancelled', async () => {
      const response = await maker.post(`/v1/beneficiaries/${suspended}/enrollments/MERITORIOUS/suspend`, { reason: 'Hospitalised abroad', effectiveFrom: '2024-04' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: suspended, position: POSITION, cancelledDisbursements: 2 });
    });

    it('cancels the SENT and the SCHEDULED disbursement of the suspended months, and no one else’s', async () => {
      expect(await disbursement(aprilIds[suspended]!)).toMatchObject({ status: 'CANCELLED', period: '2024-04' });
      expect(await disbursement(mayIds[suspended]!)).toMatchObject({ status: 'CANCELLED', period: '2024-05' });
      expect(await disbursement(aprilIds[other]!)).toMatchObject({ status: 'SENT' });
      expect(await disbursement(mayIds[other]!)).toMatchObject({ status: 'SCHEDULED' });
    });

    it('has the next payroll run skip them as SUSPENDED', async () => {
      const run = await schedulePayroll(maker, { period: '2024-06', program: 'MERITORIOUS', unitCode: '902' });
      expect(run).toMatchObject({ scheduled: 1, alreadyScheduled: 0, arrears: 0, skipped: { SUSPENDED: 1 }, totalAmount: MERITORIOUS_2024 });
      const june = await maker.getFresh(`/v1/disbursements?beneficiaryId=${suspended}&period=2024-06`);
      expect(june.body.items).toEqual([]);
    });

    it('refuses a second suspension with a 422', async () => {
      await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${suspended}/enrollments/MERITORIOUS/suspend`, { reason: 'Again', effectiveFrom: '2024-06' }),
        422,
        'ALREADY_SUSPENDED',
      );
    });

    it('refuses a resumption in or before the month the suspension starts with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${suspended}/enrollments/MERITORIOUS/resume`, { effectiveFrom: '2024-04' }), 422, 'RESUMPTION_BEFORE_SUSPENSION');
    });

    it('resumes payments from the month given: 200, and the next run pays them again', async () => {
      const response = await maker.post(`/v1/beneficiaries/${suspended}/enrollments/MERITORIOUS/resume`, { effectiveFrom: '2024-07' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: suspended, position: POSITION, reinstatedDisbursements: 0 });

      const run = await schedulePayroll(maker, { period: '2024-07', program: 'MERITORIOUS', unitCode: '902' });
      // June stays unpaid: it lies inside the suspension, so it is no arrears either.
      expect(run).toMatchObject({ scheduled: 2, arrears: 0, skipped: {} });
      expect(await disbursementOf(maker, suspended, '2024-07')).toMatchObject({ status: 'SCHEDULED', amount: 2_789_000, arrears: false });
    });

    it('pays a month that was scheduled before the suspension and lies after the resumption', async () => {
      const back = await enroll(maker, nextPerson(), { unitCode: '902', effectiveFrom: '2024-08' });
      await schedulePayroll(maker, { period: '2024-08', program: 'MERITORIOUS', unitCode: '902' });
      await schedulePayroll(maker, { period: '2024-09', program: 'MERITORIOUS', unitCode: '902' });
      const suspension = await maker.post(`/v1/beneficiaries/${back}/enrollments/MERITORIOUS/suspend`, { reason: 'Hospitalised', effectiveFrom: '2024-08' });
      expect(suspension.body).toMatchObject({ cancelledDisbursements: 2 });
      const resumption = await maker.post(`/v1/beneficiaries/${back}/enrollments/MERITORIOUS/resume`, { effectiveFrom: '2024-09' });
      expect(resumption.body).toMatchObject({ reinstatedDisbursements: 1 });

      // August lies inside the suspension and stays cancelled; September is owed again, as a new attempt.
      expect(await disbursementOf(maker, back, '2024-08')).toMatchObject({ status: 'CANCELLED' });
      expect(await disbursementOf(maker, back, '2024-09')).toMatchObject({ status: 'SCHEDULED', attempt: 2, payrollRunId: null });
      const run = await schedulePayroll(maker, { period: '2024-09', program: 'MERITORIOUS', unitCode: '902' });
      expect(run).toMatchObject({ scheduled: 1 });
      expect(await disbursementOf(maker, back, '2024-09')).toMatchObject({ status: 'SCHEDULED', attempt: 2, payrollRunId: run.runId, amount: 2_789_000 });
    });

    it('refuses to resume an enrollment that is not suspended with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${other}/enrollments/MERITORIOUS/resume`, { effectiveFrom: '2024-07' }), 422, 'NOT_SUSPENDED');
    });
  });

  describe('when an enrollment is terminated with a back-dated effective date', () => {
    let deceased: string;
    let deceasedPerson: number;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      deceasedPerson = nextPerson();
      deceased = await enroll(maker, deceasedPerson, { unitCode: '903' });
      await openAccount(maker, deceased);
      for (const [period, reference] of [
        ['2024-04', 'FT24096000903'],
        ['2024-05', 'FT24126000903'],
      ] as const) {
        await runPayroll(maker, checker, { period, program: 'MERITORIOUS', unitCode: '903' });
        ids[period] = (await disbursementOf(maker, deceased, period)).disbursementId;
        expectStatus(await maker.post(`/v1/disbursements/${ids[period]}/settle`, { providerReference: reference, paidAt: `${period}-05T09:30:00+07:00`, amount: MERITORIOUS_2024 }), 200);
      }
      await schedulePayroll(maker, { period: '2024-06', program: 'MERITORIOUS', unitCode: '903' });
      ids['2024-06'] = (await disbursementOf(maker, deceased, '2024-06')).disbursementId;
    });

    it('answers 200 with the overpayments it flagged and the disbursements it cancelled', async () => {
      const response = await maker.post(`/v1/beneficiaries/${deceased}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-04-15' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: deceased, position: POSITION, overpayments: 1, cancelledDisbursements: 1 });
    });

    it('flags the PAID disbursement of a later month as an overpayment, and keeps the month of death paid', async () => {
      expect(await disbursement(ids['2024-05']!)).toMatchObject({ status: 'PAID', overpayment: true });
      expect(await disbursement(ids['2024-04']!)).toMatchObject({ status: 'PAID', overpayment: false });
    });

    it('cancels the SCHEDULED disbursement of a later month', async () => {
      expect(await disbursement(ids['2024-06']!)).toMatchObject({ status: 'CANCELLED', overpayment: false });
    });

    it('has later payroll runs skip them as TERMINATED', async () => {
      const run = await schedulePayroll(maker, { period: '2024-07', program: 'MERITORIOUS', unitCode: '903' });
      expect(run).toMatchObject({ scheduled: 0, arrears: 0, skipped: { TERMINATED: 1 } });
    });

    it('refuses a second termination with a 422', async () => {
      await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${deceased}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-04-15' }),
        422,
        'ENROLLMENT_TERMINATED',
      );
    });

    it('refuses to enroll them in the same program again over months the terminated enrollment covered, with a 422', async () => {
      await expectRefusal(() => maker.post('/v1/beneficiaries', enrollment(deceasedPerson, { unitCode: '903' })), 422, 'REENROLLMENT_OVERLAPS');
    });

    it('refuses a reason outside DECEASED, NO_LONGER_ELIGIBLE and MOVED_OUT with a 400', async () => {
      const response = await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${deceased}/enrollments/MERITORIOUS/terminate`, { reason: 'BORED', effectiveDate: '2024-04-15' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(response)).toEqual(['reason']);
    });
  });

  describe('when a beneficiary is relocated', () => {
    let moving: string;
    let oldUnit: LedgerActor;
    let newUnit: LedgerActor;
    let bothUnits: LedgerActor;
    let waitingInOldRun: string;

    beforeAll(async () => {
      oldUnit = await actor(ledger, 'operator', ['904']);
      newUnit = await actor(ledger, 'operator', ['905']);
      bothUnits = await actor(ledger, 'operator', ['904', '905']);
      moving = await enroll(oldUnit, nextPerson(), { unitCode: '904' });
      // April is scheduled by the old unit's run and waits there, unsent, when the person moves.
      expect(await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '904' })).toMatchObject({ scheduled: 1 });
      waitingInOldRun = (await disbursementOf(maker, moving, '2024-04')).disbursementId;
    });

    it('refuses an operator of the new unit before the move with a 404, as if the person were unknown', async () => {
      await expectRefusal(() => newUnit.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '905' }), 404, 'BENEFICIARY_NOT_FOUND');
    });

    it('refuses an operator of the old unit alone with a 403: a district cannot push people into another', async () => {
      await expectRefusal(() => oldUnit.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '905' }), 403, 'UNIT_OUT_OF_SCOPE');
    });

    it('refuses an unknown unit, and the province itself (no district run would ever pay them there), with a 400', async () => {
      const unknown = await expectRefusal(() => bothUnits.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '999' }), 400);
      expect(unknown.body.errors).toEqual([{ field: 'unitCode', message: expect.any(String) }]);
      const province = await expectRefusal(() => maker.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '91' }), 400);
      expect(province.body.errors).toEqual([{ field: 'unitCode', message: expect.any(String) }]);
    });

    it('moves them, with their unpaid payments: 200', async () => {
      const response = await bothUnits.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '905' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: moving, position: POSITION, movedDisbursements: 1 });
      expect(await disbursement(waitingInOldRun)).toMatchObject({ unitCode: '905', status: 'SCHEDULED' });
    });

    it('then refuses the old unit’s operator with a 404, as if the person were unknown, and serves the new unit’s', async () => {
      await expectRefusal(
        () => oldUnit.post(`/v1/beneficiaries/${moving}/enrollments/MERITORIOUS/suspend`, { reason: 'Moved', effectiveFrom: '2024-05' }),
        404,
        'BENEFICIARY_NOT_FOUND',
      );
      expectStatus(await newUnit.post(`/v1/beneficiaries/${moving}/accounts`, { bankCode: 'VBA', accountNumber: '7700205904905', holderName: 'BUI TRUNG TAI', openedOn: '2024-05-02' }), 201);
    });

    it('has the new unit’s payroll pay the month the old unit’s run never sent', async () => {
      const run = await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '905' });
      expect(run).toMatchObject({ scheduled: 1 });
      expect(await disbursementOf(maker, moving, '2024-04')).toMatchObject({ disbursementId: waitingInOldRun, unitCode: '905' });
      expect(await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '904' })).toMatchObject({ scheduled: 0, alreadyScheduled: 0 });
    });

    it('refuses a move to the unit they are already in with a 422', async () => {
      await expectRefusal(() => newUnit.post(`/v1/beneficiaries/${moving}/relocate`, { unitCode: '905' }), 422, 'ALREADY_IN_UNIT');
    });
  });

  describe('when a payment account is opened, verified and closed', () => {
    let holder: string;
    let accountId: string;

    beforeAll(async () => {
      holder = await enroll(maker, nextPerson(), { unitCode: '906' });
    });

    it('records an account whose holder name differs from the beneficiary’s as UNVERIFIED: 201', async () => {
      const response = await maker.post(`/v1/beneficiaries/${holder}/accounts`, { bankCode: 'VBA', accountNumber: '7700205906001', holderName: 'BUI TRUNG TAM', openedOn: '2024-03-01' });
      expectStatus(response, 201);
      expect(response.body).toEqual({ beneficiaryId: holder, accountId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'UNVERIFIED', unverifiedReason: 'NAME_MISMATCH', position: POSITION });
      expect(response.text).not.toContain('7700205906001');
      accountId = response.body.accountId;
    });

    it('refuses the same account twice with a 409', async () => {
      await expectRefusal(
        () => maker.post(`/v1/beneficiaries/${holder}/accounts`, { bankCode: 'VBA', accountNumber: '7700205906001', holderName: 'BUI TRUNG TAM', openedOn: '2024-03-01' }),
        409,
        'ACCOUNT_ALREADY_OPEN',
      );
    });

    it('pays cash while the account is unverified', async () => {
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '906' });
      expect(await disbursementOf(maker, holder, '2024-04')).toMatchObject({ channel: 'CASH' });
    });

    it('refuses a verification without a reason with a 400', async () => {
      const response = await expectRefusal(() => maker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/verify`, {}), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['reason']);
    });

    it('refuses the operator who opened it as its verifier with a 422: one person alone never points a payment at an account', async () => {
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/verify`, { reason: 'Looks right to me' }), 422, 'VERIFICATION_BY_OPENER');
    });

    it('is verified by a second operator: 200 VERIFIED, and the next payroll pays by BANK', async () => {
      const response = await checker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/verify`, { reason: 'Holder name checked against the citizen id card' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: holder, accountId, status: 'VERIFIED', position: POSITION });

      await runPayroll(maker, checker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '906' });
      expect(await disbursementOf(maker, holder, '2024-05')).toMatchObject({ channel: 'BANK', bankCode: 'VBA' });
      expect(await disbursementOf(maker, holder, '2024-04')).toMatchObject({ channel: 'CASH' });
    });

    it('refuses to verify it twice with a 409', async () => {
      await expectRefusal(() => checker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/verify`, { reason: 'Again' }), 409, 'ACCOUNT_ALREADY_VERIFIED');
    });

    it('closes it: 200 CLOSED, and the next payroll pays cash again', async () => {
      const response = await maker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/close`, { reason: 'Closed at the holder’s request' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ beneficiaryId: holder, accountId, status: 'CLOSED', position: POSITION });

      await schedulePayroll(maker, { period: '2024-06', program: 'MERITORIOUS', unitCode: '906' });
      expect(await disbursementOf(maker, holder, '2024-06')).toMatchObject({ channel: 'CASH' });
    });

    it('refuses to close or verify a closed account with a 422, and an unknown one with a 404', async () => {
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/close`, { reason: 'Again' }), 422, 'ACCOUNT_CLOSED');
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${holder}/accounts/${accountId}/verify`, { reason: 'Again' }), 422, 'ACCOUNT_CLOSED');
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${holder}/accounts/${UNKNOWN_ID}/close`, { reason: 'Closed' }), 404, 'ACCOUNT_NOT_FOUND');
    });
  });

  describe('when an account number is already open for another beneficiary', () => {
    it('records the second one UNVERIFIED (SHARED_ACCOUNT) whatever the name, for a second operator to look at', async () => {
      const first = await enroll(maker, nextPerson(), { unitCode: '906' });
      const second = await enroll(maker, nextPerson(), { unitCode: '906' });
      const account = { bankCode: 'VBA', accountNumber: '7700205906777', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' };
      expect((await maker.post(`/v1/beneficiaries/${first}/accounts`, account)).body).toMatchObject({ status: 'VERIFIED' });
      const shared = await maker.post(`/v1/beneficiaries/${second}/accounts`, account);
      expectStatus(shared, 201);
      expect(shared.body).toMatchObject({ status: 'UNVERIFIED', unverifiedReason: 'SHARED_ACCOUNT' });
      await expectRefusal(() => maker.post(`/v1/beneficiaries/${second}/accounts/${shared.body.accountId}/verify`, { reason: 'Same family' }), 422, 'VERIFICATION_BY_OPENER');
      expectStatus(await checker.post(`/v1/beneficiaries/${second}/accounts/${shared.body.accountId}/verify`, { reason: 'Spouses share the account: decision 12/QĐ' }), 200);
    });

    it('is no longer shared once the first holder closed theirs', async () => {
      const first = await enroll(maker, nextPerson(), { unitCode: '906' });
      const second = await enroll(maker, nextPerson(), { unitCode: '906' });
      const account = { bankCode: 'AGRIBANK', accountNumber: '7700205906888', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' };
      const opened = await maker.post(`/v1/beneficiaries/${first}/accounts`, account);
      expectStatus(await maker.post(`/v1/beneficiaries/${first}/accounts/${opened.body.accountId}/close`, { reason: 'Closed' }), 200);
      expect((await maker.post(`/v1/beneficiaries/${second}/accounts`, account)).body).toMatchObject({ status: 'VERIFIED' });
    });
  });

  describe('when a payment fails, is returned and is rescheduled', () => {
    let firstRunId: string;
    let byBank: string;
    let inCash: string;

    beforeAll(async () => {
      const bankPayee = await enroll(maker, nextPerson(), { unitCode: '907' });
      await openAccount(maker, bankPayee);
      const cashPayee = await enroll(maker, nextPerson(), { unitCode: '907' });
      firstRunId = (await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '907' })).runId;
      byBank = (await disbursementOf(maker, bankPayee, '2024-04')).disbursementId;
      inCash = (await disbursementOf(maker, cashPayee, '2024-04')).disbursementId;
    });

    it('refuses to fail cash or to return a bank transfer with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/disbursements/${inCash}/fail`, { reason: 'Rejected' }), 422, 'NOT_A_BANK_PAYMENT');
      await expectRefusal(() => maker.post(`/v1/disbursements/${byBank}/return`, { reason: 'Not collected' }), 422, 'NOT_A_CASH_PAYMENT');
    });

    it('refuses to reschedule a payment that is still SENT with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/disbursements/${byBank}/reschedule`, { reason: 'Retry' }), 422, 'DISBURSEMENT_SENT');
    });

    it('fails a bank transfer: 200 FAILED', async () => {
      const response = await maker.post(`/v1/disbursements/${byBank}/fail`, { reason: 'Account frozen by the bank' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ disbursementId: byBank, status: 'FAILED', attempt: 1, channel: 'BANK', position: POSITION });
    });

    it('returns cash nobody collected: 200 RETURNED', async () => {
      const response = await maker.post(`/v1/disbursements/${inCash}/return`, { reason: 'Not collected at the pay point' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ disbursementId: inCash, status: 'RETURNED', attempt: 1, channel: 'CASH', position: POSITION });
    });

    it('refuses to settle a FAILED payment with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/disbursements/${byBank}/settle`, { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: MERITORIOUS_2024 }), 422, 'DISBURSEMENT_FAILED');
    });

    it('reschedules each as a second attempt of the same disbursement, waiting for a run — never into the account that failed', async () => {
      // The transfer's payee has no other verified account: the new attempt is cash, not the same bounce again.
      for (const [id, channel] of [
        [byBank, 'CASH'],
        [inCash, 'CASH'],
      ] as const) {
        const response = await maker.post(`/v1/disbursements/${id}/reschedule`, { reason: 'Payee asked for another try' });
        expectStatus(response, 200);
        expect(response.body).toEqual({ disbursementId: id, status: 'SCHEDULED', attempt: 2, channel, position: POSITION });
        expect(await disbursement(id)).toMatchObject({ status: 'SCHEDULED', attempt: 2, payrollRunId: null, period: '2024-04' });
      }
    });

    it('has the next payroll run of that period pick the attempts up and send them', async () => {
      const { runId, scheduled, sent } = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '907' });
      expect(scheduled).toMatchObject({ scheduled: 2, alreadyScheduled: 0, arrears: 0 });
      expect(sent).toMatchObject({ sent: 2, cancelled: 0 });
      for (const id of [byBank, inCash]) expect(await disbursement(id)).toMatchObject({ status: 'SENT', attempt: 2, payrollRunId: runId });
      expect((await maker.get(`/v1/payroll-runs/${runId}`)).body.paymentFiles).toEqual([{ paymentFile: 'POST_OFFICE', count: 2, totalAmount: 2 * MERITORIOUS_2024 }]);
      const cashList = await maker.get(`/v1/payroll-runs/${runId}/payment-files/POST_OFFICE`);
      expect(cashList.text).toContain(inCash);
      expect(cashList.text).toContain(byBank);
    });

    it('keeps the first run’s payment files as they were sent', async () => {
      const run = await maker.get(`/v1/payroll-runs/${firstRunId}`);
      expect(run.body.paymentFiles).toEqual([
        { paymentFile: 'POST_OFFICE', count: 1, totalAmount: MERITORIOUS_2024 },
        { paymentFile: 'VBA', count: 1, totalAmount: MERITORIOUS_2024 },
      ]);
      expect((await maker.get(`/v1/payroll-runs/${firstRunId}/payment-files/VBA`)).text).toContain(byBank);
      expect((await maker.get(`/v1/payroll-runs/${firstRunId}/payment-files/POST_OFFICE`)).text).toContain(inCash);
    });

    it('pays the second attempt', async () => {
      const response = await maker.post(`/v1/disbursements/${byBank}/settle`, { providerReference: 'FT24106000907', paidAt: '2024-04-12T10:00:00+07:00', amount: MERITORIOUS_2024 });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ status: 'PAID', attempt: 2, daysLate: 2 });
    });
  });

  describe('when a paying agent reports a batch of settlements', () => {
    const ids: string[] = [];

    beforeAll(async () => {
      const payees = [];
      for (let i = 0; i < 4; i++) payees.push(await enroll(maker, nextPerson(), { unitCode: '908' }));
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '908' });
      for (const payee of payees) ids.push((await disbursementOf(maker, payee, '2024-04')).disbursementId);
    });

    it('pays the good items, reports each bad one, and changes nothing else', async () => {
      const paidAt = '2024-04-06T08:00:00+07:00';
      const before = await headPosition(ledger);
      const response = await maker.post('/v1/settlements', {
        items: [
          { disbursementId: ids[0], providerReference: 'PO24096000001', paidAt, amount: MERITORIOUS_2024 },
          { disbursementId: ids[1], providerReference: 'PO24096000002', paidAt, amount: 2_000_000 },
          { disbursementId: UNKNOWN_ID, providerReference: 'PO24096000003', paidAt, amount: MERITORIOUS_2024 },
          { disbursementId: ids[2], providerReference: 'PO24096000004', paidAt: '06/04/2024 08:00', amount: MERITORIOUS_2024 },
          { disbursementId: ids[3], providerReference: 'PO24096000005', paidAt, amount: MERITORIOUS_2024 },
        ],
      });
      expectStatus(response, 200);
      expect(response.body).toEqual({
        settled: 2,
        refused: 3,
        position: POSITION,
        items: [
          { httpStatus: 200, disbursementId: ids[0], status: 'PAID', daysLate: 0, attempt: 1, channel: 'CASH', position: POSITION },
          { httpStatus: 422, disbursementId: ids[1], code: 'AMOUNT_MISMATCH', detail: expect.any(String) },
          { httpStatus: 404, disbursementId: UNKNOWN_ID, code: 'DISBURSEMENT_NOT_FOUND', detail: expect.any(String) },
          { httpStatus: 400, disbursementId: ids[2], code: 'INVALID_VALUE', detail: expect.any(String) },
          { httpStatus: 200, disbursementId: ids[3], status: 'PAID', daysLate: 0, attempt: 1, channel: 'CASH', position: POSITION },
        ],
      });
      // Per good item its reference claimed and its payment recorded; nothing for the others.
      expect(await headPosition(ledger)).toBe(before + 4n);
      expect(await disbursement(ids[1]!)).toMatchObject({ status: 'SENT' });
      expect(await disbursement(ids[2]!)).toMatchObject({ status: 'SENT' });
    });

    it('refuses a batch that is not one with a 400, appending nothing', async () => {
      await expectRefusal(() => maker.post('/v1/settlements', { items: [] }), 400, 'VALIDATION_FAILED');
      const response = await expectRefusal(() => maker.post('/v1/settlements', { items: [{ disbursementId: ids[1], paidAt: '2024-04-06T08:00:00+07:00' }] }), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['items[0].amount', 'items[0].providerReference']);
    });

    it('refuses a batch without an Idempotency-Key with a 400', async () => {
      await expectRefusal(
        () => maker.post('/v1/settlements', { items: [{ disbursementId: ids[1], providerReference: 'PO1', paidAt: '2024-04-06T08:00:00+07:00', amount: MERITORIOUS_2024 }] }, null),
        400,
        'IDEMPOTENCY_KEY_REQUIRED',
      );
    });
  });

  describe('when a payroll run finds months missed since the enrollment took effect', () => {
    let firstRunOf909: string;
    it('schedules each missed month as its own disbursement, flagged arrears', async () => {
      const late = await enroll(maker, nextPerson(), { unitCode: '909', effectiveFrom: '2024-01' });
      const run = await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '909' });
      expect(run).toMatchObject({ scheduled: 4, alreadyScheduled: 0, arrears: 3, skipped: {}, totalAmount: 4 * MERITORIOUS_2024, unchangedSince: null });
      firstRunOf909 = run.runId as string;

      const listed = await maker.getFresh(`/v1/disbursements?beneficiaryId=${late}`);
      expectStatus(listed, 200);
      const byPeriod = [...listed.body.items].sort((a, b) => a.period.localeCompare(b.period));
      expect(byPeriod).toEqual([
        expect.objectContaining({ period: '2024-01', arrears: true, amount: MERITORIOUS_2024, dueDate: '2024-01-10', status: 'SCHEDULED' }),
        expect.objectContaining({ period: '2024-02', arrears: true, amount: MERITORIOUS_2024, dueDate: '2024-02-10', status: 'SCHEDULED' }),
        expect.objectContaining({ period: '2024-03', arrears: true, amount: MERITORIOUS_2024, dueDate: '2024-03-10', status: 'SCHEDULED' }),
        expect.objectContaining({ period: '2024-04', arrears: false, amount: MERITORIOUS_2024, dueDate: '2024-04-10', status: 'SCHEDULED' }),
      ]);
      expect(new Set(byPeriod.map((item) => item.disbursementId)).size).toBe(4);
    });

    it('prices each missed month at the standard level in force in that month', async () => {
      // Social assistance: 360,000 until 2024-06, 500,000 from 2024-07; coefficient 1.5.
      const late = await enroll(maker, nextPerson(), { unitCode: '909', program: 'SOCIAL_ASSISTANCE', coefficient: 1500, effectiveFrom: '2024-05' });
      const run = await schedulePayroll(maker, { period: '2024-08', program: 'SOCIAL_ASSISTANCE', unitCode: '909' });
      expect(run).toMatchObject({ scheduled: 4, arrears: 3, totalAmount: 540_000 * 2 + 750_000 * 2 });
      const amounts = [];
      for (const period of ['2024-05', '2024-06', '2024-07', '2024-08']) {
        const { amount, arrears } = await disbursementOf(maker, late, period, 'SOCIAL_ASSISTANCE');
        amounts.push({ period, amount, arrears });
      }
      expect(amounts).toEqual([
        { period: '2024-05', amount: 540_000, arrears: true },
        { period: '2024-06', amount: 540_000, arrears: true },
        { period: '2024-07', amount: 750_000, arrears: true },
        { period: '2024-08', amount: 750_000, arrears: false },
      ]);
    });

    it('schedules no arrears twice when the run is made again, reading again nobody of its scope whose records are unchanged', async () => {
      const again = await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '909' });
      expect(again).toMatchObject({ scheduled: 0, alreadyScheduled: 0, arrears: 0, unchangedSince: { runId: firstRunOf909, beneficiaries: 1 } });
    });
  });

  describe('when a payment is settled after its due date', () => {
    const ids: string[] = [];

    beforeAll(async () => {
      const payees = [];
      for (let i = 0; i < 4; i++) payees.push(await enroll(maker, nextPerson(), { unitCode: '910' }));
      await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '910' });
      for (const payee of payees) ids.push((await disbursementOf(maker, payee, '2024-04')).disbursementId);
    });

    it('counts the days late from the due date: 200 with daysLate', async () => {
      const response = await maker.post(`/v1/disbursements/${ids[0]}/settle`, { providerReference: 'PO24106000910', paidAt: '2024-04-15T09:00:00+07:00', amount: MERITORIOUS_2024 });
      expectStatus(response, 200);
      expect(response.body).toEqual({ disbursementId: ids[0], status: 'PAID', daysLate: 5, attempt: 1, channel: 'CASH', position: POSITION });
      expect(await disbursement(ids[0]!)).toMatchObject({ status: 'PAID', daysLate: 5, dueDate: '2024-04-10', paidAt: expect.any(String), providerReference: 'PO24106000910' });
    });

    it('reads the due date as the end of that day in Vietnam', async () => {
      const onTime = await maker.post(`/v1/disbursements/${ids[1]}/settle`, { providerReference: 'PO24106000911', paidAt: '2024-04-10T16:59:00Z', amount: MERITORIOUS_2024 });
      expect(onTime.body).toMatchObject({ status: 'PAID', daysLate: 0 });
      const nextMorning = await maker.post(`/v1/disbursements/${ids[2]}/settle`, { providerReference: 'PO24106000912', paidAt: '2024-04-10T17:30:00Z', amount: MERITORIOUS_2024 });
      expect(nextMorning.body).toMatchObject({ status: 'PAID', daysLate: 1 });
    });

    it('shows a payment still unpaid after its due date as late', async () => {
      const unpaid = await disbursement(ids[3]!);
      expect(unpaid).toMatchObject({ status: 'SENT', dueDate: '2024-04-10' });
      expect(unpaid.daysLate).toBeGreaterThan(0);
    });

    it('refuses another amount than the disbursement’s with a 422', async () => {
      await expectRefusal(
        () => maker.post(`/v1/disbursements/${ids[3]}/settle`, { providerReference: 'PO24106000913', paidAt: '2024-04-09T09:00:00+07:00', amount: MERITORIOUS_2024 - 1 }),
        422,
        'AMOUNT_MISMATCH',
      );
    });

    it('takes the same reference again as a harmless repeat, and refuses another reference with a 409 it records', async () => {
      const repeat = await maker.post(`/v1/disbursements/${ids[0]}/settle`, { providerReference: 'PO24106000910', paidAt: '2024-04-15T09:00:00+07:00', amount: MERITORIOUS_2024 });
      expect(repeat.body).toMatchObject({ status: 'PAID', daysLate: 5 });

      const before = await headPosition(ledger);
      const duplicate = await maker.post(`/v1/disbursements/${ids[0]}/settle`, { providerReference: 'FT-OTHER-910', paidAt: '2024-04-16T09:00:00+07:00', amount: MERITORIOUS_2024 });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ code: 'DUPLICATE_PAYMENT' });
      // A duplicate payment is refused, and the attempt is recorded so reports show it.
      expect(await headPosition(ledger)).toBe(before + 1n);
    });
  });

  describe('when a payroll run is read and its payment files fetched', () => {
    let runId: string;
    let cashPayee: string;
    let cashPayeePerson: number;
    let bankPayee: string;

    beforeAll(async () => {
      cashPayeePerson = nextPerson();
      cashPayee = await enroll(maker, cashPayeePerson, { unitCode: '911' });
      bankPayee = await enroll(maker, nextPerson(), { unitCode: '911' });
      await openAccount(maker, bankPayee, { accountNumber: '7700205911001' });
      runId = (await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '911' })).runId;
    });

    it('shows a run waiting for approval, and has no payment file for it yet', async () => {
      const run = await maker.get(`/v1/payroll-runs/${runId}`);
      expectStatus(run, 200);
      expect(run.body).toMatchObject({ runId, period: '2024-04', program: 'MERITORIOUS', unitCode: '911', status: 'SCHEDULED', createdBy: 'maker', approvedBy: null, disbursements: 2 });
      await expectRefusal(() => maker.get(`/v1/payroll-runs/${runId}/payment-files/POST_OFFICE`), 404, 'PAYMENT_FILE_NOT_FOUND');
    });

    it('shows a sent run with its counts and payment files', async () => {
      await approveAndSend(maker, checker, runId);
      const run = await maker.get(`/v1/payroll-runs/${runId}`);
      expect(run.body).toEqual({
        runId,
        period: '2024-04',
        program: 'MERITORIOUS',
        unitCode: '911',
        status: 'SENT',
        createdBy: 'maker',
        approvedBy: 'checker',
        disbursements: 2,
        largeArrears: [],
        scheduled: 2,
        alreadyScheduled: 0,
        arrears: 0,
        skipped: {},
        totalAmount: 2 * MERITORIOUS_2024,
        unchangedSince: null,
        sent: 2,
        cancelled: 0,
        paymentFiles: [
          { paymentFile: 'POST_OFFICE', count: 1, totalAmount: MERITORIOUS_2024 },
          { paymentFile: 'VBA', count: 1, totalAmount: MERITORIOUS_2024 },
        ],
      });
    });

    it('serves the Post Office cash list as CSV, with the cash payees only', async () => {
      const { disbursementId } = await disbursementOf(maker, cashPayee, '2024-04');
      const file = await maker.get(`/v1/payroll-runs/${runId}/payment-files/POST_OFFICE`);
      expectStatus(file, 200);
      expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(file.text.split('\r\n')).toEqual([
        'disbursement_id,beneficiary_id,full_name,national_id,unit_code,program,period,amount_vnd',
        `${disbursementId},${cashPayee},Bùi Trung Tài,${nationalIdFor(cashPayeePerson)},911,MERITORIOUS,2024-04,${MERITORIOUS_2024}`,
        '',
      ]);
    });

    it('serves the bank file with the account the transfer goes to', async () => {
      const { disbursementId } = await disbursementOf(maker, bankPayee, '2024-04');
      const file = await maker.get(`/v1/payroll-runs/${runId}/payment-files/VBA`);
      expect(file.text.split('\r\n')[1]).toBe(`${disbursementId},${bankPayee},MERITORIOUS,2024-04,${MERITORIOUS_2024},VBA,7700205911001,BUI TRUNG TAI,MERITORIOUS 2024-04`);
    });

    it('answers 404 for a payment file the run does not have, or a run that does not exist', async () => {
      await expectRefusal(() => maker.get(`/v1/payroll-runs/${runId}/payment-files/BIDV`), 404, 'PAYMENT_FILE_NOT_FOUND');
      await expectRefusal(() => maker.get(`/v1/payroll-runs/${UNKNOWN_ID}`), 404, 'PAYROLL_RUN_NOT_FOUND');
      await expectRefusal(() => maker.get(`/v1/payroll-runs/${UNKNOWN_ID}/payment-files/POST_OFFICE`), 404, 'PAYROLL_RUN_NOT_FOUND');
    });
  });

  describe('when a payroll run goes through maker-checker', () => {
    let runId: string;
    let payee: string;

    beforeAll(async () => {
      payee = await enroll(maker, nextPerson(), { unitCode: '912' });
      runId = (await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '912' })).runId;
    });

    it('refuses approval by the operator who made the run with a 422', async () => {
      await expectRefusal(() => maker.post(`/v1/payroll-runs/${runId}/approve`), 422, 'APPROVAL_BY_CREATOR');
    });

    it('refuses to send a run nobody approved with a 422, leaving its payments SCHEDULED', async () => {
      await expectRefusal(() => maker.post(`/v1/payroll-runs/${runId}/send`), 422, 'PAYROLL_RUN_SCHEDULED');
      expect(await disbursementOf(maker, payee, '2024-04')).toMatchObject({ status: 'SCHEDULED' });
    });

    it('approves it by another operator: 200 APPROVED', async () => {
      const response = await checker.post(`/v1/payroll-runs/${runId}/approve`);
      expectStatus(response, 200);
      expect(response.body).toEqual({ runId, status: 'APPROVED', approvedBy: 'checker', position: POSITION });
    });

    it('refuses a second approval with a 409', async () => {
      await expectRefusal(() => checker.post(`/v1/payroll-runs/${runId}/approve`), 409, 'PAYROLL_RUN_APPROVED');
    });

    it('sends it: 200 SENT with its payment files, and sending again answers the same', async () => {
      const response = await maker.post(`/v1/payroll-runs/${runId}/send`);
      expectStatus(response, 200);
      expect(response.body).toEqual({
        runId,
        status: 'SENT',
        sentBy: 'maker',
        sent: 1,
        cancelled: 0,
        paymentFiles: [{ paymentFile: 'POST_OFFICE', count: 1, totalAmount: MERITORIOUS_2024 }],
        position: POSITION,
      });
      expect(await disbursementOf(maker, payee, '2024-04')).toMatchObject({ status: 'SENT', payrollRunId: runId });

      const before = await headPosition(ledger);
      const again = await maker.post(`/v1/payroll-runs/${runId}/send`);
      expectStatus(again, 200);
      expect({ ...again.body, position: null }).toEqual({ ...response.body, position: null });
      expect(await headPosition(ledger)).toBe(before);
    });
  });

  describe('when a payroll run request is retried', () => {
    const key = randomUUID();
    let first: TestResponse;

    beforeAll(async () => {
      await enroll(maker, nextPerson(), { unitCode: '913' });
      first = await maker.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS', unitCode: '913' }, key);
      expectStatus(first, 201);
    });

    it('replays the first response for the same Idempotency-Key, writing nothing', async () => {
      const before = await headPosition(ledger);
      const again = await maker.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS', unitCode: '913' }, key);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(await headPosition(ledger)).toBe(before);
    });

    it('refuses the same key with another body with a 409', async () => {
      await expectRefusal(() => maker.post('/v1/payroll-runs', { period: '2024-05', program: 'MERITORIOUS', unitCode: '913' }, key), 409, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('refuses a payroll run without an Idempotency-Key with a 400', async () => {
      await expectRefusal(() => maker.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS', unitCode: '913' }, null), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    });

    it('schedules nothing new under a new key', async () => {
      expect(await schedulePayroll(maker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '913' })).toMatchObject({
        scheduled: 0,
        alreadyScheduled: 0,
        unchangedSince: { runId: JSON.parse(first.text).runId, beneficiaries: 1 },
      });
    });
  });

  describe('when a request is refused, it answers a problem and appends nothing', () => {
    let enrolled: string;
    let enrolledPerson: number;
    let scheduledId: string;
    let sentRunId: string;

    beforeAll(async () => {
      enrolledPerson = nextPerson();
      enrolled = await enroll(maker, enrolledPerson, { unitCode: '914' });
      sentRunId = (await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '914' })).runId;
      await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '914' });
      scheduledId = (await disbursementOf(maker, enrolled, '2024-05')).disbursementId;
    });

    describe('400 malformed or invalid input', () => {
      it.each([
        ['a national id with an unknown province', { nationalId: '097052000001' }, 'nationalId'],
        ['a national id of 11 digits', { nationalId: '09105200001' }, 'nationalId'],
        ['a national id whose birth year disagrees with dateOfBirth', { dateOfBirth: '1962-03-14' }, 'nationalId'],
        ['a national id whose gender disagrees', { gender: 'FEMALE' }, 'nationalId'],
        ['a month 13', { effectiveFrom: '2024-13' }, 'effectiveFrom'],
        ['a period written another way', { effectiveFrom: '04/2024' }, 'effectiveFrom'],
        ['an unknown program', { program: 'PENSION' }, 'program'],
        ['an unknown unit', { unitCode: '999' }, 'unitCode'],
        ['an unknown field', { nickname: 'Tài' }, 'nickname'],
        ['a coefficient that is not an integer', { coefficient: 1.5 }, 'coefficient'],
      ])('refuses an enrollment with %s', async (_case, overrides, field) => {
        const body = enrollment(nextPerson(), { unitCode: '914', ...overrides });
        const response = await expectRefusal(() => maker.post('/v1/beneficiaries', body), 400);
        expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
        expect(response.text).not.toContain(body.nationalId);
      });

      it.each([
        ['a month 13', { period: '2024-13' }, 'period'],
        ['a period without its month', { period: '2024' }, 'period'],
        ['an unknown program', { period: '2024-04', program: 'PENSION' }, 'program'],
        ['an unknown field', { period: '2024-04', unit: '914' }, 'unit'],
      ])('refuses a payroll run with %s', async (_case, body, field) => {
        const response = await expectRefusal(() => maker.post('/v1/payroll-runs', body), 400);
        expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
      });

      it('refuses an unknown program in the path, an id that is not a UUID, and a paidAt without offset', async () => {
        const suspendPension = await expectRefusal(() => maker.post(`/v1/beneficiaries/${enrolled}/enrollments/PENSION/suspend`, { reason: 'x', effectiveFrom: '2024-05' }), 400);
        expect(suspendPension.body.errors).toEqual([{ field: 'program', message: expect.any(String) }]);
        await expectRefusal(() => maker.post('/v1/beneficiaries/not-a-uuid/relocate', { unitCode: '899' }), 400);
        await expectRefusal(() => maker.post('/v1/disbursements/not-a-uuid/settle', { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: 1 }), 400);
        await expectRefusal(() => maker.get('/v1/payroll-runs/not-a-uuid'), 400);
        const noOffset = await expectRefusal(() => maker.post(`/v1/disbursements/${scheduledId}/settle`, { providerReference: 'FT1', paidAt: '2024-05-05T09:30:00', amount: MERITORIOUS_2024 }), 400);
        expect(noOffset.body.errors).toEqual([{ field: 'paidAt', message: expect.any(String) }]);
      });

      it('refuses malformed JSON', async () => {
        await expectRefusal(() => ledger.request('POST', '/v1/beneficiaries', { body: '{"nationalId": ', headers: { authorization: `Bearer ${maker.token}` } }), 400, 'MALFORMED_JSON');
      });
    });

    describe('401 and 403', () => {
      it('refuses a request without a token, or with an expired one, with a 401', async () => {
        await expectRefusal(() => ledger.request('POST', `/v1/payroll-runs/${sentRunId}/approve`, { body: {}, headers: { 'idempotency-key': randomUUID() } }), 401);
        const expired = await ledger.tokenFor({ role: 'operator', units: ['914'], ttl: '-1m' });
        await expectRefusal(
          () => ledger.request('POST', '/v1/beneficiaries', { body: enrollment(nextPerson(), { unitCode: '914' }), headers: { authorization: `Bearer ${expired}` } }),
          401,
          'TOKEN_EXPIRED',
        );
      });

      it('refuses an auditor’s change with a 403, and an operator outside the unit with a 404 on its people and a 403 on the unit itself', async () => {
        const auditor = await actor(ledger, 'auditor');
        await expectRefusal(() => auditor.post(`/v1/beneficiaries/${enrolled}/relocate`, { unitCode: '899' }), 403, 'ROLE_NOT_ALLOWED');
        const outsider = await actor(ledger, 'operator', ['899']);
        await expectRefusal(() => outsider.post(`/v1/beneficiaries/${enrolled}/relocate`, { unitCode: '899' }), 404, 'BENEFICIARY_NOT_FOUND');
        await expectRefusal(() => outsider.post('/v1/payroll-runs', { period: '2024-04', unitCode: '914' }), 403, 'UNIT_OUT_OF_SCOPE');
        // A run without a unit covers the whole catalogue, so only a province-wide operator may make it.
        await expectRefusal(() => outsider.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS' }), 403, 'UNIT_OUT_OF_SCOPE');
      });
    });

    describe('404 unknown records', () => {
      it.each([
        ['beneficiary', () => maker.post(`/v1/beneficiaries/${UNKNOWN_ID}/enrollments/MERITORIOUS/suspend`, { reason: 'x', effectiveFrom: '2024-05' }), 'BENEFICIARY_NOT_FOUND'],
        ['beneficiary, when relocated', () => maker.post(`/v1/beneficiaries/${UNKNOWN_ID}/relocate`, { unitCode: '899' }), 'BENEFICIARY_NOT_FOUND'],
        ['beneficiary, when an account is opened', () => maker.post(`/v1/beneficiaries/${UNKNOWN_ID}/accounts`, { bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' }), 'BENEFICIARY_NOT_FOUND'],
        ['enrollment', () => maker.post(`/v1/beneficiaries/${enrolled}/enrollments/SOCIAL_ASSISTANCE/suspend`, { reason: 'x', effectiveFrom: '2024-05' }), 'ENROLLMENT_NOT_FOUND'],
        ['disbursement, when settled', () => maker.post(`/v1/disbursements/${UNKNOWN_ID}/settle`, { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: 1 }), 'DISBURSEMENT_NOT_FOUND'],
        ['disbursement, when failed', () => maker.post(`/v1/disbursements/${UNKNOWN_ID}/fail`, { reason: 'x' }), 'DISBURSEMENT_NOT_FOUND'],
        ['disbursement, when read', () => maker.get(`/v1/disbursements/${UNKNOWN_ID}`), 'DISBURSEMENT_NOT_FOUND'],
        ['payroll run, when approved', () => checker.post(`/v1/payroll-runs/${UNKNOWN_ID}/approve`), 'PAYROLL_RUN_NOT_FOUND'],
        ['payroll run, when sent', () => maker.post(`/v1/payroll-runs/${UNKNOWN_ID}/send`), 'PAYROLL_RUN_NOT_FOUND'],
      ])('refuses an unknown %s with a 404', async (_record, request, code) => {
        await expectRefusal(request, 404, code);
      });
    });

    describe('409 conflicts', () => {
      it('refuses a second enrollment in the same program, and a person enrolled from another unit', async () => {
        await expectRefusal(() => maker.post('/v1/beneficiaries', enrollment(enrolledPerson, { unitCode: '914' })), 409, 'ALREADY_ENROLLED');
        await expectRefusal(
          () => maker.post('/v1/beneficiaries', enrollment(enrolledPerson, { unitCode: '899', program: 'SOCIAL_ASSISTANCE' })),
          409,
          'IDENTITY_CONFLICT',
        );
      });
    });

    describe('422 business rules', () => {
      it('refuses to settle or fail a payment not sent yet', async () => {
        await expectRefusal(() => maker.post(`/v1/disbursements/${scheduledId}/settle`, { providerReference: 'FT1', paidAt: '2024-05-05T09:30:00+07:00', amount: MERITORIOUS_2024 }), 422, 'DISBURSEMENT_SCHEDULED');
        await expectRefusal(() => maker.post(`/v1/disbursements/${scheduledId}/fail`, { reason: 'x' }), 422, 'DISBURSEMENT_SCHEDULED');
      });
    });
  });
});
