import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enrollment } from './support/ledger-flow.js';

describe('command side over HTTP', () => {
  let ledger: TestLedger;
  let maker: Awaited<ReturnType<typeof actor>>;
  let checker: Awaited<ReturnType<typeof actor>>;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'maker');
    checker = await actor(ledger, 'operator', ['91'], 'checker');
  });
  afterAll(() => ledger.close());

  describe('when a beneficiary is paid through a whole payroll', () => {
    it('enrolls, opens an account, runs, approves, sends and settles as the wire contract shows', async () => {
      const enrolled = await maker.post('/v1/beneficiaries', enrollment(1));
      expect(enrolled.status).toBe(201);
      expect(enrolled.body).toEqual({ beneficiaryId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.stringMatching(/^\d+$/) });
      const { beneficiaryId } = enrolled.body;

      const account = await maker.post(`/v1/beneficiaries/${beneficiaryId}/accounts`, {
        bankCode: 'VBA',
        accountNumber: '7700205123456',
        holderName: 'BUI TRUNG TAI',
        openedOn: '2024-03-01',
      });
      expect(account.status).toBe(201);
      expect(account.body).toMatchObject({ accountId: expect.any(String), status: 'VERIFIED', position: expect.any(String) });
      expect(account.text).not.toContain('7700205123456');

      const run = await maker.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
      expect(run.status).toBe(201);
      expect(run.body).toMatchObject({ runId: expect.any(String), scheduled: 1, alreadyScheduled: 0, arrears: 0 });

      expect((await maker.post(`/v1/payroll-runs/${run.body.runId}/approve`)).status).toBe(422);
      expect((await checker.post(`/v1/payroll-runs/${run.body.runId}/approve`)).status).toBe(200);
      const sent = await maker.post(`/v1/payroll-runs/${run.body.runId}/send`);
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ status: 'SENT', sent: 1, paymentFiles: [{ paymentFile: 'VBA', count: 1, totalAmount: 2_055_000 }] });

      const file = await maker.get(`/v1/payroll-runs/${run.body.runId}/payment-files/VBA`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toContain('text/csv');
      expect(file.text.split('\r\n')[1]).toContain('7700205123456,BUI TRUNG TAI');

      const listed = await maker.get(`/v1/disbursements?beneficiaryId=${beneficiaryId}&period=2024-04`, { 'x-min-position': sent.body.position });
      expect(listed.body.items).toEqual([
        expect.objectContaining({ program: 'MERITORIOUS', period: '2024-04', amount: 2_055_000, channel: 'BANK', status: 'SENT', dueDate: '2024-04-10', arrears: false }),
      ]);
      const { disbursementId } = listed.body.items[0];

      const paid = await maker.post(`/v1/disbursements/${disbursementId}/settle`, { providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ status: 'PAID', daysLate: 0, position: expect.any(String) });

      const duplicate = await maker.post(`/v1/disbursements/${disbursementId}/settle`, { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: 1 });
      expect(duplicate.status).toBe(409);
      expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
      expect(duplicate.body).toMatchObject({ status: 409, code: 'DUPLICATE_PAYMENT' });

      const rerun = await maker.post('/v1/payroll-runs', { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
      expect(rerun.body).toMatchObject({ scheduled: 0, alreadyScheduled: 1 });
    });
  });

  describe('when 30 settlements of one disbursement race under different references and keys', () => {
    it('pays it exactly once and refuses the other 29 with 409', async () => {
      const { body } = await maker.post('/v1/beneficiaries', enrollment(2, { effectiveFrom: '2024-05' }));
      const run = await maker.post('/v1/payroll-runs', { period: '2024-05', unitCode: '899' });
      await checker.post(`/v1/payroll-runs/${run.body.runId}/approve`);
      const sent = await maker.post(`/v1/payroll-runs/${run.body.runId}/send`);
      const [disbursement] = (await maker.get(`/v1/disbursements?beneficiaryId=${body.beneficiaryId}&period=2024-05`, { 'x-min-position': sent.body.position })).body.items;

      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          maker.post(`/v1/disbursements/${disbursement.disbursementId}/settle`, { providerReference: `FT-RACE-${n}`, paidAt: '2024-05-06T10:00:00+07:00', amount: 2_055_000 }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
      const paid = responses.find((response) => response.status === 200)!;
      expect((await maker.get(`/v1/disbursements/${disbursement.disbursementId}`, { 'x-min-position': paid.body.position })).body).toMatchObject({ status: 'PAID' });
    });
  });

  describe('when 30 enrollments of one person race', () => {
    it('enrolls them exactly once', async () => {
      const responses = await Promise.all(Array.from({ length: 30 }, () => maker.post('/v1/beneficiaries', enrollment(3))));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
      expect(responses.find((r) => r.status === 409)!.body).toMatchObject({ code: 'ALREADY_ENROLLED' });
    });
  });

  describe('when a request is retried with its idempotency key', () => {
    it('returns the first response again, and 409 for the same key with another body', async () => {
      const key = randomUUID();
      const first = await maker.post('/v1/beneficiaries', enrollment(4), key);
      const again = await maker.post('/v1/beneficiaries', enrollment(4), key);
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      const other = await maker.post('/v1/beneficiaries', enrollment(5), key);
      expect(other.status).toBe(409);
    });
  });

  describe('when input is bad', () => {
    it('answers 400 with every field error and writes nothing', async () => {
      const response = await maker.post('/v1/beneficiaries', { ...enrollment(6), nationalId: 12, coefficient: 'x', extra: true });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['coefficient', 'extra', 'nationalId']);
    });

    it('answers 400 for a national id that disagrees with the birth year', async () => {
      const response = await maker.post('/v1/beneficiaries', enrollment(7, { dateOfBirth: '1961-03-14' }));
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('nationalId');
      expect(response.text).not.toContain(enrollment(7).nationalId);
    });

    it('answers 404 for an unknown beneficiary and 403 outside the operator unit', async () => {
      const ghost = '6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f';
      expect((await maker.post(`/v1/beneficiaries/${ghost}/relocate`, { unitCode: '899' })).status).toBe(404);
      const outsider = await actor(ledger, 'operator', ['900']);
      expect((await outsider.post('/v1/beneficiaries', enrollment(8))).status).toBe(403);
      const auditor = await actor(ledger, 'auditor');
      expect((await auditor.post('/v1/beneficiaries', enrollment(8))).status).toBe(403);
      expect((await ledger.request('POST', '/v1/beneficiaries', { body: enrollment(8) })).status).toBe(401);
    });
  });
});
