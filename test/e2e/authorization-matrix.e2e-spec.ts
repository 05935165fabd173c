import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestResponse } from './support/ledger-app.js';
import {
  actor,
  disbursementOf,
  enroll,
  enrollment,
  expectStatus,
  headPosition,
  openAccount,
  runPayroll,
  schedulePayroll,
  type LedgerActor,
} from './support/ledger-flow.js';
import { routeShape, servedRoutes } from './support/served-routes.js';

type Role = 'operator' | 'auditor' | 'reporter' | 'admin';
const ROLES: readonly Role[] = ['operator', 'auditor', 'reporter', 'admin'];

/**
 * public: no token needed. allowed: the role may call it on any record. forbidden: 403 whatever the
 * record. scoped: an operator may call it on records of the units they work in, and is kept out of
 * the others' (refused with a 403, or — for a list — not shown them).
 */
type Access = 'public' | 'allowed' | 'scoped' | 'forbidden';
type AccessRow = Readonly<Record<Role, Access>>;

const PUBLIC: AccessRow = { operator: 'public', auditor: 'public', reporter: 'public', admin: 'public' };

/**
 * Who may call each route the server answers (SPEC 5 and 6): operators act and read only within
 * their units; auditors read everything and change nothing; reporters read reports and lists
 * (masked); admins do all; probes, metrics and the OpenAPI document are public. A served route missing here, or a
 * route named here that is not served, fails this suite.
 */
const ACCESS: Readonly<Record<string, AccessRow>> = {
  'GET /docs-json': PUBLIC,
  'GET /docs-yaml': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,

  // SPEC 5's table opens the lists and their single records to every role, operators scoped.
  'GET /v1/beneficiaries': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/beneficiaries/{beneficiaryId}': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'POST /v1/beneficiaries': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/relocate': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/correct-termination': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/revoke-termination': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/accounts': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },

  'POST /v1/payroll-runs': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/payroll-runs/{runId}/approve': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/payroll-runs/{runId}/reject': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/payroll-runs/{runId}/send': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'GET /v1/payroll-runs/{runId}': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/payroll-runs/{runId}/payment-files/{paymentFile}': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },

  'POST /v1/disbursements/{disbursementId}/settle': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/fail': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/return': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/reschedule': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/settlements': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'GET /v1/disbursements': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/disbursements/{disbursementId}': { operator: 'scoped', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },

  'GET /v1/reports/coverage': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/reports/summary': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/reports/late-payments': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/reports/duplicate-attempts': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },
  'GET /v1/reports/overpayments': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'allowed' },

  'GET /v1/audit/streams/{id}': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/log': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/beneficiaries/{beneficiaryId}': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/digest': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'POST /v1/audit/verify': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'POST /v1/audit/replay-check': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
};

/** Every route SPEC 5 promises, parameters unnamed. */
const SPEC_ROUTES = [
  'POST /v1/beneficiaries',
  'POST /v1/beneficiaries/{}/enrollments/{}/suspend',
  'POST /v1/beneficiaries/{}/enrollments/{}/resume',
  'POST /v1/beneficiaries/{}/enrollments/{}/terminate',
  'POST /v1/beneficiaries/{}/relocate',
  'POST /v1/beneficiaries/{}/enrollments/{}/correct-termination',
  'POST /v1/beneficiaries/{}/enrollments/{}/revoke-termination',
  'POST /v1/beneficiaries/{}/accounts',
  'POST /v1/beneficiaries/{}/accounts/{}/verify',
  'POST /v1/beneficiaries/{}/accounts/{}/close',
  'POST /v1/payroll-runs',
  'POST /v1/payroll-runs/{}/approve',
  'POST /v1/payroll-runs/{}/reject',
  'POST /v1/payroll-runs/{}/send',
  'GET /v1/payroll-runs/{}',
  'GET /v1/payroll-runs/{}/payment-files/{}',
  'POST /v1/disbursements/{}/settle',
  'POST /v1/disbursements/{}/fail',
  'POST /v1/disbursements/{}/return',
  'POST /v1/disbursements/{}/reschedule',
  'POST /v1/settlements',
  'GET /v1/beneficiaries',
  'GET /v1/beneficiaries/{}',
  'GET /v1/disbursements',
  'GET /v1/disbursements/{}',
  'GET /v1/reports/coverage',
  'GET /v1/reports/summary',
  'GET /v1/reports/late-payments',
  'GET /v1/reports/duplicate-attempts',
  'GET /v1/reports/overpayments',
  'GET /v1/audit/streams/{}',
  'GET /v1/audit/log',
  'GET /v1/audit/beneficiaries/{}',
  'GET /v1/audit/digest',
  'POST /v1/audit/verify',
  'POST /v1/audit/replay-check',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
];


