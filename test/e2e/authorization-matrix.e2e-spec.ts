import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { fileImportStreamName, type IdentityCheckAnswer, type LocalDate } from '@ledger/domain';
import { identityCheckAnswersCsv, pain002StatusReport, postOfficeReturnsCsv, type PaymentResult } from '@ledger/payment-files';
import { nationalHubContext, RecordCrossProvinceFindingCommand } from '../../apps/ledger-api/src/beneficiaries/cross-province-findings.commands.js';
import { startTestLedger, type TestResponse } from './support/ledger-app.js';
import {
  actor,
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
import { routeShape, servedRoutes } from './support/served-routes.js';

type Role = 'operator' | 'auditor' | 'reporter' | 'admin';
const ROLES: readonly Role[] = ['operator', 'auditor', 'reporter', 'admin'];

/**
 * public: no token needed. allowed: the role may call it on any record. forbidden: 403 whatever the
 * record. scoped: the role may call it on records of the units of its token, and is kept out of the
 * others' — answered as if the record did not exist (404, the very answer an unknown id gets), not
 * shown them in a list, or refused with a 403 when it names the unit itself (enrolling into it,
 * scheduling its payroll, filtering a list by it).
 */
type Access = 'public' | 'allowed' | 'scoped' | 'forbidden';
type AccessRow = Readonly<Record<Role, Access>>;

const PUBLIC: AccessRow = { operator: 'public', auditor: 'public', reporter: 'public', admin: 'public' };

/**
 * Who may call each route the server answers: every role is bound by the units of
 * its token — operators act and read only within theirs; auditors read within theirs and change
 * nothing; reporters read reports and lists (masked) within theirs; admins do all; probes, metrics
 * and the OpenAPI document are public. A served route missing here, or a route named here that is
 * not served, fails this suite.
 */
const ACCESS: Readonly<Record<string, AccessRow>> = {
  'GET /docs-json': PUBLIC,
  'GET /docs-yaml': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
  // The web console's files (apps/console): public, like any web page; it calls /v1 with the user's own token.
  'GET /': PUBLIC,
  'GET /console': PUBLIC,
  // `/console/*` (every screen and file of the console), as Fastify's route tree prints it: without its last slash.
  'GET /console*': PUBLIC,
  // The names of the configured units and programs, for the console's labels: reference data, nothing personal.
  'GET /console/catalogue.json': PUBLIC,
  // Outside production only: the demo users' tokens for the console's sign-in (the banner prints the same).
  'GET /console/demo-users.json': PUBLIC,

  // The route table opens the lists, the search and single records to every role, each within its units.
  'GET /v1/beneficiaries': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/beneficiaries/{beneficiaryId}': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'POST /v1/beneficiaries/search': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
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
  'GET /v1/payroll-runs': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'GET /v1/payroll-runs/{runId}': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'GET /v1/payroll-runs/{runId}/payment-files/{paymentFile}': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },

  'POST /v1/disbursements/{disbursementId}/settle': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/fail': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/return': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/disbursements/{disbursementId}/reschedule': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/settlements': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'GET /v1/disbursements': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/disbursements/{disbursementId}': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },

  // Files back from the paying agents and the population database: operators import them, each line judged within their units.
  'POST /v1/bank-results': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/post-office-returns': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/identity-checks/results': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'GET /v1/imports': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'GET /v1/imports/{importId}': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'GET /v1/identity-checks/request-file': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'GET /v1/death-reports': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/confirm': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/reject': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },
  // The national hub's findings: recorded by the ledger's receiver of its notices, resolved by the person's unit.
  'GET /v1/cross-province-findings': { operator: 'scoped', admin: 'allowed', auditor: 'scoped', reporter: 'forbidden' },
  'POST /v1/beneficiaries/{beneficiaryId}/cross-province-findings/{findingId}/resolve': { operator: 'scoped', admin: 'allowed', auditor: 'forbidden', reporter: 'forbidden' },

  'GET /v1/reports/coverage': { operator: 'forbidden', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/reports/summary': { operator: 'forbidden', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/reports/late-payments': { operator: 'forbidden', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/reports/duplicate-attempts': { operator: 'forbidden', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },
  'GET /v1/reports/overpayments': { operator: 'forbidden', admin: 'allowed', auditor: 'scoped', reporter: 'scoped' },

  'GET /v1/audit/streams/{id}': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/log': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/beneficiaries/{beneficiaryId}': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/access-log': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'GET /v1/audit/digest': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'POST /v1/audit/verify': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
  'POST /v1/audit/replay-check': { operator: 'forbidden', admin: 'allowed', auditor: 'allowed', reporter: 'forbidden' },
};

/** Every route the contract promises (docs/interfaces.md), parameters unnamed. */
const CONTRACT_ROUTES = [
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
  'GET /v1/payroll-runs',
  'GET /v1/payroll-runs/{}',
  'GET /v1/payroll-runs/{}/payment-files/{}',
  'POST /v1/disbursements/{}/settle',
  'POST /v1/disbursements/{}/fail',
  'POST /v1/disbursements/{}/return',
  'POST /v1/disbursements/{}/reschedule',
  'POST /v1/settlements',
  'GET /v1/beneficiaries',
  'GET /v1/beneficiaries/{}',
  'POST /v1/beneficiaries/search',
  'GET /v1/disbursements',
  'GET /v1/disbursements/{}',
  'POST /v1/bank-results',
  'POST /v1/post-office-returns',
  'POST /v1/identity-checks/results',
  'GET /v1/imports',
  'GET /v1/imports/{}',
  'GET /v1/identity-checks/request-file',
  'GET /v1/death-reports',
  'POST /v1/beneficiaries/{}/death-report/confirm',
  'POST /v1/beneficiaries/{}/death-report/reject',
  'GET /v1/cross-province-findings',
  'POST /v1/beneficiaries/{}/cross-province-findings/{}/resolve',
  'GET /v1/reports/coverage',
  'GET /v1/reports/summary',
  'GET /v1/reports/late-payments',
  'GET /v1/reports/duplicate-attempts',
  'GET /v1/reports/overpayments',
  'GET /v1/audit/streams/{}',
  'GET /v1/audit/log',
  'GET /v1/audit/beneficiaries/{}',
  'GET /v1/audit/access-log',
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
  /** The reader's national id, for the search. */
  readonly readerNationalId: string;
  readonly sentRunId: string;
  readonly scheduledRunId: string;
  readonly approvedRunId: string;
  readonly runToReject: string;
  readonly beneficiaries: { suspend: string; resume: string; terminate: string; correct: string; revoke: string; relocate: string; openAccount: string; verify: string; close: string };
  readonly accounts: { verify: string; close: string };
  /** Result files about April payments still SENT (one by transfer, one in cash), and population-database answers about a person. */
  readonly files: { bankResults: string; postOfficeReturns: string; identityCheckAnswers: string };
  /** Deaths reported by answers the maker imported, awaiting another operator: one each to confirm and reject, one left on the list. */
  readonly deathReports: { confirm: string; reject: string; listed: string };
  /** The maker's import of those answers. */
  readonly answersImportId: string;
  /** Findings the national hub sent about people of unit 899: one to resolve, one left on the list. */
  readonly findings: { resolve: { beneficiaryId: string; findingId: string }; listed: string };
  /** A digest of the chain taken after the records above were made, for the verify route. */
  readonly digest: Record<string, unknown>;
}

/**
 * How a caller of another unit (900) is kept away from a unit-899 record: answered as if it did not
 * exist (the default: the same 404 as the request on an unknown id), refused with a 403 because
 * the request names unit 899 itself, answered a list that does not show it, or — in a settlement
 * batch — the item answered as an unknown disbursement. A file imported by such a caller is
 * recorded as their import, but every line about a unit-899 record is OUT_OF_SCOPE and changes
 * nothing: the file may hold lines of their own units too, so it is not refused whole.
 */
type OutOfScope = 'as-unknown' | 'unit-refused' | 'not-listed' | 'unknown-per-item' | 'lines-out-of-scope';

/** A file sent as it is, for the routes that import one: the body is its bytes, not JSON. */
interface RawFile {
  readonly content: string;
  readonly contentType: string;
}

interface Sent {
  readonly path: string;
  readonly body?: unknown;
  readonly file?: RawFile;
}

interface RouteRequest extends Sent {
  readonly outOfScope?: OutOfScope;
  /** The same request on an unknown id: an out-of-scope caller must get exactly its answer. */
  readonly asUnknown?: Sent;
  /** For a list, report or search: the same request filtered by unit 899, which a caller of another unit is refused (403); null for a list that takes no unit to filter by. */
  readonly namingTheUnit?: Sent | null;
  /** For a list or report: does the answer show the unit-899 record it was aimed at? */
  readonly shows?: (response: TestResponse) => boolean;
  /** The whole log, or a replay of every read model: asked by an auditor of every unit (one of fewer units is refused, 403). */
  readonly spansEveryUnit?: true;
}

/** A version 5 UUID no record has. */
const UNKNOWN_ID = '5d41402a-bc4b-5a76-b971-9d911017c592';

/** A request on the record `id`, and the same on an unknown one. */
function onRecord(id: string, path: (id: string) => string, body?: unknown): RouteRequest {
  return { path: path(id), body, asUnknown: { path: path(UNKNOWN_ID), body } };
}

/** A list or report, and the same filtered by unit 899. */
function listed(path: string, shows: (response: TestResponse) => boolean): RouteRequest {
  return { path, outOfScope: 'not-listed', shows, namingTheUnit: { path: `${path}${path.includes('?') ? '&' : '?'}unitCode=899` } };
}

/** A file to import whose every line is about a unit-899 record: a caller of the unit has each one applied. */
function imported(path: string, content: string, contentType: string): RouteRequest {
  return { path, file: { content, contentType }, outOfScope: 'lines-out-of-scope', shows: (response) => response.body?.lineCount > 0 && response.body?.counts?.APPLIED === response.body.lineCount };
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
  'GET /': () => ({ path: '/' }),
  'GET /console': () => ({ path: '/console' }),
  'GET /console*': () => ({ path: '/console/payroll-runs' }),
  'GET /console/catalogue.json': () => ({ path: '/console/catalogue.json' }),
  'GET /console/demo-users.json': () => ({ path: '/console/demo-users.json' }),

  'GET /v1/beneficiaries': (f) => listed('/v1/beneficiaries?program=MERITORIOUS&status=ACTIVE&limit=1000', (response) => items(response).some((item) => item.beneficiaryId === f.readerBeneficiaryId)),
  'GET /v1/beneficiaries/{beneficiaryId}': (f) => onRecord(f.readerBeneficiaryId, (id) => `/v1/beneficiaries/${id}`),
  'POST /v1/beneficiaries/search': (f) => ({
    path: '/v1/beneficiaries/search',
    body: { nationalId: f.readerNationalId },
    outOfScope: 'not-listed',
    shows: (response) => items(response).some((item) => item.beneficiaryId === f.readerBeneficiaryId),
    namingTheUnit: { path: '/v1/beneficiaries/search', body: { name: 'Bùi Trung Tài', unitCode: '899' } },
  }),

  'POST /v1/beneficiaries': () => ({ path: '/v1/beneficiaries', body: enrollment(500), outOfScope: 'unit-refused' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend': (f) =>
    onRecord(f.beneficiaries.suspend, (id) => `/v1/beneficiaries/${id}/enrollments/MERITORIOUS/suspend`, { reason: 'Hospitalised abroad', effectiveFrom: '2024-07' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume': (f) =>
    onRecord(f.beneficiaries.resume, (id) => `/v1/beneficiaries/${id}/enrollments/MERITORIOUS/resume`, { effectiveFrom: '2024-09' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate': (f) =>
    onRecord(f.beneficiaries.terminate, (id) => `/v1/beneficiaries/${id}/enrollments/MERITORIOUS/terminate`, { reason: 'DECEASED', effectiveDate: '2024-08-20' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/correct-termination': (f) =>
    onRecord(f.beneficiaries.correct, (id) => `/v1/beneficiaries/${id}/enrollments/MERITORIOUS/correct-termination`, { effectiveDate: '2024-09-20', reason: 'Date misread from the death certificate' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/revoke-termination': (f) =>
    onRecord(f.beneficiaries.revoke, (id) => `/v1/beneficiaries/${id}/enrollments/MERITORIOUS/revoke-termination`, { reason: 'A namesake died, not this beneficiary' }),
  // A relocation needs an operator of both units: both operators work in 902, the in-scope one in 899 too.
  'POST /v1/beneficiaries/{beneficiaryId}/relocate': (f) => onRecord(f.beneficiaries.relocate, (id) => `/v1/beneficiaries/${id}/relocate`, { unitCode: '902' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts': (f) =>
    onRecord(f.beneficiaries.openAccount, (id) => `/v1/beneficiaries/${id}/accounts`, { bankCode: 'VBA', accountNumber: '7700205999001', holderName: 'BUI TRUNG TAI', openedOn: '2024-05-02' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify': (f) =>
    onRecord(f.beneficiaries.verify, (id) => `/v1/beneficiaries/${id}/accounts/${f.accounts.verify}/verify`, { reason: 'Holder name checked against the citizen id card' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close': (f) =>
    onRecord(f.beneficiaries.close, (id) => `/v1/beneficiaries/${id}/accounts/${f.accounts.close}/close`, { reason: 'Closed at the holder’s request' }),

  'POST /v1/payroll-runs': () => ({ path: '/v1/payroll-runs', body: { period: '2024-06', program: 'MERITORIOUS', unitCode: '899' }, outOfScope: 'unit-refused' }),
  'POST /v1/payroll-runs/{runId}/approve': (f) => onRecord(f.scheduledRunId, (id) => `/v1/payroll-runs/${id}/approve`),
  'POST /v1/payroll-runs/{runId}/reject': (f) => onRecord(f.runToReject, (id) => `/v1/payroll-runs/${id}/reject`, { reason: 'The unit list is not signed yet' }),
  'POST /v1/payroll-runs/{runId}/send': (f) => onRecord(f.approvedRunId, (id) => `/v1/payroll-runs/${id}/send`),
  'GET /v1/payroll-runs': (f) => ({
    path: '/v1/payroll-runs?period=2024-04',
    outOfScope: 'not-listed',
    shows: (response) => items(response).some((run) => run.runId === f.sentRunId),
    namingTheUnit: { path: '/v1/payroll-runs?period=2024-04&unitCode=899' },
  }),
  'GET /v1/payroll-runs/{runId}': (f) => onRecord(f.sentRunId, (id) => `/v1/payroll-runs/${id}`),
  'GET /v1/payroll-runs/{runId}/payment-files/{paymentFile}': (f) => onRecord(f.sentRunId, (id) => `/v1/payroll-runs/${id}/payment-files/POST_OFFICE`),

  'POST /v1/disbursements/{disbursementId}/settle': (f) => onRecord(f.disbursements.settle, (id) => `/v1/disbursements/${id}/settle`, aprilSettlement('FT24096000501')),
  'POST /v1/disbursements/{disbursementId}/fail': (f) => onRecord(f.disbursements.fail, (id) => `/v1/disbursements/${id}/fail`, { reason: 'Account frozen by the bank' }),
  'POST /v1/disbursements/{disbursementId}/return': (f) => onRecord(f.disbursements.return, (id) => `/v1/disbursements/${id}/return`, { reason: 'Not collected at the pay point' }),
  'POST /v1/disbursements/{disbursementId}/reschedule': (f) => onRecord(f.disbursements.reschedule, (id) => `/v1/disbursements/${id}/reschedule`, reason),
  'POST /v1/settlements': (f) => ({
    path: '/v1/settlements',
    body: { items: [{ disbursementId: f.disbursements.batch, ...aprilSettlement('PO24096000502') }] },
    outOfScope: 'unknown-per-item',
    asUnknown: { path: '/v1/settlements', body: { items: [{ disbursementId: UNKNOWN_ID, ...aprilSettlement('PO24096000502') }] } },
  }),
  'GET /v1/disbursements': (f) => ({
    path: `/v1/disbursements?beneficiaryId=${f.readerBeneficiaryId}&period=2024-04`,
    outOfScope: 'not-listed',
    shows: listsDisbursement(f.disbursements.read),
    namingTheUnit: { path: `/v1/disbursements?beneficiaryId=${f.readerBeneficiaryId}&period=2024-04&unitCode=899` },
  }),
  'GET /v1/disbursements/{disbursementId}': (f) => onRecord(f.disbursements.read, (id) => `/v1/disbursements/${id}`),

  'POST /v1/bank-results': (f) => imported('/v1/bank-results', f.files.bankResults, 'application/xml'),
  'POST /v1/post-office-returns': (f) => imported('/v1/post-office-returns', f.files.postOfficeReturns, 'text/csv'),
  'POST /v1/identity-checks/results': (f) => imported('/v1/identity-checks/results', f.files.identityCheckAnswers, 'text/csv'),
  // A caller sees the imports made under their units, or every one when they read every unit.
  'GET /v1/imports': (f) => ({
    path: '/v1/imports?limit=1000',
    outOfScope: 'not-listed',
    shows: (response) => items(response).some((item) => item.importId === f.answersImportId),
    namingTheUnit: null,
  }),
  'GET /v1/imports/{importId}': (f) => onRecord(f.answersImportId, (id) => `/v1/imports/${id}`),
  'GET /v1/identity-checks/request-file': (f) => listed('/v1/identity-checks/request-file', (response) => response.text.includes(f.readerNationalId)),
  'GET /v1/death-reports': (f) => listed('/v1/death-reports?limit=1000', (response) => items(response).some((item) => item.beneficiaryId === f.deathReports.listed)),
  // By another operator than the maker, who imported the answers (maker-checker).
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/confirm': (f) => onRecord(f.deathReports.confirm, (id) => `/v1/beneficiaries/${id}/death-report/confirm`),
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/reject': (f) =>
    onRecord(f.deathReports.reject, (id) => `/v1/beneficiaries/${id}/death-report/reject`, { reason: 'Seen alive at the commune office on 8 June' }),
  'GET /v1/cross-province-findings': (f) => listed('/v1/cross-province-findings?limit=1000', (response) => items(response).some((item) => item.findingId === f.findings.listed)),
  'POST /v1/beneficiaries/{beneficiaryId}/cross-province-findings/{findingId}/resolve': (f) =>
    onRecord(f.findings.resolve.beneficiaryId, (id) => `/v1/beneficiaries/${id}/cross-province-findings/${f.findings.resolve.findingId}/resolve`, {
      decision: 'KEEP',
      reason: 'Lives here; the other province was told',
    }),

  'GET /v1/reports/coverage': () => listed('/v1/reports/coverage?limit=1000', (response) => items(response).some((item) => item.unitCode === '899')),
  'GET /v1/reports/summary': () => listed('/v1/reports/summary?period=2024-04&limit=1000', (response) => items(response).some((item) => item.unitCode === '899')),
  'GET /v1/reports/late-payments': (f) => listed('/v1/reports/late-payments?period=2024-04&limit=1000', listsDisbursement(f.disbursements.read)),
  'GET /v1/reports/duplicate-attempts': (f) => listed('/v1/reports/duplicate-attempts?limit=1000', listsDisbursement(f.disbursements.duplicate)),
  'GET /v1/reports/overpayments': (f) => listed('/v1/reports/overpayments?limit=1000', listsDisbursement(f.disbursements.overpaid)),

  'GET /v1/audit/streams/{id}': (f) => ({ path: `/v1/audit/streams/${f.disbursements.read}`, shows: (response) => items(response).some((event) => event.type === 'DisbursementScheduled') }),
  'GET /v1/audit/log': () => ({ path: '/v1/audit/log?limit=50', shows: (response) => items(response).length === 50, spansEveryUnit: true }),
  'GET /v1/audit/beneficiaries/{beneficiaryId}': (f) => ({
    path: `/v1/audit/beneficiaries/${f.readerBeneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`,
    shows: (response) => response.body?.beneficiary?.beneficiaryId === f.readerBeneficiaryId,
  }),
  'GET /v1/audit/access-log': (f) => ({ path: `/v1/audit/access-log?beneficiaryId=${f.readerBeneficiaryId}`, shows: (response) => Array.isArray(response.body?.items) }),
  'GET /v1/audit/digest': () => ({ path: '/v1/audit/digest', shows: (response) => /^[0-9a-f]{64}$/.test(response.body?.hash) }),
  'POST /v1/audit/verify': (f) => ({ path: '/v1/audit/verify', body: f.digest, shows: (response) => response.body?.ok === true }),
  'POST /v1/audit/replay-check': () => ({ path: '/v1/audit/replay-check', shows: (response) => Array.isArray(response.body?.differences) && response.body.differences.length === 0, spansEveryUnit: true }),
};

async function seed(maker: LedgerActor, checker: LedgerActor): Promise<Omit<Fixtures, 'digest'>> {
  let person = 0;
  const numberOf = new Map<string, number>();
  const payee = async (paidBy: 'BANK' | 'CASH', effectiveFrom = '2024-04') => {
    const beneficiaryId = await enroll(maker, ++person, { effectiveFrom });
    numberOf.set(beneficiaryId, person);
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
    // Reported back in result files, which the import routes are sent.
    transferReported: await payee('BANK'),
    cashReported: await payee('CASH'),
  };
  const sent = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
  expect(sent.sent).toMatchObject({ status: 'SENT', sent: 11 });
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

  const enrolledInJune = async () => {
    const beneficiaryId = await enroll(maker, ++person, { effectiveFrom: '2024-06' });
    numberOf.set(beneficiaryId, person);
    return beneficiaryId;
  };
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

  // The files the import routes are sent, as the paying agents and the population database would send them back.
  const paidOn10April = async (beneficiaryId: string): Promise<PaymentResult> => {
    const { disbursementId, amount } = await disbursementOf(maker, beneficiaryId, '2024-04');
    return { disbursementId, outcome: 'PAID', amount, date: '2024-04-10' as LocalDate };
  };
  const answerAbout = (beneficiaryId: string, answer: IdentityCheckAnswer) => ({ nationalId: nationalIdFor(numberOf.get(beneficiaryId)!), answer });
  const files = {
    bankResults: pain002StatusReport({ messageId: 'PSR-899-20240411', createdAt: new Date('2024-04-11T08:00:00+07:00'), originalMessageId: 'RUN-899-2024-04' }, [
      await paidOn10April(payees.transferReported),
    ]),
    postOfficeReturns: postOfficeReturnsCsv([await paidOn10April(payees.cashReported)]),
    identityCheckAnswers: identityCheckAnswersCsv([answerAbout(await enrolledInJune(), { outcome: 'MATCHED' })]),
  };

  // Deaths reported by answers the maker imports: for another operator to review (maker-checker).
  const deathReports = { confirm: await enrolledInJune(), reject: await enrolledInJune(), listed: await enrolledInJune() };
  const diedOn20August: IdentityCheckAnswer = { outcome: 'DECEASED', dateOfDeath: '2024-08-20' as LocalDate };
  const answers = identityCheckAnswersCsv(Object.values(deathReports).map((beneficiaryId) => answerAbout(beneficiaryId, diedOn20August)));
  const answersImport = await maker.post('/v1/identity-checks/results', answers, undefined, { 'content-type': 'text/csv' });
  expectStatus(answersImport, 201);
  expect(answersImport.body.counts).toMatchObject({ APPLIED: 3 });

  // Findings of the national hub, recorded as the ledger's receiver of its notices records them.
  const findingAbout = async (beneficiaryId: string, findingId: string) => {
    const recorded = await ledger.app.get(CommandBus).execute(
      new RecordCrossProvinceFindingCommand(
        { beneficiaryId, findingId, kind: 'ENROLLED_IN_TWO_PROVINCES', program: 'MERITORIOUS', otherProvinces: ['79'], foundAt: '2024-08-20T08:00:00+07:00' },
        nationalHubContext(findingId),
      ),
    );
    expect(recorded).toMatchObject({ recorded: true });
    return findingId;
  };
  const findings = {
    resolve: { beneficiaryId: await enrolledInJune(), findingId: '7e1f2a3b-4c5d-5e6f-8a9b-0c1d2e3f4a5b' },
    listed: await findingAbout(await enrolledInJune(), '8f2a3b4c-5d6e-5f7a-9b0c-1d2e3f4a5b6c'),
  };
  await findingAbout(findings.resolve.beneficiaryId, findings.resolve.findingId);

  return {
    disbursements,
    readerBeneficiaryId: payees.read,
    readerNationalId: nationalIdFor(numberOf.get(payees.read)!),
    sentRunId: sent.runId,
    scheduledRunId: scheduled.runId,
    approvedRunId: approved.runId,
    runToReject: toReject.runId,
    beneficiaries,
    accounts: { verify: unverified.accountId, close: verified.accountId },
    files,
    deathReports,
    answersImportId: answersImport.body.importId,
    findings,
  };
}

// Routes come from the running server, so the tests below are generated from what it answers.
const ledger = await startTestLedger();
const SERVED = servedRoutes(ledger.app);
afterAll(() => ledger.close());

describe('authorization matrix: every served route × role × unit scope', () => {
  let fixtures: Fixtures;
  const callers = {} as Record<'auditor' | 'auditorOfEveryUnit' | 'reporter' | 'admin' | 'inScope' | 'auditorOf900' | 'reporterOf900' | 'outOfScope', LedgerActor>;
  /** For each role bound by units: its caller of unit 899, and its caller of unit 900. */
  const SCOPED = {
    operator: { insider: 'inScope', outsider: 'outOfScope' },
    auditor: { insider: 'auditor', outsider: 'auditorOf900' },
    reporter: { insider: 'reporter', outsider: 'reporterOf900' },
  } as const;

  beforeAll(async () => {
    const maker = await actor(ledger, 'operator', ['899'], 'matrix-maker');
    const checker = await actor(ledger, 'operator', ['899'], 'matrix-checker');
    callers.auditor = await actor(ledger, 'auditor', ['899']);
    const seeded = await seed(maker, checker);
    fixtures = { ...seeded, digest: (await callers.auditor.getFresh('/v1/audit/digest')).body };
    callers.reporter = await actor(ledger, 'reporter', ['899']);
    callers.admin = await actor(ledger, 'admin', ['*']);
    callers.inScope = await actor(ledger, 'operator', ['899', '902']);
    // Both operators work in 902, so that a relocation of a unit-899 person to 902 is refused for the person alone.
    callers.outOfScope = await actor(ledger, 'operator', ['900', '902']);
    callers.auditorOf900 = await actor(ledger, 'auditor', ['900']);
    callers.auditorOfEveryUnit = await actor(ledger, 'auditor', ['*']);
    callers.reporterOf900 = await actor(ledger, 'reporter', ['900']);
  });

  const requestFor = (route: string) => REQUESTS[route]!(fixtures);
  const methodOf = (route: string) => route.slice(0, route.indexOf(' '));
  const sendTo = (caller: LedgerActor, method: string, { path, body, file }: Sent) =>
    method === 'GET' ? caller.getFresh(path) : file ? caller.post(path, file.content, undefined, { 'content-type': file.contentType }) : caller.post(path, body ?? {});
  const send = (caller: LedgerActor, route: string) => sendTo(caller, methodOf(route), requestFor(route));
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

    it('serves every route of the contract, and no /v1 route it does not name', () => {
      const served = new Set(SERVED.map(routeShape));
      expect(SERVED.filter((route) => route.includes(' /v1/')).map(routeShape)).toEqual(CONTRACT_ROUTES.filter((route) => route.includes(' /v1/')).sort());
      expect(CONTRACT_ROUTES.filter((route) => !served.has(route))).toEqual([]);
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
      const { path, body, file } = requestFor(route);
      const method = methodOf(route);
      const response = await refusedRequest(() =>
        ledger.request(
          method,
          path,
          method === 'GET' ? {} : { body: file?.content ?? body ?? {}, headers: { 'idempotency-key': randomUUID(), ...(file ? { 'content-type': file.contentType } : {}) } },
        ),
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

    for (const role of ['operator', 'auditor', 'reporter'] as const) {
      if (access[role] !== 'scoped') continue;
      const { insider, outsider } = SCOPED[role];

      it(`keeps ${article(role)} of unit 900 away from unit 899's records`, async () => {
        const request = requestFor(route);
        const method = methodOf(route);
        const outOfScope = request.outOfScope ?? 'as-unknown';
        // An import records itself whatever its lines are about: what it may not change is checked below.
        const before = await headPosition(ledger);
        const response = outOfScope === 'lines-out-of-scope' ? await send(callers[outsider], route) : await refusedRequest(() => send(callers[outsider], route));
        switch (outOfScope) {
          case 'as-unknown': {
            // The very answer an unknown id gets: nothing tells the caller the record exists elsewhere.
            const unknown = await refusedRequest(() => sendTo(callers[outsider], method, request.asUnknown!));
            expect(response.status).toBe(404);
            expect(response.body.code).toMatch(/_NOT_FOUND$/);
            expect(asSeen(response)).toEqual(asSeen(unknown));
            break;
          }
          case 'unit-refused':
            expectProblem(response, 403);
            expect(response.body.code).toBe('UNIT_OUT_OF_SCOPE');
            break;
          case 'not-listed': {
            expectStatus(response, 200);
            expect(request.shows?.(response)).toBe(false);
            if (request.namingTheUnit === null) break;
            const naming = await refusedRequest(() => sendTo(callers[outsider], method, request.namingTheUnit!));
            expectProblem(naming, 403);
            expect(naming.body.code).toBe('UNIT_OUT_OF_SCOPE');
            break;
          }
          case 'lines-out-of-scope': {
            expectStatus(response, 201);
            expect(response.body).toMatchObject({ repeat: false, status: 'COMPLETED', lineCount: expect.any(Number), counts: { APPLIED: 0, OUT_OF_SCOPE: response.body.lineCount } });
            expect(response.body.lineCount).toBeGreaterThan(0);
            expect(response.body.attention.map((line: { outcome: string }) => line.outcome)).toEqual(Array(response.body.lineCount).fill('OUT_OF_SCOPE'));
            // Nothing but the import's own record was written: no payment, no person was touched.
            const written = await callers.auditorOfEveryUnit.get(`/v1/audit/log?after=${before}&limit=1000`);
            expectStatus(written, 200);
            expect(new Set(items(written).map((event) => event.streamName))).toEqual(new Set([fileImportStreamName(response.body.importId)]));
            break;
          }
          case 'unknown-per-item': {
            const unknown = await refusedRequest(() => sendTo(callers[outsider], method, request.asUnknown!));
            expectStatus(response, 200);
            expect(response.body).toMatchObject({ settled: 0, refused: 1, items: [{ httpStatus: 404, code: 'DISBURSEMENT_NOT_FOUND' }] });
            const { disbursementId: _refused, ...refused } = response.body.items[0];
            const { disbursementId: _unknown, ...unknownItem } = unknown.body.items[0];
            expect(refused).toEqual(unknownItem);
            break;
          }
        }
      });

      it(`serves ${article(role)} of unit 899 on unit 899's records`, async () => {
        const response = await send(callers[insider], route);
        expectSuccess(response);
        expectOwnRecordVisible(route, response);
        if (role === 'reporter') expectMasked(response);
      });
    }
    if (access.operator === 'allowed') {
      it('lets an operator through', async () => expectLetThrough(await send(callers.inScope, route)));
    }

    for (const role of ['auditor', 'reporter', 'admin'] as const) {
      if (access[role] === 'allowed') {
        it(`lets the ${role} role through`, async () => {
          if (role === 'auditor' && requestFor(route).spansEveryUnit) {
            // Of fewer units than all: refused, the whole ledger is not theirs to read.
            expectProblem(await refusedRequest(() => send(callers.auditor, route)), 403);
          }
          const caller = role === 'auditor' && requestFor(route).spansEveryUnit ? callers.auditorOfEveryUnit : callers[role];
          const response = await send(caller, route);
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
    if (outOfScope === 'unknown-per-item') expect(response.body.items[0]).toMatchObject({ httpStatus: 200, status: 'PAID' });
  }
});

function article(role: string) {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

/** A response as its caller sees it, but for `instance` (the path asked, which names the id). */
function asSeen(response: TestResponse) {
  const { instance: _instance, ...body } = response.body ?? {};
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

/** Reporters see national ids and account numbers masked, and a birth year, wherever they read. */
function expectMasked(response: TestResponse) {
  expect(response.text).not.toMatch(/\b091052\d{6}\b/);
  expect(response.text).not.toContain('7700205123456');
  expect(response.text).not.toContain('1952-03-14');
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
