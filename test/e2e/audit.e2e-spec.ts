import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enroll, expectStatus, headPosition, openAccount, runPayroll, disbursementOf, type LedgerActor } from './support/ledger-flow.js';

describe('the audit trail over HTTP', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let auditor: LedgerActor;
  let admin: LedgerActor;
  let beneficiaryId: string;
  let disbursementId: string;
  let runId: string;
  let enrolledAt: string;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'audit-maker');
    checker = await actor(ledger, 'operator', ['899'], 'audit-checker');
    auditor = await actor(ledger, 'auditor');
    admin = await actor(ledger, 'admin');
    beneficiaryId = await enroll(maker, 1, { effectiveFrom: '2024-04' });
    enrolledAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await openAccount(maker, beneficiaryId);
    ({ runId } = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' }));
    disbursementId = (await disbursementOf(maker, beneficiaryId, '2024-04')).disbursementId;
    expectStatus(await maker.post(`/v1/disbursements/${disbursementId}/settle`, { providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 }), 200);
  });
  afterAll(() => ledger.close());

  describe('the history of one stream', () => {
    it("lists a beneficiary's events with their metadata, by the beneficiary id alone", async () => {
      const response = await auditor.get(`/v1/audit/streams/${beneficiaryId}`);
      expectStatus(response, 200);
      expect(response.body.streamName).toBe(`beneficiary-${beneficiaryId}`);
      expect(response.body.items.map((event: { type: string }) => event.type)).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted', 'PaymentAccountOpened']);
      expect(response.body.items[0]).toEqual({
        position: expect.stringMatching(/^\d+$/),
        streamName: `beneficiary-${beneficiaryId}`,
        streamRevision: 0,
        eventId: expect.any(String),
        type: 'BeneficiaryRegistered',
        schemaVersion: 1,
        recordedAt: expect.stringMatching(/Z$/),
        data: expect.objectContaining({ beneficiaryId, unitCode: '899' }),
        metadata: expect.objectContaining({ actorId: 'audit-maker', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: expect.any(String) }),
      });
      expect(response.body.next).toBeNull();
    });

    it('pages by revision', async () => {
      const first = await auditor.get(`/v1/audit/streams/${beneficiaryId}?limit=2`);
      expect(first.body.items.map((event: { streamRevision: number }) => event.streamRevision)).toEqual([0, 1]);
      expect(first.body.next).toBe('2');
      const second = await auditor.get(`/v1/audit/streams/${beneficiaryId}?limit=2&cursor=${first.body.next}`);
      expect(second.body.items.map((event: { type: string }) => event.type)).toEqual(['PaymentAccountOpened']);
      expect(second.body.next).toBeNull();
    });

    it('finds disbursement and payroll-run streams by their ids too', async () => {
      const disbursement = await auditor.get(`/v1/audit/streams/${disbursementId}`);
      expect(disbursement.body.items.map((event: { type: string }) => event.type)).toEqual(['DisbursementScheduled', 'DisbursementSent', 'DisbursementPaid']);
      const run = await auditor.get(`/v1/audit/streams/${runId}`);
      expect(run.body.streamName).toBe(`payroll-run-${runId}`);
      expect(run.body.items[0].type).toBe('PayrollRunCreated');
    });

    it('answers 404 for an id that names no stream, 400 for one that is not an id', async () => {
      expect((await auditor.get(`/v1/audit/streams/${randomUUID()}`)).body).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND' });
      expect((await auditor.get('/v1/audit/streams/091052000001')).status).toBe(400);
    });
  });

  describe('the whole log', () => {
    it('pages by position, with a cursor to continue after, up to the head', async () => {
      const head = await headPosition(ledger);
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<LedgerActor['get']>> = await auditor.get(`/v1/audit/log?limit=7${after ? `&after=${after}` : ''}`);
        expectStatus(page, 200);
        seen.push(...page.body.items.map((event: { position: string }) => event.position));
        after = page.body.next;
      } while (after);
      expect(seen.at(-1)).toBe(head.toString());
      expect(seen.map(BigInt)).toEqual([...seen.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('refuses a cursor that is not a position', async () => {
      expect((await auditor.get('/v1/audit/log?after=abc')).status).toBe(400);
    });
  });

  describe('a beneficiary as of an instant', () => {
    it('shows what was known then: enrolled, no account yet, nothing paid', async () => {
      const response = await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(enrolledAt)}`);
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ asOf: enrolledAt, beneficiary: { beneficiaryId, channel: 'CASH' }, enrollments: [{ program: 'MERITORIOUS', status: 'ACTIVE' }], accounts: [], payments: [] });
    });

    it('shows the payment paid as of now', async () => {
      const response = await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`);
      expect(response.body.payments).toEqual([expect.objectContaining({ disbursementId, status: 'PAID', amount: 2_055_000, paidAt: '2024-04-05T02:30:00.000Z' })]);
      expect(response.body.accounts).toEqual([expect.objectContaining({ status: 'VERIFIED', paymentAccount: true })]);
    });

    it('refuses a missing or unreadable instant, and answers 404 before the first enrollment', async () => {
      expect((await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}`)).status).toBe(400);
      expect((await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=yesterday`)).status).toBe(400);
      expect((await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=2000-01-01T00:00:00Z`)).body).toMatchObject({ status: 404, code: 'BENEFICIARY_NOT_YET_RECORDED' });
    });
  });

  describe('digests and their verification', () => {
    it('signs the head of the chain, once the read models have reached a given position', async () => {
      const head = await headPosition(ledger);
      const response = await auditor.get('/v1/audit/digest', { 'x-min-position': head.toString() });
      expectStatus(response, 200);
      expect(response.body).toEqual({
        position: head.toString(),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        signature: expect.stringMatching(/^[A-Za-z0-9+/]+={0,2}$/),
        publicKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
        algorithm: 'ledger-audit-chain-v1/sha256/ed25519',
      });
    });

    it('verifies a digest, and a later one as extending it, in either form', async () => {
      const earlier = (await auditor.getFresh('/v1/audit/digest')).body;
      expect((await auditor.post('/v1/audit/verify', earlier)).body).toMatchObject({ ok: true, position: earlier.position });

      await enroll(maker, 2);
      const later = (await auditor.getFresh('/v1/audit/digest')).body;
      expect(BigInt(later.position)).toBeGreaterThan(BigInt(earlier.position));
      expect((await auditor.post('/v1/audit/verify', { ...later, earlier })).body).toMatchObject({ ok: true, extends: true, position: later.position });
      const asArray = await admin.post('/v1/audit/verify', { digests: [earlier, later] });
      expectStatus(asArray, 200);
      expect(asArray.body).toMatchObject({ ok: true, extends: true });
    });

    it('refuses a digest whose hash or position was changed after signing', async () => {
      const digest = (await auditor.getFresh('/v1/audit/digest')).body;
      expect((await auditor.post('/v1/audit/verify', { ...digest, hash: 'f'.repeat(64) })).body).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
    });

    it('refuses a malformed digest with a problem listing each field', async () => {
      const response = await auditor.post('/v1/audit/verify', { position: 'x', hash: 'abc', signature: '!', extra: 1 });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['extra', 'hash', 'position', 'signature']);
      expect((await auditor.post('/v1/audit/verify', { digests: [{ position: '1' }] })).body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'digests[0].hash' })]));
    });
  });

  describe('the replay check', () => {
    it('finds the live read models equal to a replay of the log', async () => {
      const head = await headPosition(ledger);
      const response = await auditor.post('/v1/audit/replay-check', {}, null, { 'x-min-position': head.toString() });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ differences: [], truncated: false });
      expect(BigInt(response.body.checkedPosition)).toBeGreaterThanOrEqual(0n);
    });
  });

  describe('who may read it', () => {
    const routes = (): Array<[method: 'GET' | 'POST', path: string]> => [
      ['GET', `/v1/audit/streams/${beneficiaryId}`],
      ['GET', '/v1/audit/log'],
      ['GET', `/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`],
      ['GET', '/v1/audit/digest'],
      ['POST', '/v1/audit/verify'],
      ['POST', '/v1/audit/replay-check'],
    ];

    it('lets auditors and admins in', async () => {
      const digest = (await auditor.get('/v1/audit/digest')).body;
      for (const caller of [auditor, admin]) {
        for (const [method, path] of routes()) {
          const response = method === 'GET' ? await caller.get(path) : await caller.post(path, path.endsWith('verify') ? digest : {});
          expect({ method, path, status: response.status }).toEqual({ method, path, status: 200 });
        }
      }
    });

    it('keeps operators and reporters out with a 403, and anyone without a token with a 401', async () => {
      const operator = await actor(ledger, 'operator', ['*']);
      const reporter = await actor(ledger, 'reporter');
      for (const [method, path] of routes()) {
        for (const caller of [operator, reporter]) {
          const response = method === 'GET' ? await caller.get(path) : await caller.post(path, {});
          expect({ method, path, status: response.status, code: response.body?.code }).toEqual({ method, path, status: 403, code: 'ROLE_NOT_ALLOWED' });
        }
        expect((await ledger.request(method, path, method === 'POST' ? { body: {} } : {})).status).toBe(401);
      }
    });
  });
});