/** Records of unit 899, made once: each route that changes something gets records of its own. */
interface Fixtures {
  /** April disbursements, SENT by a run of unit 899 (the one to reschedule has FAILED since). */
  readonly disbursements: { settle: string; fail: string; return: string; reschedule: string; batch: string; read: string; duplicate: string; overpaid: string };
  readonly readerBeneficiaryId: string;
  readonly sentRunId: string;
  readonly scheduledRunId: string;
  readonly approvedRunId: string;
  readonly runToReject: string;
  readonly beneficiaries: { suspend: string; resume: string; terminate: string; correct: string; revoke: string; relocate: string; openAccount: string; verify: string; close: string };
  readonly accounts: { verify: string; close: string };
  /** A digest of the chain taken after the records above were made, for the verify route. */
  readonly digest: Record<string, unknown>;
}

/**
 * How an operator of another unit is kept away from a unit-899 record: refused with a 403 (the
 * default), answered a list that does not show it, or — in a settlement batch — refused per item.
 */
type OutOfScope = 'refused' | 'not-listed' | 'refused-per-item';

interface RouteRequest {
  readonly path: string;
  readonly body?: unknown;
  readonly outOfScope?: OutOfScope;
  /** For a list or report: does the answer show the unit-899 record it was aimed at? */
  readonly shows?: (response: TestResponse) => boolean;
}

const reason = { reason: 'Decision 45/QĐ-UBND of the district office' };
const aprilSettlement = (providerReference: string) => ({ providerReference, paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 });
const items = (response: TestResponse): Array<Record<string, unknown>> => response.body?.items ?? [];
const listsDisbursement = (disbursementId: string) => (response: TestResponse) => items(response).some((item) => item.disbursementId === disbursementId);

