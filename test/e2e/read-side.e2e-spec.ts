import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enrollment } from './support/ledger-flow.js';

describe('read side over HTTP', () => {
  let ledger: TestLedger;
  let maker: Awaited<ReturnType<typeof actor>>;
  let checker: Awaited<ReturnType<typeof actor>>;
  let reporter: Awaited<ReturnType<typeof actor>>;
  let beneficiaryId: string;
  let position: string;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'maker');
    checker = await actor(ledger, 'operator', ['91'], 'checker');
    reporter = await actor(ledger, 'reporter');
    beneficiaryId = (await maker.post('/v1/beneficiaries', enrollment(11, { effectiveFrom: '2024-02' }))).body.beneficiaryId;
    await maker.post(`/v1/beneficiaries/${beneficiaryId}/accounts`, { bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' });
    await maker.post('/v1/beneficiaries', enrollment(12, { fullName: 'Đặng Thị Ánh', gender: 'FEMALE', nationalId: '091152000012', effectiveFrom: '2024-04', program: 'SOCIAL_ASSISTANCE' }));
    const run = await maker.post('/v1/payroll-runs', { period: '2024-04', unitCode: '899' });
    expect(run.body).toMatchObject({ scheduled: 4, arrears: 2 });
    await checker.post(`/v1/payroll-runs/${run.body.runId}/approve`);
    position = (await maker.post(`/v1/payroll-runs/${run.body.runId}/send`)).body.position;
  });
  afterAll(() => ledger.close());

  it("shows a command's effect to the next query that sends its position", async () => {
    const response = await maker.get(`/v1/disbursements?beneficiaryId=${beneficiaryId}`, { 'x-min-position': position });
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { period: string; arrears: boolean; status: string }) => [item.period, item.arrears, item.status]).sort()).toEqual([
      ['2024-02', true, 'SENT'],
      ['2024-03', true, 'SENT'],
      ['2024-04', false, 'SENT'],
    ]);
  });

  it('answers 503 with Retry-After when the read models cannot reach the position in time', async () => {
    const response = await maker.get('/v1/disbursements', { 'x-min-position': '999999999' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  }, 10_000);

  it('refuses an X-Min-Position beyond a 64-bit position with a 400 naming it, rather than waiting for it', async () => {
    for (const position of ['9223372036854775808', '9999999999999999999']) {
      const response = await maker.get('/v1/disbursements', { 'x-min-position': position });
      expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 400, errors: [{ field: 'X-Min-Position', message: expect.any(String) }] });
    }
    expect((await maker.get('/v1/disbursements', { 'x-min-position': '0' })).status).toBe(200);
  });

  it('pages lists with a cursor and filters by unit, program and status', async () => {
    const first = await checker.get('/v1/disbursements?unitCode=899&limit=2', { 'x-min-position': position });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await checker.get(`/v1/disbursements?unitCode=899&limit=2&cursor=${first.body.next}`);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.next).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((item: { disbursementId: string }) => item.disbursementId);
    expect(new Set(ids).size).toBe(4);
    expect((await checker.get('/v1/disbursements?program=SOCIAL_ASSISTANCE')).body.items).toHaveLength(1);
    expect((await checker.get('/v1/beneficiaries?program=MERITORIOUS&status=ACTIVE')).body.items).toHaveLength(1);
    expect((await checker.get('/v1/disbursements?unitCode=900')).body.items).toHaveLength(0);
  });

  it('lets an operator read only within their units', async () => {
    const outsider = await actor(ledger, 'operator', ['900']);
    expect((await outsider.get('/v1/disbursements')).body.items).toHaveLength(0);
    // Out of scope answers as unknown: the refusal does not say the person exists elsewhere.
    expect((await outsider.get(`/v1/beneficiaries/${beneficiaryId}`)).status).toBe(404);
    expect((await outsider.get('/v1/disbursements?unitCode=899')).status).toBe(403);
  });

  it('masks national ids and account numbers for reporters only', async () => {
    const forReporter = (await reporter.get(`/v1/beneficiaries/${beneficiaryId}`)).body;
    expect(forReporter.nationalId).toBe('091******011');
    expect(forReporter.accounts[0].accountNumber).toBe('*********3456');
    const forOperator = (await maker.get(`/v1/beneficiaries/${beneficiaryId}`)).body;
    expect(forOperator.nationalId).toBe('091052000011');
    expect(forOperator.channel).toBe('BANK');
  });

  it('reports coverage, the monthly summary and late payments as JSON and as CSV', async () => {
    const coverage = (await reporter.get('/v1/reports/coverage?unitCode=899')).body.items;
    expect(coverage).toEqual([
      expect.objectContaining({ unitCode: '899', program: 'MERITORIOUS', activeBeneficiaries: 1, verifiedAccounts: 1 }),
      expect.objectContaining({ unitCode: '899', program: 'SOCIAL_ASSISTANCE', activeBeneficiaries: 1, verifiedAccounts: 0 }),
    ]);
    const summary = (await reporter.get('/v1/reports/summary?period=2024-04')).body.items;
    expect(summary).toEqual([
      expect.objectContaining({ period: '2024-04', program: 'MERITORIOUS', channel: 'BANK', count: 1, totalAmount: 2_055_000 }),
      expect.objectContaining({ period: '2024-04', program: 'SOCIAL_ASSISTANCE', channel: 'CASH', count: 1, totalAmount: 360_000 }),
    ]);
    const late = await reporter.get('/v1/reports/late-payments?unitCode=899');
    expect(late.body.items.length).toBe(4); // sent in 2024 for months long past due: all unpaid and late
    const csv = await reporter.get('/v1/reports/summary?period=2024-04', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('period,program,unitCode,channel,count,totalAmount');
    expect(csv.text).toContain('2024-04,MERITORIOUS,899,BANK,1,2055000');
  });

  it('keeps reports from operators', async () => {
    expect((await maker.get('/v1/reports/coverage')).status).toBe(403);
  });

  it('exports projection lag at /metrics and readiness at /health/ready', async () => {
    const metrics = await ledger.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/ledger_projection_lag_events \d+/);
    expect(metrics.text).toMatch(/ledger_read_models_checkpoint_position \d+/);
    expect(metrics.text).not.toContain('091052000011');
    expect((await ledger.request('GET', '/health/ready')).status).toBe(200);
  });
});
