import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LedgerClient, Schema } from '@ledger/api-client';
import type { LocalDate } from '@ledger/domain';
import { identityCheckAnswersCsv, pain002StatusReport, postOfficeReturnsCsv } from '@ledger/payment-files';
import { parse } from 'csv-parse/sync';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { accountNumberOf, enrollment, nationalIdFor } from './support/ledger-flow.js';

/**
 * The ledger's main flows through the generated client, as an integrator would write them: every
 * call below is checked by the compiler against the OpenAPI document (paths, parameters, headers,
 * bodies, answers), and every answer by the harness against the document the API serves. Between
 * them they call every operation the API has.
 */

/** A person `n` as `enrollment` makes them, typed as the client's enroll body. */
function person(n: number, overrides: Partial<Schema<'EnrollBeneficiary'>> = {}): Schema<'EnrollBeneficiary'> {
  return { ...enrollment(n), ...overrides };
}

/** A fresh Idempotency-Key: a new request, never a retry. */
const fresh = () => ({ 'Idempotency-Key': randomUUID() });

/** The answer of a call that must succeed, or a failure that shows the problem it got instead. */
function ok<Data>(result: { data?: Data; error?: unknown; response: Response }): Data {
  if (result.data === undefined) throw new Error(`${result.response.status} ${result.response.url}: ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('the typed client, through the main flows', () => {
  let ledger: TestLedger;
  let maker: LedgerClient;
  let checker: LedgerClient;
  let reporter: LedgerClient;
  let auditor: LedgerClient;

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = ledger.client(await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'maker' }));
    checker = ledger.client(await ledger.tokenFor({ role: 'operator', units: ['91'], sub: 'checker' }));
    reporter = ledger.client(await ledger.tokenFor({ role: 'reporter', units: ['*'], sub: 'reporter' }));
    auditor = ledger.client(await ledger.tokenFor({ role: 'auditor', units: ['*'], sub: 'auditor' }));
  });
  afterAll(() => ledger.close());

  /** Runs a payroll for a period of unit 899 (of every program, or one): scheduled by the maker, approved by the checker, sent. */
  async function payroll(period: string, program?: string) {
    const scheduled = ok(await maker.POST('/v1/payroll-runs', { params: { header: fresh() }, body: { period, unitCode: '899', ...(program === undefined ? {} : { program }) } }));
    ok(await checker.POST('/v1/payroll-runs/{runId}/approve', { params: { path: { runId: scheduled.runId }, header: fresh() } }));
    const sent = ok(await maker.POST('/v1/payroll-runs/{runId}/send', { params: { path: { runId: scheduled.runId }, header: fresh() } }));
    return { runId: scheduled.runId, scheduled, sent };
  }

  async function disbursementOf(beneficiaryId: string, period: string, minPosition: string | null) {
    const page = ok(
      await maker.GET('/v1/disbursements', {
        params: { query: { beneficiaryId, period }, header: minPosition === null ? {} : { 'X-Min-Position': minPosition } },
      }),
    );
    expect(page.items).toHaveLength(1);
    return page.items[0]!;
  }

  describe('when a beneficiary is enrolled, given an account, paid through a payroll run and settled', () => {
    let beneficiaryId: string;
    let runId: string;
    let disbursementId: string;

    it('answers the probes and the metrics without a token', async () => {
      const anyone = ledger.client();
      expect(ok(await anyone.GET('/health/live'))).toEqual({ status: 'ok' });
      expect(ok(await anyone.GET('/health/ready'))).toMatchObject({ status: 'ok', eventStore: { status: 'up' } });
      expect(ok(await anyone.GET('/metrics', { parseAs: 'text' }))).toContain('ledger_projection_lag_events');
    });

    it('enrolls the person, and refuses to enroll them twice with a problem', async () => {
      const enrolled = ok(await maker.POST('/v1/beneficiaries', { params: { header: fresh() }, body: person(1) }));
      expect(enrolled).toEqual({ beneficiaryId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.stringMatching(/^\d+$/) });
      beneficiaryId = enrolled.beneficiaryId;

      const again = await maker.POST('/v1/beneficiaries', { body: person(1) });
      expect(again.response.status).toBe(409);
      expect(again.error).toMatchObject({ status: 409, code: 'ALREADY_ENROLLED', type: '/problems/already-enrolled' });
    });

    it('refuses a body the document does not allow with every field named', async () => {
      const refused = await maker.POST('/v1/beneficiaries', { body: { ...person(2), coefficient: 'a thousand' as unknown as number } });
      expect(refused.response.status).toBe(400);
      expect(refused.error?.errors).toEqual([{ field: 'coefficient', message: expect.any(String) }]);
    });

    it('opens a payment account, verified by the holder name', async () => {
      const account = ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts', {
          params: { path: { beneficiaryId }, header: fresh() },
          body: { bankCode: 'VBA', accountNumber: accountNumberOf(beneficiaryId), holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' },
        }),
      );
      expect(account).toMatchObject({ beneficiaryId, status: 'VERIFIED' });
    });

    it('schedules a run that the checker finds awaiting approval, approves it (not its maker), and sends it', async () => {
      const scheduled = ok(await maker.POST('/v1/payroll-runs', { params: { header: fresh() }, body: { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' } }));
      expect(scheduled).toMatchObject({ status: 'SCHEDULED', scheduled: 1, alreadyScheduled: 0, arrears: 0, largeArrears: [] });
      runId = scheduled.runId;

      const awaiting = ok(await checker.GET('/v1/payroll-runs', { params: { query: { status: 'SCHEDULED', period: '2024-04' }, header: { 'X-Min-Position': scheduled.position! } } }));
      expect(awaiting.items.map((run) => run.runId)).toEqual([runId]);

      const byMaker = await maker.POST('/v1/payroll-runs/{runId}/approve', { params: { path: { runId }, header: fresh() }, body: {} });
      expect(byMaker.error).toMatchObject({ status: 422, code: 'APPROVAL_BY_CREATOR' });
      expect(ok(await checker.POST('/v1/payroll-runs/{runId}/approve', { params: { path: { runId }, header: fresh() } }))).toMatchObject({ status: 'APPROVED', approvedBy: 'checker' });

      const sent = ok(await maker.POST('/v1/payroll-runs/{runId}/send', { params: { path: { runId }, header: fresh() } }));
      expect(sent).toMatchObject({ status: 'SENT', sent: 1, cancelled: 0, paymentFiles: [{ paymentFile: 'VBA', count: 1, totalAmount: 2_055_000 }] });
      expect(ok(await checker.GET('/v1/payroll-runs/{runId}', { params: { path: { runId } } }))).toMatchObject({ runId, status: 'SENT', disbursements: 1, sent: 1 });

      disbursementId = (await disbursementOf(beneficiaryId, '2024-04', sent.position)).disbursementId;
    });

    it('gives the bank its payment file as CSV', async () => {
      const file = ok(await maker.GET('/v1/payroll-runs/{runId}/payment-files/{paymentFile}', { params: { path: { runId, paymentFile: 'VBA' } }, parseAs: 'text' }));
      expect(file).toContain(`${accountNumberOf(beneficiaryId)},BUI TRUNG TAI`);
    });

    it('settles the payment, and refuses a second settlement as a duplicate', async () => {
      const paid = ok(
        await maker.POST('/v1/disbursements/{disbursementId}/settle', {
          params: { path: { disbursementId }, header: fresh() },
          body: { providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 },
        }),
      );
      expect(paid).toMatchObject({ disbursementId, status: 'PAID', daysLate: 0, channel: 'BANK' });

      const duplicate = await maker.POST('/v1/disbursements/{disbursementId}/settle', {
        params: { path: { disbursementId }, header: fresh() },
        body: { providerReference: 'FT24096000999', paidAt: '2024-04-06T09:30:00+07:00', amount: 2_055_000 },
      });
      expect(duplicate.error).toMatchObject({ status: 409, code: 'DUPLICATE_PAYMENT' });

      const read = ok(await maker.GET('/v1/disbursements/{disbursementId}', { params: { path: { disbursementId }, header: { 'X-Min-Position': paid.position! } } }));
      expect(read).toMatchObject({ status: 'PAID', providerReference: 'FT24096000123', paidAt: expect.any(String) });
    });

    it('reads the beneficiary whole for an operator, and masked for a reporter', async () => {
      const full = ok(await maker.GET('/v1/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId } } }));
      expect(full).toMatchObject({ nationalId: nationalIdFor(1), dateOfBirth: '1952-03-14', channel: 'BANK', enrollments: [{ program: 'MERITORIOUS', status: 'ACTIVE' }] });
      const masked = ok(await reporter.GET('/v1/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId } } }));
      expect(masked).toMatchObject({ nationalId: '091******001', birthYear: 1952 });
      expect(masked.dateOfBirth).toBeUndefined();

      const found = ok(await reporter.POST('/v1/beneficiaries/search', { body: { name: 'bui trung tai', unitCode: '899' } }));
      expect(found.items.map((item) => item.beneficiaryId)).toContain(beneficiaryId);
      expect(ok(await maker.GET('/v1/beneficiaries', { params: { query: { program: 'MERITORIOUS', status: 'ACTIVE' } } })).items.map((item) => item.beneficiaryId)).toContain(beneficiaryId);
    });

    it('reports the payment: coverage, the summary as JSON and CSV, late payments, the duplicate attempt', async () => {
      const coverage = ok(await reporter.GET('/v1/reports/coverage', { params: { query: { unitCode: '899', period: '2024-04' } } }));
      expect(coverage.items).toContainEqual(expect.objectContaining({ unitCode: '899', program: 'MERITORIOUS', verifiedAccounts: 1 }));

      const summary = ok(await reporter.GET('/v1/reports/summary', { params: { query: { period: '2024-04' } } }));
      expect(summary.items).toEqual([expect.objectContaining({ program: 'MERITORIOUS', channel: 'BANK', count: 1, totalAmount: 2_055_000, byStatus: { PAID: { count: 1, totalAmount: 2_055_000 } } })]);
      const csv = ok(await reporter.GET('/v1/reports/summary', { params: { query: { period: '2024-04' } }, headers: { accept: 'text/csv' }, parseAs: 'text' }));
      expect(csv).toContain('2024-04,MERITORIOUS,899,BANK,1,2055000');
      const workbook = ok(
        await reporter.GET('/v1/reports/summary', {
          params: { query: { period: '2024-04' } },
          headers: { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
          parseAs: 'arrayBuffer',
        }),
      );
      expect(Buffer.from(workbook).subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, as every .xlsx is

      expect(ok(await reporter.GET('/v1/reports/late-payments', { params: { query: { period: '2024-04' } } })).items).toEqual([]);
      const duplicates = ok(await reporter.GET('/v1/reports/duplicate-attempts', { params: { query: { unitCode: '899' } } }));
      expect(duplicates.items).toEqual([expect.objectContaining({ disbursementId, attemptedReference: 'FT24096000999', paidUnderReference: 'FT24096000123' })]);
    });

    it('lets an auditor read the history, the person as of now, who read them, and the signed digest, and verify it', async () => {
      const history = ok(await auditor.GET('/v1/audit/streams/{id}', { params: { path: { id: beneficiaryId }, query: { limit: 10 } } }));
      expect(history).toMatchObject({ beneficiaryId, items: expect.arrayContaining([expect.objectContaining({ type: expect.any(String), streamRevision: 0 })]) });
      const log = ok(await auditor.GET('/v1/audit/log', { params: { query: { limit: 3 } } }));
      expect(log.items).toHaveLength(3);
      expect(log.next).toEqual(expect.any(String));

      const asOf = ok(await auditor.GET('/v1/audit/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId }, query: { asOf: new Date().toISOString() } } }));
      expect(asOf.payments).toContainEqual(expect.objectContaining({ period: '2024-04', status: 'PAID' }));

      const reads = ok(await auditor.GET('/v1/audit/access-log', { params: { query: { beneficiaryId } } }));
      expect(reads.items.map((read) => read.actor)).toEqual(expect.arrayContaining(['maker', 'reporter']));

      const digest = ok(await auditor.GET('/v1/audit/digest'));
      expect(ok(await auditor.POST('/v1/audit/verify', { body: digest }))).toMatchObject({ ok: true, position: digest.position });
      expect(ok(await auditor.POST('/v1/audit/replay-check'))).toMatchObject({ differences: [], truncated: false });
    });
  });

  describe('when enrollments, accounts and payments go through the rest of their lifecycles', () => {
    it('suspends, resumes, terminates, corrects and revokes an enrollment, and relocates the person', async () => {
      const { beneficiaryId } = ok(await maker.POST('/v1/beneficiaries', { body: person(3) }));
      const enrollment = { beneficiaryId, program: 'MERITORIOUS' };
      const suspended = ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend', { params: { path: enrollment, header: fresh() }, body: { reason: 'Hospitalised abroad', effectiveFrom: '2024-05' } }),
      );
      expect(suspended).toMatchObject({ beneficiaryId, cancelledDisbursements: 0 });
      ok(await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume', { params: { path: enrollment, header: fresh() }, body: { effectiveFrom: '2024-07' } }));
      ok(await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate', { params: { path: enrollment, header: fresh() }, body: { reason: 'DECEASED', effectiveDate: '2024-09-15' } }));
      ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/correct-termination', {
          params: { path: enrollment, header: fresh() },
          body: { effectiveDate: '2024-08-20', reason: 'date of death misread from the certificate' },
        }),
      );
      const revoked = ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/revoke-termination', { params: { path: enrollment, header: fresh() }, body: { reason: 'another person of the same name' } }),
      );
      expect(revoked).toMatchObject({ beneficiaryId, position: expect.any(String) });

      const relocated = ok(await checker.POST('/v1/beneficiaries/{beneficiaryId}/relocate', { params: { path: { beneficiaryId } }, body: { unitCode: '900' } }));
      expect(relocated).toMatchObject({ beneficiaryId, movedDisbursements: 0 });
      const unknown = await maker.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend', {
        params: { path: { beneficiaryId: randomUUID(), program: 'MERITORIOUS' }, header: fresh() },
        body: { reason: 'x', effectiveFrom: '2024-05' },
      });
      expect(unknown.error).toMatchObject({ status: 404, code: 'BENEFICIARY_NOT_FOUND' });
    });

    it('holds an account in another name unverified until another operator verifies it, then closes it', async () => {
      const { beneficiaryId } = ok(await maker.POST('/v1/beneficiaries', { body: person(4) }));
      const opened = ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts', {
          params: { path: { beneficiaryId } },
          body: { bankCode: 'VBA', accountNumber: accountNumberOf(beneficiaryId), holderName: 'NGUYEN VAN AN', openedOn: '2024-03-01' },
        }),
      );
      expect(opened).toMatchObject({ status: 'UNVERIFIED', unverifiedReason: 'NAME_MISMATCH' });
      const account = { beneficiaryId, accountId: opened.accountId };
      expect(ok(await checker.POST('/v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify', { params: { path: account }, body: { reason: 'Confirmed with the bank' } }))).toMatchObject({ status: 'VERIFIED' });
      expect(ok(await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close', { params: { path: account }, body: { reason: 'Closed at the holder’s request' } }))).toMatchObject({ status: 'CLOSED' });
    });

    it('fails a transfer, returns uncollected cash, reschedules, settles a batch, and rejects a run', async () => {
      const banked = ok(await maker.POST('/v1/beneficiaries', { body: person(5, { effectiveFrom: '2024-05' }) })).beneficiaryId;
      const account = ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts', {
          params: { path: { beneficiaryId: banked } },
          body: { bankCode: 'VBA', accountNumber: accountNumberOf(banked), holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' },
        }),
      );
      const cash = ok(await maker.POST('/v1/beneficiaries', { body: person(6, { effectiveFrom: '2024-05' }) })).beneficiaryId;
      const { sent } = await payroll('2024-05');

      const transfer = await disbursementOf(banked, '2024-05', sent.position);
      const failed = ok(await maker.POST('/v1/disbursements/{disbursementId}/fail', { params: { path: { disbursementId: transfer.disbursementId }, header: fresh() }, body: { reason: 'Account frozen (AC04)' } }));
      expect(failed).toMatchObject({ status: 'FAILED', channel: 'BANK' });
      ok(await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close', { params: { path: { beneficiaryId: banked, accountId: account.accountId } }, body: { reason: 'Frozen' } }));
      const rescheduled = ok(await maker.POST('/v1/disbursements/{disbursementId}/reschedule', { params: { path: { disbursementId: transfer.disbursementId }, header: fresh() }, body: { reason: 'Pay in cash' } }));
      expect(rescheduled).toMatchObject({ status: 'SCHEDULED', attempt: 2, channel: 'CASH' });

      const uncollected = await disbursementOf(cash, '2024-05', null);
      expect(ok(await maker.POST('/v1/disbursements/{disbursementId}/return', { params: { path: { disbursementId: uncollected.disbursementId }, header: fresh() }, body: { reason: 'Not collected' } }))).toMatchObject({
        status: 'RETURNED',
        channel: 'CASH',
      });

      const paidInCash = ok(await maker.POST('/v1/beneficiaries', { body: person(7, { effectiveFrom: '2024-06' }) })).beneficiaryId;
      const june = await payroll('2024-06');
      const owed = await disbursementOf(paidInCash, '2024-06', june.sent.position);
      const item = { disbursementId: owed.disbursementId, providerReference: 'VNPOST-2024-06-0001', paidAt: '2024-06-08T10:00:00+07:00', amount: owed.amount };
      const batch = ok(await maker.POST('/v1/settlements', { params: { header: fresh() }, body: { items: [item, { ...item, providerReference: 'VNPOST-2024-06-0002' }] } }));
      expect(batch).toMatchObject({ settled: 1, refused: 1, items: [{ httpStatus: 200, status: 'PAID' }, { httpStatus: 409, code: 'DUPLICATE_PAYMENT' }] });

      const overpaid = ok(await reporter.GET('/v1/reports/overpayments', { params: { query: { unitCode: '899' } } }));
      expect(overpaid.items).toEqual([]);

      const unwanted = ok(await maker.POST('/v1/payroll-runs', { params: { header: fresh() }, body: { period: '2024-07', unitCode: '899' } }));
      const rejected = ok(await checker.POST('/v1/payroll-runs/{runId}/reject', { params: { path: { runId: unwanted.runId }, header: fresh() }, body: { reason: 'Wrong period' } }));
      expect(rejected).toMatchObject({ status: 'REJECTED', rejectedBy: 'checker', released: unwanted.scheduled });
    });
  });

  describe('when the paying agents send their results back and the population database answers', () => {
    const SENT_ON = '2024-08-09' as LocalDate;
    let runId: string;
    let sentAt: string;
    let transfer: { disbursementId: string; amount: number };
    let cash: { disbursementId: string; amount: number };
    let bankResultsImport: string;
    /** Paid by transfer; paid in cash; reported dead, rightly; reported dead, wrongly. */
    const people = { banked: '', inCash: '', died: '', alive: '' };

    /** The bank's pain.002 on the August transfer: paid. The same bytes every time, as a bank sending it twice would. */
    const statusReport = () =>
      pain002StatusReport({ messageId: 'PSR-2024-08-0001', createdAt: new Date('2024-08-10T08:00:00+07:00'), originalMessageId: 'RUN-2024-08' }, [
        { disbursementId: transfer.disbursementId, outcome: 'PAID', amount: transfer.amount, date: SENT_ON },
      ]);

    /** Where the log stands: an import's answer carries no position, so a read that must see what it did waits for this one. */
    async function headPosition() {
      return ok(await ledger.client().GET('/health/ready')).eventStore.headPosition!;
    }

    beforeAll(async () => {
      const socialAssistance = (n: number) => person(n, { program: 'SOCIAL_ASSISTANCE', effectiveFrom: '2024-08' });
      people.banked = ok(await maker.POST('/v1/beneficiaries', { body: socialAssistance(8) })).beneficiaryId;
      ok(
        await maker.POST('/v1/beneficiaries/{beneficiaryId}/accounts', {
          params: { path: { beneficiaryId: people.banked } },
          body: { bankCode: 'VBA', accountNumber: accountNumberOf(people.banked), holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' },
        }),
      );
      people.inCash = ok(await maker.POST('/v1/beneficiaries', { body: socialAssistance(9) })).beneficiaryId;
      people.died = ok(await maker.POST('/v1/beneficiaries', { body: socialAssistance(10) })).beneficiaryId;
      people.alive = ok(await maker.POST('/v1/beneficiaries', { body: socialAssistance(11) })).beneficiaryId;
      const august = await payroll('2024-08', 'SOCIAL_ASSISTANCE');
      expect(august.sent).toMatchObject({ sent: 4 });
      runId = august.runId;
      sentAt = august.sent.position!;
      transfer = await disbursementOf(people.banked, '2024-08', sentAt);
      cash = await disbursementOf(people.inCash, '2024-08', null);
    });

    it('gives the bank its file as pain.001 and the Post Office its cash list as a PDF, as the Accept header asks', async () => {
      const pain001 = ok(await maker.GET('/v1/payroll-runs/{runId}/payment-files/{paymentFile}', { params: { path: { runId, paymentFile: 'VBA' } }, headers: { accept: 'application/xml' }, parseAs: 'text' }));
      expect(pain001).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
      expect(pain001).toContain(`<EndToEndId>${transfer.disbursementId.replace(/-/g, '')}</EndToEndId>`);
      const cashList = ok(
        await maker.GET('/v1/payroll-runs/{runId}/payment-files/{paymentFile}', { params: { path: { runId, paymentFile: 'POST_OFFICE' } }, headers: { accept: 'application/pdf' }, parseAs: 'arrayBuffer' }),
      );
      expect(Buffer.from(cashList).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('imports the bank’s status report and the Post Office’s returns, sent as files, each line matched to its payment', async () => {
      // A file goes as it is, with its own media type: openapi-fetch would otherwise send the body as JSON.
      const imported = ok(
        await maker.POST('/v1/bank-results', {
          params: { header: fresh() },
          body: statusReport(),
          bodySerializer: (file) => file,
          headers: { 'content-type': 'application/xml' },
        }),
      );
      expect(imported).toMatchObject({ kind: 'BANK_RESULTS', format: 'PAIN_002', status: 'COMPLETED', repeat: false, lineCount: 1, importedBy: 'maker', attentionCount: 0 });
      expect(imported.counts).toMatchObject({ APPLIED: 1, OUT_OF_SCOPE: 0 });
      bankResultsImport = imported.importId;

      const returns = postOfficeReturnsCsv([{ disbursementId: cash.disbursementId, outcome: 'RETURNED', amount: cash.amount, date: SENT_ON, reason: 'Người nhận vắng nhà' }]);
      const returned = ok(await maker.POST('/v1/post-office-returns', { params: { header: fresh() }, body: returns, bodySerializer: (file) => file, headers: { 'content-type': 'text/csv' } }));
      expect(returned).toMatchObject({ kind: 'POST_OFFICE_RETURNS', format: 'POST_OFFICE_RETURNS_CSV', counts: { APPLIED: 1 } });

      const position = await headPosition();
      expect(await disbursementOf(people.banked, '2024-08', position)).toMatchObject({ status: 'PAID' });
      expect(await disbursementOf(people.inCash, '2024-08', position)).toMatchObject({ status: 'RETURNED' });
    });

    it('answers a file sent again with the report of its first import (200), and changes nothing', async () => {
      const before = await headPosition();
      const again = await maker.POST('/v1/bank-results', { params: { header: fresh() }, body: statusReport(), bodySerializer: (file) => file, headers: { 'content-type': 'application/xml' } });
      expect({ status: again.response.status, importId: again.data?.importId, repeat: again.data?.repeat }).toEqual({ status: 200, importId: bankResultsImport, repeat: true });
      expect(await headPosition()).toBe(before);
    });

    it('lists the imports, and serves an import’s report as JSON and as CSV', async () => {
      const listed = ok(await maker.GET('/v1/imports', { params: { query: { limit: 10 }, header: { 'X-Min-Position': await headPosition() } } }));
      expect(listed.items.map((item) => item.kind)).toEqual(expect.arrayContaining(['BANK_RESULTS', 'POST_OFFICE_RETURNS']));
      expect(listed.items.find((item) => item.importId === bankResultsImport)).toMatchObject({ status: 'COMPLETED', counts: { APPLIED: 1 } });

      const report = ok(await auditor.GET('/v1/imports/{importId}', { params: { path: { importId: bankResultsImport } } }));
      expect(report.lines).toEqual([expect.objectContaining({ outcome: 'APPLIED', reported: 'PAID', disbursementId: transfer.disbursementId })]);
      const csv = ok(await auditor.GET('/v1/imports/{importId}', { params: { path: { importId: bankResultsImport }, query: { outcome: 'APPLIED' } }, headers: { accept: 'text/csv' }, parseAs: 'text' }));
      expect(parse(csv, { bom: true, columns: true })).toEqual([expect.objectContaining({ outcome: 'APPLIED', disbursement_id: transfer.disbursementId })]);
    });

    it('gives the population database its request file, and holds the payments of the people it answers died', async () => {
      const requestFile = ok(await maker.GET('/v1/identity-checks/request-file', { params: { query: { unitCode: '899' }, header: { 'X-Min-Position': sentAt } }, parseAs: 'text' }));
      const asked = (parse(requestFile, { bom: true, columns: true }) as Array<Record<string, string>>).map((row) => row.national_id);
      expect(asked).toEqual(expect.arrayContaining([nationalIdFor(8), nationalIdFor(10), nationalIdFor(11)]));

      const answers = identityCheckAnswersCsv([
        { nationalId: nationalIdFor(8), answer: { outcome: 'MATCHED' } },
        { nationalId: nationalIdFor(10), answer: { outcome: 'DECEASED', dateOfDeath: '2024-08-20' as LocalDate } },
        { nationalId: nationalIdFor(11), answer: { outcome: 'DECEASED', dateOfDeath: '2024-08-25' as LocalDate } },
      ]);
      const answered = ok(await maker.POST('/v1/identity-checks/results', { params: { header: fresh() }, body: answers, bodySerializer: (file) => file, headers: { 'content-type': 'text/csv' } }));
      expect(answered).toMatchObject({ kind: 'IDENTITY_CHECK_ANSWERS', format: 'IDENTITY_CHECK_ANSWERS_CSV', lineCount: 3, counts: { APPLIED: 3 } });

      const toReview = ok(await checker.GET('/v1/death-reports', { params: { query: { unitCode: '899' }, header: { 'X-Min-Position': await headPosition() } } }));
      expect(toReview.items).toEqual([
        expect.objectContaining({ beneficiaryId: people.died, dateOfDeath: '2024-08-20', importId: answered.importId, line: 3 }),
        expect.objectContaining({ beneficiaryId: people.alive, dateOfDeath: '2024-08-25', importId: answered.importId, line: 4 }),
      ]);
    });

    it('has another operator than the importer confirm one death and reject the other', async () => {
      const byImporter = await maker.POST('/v1/beneficiaries/{beneficiaryId}/death-report/confirm', { params: { path: { beneficiaryId: people.died }, header: fresh() } });
      expect(byImporter.error).toMatchObject({ status: 422, code: 'CONFIRMATION_BY_IMPORTER' });

      const confirmed = ok(await checker.POST('/v1/beneficiaries/{beneficiaryId}/death-report/confirm', { params: { path: { beneficiaryId: people.died }, header: fresh() } }));
      expect(confirmed).toMatchObject({ beneficiaryId: people.died, terminatedEnrollments: 1, cancelledDisbursements: 0, overpayments: 0 });
      const rejected = ok(
        await checker.POST('/v1/beneficiaries/{beneficiaryId}/death-report/reject', { params: { path: { beneficiaryId: people.alive }, header: fresh() }, body: { reason: 'Seen alive at the commune office on 2 September' } }),
      );
      expect(rejected).toEqual({ beneficiaryId: people.alive, position: expect.any(String) });

      expect(ok(await checker.GET('/v1/death-reports', { params: { query: { unitCode: '899' }, header: { 'X-Min-Position': rejected.position! } } })).items).toEqual([]);
      const died = ok(await checker.GET('/v1/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId: people.died }, header: { 'X-Min-Position': rejected.position! } } }));
      expect(died.enrollments).toEqual([expect.objectContaining({ program: 'SOCIAL_ASSISTANCE', status: 'TERMINATED' })]);
    });
  });
});