/** A realistic request for each route, aimed at unit 899's records. */
const REQUESTS: Readonly<Record<string, (f: Fixtures) => RouteRequest>> = {
  'GET /docs-json': () => ({ path: '/docs-json' }),
  'GET /docs-yaml': () => ({ path: '/docs-yaml' }),
  'GET /health/live': () => ({ path: '/health/live' }),
  'GET /health/ready': () => ({ path: '/health/ready' }),
  'GET /metrics': () => ({ path: '/metrics' }),

  'GET /v1/beneficiaries': (f) => ({
    path: '/v1/beneficiaries?unitCode=899&program=MERITORIOUS&status=ACTIVE&limit=100',
    shows: (response) => items(response).some((item) => item.beneficiaryId === f.readerBeneficiaryId),
  }),
  'GET /v1/beneficiaries/{beneficiaryId}': (f) => ({ path: `/v1/beneficiaries/${f.readerBeneficiaryId}` }),

  'POST /v1/beneficiaries': () => ({ path: '/v1/beneficiaries', body: enrollment(500) }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.suspend}/enrollments/MERITORIOUS/suspend`,
    body: { reason: 'Hospitalised abroad', effectiveFrom: '2024-07' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.resume}/enrollments/MERITORIOUS/resume`,
    body: { effectiveFrom: '2024-09' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.terminate}/enrollments/MERITORIOUS/terminate`,
    body: { reason: 'DECEASED', effectiveDate: '2024-08-20' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/correct-termination': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.correct}/enrollments/MERITORIOUS/correct-termination`,
    body: { effectiveDate: '2024-09-20', reason: 'Date misread from the death certificate' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/revoke-termination': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.revoke}/enrollments/MERITORIOUS/revoke-termination`,
    body: { reason: 'A namesake died, not this beneficiary' },
  }),
  // A relocation needs an operator of both units: the in-scope operator works in 899 and 902.
  'POST /v1/beneficiaries/{beneficiaryId}/relocate': (f) => ({ path: `/v1/beneficiaries/${f.beneficiaries.relocate}/relocate`, body: { unitCode: '902' } }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.openAccount}/accounts`,
    body: { bankCode: 'VBA', accountNumber: '7700205999001', holderName: 'BUI TRUNG TAI', openedOn: '2024-05-02' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.verify}/accounts/${f.accounts.verify}/verify`,
    body: { reason: 'Holder name checked against the citizen id card' },
  }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close': (f) => ({
    path: `/v1/beneficiaries/${f.beneficiaries.close}/accounts/${f.accounts.close}/close`,
    body: { reason: 'Closed at the holder’s request' },
  }),

  'POST /v1/payroll-runs': () => ({ path: '/v1/payroll-runs', body: { period: '2024-06', program: 'MERITORIOUS', unitCode: '899' } }),
  'POST /v1/payroll-runs/{runId}/approve': (f) => ({ path: `/v1/payroll-runs/${f.scheduledRunId}/approve` }),
  'POST /v1/payroll-runs/{runId}/reject': (f) => ({ path: `/v1/payroll-runs/${f.runToReject}/reject`, body: { reason: 'The unit list is not signed yet' } }),
  'POST /v1/payroll-runs/{runId}/send': (f) => ({ path: `/v1/payroll-runs/${f.approvedRunId}/send` }),
  'GET /v1/payroll-runs/{runId}': (f) => ({ path: `/v1/payroll-runs/${f.sentRunId}` }),
  'GET /v1/payroll-runs/{runId}/payment-files/{paymentFile}': (f) => ({ path: `/v1/payroll-runs/${f.sentRunId}/payment-files/POST_OFFICE` }),

  'POST /v1/disbursements/{disbursementId}/settle': (f) => ({ path: `/v1/disbursements/${f.disbursements.settle}/settle`, body: aprilSettlement('FT24096000501') }),
  'POST /v1/disbursements/{disbursementId}/fail': (f) => ({ path: `/v1/disbursements/${f.disbursements.fail}/fail`, body: { reason: 'Account frozen by the bank' } }),
  'POST /v1/disbursements/{disbursementId}/return': (f) => ({ path: `/v1/disbursements/${f.disbursements.return}/return`, body: { reason: 'Not collected at the pay point' } }),
  'POST /v1/disbursements/{disbursementId}/reschedule': (f) => ({ path: `/v1/disbursements/${f.disbursements.reschedule}/reschedule`, body: reason }),
  'POST /v1/settlements': (f) => ({
    path: '/v1/settlements',
    body: { items: [{ disbursementId: f.disbursements.batch, ...aprilSettlement('PO24096000502') }] },
    outOfScope: 'refused-per-item',
  }),
  'GET /v1/disbursements': (f) => ({
    path: `/v1/disbursements?beneficiaryId=${f.readerBeneficiaryId}&period=2024-04`,
    outOfScope: 'not-listed',
    shows: listsDisbursement(f.disbursements.read),
  }),
  'GET /v1/disbursements/{disbursementId}': (f) => ({ path: `/v1/disbursements/${f.disbursements.read}` }),

  'GET /v1/reports/coverage': () => ({ path: '/v1/reports/coverage?unitCode=899', shows: (response) => items(response).some((item) => item.unitCode === '899') }),
  'GET /v1/reports/summary': () => ({ path: '/v1/reports/summary?period=2024-04&unitCode=899', shows: (response) => items(response).some((item) => item.unitCode === '899') }),
  'GET /v1/reports/late-payments': (f) => ({ path: '/v1/reports/late-payments?period=2024-04&unitCode=899', shows: listsDisbursement(f.disbursements.read) }),
  'GET /v1/reports/duplicate-attempts': (f) => ({ path: '/v1/reports/duplicate-attempts?unitCode=899', shows: listsDisbursement(f.disbursements.duplicate) }),
  'GET /v1/reports/overpayments': (f) => ({ path: '/v1/reports/overpayments?unitCode=899', shows: listsDisbursement(f.disbursements.overpaid) }),

  'GET /v1/audit/streams/{id}': (f) => ({ path: `/v1/audit/streams/${f.disbursements.read}`, shows: (response) => items(response).some((event) => event.type === 'DisbursementScheduled') }),
  'GET /v1/audit/log': () => ({ path: '/v1/audit/log?limit=50', shows: (response) => items(response).length === 50 }),
  'GET /v1/audit/beneficiaries/{beneficiaryId}': (f) => ({
    path: `/v1/audit/beneficiaries/${f.readerBeneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`,
    shows: (response) => response.body?.beneficiary?.beneficiaryId === f.readerBeneficiaryId,
  }),
  'GET /v1/audit/digest': () => ({ path: '/v1/audit/digest', shows: (response) => /^[0-9a-f]{64}$/.test(response.body?.hash) }),
  'POST /v1/audit/verify': (f) => ({ path: '/v1/audit/verify', body: f.digest, shows: (response) => response.body?.ok === true }),
  'POST /v1/audit/replay-check': () => ({ path: '/v1/audit/replay-check', shows: (response) => Array.isArray(response.body?.differences) && response.body.differences.length === 0 }),
};

