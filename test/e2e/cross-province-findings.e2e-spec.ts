import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import {
  nationalHubContext,
  RecordCrossProvinceFindingCommand,
  type CrossProvinceFindingReceived,
  type CrossProvinceFindingRecorded,
} from '../../apps/ledger-api/src/beneficiaries/cross-province-findings.commands.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, approveAndSend, disbursementOf, enroll, expectStatus, headPosition, openAccount, runPayroll, schedulePayroll, type LedgerActor } from './support/ledger-flow.js';

const MERITORIOUS_2024 = 2_055_000;
/** Found enrolled in MERITORIOUS in Hồ Chí Minh City (79) too. */
const ENROLLED_TWICE = '3b7c1d2e-4f5a-5b6c-8d7e-9f0a1b2c3d4e';
/** Found paid for May 2024 of MERITORIOUS in Hà Nội (01) too. */
const PAID_TWICE = '6a1b2c3d-4e5f-5a6b-9c8d-7e6f5a4b3c2d';
const UNKNOWN_FINDING = '0c0ffee0-1234-5abc-9def-000000000000';
const UNKNOWN_PERSON = '5d41402a-bc4b-5a76-b971-9d911017c592';

/**
 * The province's side of the national hub's cross-province findings: a notice recorded through the
 * command bus as the ledger's receiver records it (the NATS receiver is another piece of work), the
 * payroll holding the person's payments of that program, and operators resolving each finding.
 */
