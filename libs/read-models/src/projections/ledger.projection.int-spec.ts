import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import type { ReadModelStore } from '../read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { dumpReadModels, ExpectedReadModels, normalized } from '../testing/expected-read-models.js';
import { postgresAvailability } from '../testing/postgres-scratch.js';
import { scriptedEvents } from '../testing/scripted-events.js';
import { ScriptedLedger, scratchStores } from '../testing/scripted-ledger.js';

/**
 * The rows each kind of event leaves, told one situation at a time, on both stores: re-enrollment,
 * corrected and revoked terminations, shared accounts and maker-checker, disbursements that move,
 * change channel, leave a rejected run, are paid after cancellation or cancelled after failing,
 * duplicate attempts of both kinds, rejected runs, cross-province findings — and events no read
 * model shows.
 */
const postgres = await postgresAvailability();
const SA = 'SOCIAL_ASSISTANCE';
const TODAY = '2024-08-20';

const ledger = new ScriptedLedger();
const stores = await scratchStores(postgres.available);
const positions: Record<string, bigint> = {};

beforeAll(async () => {
  const e = scriptedEvents(ledger);
  // Re-enrolled after a termination that came while suspended, and suspended again in the new spell.
  await e.register('again', '899');
  await e.enroll('again', SA, '899', '2024-01');
  await e.suspend('again', SA, '2024-02');
  await e.terminate('again', SA, '2024-03-10');
  await e.enroll('again', SA, '899', '2024-06');
  await e.suspend('again', SA, '2024-07');
  // A termination dated wrongly, then corrected.
  await e.register('corrected', '899');
  await e.enroll('corrected', SA, '899', '2024-01');
  await e.terminate('corrected', SA, '2024-04-10');
  await e.correctTermination('corrected', SA, '2024-04-10', '2024-06-30', '2024-07-02');
  // Terminations revoked: one while suspended, one not.
  await e.register('revoked', '899');
  await e.enroll('revoked', SA, '899', '2024-01');
  await e.terminate('revoked', SA, '2024-04-10');
  await e.revokeTermination('revoked', SA, '2024-04-10', '2024-05-02');
  await e.register('revoked-suspended', '899');
  await e.enroll('revoked-suspended', SA, '899', '2024-01');
  await e.suspend('revoked-suspended', SA, '2024-03');
  await e.terminate('revoked-suspended', SA, '2024-04-10');
  await e.revokeTermination('revoked-suspended', SA, '2024-04-10', '2024-05-02');

  // Accounts: shared with another beneficiary, verified by a second operator; one written before reasons existed.
  await e.register('holder', '900');
  await e.openAccount('holder', 'a-shared', 'UNVERIFIED', { unverifiedReason: 'SHARED_ACCOUNT', openedBy: 'maker' });
  await e.beneficiaryEvent('holder', 'PaymentAccountVerified', { beneficiaryId: 'holder', accountId: 'a-shared', reason: 'Spouses share it', verifiedBy: 'checker' });
  await e.beneficiaryEvent(
    'holder',
    'PaymentAccountOpened',
    { beneficiaryId: 'holder', accountId: 'a-old', bankCode: 'VBA', accountNumber: '770099999999', holderName: 'LE THI HOA X', openedOn: '2023-01-02', status: 'UNVERIFIED' },
    1,
  );
  await e.openAccount('holder', 'a-matching', 'VERIFIED', { openedBy: 'maker' });

  // Disbursements that move with their beneficiary: an unsent one leaves its run, a failed one keeps it.
  await e.schedule('d-moved-scheduled', 'holder', SA, '2024-07', '900', 'CASH');
  await e.disbursementEvent('d-moved-scheduled', 'DisbursementRelocated', { attempt: 1, fromUnitCode: '900', toUnitCode: '902' });
  await e.schedule('d-moved-failed', 'holder', SA, '2024-06', '900', 'BANK');
  await e.send('d-moved-failed', 'run-2024-06');
  await e.disbursementEvent('d-moved-failed', 'DisbursementFailed', { attempt: 1, reason: 'Account frozen' });
  await e.disbursementEvent('d-moved-failed', 'DisbursementRelocated', { attempt: 1, fromUnitCode: '900', toUnitCode: '902' });
  // Its account closed since approval: to the Post Office.
  await e.schedule('d-to-cash', 'holder', SA, '2024-05', '900', 'BANK');
  await e.disbursementEvent('d-to-cash', 'DisbursementChannelChanged', { attempt: 1, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' });
  await e.send('d-to-cash', 'run-2024-05');
  // A rejected run: its payment released for the next run.
  await e.schedule('d-released', 'holder', SA, '2024-04', '900', 'CASH', 'run-rejected');
  await e.disbursementEvent('d-released', 'DisbursementReleasedFromRun', { payrollRunId: 'run-rejected', attempt: 1 });
  await ledger.append('payroll-run-run-rejected', 'PayrollRunCreated', { runId: 'run-rejected', period: '2024-04', program: null, unitCode: null, createdBy: 'maker' });
  await ledger.append('payroll-run-run-rejected', 'PayrollRunScheduled', {
    scheduled: 1,
    alreadyScheduled: 0,
    arrears: 0,
    skipped: {},
    totalAmount: 500_000,
    largeArrears: [{ beneficiaryId: 'holder', months: 13, totalAmount: 6_500_000 }],
  });
  await ledger.append('payroll-run-run-rejected', 'PayrollRunRejected', { rejectedBy: 'checker', reason: 'Amounts to be checked again' });

  // Paid by the Post Office after it was cancelled: money that left, to recover.
  await e.schedule('d-paid-after-cancel', 'holder', SA, '2024-03', '900', 'CASH');
  await e.send('d-paid-after-cancel', 'run-2024-03');
  await e.disbursementEvent('d-paid-after-cancel', 'DisbursementCancelled', { attempt: 1, reason: 'ENROLLMENT_TERMINATED' });
  await e.pay('d-paid-after-cancel', '2024-03-09T03:00:00.000Z');
  await e.disbursementEvent('d-paid-after-cancel', 'OverpaymentFlagged', { amount: 500_000, reason: 'Paid after cancellation', reasonCode: 'PAID_AFTER_CANCELLATION' });
  // Flagged by a termination written before reason codes, and one withdrawn when its termination was revoked.
  await e.schedule('d-flagged-old', 'holder', SA, '2024-02', '900', 'CASH');
  await e.send('d-flagged-old', 'run-2024-02');
  await e.pay('d-flagged-old', '2024-02-09T03:00:00.000Z');
  await e.disbursementEvent('d-flagged-old', 'OverpaymentFlagged', { amount: 500_000, reason: 'Terminated', terminationEffectiveDate: '2024-01-15' });
  await e.schedule('d-withdrawn', 'holder', SA, '2024-01', '900', 'CASH');
  await e.send('d-withdrawn', 'run-2024-01');
  await e.pay('d-withdrawn', '2024-01-09T03:00:00.000Z');
  await e.disbursementEvent('d-withdrawn', 'OverpaymentFlagged', { amount: 500_000, reason: 'Terminated', reasonCode: 'TERMINATED_BEFORE_PERIOD', terminationEffectiveDate: '2023-12-20' });
  await e.disbursementEvent('d-withdrawn', 'OverpaymentWithdrawn', { amount: 500_000, reason: 'Termination revoked' });

  // Failed and late, then cancelled: the month is no longer owed, so no longer late.
  await e.schedule('d-failed-cancelled', 'holder', SA, '2024-07', '900', 'BANK', 'run-2024-07b');
  await e.send('d-failed-cancelled', 'run-2024-07b');
  await e.disbursementEvent('d-failed-cancelled', 'DisbursementFailed', { attempt: 1, reason: 'Account frozen' });
  await e.disbursementEvent('d-failed-cancelled', 'DisbursementCancelled', { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' });
  await e.schedule('d-failed-late', 'holder', SA, '2024-08', '900', 'BANK');
  await e.send('d-failed-late', 'run-2024-08');
  await e.disbursementEvent('d-failed-late', 'DisbursementFailed', { attempt: 1, reason: 'Account frozen' });

  // Duplicate attempts: a second payment (written before reasons existed), and a reference already used by another payment.
  await e.schedule('d-duplicates', 'holder', SA, '2023-12', '900', 'BANK');
  await e.send('d-duplicates', 'run-2023-12');
  await e.pay('d-duplicates', '2023-12-09T03:00:00.000Z');
  await e.disbursementEvent('d-duplicates', 'DuplicatePaymentRejected', {
    disbursementId: 'd-duplicates',
    providerReference: 'FT-SECOND',
    paidAt: '2023-12-10T03:00:00.000Z',
    amount: 500_000,
    paidUnderReference: 'FT-FIRST',
  });
  await e.disbursementEvent('d-duplicates', 'DuplicatePaymentRejected', {
    disbursementId: 'd-duplicates',
    providerReference: 'FT-OF-ANOTHER',
    paidAt: '2023-12-11T03:00:00.000Z',
    amount: 500_000,
    reason: 'PROVIDER_REFERENCE_IN_USE',
    usedByDisbursementId: 'd-someone-else',
  });

  // The population database's answers: a name mistyped then put right, a date of birth mistyped,
  // deaths reported — one confirmed after the person moved, one rejected, three waiting in two units.
  ledger.at('2024-06-05T02:00:00Z');
  await e.register('checked', '899');
  await e.answerIdentityCheck('checked', 'import-1', 1, { outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'gender'] });
  await e.answerIdentityCheck('checked', 'import-2', 1, { outcome: 'MATCHED' });
  await e.register('mistyped', '899');
  await e.answerIdentityCheck('mistyped', 'import-1', 6, { outcome: 'MISMATCHED', mismatchedFields: ['dateOfBirth'] });
  await e.register('dead-confirmed', '899');
  await e.enroll('dead-confirmed', SA, '899', '2024-01');
  await e.reportDeath('dead-confirmed', '899', 'import-1', 2, '2024-05-20');
  await e.register('dead-rejected', '899');
  await e.reportDeath('dead-rejected', '899', 'import-1', 3, '2024-05-21');
  await e.register('dead-open-1', '899');
  await e.reportDeath('dead-open-1', '899', 'import-1', 4, '2024-05-22');
  await e.register('dead-open-2', '903');
  await e.reportDeath('dead-open-2', '903', 'import-1', 5, '2024-05-23');
  ledger.at('2024-06-06T02:00:00Z');
  await e.register('dead-open-3', '899');
  await e.reportDeath('dead-open-3', '899', 'import-2', 7, '2024-05-24');
  await e.relocate('dead-confirmed', '899', '900');
  ledger.at('2024-06-10T03:00:00Z');
  await e.confirmDeath('dead-confirmed', 'import-1', 2, '2024-05-20');
  await e.terminate('dead-confirmed', SA, '2024-05-20', '2024-06-10');
  await e.rejectDeath('dead-rejected', 'import-1', 3, '2024-05-21', 'Seen alive at the commune office');

  // The national hub's findings: one kept, one resolved by a termination after the person moved, two open in two units.
  ledger.at('2024-06-05T02:00:00Z');
  await e.register('found-kept', '899');
  await e.enroll('found-kept', SA, '899', '2024-01');
  await e.recordFinding('found-kept', '899', 'f-kept', SA);
  await e.register('found-moved', '899');
  await e.enroll('found-moved', SA, '899', '2024-01');
  await e.recordFinding('found-moved', '899', 'f-moved', SA, '2024-05');
  await e.register('found-open', '899');
  await e.recordFinding('found-open', '899', 'f-open-1', SA);
  await e.register('found-open-elsewhere', '903');
  await e.recordFinding('found-open-elsewhere', '903', 'f-open-2', 'MERITORIOUS');
  await e.relocate('found-moved', '899', '900');
  ledger.at('2024-06-10T03:00:00Z');
  await e.resolveFinding('found-kept', 'f-kept', SA, 'KEEP', 'Lives here; the other province was told');
  await e.resolveFinding('found-moved', 'f-moved', SA, 'TERMINATE', 'Lives in Hồ Chí Minh City');

  // The write side's reservations, and an event of a kind this ledger does not know: no rows, no halt.
  positions.beforeReservations = await ledger.events.headPosition();
  await ledger.append('provider-reference-0b5e1c8e-1111-5aaa-9bbb-000000000001', 'ProviderReferenceClaimed', { payingAgent: 'VBA', providerReference: 'FT-FIRST', disbursementId: 'd-duplicates' });
  await ledger.append('account-number-k3y', 'AccountNumberClaimed', { beneficiaryId: 'holder', accountId: 'a-shared' });
  await ledger.append('account-number-k3y', 'AccountNumberReleased', { beneficiaryId: 'holder', accountId: 'a-shared' });
  await ledger.append('disbursement-d-released', 'DisbursementTeleported', { to: 'the moon' }, 1);
  positions.afterReservations = await ledger.events.headPosition();

  for (const store of stores.stores.values()) await ledger.projectInto(store);
}, 60_000);

afterAll(async () => {
  await stores.close();
  await ledger.close();
});

function describeProjection(name: 'SQLite' | 'PostgreSQL') {
  const store = () => stores.stores.get(name) as ReadModelStore;
  const queries = () => new ReadModelQueries(store());
  const rows = async (sql: string) => normalized(await store().query(sql));

  it('leaves the rows the events say, table by table, as the independent fold works them out', async () => {
    const { audit_chain: _, ...tables } = await dumpReadModels(store());
    const expected = ExpectedReadModels.of(await ledger.recorded());
    expect(tables).toStrictEqual(expected.tables());
  });

  describe('when a terminated person is enrolled again', () => {
    it('starts a second spell, whose suspension is its own', async () => {
      expect(await rows("SELECT status, effective_from, terminated_on FROM enrollments WHERE beneficiary_id = 'again'")).toEqual([{ status: 'SUSPENDED', effective_from: '2024-06', terminated_on: null }]);
      expect(await rows("SELECT effective_from, terminated_on, termination_reason FROM enrollment_spells WHERE beneficiary_id = 'again' ORDER BY effective_from")).toEqual([
        { effective_from: '2024-01', terminated_on: '2024-03-10', termination_reason: 'DECEASED' },
        { effective_from: '2024-06', terminated_on: null, termination_reason: null },
      ]);
      // The first spell's suspension ended with it; the new spell's is open. (Applied again after a
      // crash, the termination reaches the new suspension too, which its own event then writes whole.)
      expect(await rows("SELECT suspended_from, resumed_from, ended_by_termination_on FROM enrollment_suspensions WHERE beneficiary_id = 'again' ORDER BY position")).toEqual([
        { suspended_from: '2024-02', resumed_from: null, ended_by_termination_on: '2024-03-10' },
        { suspended_from: '2024-07', resumed_from: null, ended_by_termination_on: null },
      ]);
    });
  });

  describe('when a termination is corrected', () => {
    it('shows the corrected date', async () => {
      expect(await rows("SELECT status, terminated_on FROM enrollments WHERE beneficiary_id = 'corrected'")).toEqual([{ status: 'TERMINATED', terminated_on: '2024-06-30' }]);
      expect(await rows("SELECT terminated_on FROM enrollment_spells WHERE beneficiary_id = 'corrected'")).toEqual([{ terminated_on: '2024-06-30' }]);
    });
  });

  describe('when a termination is revoked', () => {
    it('is as if it never happened: active, or still suspended when it was', async () => {
      expect(await rows("SELECT beneficiary_id, status, suspended_from, terminated_on, termination_reason FROM enrollments WHERE beneficiary_id LIKE 'revoked%' ORDER BY beneficiary_id")).toEqual([
        { beneficiary_id: 'revoked', status: 'ACTIVE', suspended_from: null, terminated_on: null, termination_reason: null },
        { beneficiary_id: 'revoked-suspended', status: 'SUSPENDED', suspended_from: '2024-03', terminated_on: null, termination_reason: null },
      ]);
      expect(await rows("SELECT terminated_on FROM enrollment_spells WHERE beneficiary_id LIKE 'revoked%' ORDER BY beneficiary_id")).toEqual([{ terminated_on: null }, { terminated_on: null }]);
      expect(await rows("SELECT resumed_from, ended_by_termination_on FROM enrollment_suspensions WHERE beneficiary_id = 'revoked-suspended'")).toEqual([
        { resumed_from: null, ended_by_termination_on: null },
      ]);
    });
  });

  describe('when accounts need a second operator', () => {
    it('records why, who opened and who verified; an account written before the reasons existed was unverified for its name', async () => {
      expect(await rows("SELECT account_id, status, unverified_reason, opened_by, verified_by FROM payment_accounts WHERE beneficiary_id = 'holder' ORDER BY account_id")).toEqual([
        { account_id: 'a-matching', status: 'VERIFIED', unverified_reason: null, opened_by: 'maker', verified_by: null },
        { account_id: 'a-old', status: 'UNVERIFIED', unverified_reason: 'NAME_MISMATCH', opened_by: null, verified_by: null },
        { account_id: 'a-shared', status: 'VERIFIED', unverified_reason: 'SHARED_ACCOUNT', opened_by: 'maker', verified_by: 'checker' },
      ]);
    });
  });

  describe('when unpaid disbursements move with their beneficiary', () => {
    it('moves them to the new unit; an unsent one leaves its run, a failed one keeps the run that sent it', async () => {
      expect(await rows("SELECT disbursement_id, unit_code, status, payroll_run_id FROM disbursements WHERE disbursement_id LIKE 'd-moved%' ORDER BY disbursement_id")).toEqual([
        { disbursement_id: 'd-moved-failed', unit_code: '902', status: 'FAILED', payroll_run_id: 'run-2024-06' },
        { disbursement_id: 'd-moved-scheduled', unit_code: '902', status: 'SCHEDULED', payroll_run_id: null },
      ]);
    });
  });

  describe('when a bank payment goes to the Post Office at sending', () => {
    it('shows it as cash, and why', async () => {
      expect(await rows("SELECT channel, bank_code, status, channel_change_reason FROM disbursements WHERE disbursement_id = 'd-to-cash'")).toEqual([
        { channel: 'CASH', bank_code: null, status: 'SENT', channel_change_reason: 'ACCOUNT_CLOSED' },
      ]);
    });
  });

  describe('when a run is rejected', () => {
    it('shows the run rejected, by whom and why, and its payment waiting for the next run', async () => {
      expect(await rows("SELECT status, rejected_by, rejection_reason, large_arrears, approved_by FROM payroll_runs WHERE run_id = 'run-rejected'")).toEqual([
        { status: 'REJECTED', rejected_by: 'checker', rejection_reason: 'Amounts to be checked again', large_arrears: 1, approved_by: null },
      ]);
      expect(await rows("SELECT status, payroll_run_id FROM disbursements WHERE disbursement_id = 'd-released'")).toEqual([{ status: 'SCHEDULED', payroll_run_id: null }]);
    });
  });

  describe('overpayments to recover', () => {
    it('lists a month paid after cancellation and one flagged by a termination, not one whose flag was withdrawn', async () => {
      const listed = (await queries().overpayments({})).items.map((row) => [row.disbursement_id, row.status, row.overpayment_reason, row.termination_date]);
      expect(listed).toEqual([
        ['d-flagged-old', 'PAID', 'TERMINATED_BEFORE_PERIOD', '2024-01-15'],
        ['d-paid-after-cancel', 'PAID', 'PAID_AFTER_CANCELLATION', null],
      ]);
      expect(await rows("SELECT status, overpayment, overpayment_reason, termination_date FROM disbursements WHERE disbursement_id = 'd-withdrawn'")).toEqual([
        { status: 'PAID', overpayment: false, overpayment_reason: null, termination_date: null },
      ]);
    });
  });

  describe('late payments', () => {
    it('do not list a failed payment whose month was cancelled since, only one still owed', async () => {
      // Both were due on 10 July or 10 August and failed: late on 20 August, unless no longer owed.
      const late = (await queries().latePayments({}, TODAY)).items.map((row) => row.disbursement_id).filter((id) => id.startsWith('d-failed'));
      expect(late).toEqual(['d-failed-late']);
      expect(await rows("SELECT status FROM disbursements WHERE disbursement_id = 'd-failed-cancelled'")).toEqual([{ status: 'CANCELLED' }]);
    });
  });

  describe('duplicate attempts', () => {
    it('say which kind each is; one written before the kinds existed was a second payment', async () => {
      const attempts = (await queries().duplicateAttempts({})).items.map((row) => [row.provider_reference_attempted, row.reason, row.paid_under_reference]);
      expect(attempts).toEqual([
        ['FT-SECOND', 'PAID_UNDER_ANOTHER_REFERENCE', 'FT-FIRST'],
        ['FT-OF-ANOTHER', 'PROVIDER_REFERENCE_IN_USE', null],
      ]);
    });
  });

  describe('when the population database answers', () => {
    it('shows the latest answer on the register, and which fields a mismatch names', async () => {
      expect(await rows("SELECT beneficiary_id, identity_check, identity_check_fields, identity_checked_at FROM beneficiaries WHERE beneficiary_id IN ('checked', 'mistyped', 'holder') ORDER BY beneficiary_id")).toEqual([
        { beneficiary_id: 'checked', identity_check: 'MATCHED', identity_check_fields: null, identity_checked_at: '2024-06-05T02:00:00.000Z' },
        { beneficiary_id: 'holder', identity_check: null, identity_check_fields: null, identity_checked_at: null },
        { beneficiary_id: 'mistyped', identity_check: 'MISMATCHED', identity_check_fields: 'dateOfBirth', identity_checked_at: '2024-06-05T02:00:00.000Z' },
      ]);
      expect((await queries().beneficiary('mistyped'))).toMatchObject({ identity_check: 'MISMATCHED', identity_check_fields: 'dateOfBirth' });
    });

    it('keeps each reported death with its import line; a decided one says by whom, when and why, and follows a move', async () => {
      expect(await rows("SELECT * FROM death_reports WHERE beneficiary_id IN ('dead-confirmed', 'dead-rejected') ORDER BY beneficiary_id")).toEqual([
        {
          beneficiary_id: 'dead-confirmed',
          import_id: 'import-1',
          line: 2,
          unit_code: '900',
          date_of_death: '2024-05-20',
          reported_at: '2024-06-05T02:00:00.000Z',
          reported_position: expect.anything(),
          status: 'CONFIRMED',
          decided_by: 'officer-2',
          decided_at: '2024-06-10T03:00:00.000Z',
          rejection_reason: null,
        },
        {
          beneficiary_id: 'dead-rejected',
          import_id: 'import-1',
          line: 3,
          unit_code: '899',
          date_of_death: '2024-05-21',
          reported_at: '2024-06-05T02:00:00.000Z',
          reported_position: expect.anything(),
          status: 'REJECTED',
          decided_by: 'officer-2',
          decided_at: '2024-06-10T03:00:00.000Z',
          rejection_reason: 'Seen alive at the commune office',
        },
      ]);
      expect(await rows("SELECT status, terminated_on, termination_reason FROM enrollments WHERE beneficiary_id = 'dead-confirmed'")).toEqual([
        { status: 'TERMINATED', terminated_on: '2024-05-20', termination_reason: 'DECEASED' },
      ]);
    });

    it('lists the reports still open for review, oldest first, in the units asked for, page after page', async () => {
      const review = await queries().deathReportsToReview({ limit: 10 });
      expect(review.items.map((row) => [row.beneficiary_id, row.unit_code, row.date_of_death, row.reported_at, row.import_id, row.line])).toEqual([
        ['dead-open-1', '899', '2024-05-22', '2024-06-05T02:00:00.000Z', 'import-1', 4],
        ['dead-open-2', '903', '2024-05-23', '2024-06-05T02:00:00.000Z', 'import-1', 5],
        ['dead-open-3', '899', '2024-05-24', '2024-06-06T02:00:00.000Z', 'import-2', 7],
      ]);
      expect(review.next).toBeNull();
      expect((await queries().deathReportsToReview({ units: ['899'], limit: 10 })).items.map((row) => row.beneficiary_id)).toEqual(['dead-open-1', 'dead-open-3']);
      expect((await queries().deathReportsToReview({ units: [], limit: 10 })).items).toEqual([]);
      const first = await queries().deathReportsToReview({ units: ['899', '903'], limit: 1 });
      const second = await queries().deathReportsToReview({ units: ['899', '903'], cursor: first.next!, limit: 1 });
      const third = await queries().deathReportsToReview({ units: ['899', '903'], cursor: second.next!, limit: 1 });
      expect([first, second, third].map((page) => page.items.map((row) => row.beneficiary_id))).toEqual([['dead-open-1'], ['dead-open-2'], ['dead-open-3']]);
      expect(third.next).toBeNull();
      expect(first.next).toBe(first.items[0]!.reported_position);
    });
  });

  describe('when the national hub finds people in another province too', () => {
    it('keeps each finding; a resolved one says how, by whom, when and why, and follows a move', async () => {
      expect(await rows("SELECT * FROM cross_province_findings WHERE finding_id IN ('f-kept', 'f-moved') ORDER BY finding_id")).toEqual([
        {
          finding_id: 'f-kept',
          beneficiary_id: 'found-kept',
          unit_code: '899',
          kind: 'ENROLLED_IN_TWO_PROVINCES',
          program: SA,
          period: null,
          other_provinces: '01,79',
          found_at: '2024-06-04T03:00:00.000Z',
          recorded_position: expect.anything(),
          status: 'RESOLVED',
          decision: 'KEEP',
          reason: 'Lives here; the other province was told',
          resolved_by: 'officer-2',
          resolved_at: '2024-06-10T03:00:00.000Z',
        },
        {
          finding_id: 'f-moved',
          beneficiary_id: 'found-moved',
          unit_code: '900',
          kind: 'PAID_IN_TWO_PROVINCES',
          program: SA,
          period: '2024-05',
          other_provinces: '01,79',
          found_at: '2024-06-04T03:00:00.000Z',
          recorded_position: expect.anything(),
          status: 'RESOLVED',
          decision: 'TERMINATE',
          reason: 'Lives in Hồ Chí Minh City',
          resolved_by: 'officer-2',
          resolved_at: '2024-06-10T03:00:00.000Z',
        },
      ]);
    });

    it('lists them oldest first, by status, program and the units asked for, page after page', async () => {
      const ids = async (filter: Parameters<ReadModelQueries['crossProvinceFindings']>[0]) => (await queries().crossProvinceFindings(filter)).items.map((row) => row.finding_id);
      expect(await ids({ status: 'OPEN', limit: 10 })).toEqual(['f-open-1', 'f-open-2']);
      expect(await ids({ status: 'RESOLVED', limit: 10 })).toEqual(['f-kept', 'f-moved']);
      expect(await ids({ units: ['899'], limit: 10 })).toEqual(['f-kept', 'f-open-1']);
      expect(await ids({ program: 'MERITORIOUS', limit: 10 })).toEqual(['f-open-2']);
      expect(await ids({ units: [], limit: 10 })).toEqual([]);
      const first = await queries().crossProvinceFindings({ status: 'OPEN', limit: 1 });
      const second = await queries().crossProvinceFindings({ status: 'OPEN', cursor: first.next!, limit: 1 });
      expect([first, second].map((page) => page.items.map((row) => row.finding_id))).toEqual([['f-open-1'], ['f-open-2']]);
      expect(second.next).toBeNull();
    });
  });

  describe('when events no read model shows arrive', () => {
    it('passes over them: the checkpoint moves on, and their audit links are written', async () => {
      expect(await store().checkpoint()).toBe(await ledger.events.headPosition());
      const links = await store().query<{ position: number | string }>(`SELECT position FROM audit_chain WHERE position > ${positions.beforeReservations} ORDER BY position`);
      expect(links.map((link) => BigInt(link.position)).filter((position) => position <= positions.afterReservations!)).toHaveLength(
        Number(positions.afterReservations! - positions.beforeReservations!),
      );
    });
  });
}

describe('the ledger projection on SQLite', () => describeProjection('SQLite'));
describeWithPostgres('the ledger projection on PostgreSQL', postgres, () => describeProjection('PostgreSQL'));