async function seed(maker: LedgerActor, checker: LedgerActor): Promise<Omit<Fixtures, 'digest'>> {
  let person = 0;
  const payee = async (paidBy: 'BANK' | 'CASH', effectiveFrom = '2024-04') => {
    const beneficiaryId = await enroll(maker, ++person, { effectiveFrom });
    if (paidBy === 'BANK') await openAccount(maker, beneficiaryId);
    return beneficiaryId;
  };
  const payees = {
    settle: await payee('BANK'),
    fail: await payee('BANK'),
    reschedule: await payee('BANK'),
    return: await payee('CASH'),
    batch: await payee('CASH'),
    read: await payee('CASH'),
    duplicate: await payee('CASH'),
    overpaid: await payee('CASH', '2024-03'), // March comes as arrears
  };
  const sent = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
  expect(sent.sent).toMatchObject({ status: 'SENT', sent: 9 });
  const aprilOf = async (beneficiaryId: string) => (await disbursementOf(maker, beneficiaryId, '2024-04')).disbursementId as string;
  const disbursements = {
    settle: await aprilOf(payees.settle),
    fail: await aprilOf(payees.fail),
    return: await aprilOf(payees.return),
    reschedule: await aprilOf(payees.reschedule),
    batch: await aprilOf(payees.batch),
    read: await aprilOf(payees.read),
    duplicate: await aprilOf(payees.duplicate),
    overpaid: await aprilOf(payees.overpaid),
  };
  expectStatus(await maker.post(`/v1/disbursements/${disbursements.reschedule}/fail`, { reason: 'Account frozen by the bank' }), 200);
  // For the reports: a duplicate payment attempt, and an overpayment left by a back-dated termination.
  expectStatus(await maker.post(`/v1/disbursements/${disbursements.duplicate}/settle`, aprilSettlement('PO24096000601')), 200);
  expectStatus(await maker.post(`/v1/disbursements/${disbursements.duplicate}/settle`, aprilSettlement('PO24096000602')), 409);
  expectStatus(await maker.post(`/v1/disbursements/${disbursements.overpaid}/settle`, aprilSettlement('PO24096000603')), 200);
  const termination = await maker.post(`/v1/beneficiaries/${payees.overpaid}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-03-28' });
  expect(termination.body).toMatchObject({ overpayments: 1 });

  const scheduled = await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '899' });
  await enroll(maker, ++person, { program: 'SOCIAL_ASSISTANCE', effectiveFrom: '2024-05' });
  const approved = await schedulePayroll(maker, { period: '2024-05', program: 'SOCIAL_ASSISTANCE', unitCode: '899' });
  expectStatus(await checker.post(`/v1/payroll-runs/${approved.runId}/approve`), 200);
  const toReject = await schedulePayroll(maker, { period: '2024-06', program: 'SOCIAL_ASSISTANCE', unitCode: '899' });

  const enrolledInJune = () => enroll(maker, ++person, { effectiveFrom: '2024-06' });
  const beneficiaries = {
    suspend: await enrolledInJune(),
    resume: await enrolledInJune(),
    terminate: await enrolledInJune(),
    correct: await enrolledInJune(),
    revoke: await enrolledInJune(),
    relocate: await enrolledInJune(),
    openAccount: await enrolledInJune(),
    verify: await enrolledInJune(),
    close: await enrolledInJune(),
  };
  expectStatus(await maker.post(`/v1/beneficiaries/${beneficiaries.resume}/enrollments/MERITORIOUS/suspend`, { reason: 'Hospitalised abroad', effectiveFrom: '2024-07' }), 200);
  for (const terminated of [beneficiaries.correct, beneficiaries.revoke]) {
    expectStatus(await maker.post(`/v1/beneficiaries/${terminated}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-08-20' }), 200);
  }
  const unverified = await openAccount(maker, beneficiaries.verify, { holderName: 'BUI TRUNG TAM' });
  expect(unverified.status).toBe('UNVERIFIED');
  const verified = await openAccount(maker, beneficiaries.close);
  expect(verified.status).toBe('VERIFIED');

  return {
    disbursements,
    readerBeneficiaryId: payees.read,
    sentRunId: sent.runId,
    scheduledRunId: scheduled.runId,
    approvedRunId: approved.runId,
    runToReject: toReject.runId,
    beneficiaries,
    accounts: { verify: unverified.accountId, close: verified.accountId },
  };
}