describe('cross-province findings of the national hub', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let elsewhere: LedgerActor;
  let auditor: LedgerActor;
  let reporter: LedgerActor;
  /** Enrolled in MERITORIOUS and SOCIAL_ASSISTANCE; found enrolled in MERITORIOUS in another province too. */
  let twice: string;
  /** Paid by bank for April and May; found paid for May in another province too: moved out at the end of April. */
  let moved: string;
  /** Paid as usual all along. */
  let neighbour: string;

  /** Records one notice of the hub as the ledger's receiver does. */
  function receive(finding: CrossProvinceFindingReceived): Promise<CrossProvinceFindingRecorded> {
    return ledger.app.get(CommandBus).execute(new RecordCrossProvinceFindingCommand(finding, nationalHubContext(finding.findingId)));
  }
  const enrolledTwice = (): CrossProvinceFindingReceived => ({
    beneficiaryId: twice,
    findingId: ENROLLED_TWICE,
    kind: 'ENROLLED_IN_TWO_PROVINCES',
    program: 'MERITORIOUS',
    otherProvinces: ['79'],
    foundAt: '2024-06-04T10:00:00+07:00',
  });
  const paidTwice = (): CrossProvinceFindingReceived => ({
    beneficiaryId: moved,
    findingId: PAID_TWICE,
    kind: 'PAID_IN_TWO_PROVINCES',
    program: 'MERITORIOUS',
    period: '2024-05',
    otherProvinces: ['01'],
    foundAt: '2024-06-04T10:05:00+07:00',
  });

  const resolve = (operator: LedgerActor, beneficiaryId: string, findingId: string, body: unknown, key?: string | null) =>
    operator.post(`/v1/beneficiaries/${beneficiaryId}/cross-province-findings/${findingId}/resolve`, body, key);

  async function findings(reader: LedgerActor, query = '') {
    const response = await reader.getFresh(`/v1/cross-province-findings${query}`);
    expectStatus(response, 200);
    return response.body as { items: Array<Record<string, unknown>>; next: string | null };
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'cpf-maker');
    checker = await actor(ledger, 'operator', ['899'], 'cpf-checker');
    elsewhere = await actor(ledger, 'operator', ['900'], 'cpf-elsewhere');
    auditor = await actor(ledger, 'auditor', ['*'], 'cpf-auditor');
    reporter = await actor(ledger, 'reporter', ['*'], 'cpf-reporter');

    twice = await enroll(maker, 61, { fullName: 'Trần Văn Hai' });
    expect(await enroll(maker, 61, { fullName: 'Trần Văn Hai', program: 'SOCIAL_ASSISTANCE' })).toBe(twice);
    moved = await enroll(maker, 62, { fullName: 'Lê Thị Dời' });
    await openAccount(maker, moved, { holderName: 'LE THI DOI' });
    neighbour = await enroll(maker, 63);

    await runPayroll(maker, checker, { period: '2024-04', unitCode: '899' });
    await runPayroll(maker, checker, { period: '2024-05', unitCode: '899' });
    const may = await disbursementOf(maker, moved, '2024-05');
    expectStatus(await maker.post(`/v1/disbursements/${may.disbursementId}/settle`, { providerReference: 'FT24131000062', paidAt: '2024-05-10T09:30:00+07:00', amount: MERITORIOUS_2024 }), 200);
  });
  afterAll(() => ledger.close());

  describe('when the hub’s notices arrive while a June run waits to be sent', () => {
    let juneRun: string;

    it('records each finding once, however often its notice is delivered', async () => {
      juneRun = (await schedulePayroll(maker, { period: '2024-06', unitCode: '899' })).runId;
      const first = await receive(enrolledTwice());
      expect(first).toEqual({ beneficiaryId: twice, findingId: ENROLLED_TWICE, recorded: true, position: expect.any(String) });
      const head = await headPosition(ledger);
      expect(await receive(enrolledTwice())).toEqual({ ...first, recorded: false });
      expect(await receive({ ...enrolledTwice(), otherProvinces: ['79', '48'] })).toMatchObject({ recorded: false });
      expect(await headPosition(ledger)).toBe(head);
      expect(await receive(paidTwice())).toMatchObject({ beneficiaryId: moved, recorded: true });
    });

    it('refuses a notice about a person this ledger does not know, with a typed error, recording nothing', async () => {
      const head = await headPosition(ledger);
      await expect(receive({ ...enrolledTwice(), beneficiaryId: UNKNOWN_PERSON })).rejects.toMatchObject({ code: 'BENEFICIARY_NOT_FOUND' });
      await expect(receive({ ...enrolledTwice(), findingId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'findingId' });
      await expect(receive({ ...enrolledTwice(), beneficiaryId: '../payroll-run-1' })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'beneficiaryId' });
      await expect(receive({ ...enrolledTwice(), kind: 'LIVES_IN_TWO_PROVINCES' as never })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'kind' });
      expect(await headPosition(ledger)).toBe(head);
    });

    it('sends the run without the held program’s payments: they leave it, unsent and not cancelled', async () => {
      const sent = await approveAndSend(maker, checker, juneRun);
      expect(sent).toMatchObject({ sent: 2, cancelled: 0 });
      expect(await disbursementOf(checker, twice, '2024-06')).toMatchObject({ status: 'SCHEDULED', payrollRunId: null });
      expect(await disbursementOf(checker, twice, '2024-06', 'SOCIAL_ASSISTANCE')).toMatchObject({ status: 'SENT' });
      expect(await disbursementOf(checker, moved, '2024-06')).toMatchObject({ status: 'SCHEDULED', payrollRunId: null });
      expect((await disbursementOf(checker, neighbour, '2024-06')).status).toBe('SENT');
    });

    it('skips them in the next run (CROSS_PROVINCE_FINDING), and pays the person’s other program', async () => {
      const { scheduled } = await runPayroll(maker, checker, { period: '2024-07', unitCode: '899' });
      expect(scheduled).toMatchObject({ scheduled: 2, skipped: { CROSS_PROVINCE_FINDING: 2 } });
      expect((await disbursementOf(checker, twice, '2024-07', 'SOCIAL_ASSISTANCE')).status).toBe('SENT');
      const heldJuly = await checker.getFresh(`/v1/disbursements?beneficiaryId=${twice}&period=2024-07&program=MERITORIOUS`);
      expect(heldJuly.body.items).toEqual([]);
    });
  });

  describe('when operators read the findings', () => {
    it('lists them for their unit’s operators and auditors, oldest first, page by page', async () => {
      const { items, next } = await findings(checker, '?status=OPEN');
      expect(items).toEqual([
        {
          findingId: ENROLLED_TWICE,
          beneficiaryId: twice,
          unitCode: '899',
          kind: 'ENROLLED_IN_TWO_PROVINCES',
          program: 'MERITORIOUS',
          period: null,
          otherProvinces: ['79'],
          foundAt: '2024-06-04T03:00:00.000Z',
          status: 'OPEN',
          decision: null,
          reason: null,
          resolvedBy: null,
          resolvedAt: null,
        },
        expect.objectContaining({ findingId: PAID_TWICE, beneficiaryId: moved, kind: 'PAID_IN_TWO_PROVINCES', period: '2024-05', otherProvinces: ['01'], status: 'OPEN' }),
      ]);
      expect(next).toBeNull();
      expect((await findings(auditor, '?unitCode=899')).items).toHaveLength(2);
      const first = await findings(checker, '?limit=1');
      expect(first.items.map((item) => item.findingId)).toEqual([ENROLLED_TWICE]);
      expect((await findings(checker, `?limit=1&cursor=${first.next}`)).items.map((item) => item.findingId)).toEqual([PAID_TWICE]);
      expect((await findings(checker, '?status=RESOLVED')).items).toEqual([]);
      expect((await findings(checker, '?program=SOCIAL_ASSISTANCE')).items).toEqual([]);
    });

    it('keeps them from other units and from reporters, and refuses what is not a filter', async () => {
      expect((await findings(elsewhere)).items).toEqual([]);
      expect((await maker.get('/v1/cross-province-findings?unitCode=900')).body).toMatchObject({ status: 403, code: 'UNIT_OUT_OF_SCOPE' });
      expect((await reporter.get('/v1/cross-province-findings')).body).toMatchObject({ status: 403, code: 'ROLE_NOT_ALLOWED' });
      expect((await maker.get('/v1/cross-province-findings?status=CLOSED')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'status' })] });
      expect((await maker.get('/v1/cross-province-findings?program=PENSION')).body).toMatchObject({ status: 400, code: 'INVALID_VALUE', errors: [expect.objectContaining({ field: 'program' })] });
      expect((await maker.get('/v1/cross-province-findings?cursor=bm90LWEtY3Vyc29y')).body).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
    });
  });

  describe('when an operator resolves a finding', () => {
    it('refuses a resolution that does not read, naming each field', async () => {
      const refused = async (body: unknown) => {
        const response = await resolve(checker, twice, ENROLLED_TWICE, body);
        expect(response.status).toBe(400);
        return (response.body.errors as Array<{ field: string }>).map((error) => error.field);
      };
      expect(await refused({ decision: 'KEEP' })).toContain('reason');
      expect(await refused({ decision: 'KEEP', reason: '' })).toContain('reason');
      expect(await refused({ decision: 'MAYBE', reason: 'Not sure yet' })).toContain('decision');
      expect(await refused({ decision: 'KEEP', reason: 'Lives here', effectiveDate: '2024-05-31' })).toEqual(['effectiveDate']);
      expect(await refused({ decision: 'TERMINATE', reason: 'Moved' })).toContain('effectiveDate');
      expect(await refused({ decision: 'TERMINATE', reason: 'Moved', effectiveDate: '31/05/2024' })).toEqual(['effectiveDate']);
      expect(await refused({ decision: 'TERMINATE', reason: 'Moved', effectiveDate: '2024-02-30' })).toEqual(['effectiveDate']);
      expect((await resolve(checker, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: ' ' })).body).toMatchObject({ status: 400, errors: [{ field: 'reason' }] });
    });

    it('needs an Idempotency-Key, and answers unknown findings and people as such', async () => {
      expect((await resolve(checker, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Lives here' }, null)).body).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
      expect((await resolve(checker, twice, UNKNOWN_FINDING, { decision: 'KEEP', reason: 'Lives here' })).body).toMatchObject({ status: 404, code: 'FINDING_NOT_FOUND' });
      expect((await resolve(checker, twice, PAID_TWICE, { decision: 'KEEP', reason: 'Lives here' })).body).toMatchObject({ status: 404, code: 'FINDING_NOT_FOUND' });
      expect((await resolve(elsewhere, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Lives here' })).body).toMatchObject({ status: 404, code: 'BENEFICIARY_NOT_FOUND' });
      expect((await resolve(auditor, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Lives here' })).body).toMatchObject({ status: 403 });
      expect((await resolve(checker, twice, 'not-a-uuid', { decision: 'KEEP', reason: 'Lives here' })).status).toBe(400);
    });

    it('kept, lifts the hold, once: the same notice sent again does not reopen it', async () => {
      const kept = await resolve(checker, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Moved back here in March; Hồ Chí Minh City ended their enrollment' }, 'keep-61');
      expectStatus(kept, 200);
      expect(kept.body).toEqual({ beneficiaryId: twice, findingId: ENROLLED_TWICE, decision: 'KEEP', position: expect.any(String) });
      const replayed = await resolve(checker, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Moved back here in March; Hồ Chí Minh City ended their enrollment' }, 'keep-61');
      expect({ status: replayed.status, body: replayed.body, replayed: replayed.headers.get('idempotency-replayed') }).toEqual({ status: 200, body: kept.body, replayed: 'true' });
      expect((await resolve(maker, twice, ENROLLED_TWICE, { decision: 'KEEP', reason: 'Again' })).body).toMatchObject({ status: 409, code: 'FINDING_ALREADY_RESOLVED' });

      // The hub sends the same finding again: it stays resolved, and the person is paid.
      expect(await receive(enrolledTwice())).toMatchObject({ recorded: false });
      expect((await findings(checker, '?status=RESOLVED')).items).toEqual([
        expect.objectContaining({ findingId: ENROLLED_TWICE, status: 'RESOLVED', decision: 'KEEP', reason: 'Moved back here in March; Hồ Chí Minh City ended their enrollment', resolvedBy: 'cpf-checker', resolvedAt: expect.any(String) }),
      ]);
    });

    it('terminating, ends the enrollment of the program as moved out, cancels what was not paid and flags what was', async () => {
      const terminated = await resolve(checker, moved, PAID_TWICE, { decision: 'TERMINATE', reason: 'Lives in Hà Nội since May', effectiveDate: '2024-04-30' }, 'terminate-62');
      expectStatus(terminated, 200);
      expect(terminated.body).toEqual({ beneficiaryId: moved, findingId: PAID_TWICE, decision: 'TERMINATE', position: expect.any(String), cancelledDisbursements: 1, overpayments: 1 });
      const retried = await resolve(checker, moved, PAID_TWICE, { decision: 'TERMINATE', reason: 'Lives in Hà Nội since May', effectiveDate: '2024-04-30' }, 'terminate-62');
      expect({ status: retried.status, body: retried.body }).toEqual({ status: 200, body: terminated.body });
      expect((await resolve(checker, moved, PAID_TWICE, { decision: 'KEEP', reason: 'Changed my mind' })).body).toMatchObject({ status: 409, code: 'FINDING_ALREADY_RESOLVED' });

      expect(await disbursementOf(checker, moved, '2024-04')).toMatchObject({ status: 'SENT', overpayment: false });
      expect(await disbursementOf(checker, moved, '2024-05')).toMatchObject({ status: 'PAID', overpayment: true, terminationDate: '2024-04-30' });
      expect((await disbursementOf(checker, moved, '2024-06')).status).toBe('CANCELLED');
      const person = await checker.getFresh(`/v1/beneficiaries/${moved}`);
      expect(person.body.enrollments).toEqual([expect.objectContaining({ program: 'MERITORIOUS', status: 'TERMINATED', terminationReason: 'MOVED_OUT', terminatedOn: '2024-04-30' })]);
    });

    it('leaves on the person’s stream who recorded the finding and who resolved it, effective the termination’s date', async () => {
      const history = await auditor.get(`/v1/audit/streams/${moved}`);
      expectStatus(history, 200);
      const events = history.body.items as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>;
      expect(events.find((event) => event.type === 'CrossProvinceFindingRecorded')).toMatchObject({
        data: { findingId: PAID_TWICE, unitCode: '899', period: '2024-05', otherProvinces: ['01'], foundAt: '2024-06-04T03:05:00.000Z' },
        metadata: { actorId: 'national-hub', command: 'RecordCrossProvinceFinding', correlationId: PAID_TWICE },
      });
      expect(events.filter((event) => event.type === 'CrossProvinceFindingResolved' || event.type === 'EnrollmentTerminated')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ decision: 'TERMINATE', resolvedBy: 'cpf-checker', effectiveDate: '2024-04-30' }), metadata: expect.objectContaining({ command: 'ResolveCrossProvinceFinding', effectiveDate: '2024-04-30' }) }),
        expect.objectContaining({ data: expect.objectContaining({ reason: 'MOVED_OUT', effectiveDate: '2024-04-30' }), metadata: expect.objectContaining({ actorId: 'cpf-checker' }) }),
      ]);
    });

    it('the next run pays the person kept, the months held back included, and not the one who moved', async () => {
      const scheduled = await schedulePayroll(maker, { period: '2024-08', unitCode: '899' });
      expect(scheduled).toMatchObject({ arrears: 1, skipped: { TERMINATED: 1 } });
      expect(scheduled.skipped.CROSS_PROVINCE_FINDING).toBeUndefined();
      await approveAndSend(maker, checker, scheduled.runId);
      expect(await disbursementOf(checker, twice, '2024-06')).toMatchObject({ status: 'SENT', arrears: false, amount: MERITORIOUS_2024 });
      expect(await disbursementOf(checker, twice, '2024-07')).toMatchObject({ status: 'SENT', arrears: true });
      expect((await disbursementOf(checker, twice, '2024-08')).status).toBe('SENT');
      const movedInAugust = await checker.getFresh(`/v1/disbursements?beneficiaryId=${moved}&period=2024-08`);
      expect(movedInAugust.body.items).toEqual([]);
    });
  });
});