// Routes come from the running server, so the tests below are generated from what it answers.
const ledger = await startTestLedger();
const SERVED = servedRoutes(ledger.app);
afterAll(() => ledger.close());

describe('authorization matrix: every served route × role × unit scope', () => {
  let fixtures: Fixtures;
  const callers = {} as Record<'auditor' | 'reporter' | 'admin' | 'inScope' | 'outOfScope', LedgerActor>;

  beforeAll(async () => {
    const maker = await actor(ledger, 'operator', ['899'], 'matrix-maker');
    const checker = await actor(ledger, 'operator', ['899'], 'matrix-checker');
    callers.auditor = await actor(ledger, 'auditor', ['*']);
    const seeded = await seed(maker, checker);
    fixtures = { ...seeded, digest: (await callers.auditor.getFresh('/v1/audit/digest')).body };
    callers.reporter = await actor(ledger, 'reporter', ['*']);
    callers.admin = await actor(ledger, 'admin', ['*']);
    callers.inScope = await actor(ledger, 'operator', ['899', '902']);
    callers.outOfScope = await actor(ledger, 'operator', ['900']);
  });

  const requestFor = (route: string) => REQUESTS[route]!(fixtures);
  const methodOf = (route: string) => route.slice(0, route.indexOf(' '));
  const send = (caller: LedgerActor, route: string) => {
    const { path, body } = requestFor(route);
    return methodOf(route) === 'GET' ? caller.getFresh(path) : caller.post(path, body ?? {});
  };
  /** Runs a request that must be refused, and checks that it appended nothing. */
  const refusedRequest = async (request: () => Promise<TestResponse>) => {
    const before = await headPosition(ledger);
    const response = await request();
    expect(await headPosition(ledger)).toBe(before);
    return response;
  };

  describe('the access table', () => {
    it('has a row for every route the server answers', () => {
      expect(SERVED.filter((route) => !(route in ACCESS))).toEqual([]);
    });

    it('names no route the server does not answer', () => {
      expect(Object.keys(ACCESS).filter((route) => !SERVED.includes(route))).toEqual([]);
    });

    it('has a request to send for every row', () => {
      expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(ACCESS).sort());
    });

    it('serves every SPEC 5 route, and no /v1 route the SPEC does not name', () => {
      const served = new Set(SERVED.map(routeShape));
      expect(SERVED.filter((route) => route.includes(' /v1/')).map(routeShape)).toEqual(SPEC_ROUTES.filter((route) => route.includes(' /v1/')).sort());
      expect(SPEC_ROUTES.filter((route) => !served.has(route))).toEqual([]);
    });
  });

  describe.each(SERVED)('%s', (route) => {
    const access = ACCESS[route];

    it('has a row in the access table', () => {
      expect(access).toBeDefined();
    });
    if (!access) return;

    if (ROLES.every((role) => access[role] === 'public')) {
      it('answers without a token, and every role', async () => {
        const { path } = requestFor(route);
        expectStatus(await ledger.request('GET', path), 200);
        for (const role of ['auditor', 'reporter', 'admin', 'inScope'] as const) expectStatus(await send(callers[role], route), 200);
      });
      return;
    }

    it('refuses a caller without a token with a 401', async () => {
      const { path, body } = requestFor(route);
      const method = methodOf(route);
      const response = await refusedRequest(() =>
        ledger.request(method, path, method === 'GET' ? {} : { body: body ?? {}, headers: { 'idempotency-key': randomUUID() } }),
      );
      expectProblem(response, 401);
      if (method === 'GET') expect((await ledger.request('HEAD', path)).status).toBe(401);
    });

    // Refusals first: nothing an allowed caller changes can then alter what a refused one sees.
    for (const role of ['auditor', 'reporter', 'admin'] as const) {
      if (access[role] === 'forbidden') {
        it(`refuses the ${role} role with a 403`, async () => {
          const response = await refusedRequest(() => send(callers[role], route));
          expectProblem(response, 403);
          expect(response.body.code).toMatch(/^(ROLE_NOT_ALLOWED|ROLE_MAY_NOT_CHANGE)$/);
        });
      }
    }
    if (access.operator === 'forbidden') {
      it('refuses an operator with a 403', async () => {
        expectProblem(await refusedRequest(() => send(callers.inScope, route)), 403);
      });
    }

    if (access.operator === 'scoped') {
      it("keeps an operator of unit 900 away from unit 899's records", async () => {
        const response = await refusedRequest(() => send(callers.outOfScope, route));
        const { outOfScope = 'refused', shows } = requestFor(route);
        switch (outOfScope) {
          case 'refused':
            expectProblem(response, 403);
            expect(response.body.code).toBe('UNIT_OUT_OF_SCOPE');
            break;
          case 'not-listed':
            expectStatus(response, 200);
            expect(shows?.(response)).toBe(false);
            break;
          case 'refused-per-item':
            expectStatus(response, 200);
            expect(response.body).toMatchObject({ settled: 0, refused: 1, items: [{ httpStatus: 403, code: 'UNIT_OUT_OF_SCOPE' }] });
            break;
        }
      });

      it("serves an operator of unit 899 on unit 899's records", async () => {
        const response = await send(callers.inScope, route);
        expectSuccess(response);
        expectOwnRecordVisible(route, response);
      });
    }
    if (access.operator === 'allowed') {
      it('lets an operator through', async () => expectLetThrough(await send(callers.inScope, route)));
    }

    for (const role of ['auditor', 'reporter', 'admin'] as const) {
      if (access[role] === 'allowed') {
        it(`lets the ${role} role through`, async () => {
          const response = await send(callers[role], route);
          expectLetThrough(response);
          if (methodOf(route) === 'GET') {
            expectStatus(response, 200);
            expectOwnRecordVisible(route, response);
          }
          if (role === 'reporter') expectMasked(response);
        });
      }
    }
  });

  /** A list or report must show an allowed reader the unit-899 record; a batch must have judged the item itself. */
  function expectOwnRecordVisible(route: string, response: TestResponse) {
    const { outOfScope, shows } = requestFor(route);
    if (shows) expect(shows(response)).toBe(true);
    if (outOfScope === 'refused-per-item') expect(response.body.items[0]).toMatchObject({ httpStatus: 200, status: 'PAID' });
  }
});

/** SPEC 6: reporters see national ids and account numbers masked, wherever they read. */
function expectMasked(response: TestResponse) {
  expect(response.text).not.toMatch(/\b091052\d{6}\b/);
  expect(response.text).not.toContain('7700205123456');
}

function expectProblem(response: TestResponse, status: 401 | 403) {
  expect({ status: response.status, contentType: response.headers.get('content-type') }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
  expect(response.body).toMatchObject({ status, type: expect.stringMatching(/^\/problems\//), title: expect.any(String), detail: expect.any(String) });
}

/** A realistic request on a fresh record, by the first caller allowed to make it, succeeds. */
function expectSuccess(response: TestResponse) {
  const verdict = response.status >= 200 && response.status < 300 ? 'success' : 'refused';
  expect({ verdict, status: response.status, body: response.body }).toEqual({ verdict: 'success', status: response.status, body: response.body });
}

/** Past authentication and authorization: whatever the ledger then decides, it is neither 401/403 nor a fault. */
function expectLetThrough(response: TestResponse) {
  const verdict = response.status === 401 || response.status === 403 ? 'kept out' : response.status >= 500 ? 'fault' : 'let through';
  expect({ verdict, status: response.status, body: response.body }).toEqual({ verdict: 'let through', status: response.status, body: response.body });
}
