import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { parse } from 'csv-parse/sync';
import type { IdentityCheckAnswer, LocalDate } from '@ledger/domain';
import { RecordIdentityCheckAnswerCommand, type IdentityCheckAnswerRecorded } from '../../apps/ledger-api/src/beneficiaries/identity-checks.commands.js';
import type { CommandContext } from '../../apps/ledger-api/src/platform/index.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, approveAndSend, disbursementOf, enroll, expectStatus, headPosition, nationalIdFor, openAccount, runPayroll, schedulePayroll, type LedgerActor } from './support/ledger-flow.js';

const MERITORIOUS_2024 = 2_055_000;
const IMPORT = 'answers-2024-06';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const diedOn = (dateOfDeath: string): IdentityCheckAnswer => ({ outcome: 'DECEASED', dateOfDeath: dateOfDeath as LocalDate });

/**
 * The population database's answers, as an import records them (through the command bus: the
 * import's own route is another piece of work), and what operators do with the deaths they report.
 */
describe('reported deaths and the population database’s request file', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let elsewhere: LedgerActor;
  let auditor: LedgerActor;
  let reporter: LedgerActor;
  let admin: LedgerActor;
  /** Died on 20 April; paid by bank for April and May before the ledger heard of it. */
  let dead: string;
  /** Reported dead by mistake. */
  let alive: string;
  /** Paid as usual all along. */
  let neighbour: string;
  /** Registered in unit 900, outside the operators of 899. */
  let stranger: string;

  /** Records one answer as `importer` imports it from line `line` of IMPORT. */
  function recordAnswer(importer: LedgerActor, beneficiaryId: string, line: number, answer: IdentityCheckAnswer): Promise<IdentityCheckAnswerRecorded> {
    const correlationId = randomUUID();
    const context: CommandContext = { actor: { userId: importer.sub, role: 'operator', units: ['899'] }, correlationId, causationId: correlationId, receivedAt: new Date() };
    return ledger.app.get(CommandBus).execute(new RecordIdentityCheckAnswerCommand(beneficiaryId, { importId: IMPORT, line }, answer, context));
  }

  const confirm = (reviewer: LedgerActor, beneficiaryId: string, key?: string) => reviewer.post(`/v1/beneficiaries/${beneficiaryId}/death-report/confirm`, undefined, key);
  const reject = (reviewer: LedgerActor, beneficiaryId: string, reason = 'Seen alive at the commune office on 8 June') =>
    reviewer.post(`/v1/beneficiaries/${beneficiaryId}/death-report/reject`, { reason });

  async function reviewList(reader: LedgerActor, query = '') {
    const response = await reader.getFresh(`/v1/death-reports${query}`);
    expectStatus(response, 200);
    return response.body as { items: Array<Record<string, unknown>>; next: string | null };
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'dr-maker');
    checker = await actor(ledger, 'operator', ['899'], 'dr-checker');
    elsewhere = await actor(ledger, 'operator', ['900'], 'dr-elsewhere');
    auditor = await actor(ledger, 'auditor', ['*'], 'dr-auditor');
    reporter = await actor(ledger, 'reporter', ['*'], 'dr-reporter');
    admin = await actor(ledger, 'admin', ['*'], 'dr-admin');

    dead = await enroll(maker, 41, { fullName: 'Đặng Thị Ánh', dateOfBirth: '1952-03-14' });
    await openAccount(maker, dead, { holderName: 'DANG THI ANH' });
    alive = await enroll(maker, 42, { fullName: 'Lâm Văn Sơn' });
    neighbour = await enroll(maker, 44);
    stranger = await enroll(elsewhere, 43, { unitCode: '900' });

    await runPayroll(maker, checker, { period: '2024-04', unitCode: '899' });
    await runPayroll(maker, checker, { period: '2024-05', unitCode: '899' });
    const may = await disbursementOf(maker, dead, '2024-05');
    expectStatus(await maker.post(`/v1/disbursements/${may.disbursementId}/settle`, { providerReference: 'FT24131000041', paidAt: '2024-05-10T09:30:00+07:00', amount: MERITORIOUS_2024 }), 200);
  });
  afterAll(() => ledger.close());

  describe('when the population database answers that two people died', () => {
    it('holds their payments for review, once per line of the answer file', async () => {
      expect(await recordAnswer(maker, dead, 1, diedOn('2024-04-20'))).toMatchObject({ beneficiaryId: dead, deathReported: true, recorded: true });
      expect(await recordAnswer(maker, dead, 1, diedOn('2024-04-20'))).toMatchObject({ deathReported: false, recorded: false });
      expect(await recordAnswer(maker, alive, 2, diedOn('2024-05-15'))).toMatchObject({ deathReported: true, recorded: true });
      expect(await recordAnswer(maker, neighbour, 3, { outcome: 'MATCHED' })).toMatchObject({ deathReported: false, recorded: true });
    });

    it('answers an answer about someone outside the importer’s units as about no one', async () => {
      await expect(recordAnswer(maker, stranger, 4, { outcome: 'MATCHED' })).rejects.toMatchObject({ code: 'BENEFICIARY_NOT_FOUND' });
    });

    it('skips them in the next payroll run (DEATH_REPORTED), and pays everyone else', async () => {
      const { scheduled } = await runPayroll(maker, checker, { period: '2024-06', unitCode: '899' });
      expect(scheduled).toMatchObject({ scheduled: 1, skipped: { DEATH_REPORTED: 2 } });
      expect((await disbursementOf(maker, neighbour, '2024-06')).status).toBe('SENT');
    });

    it('lists them for their unit’s operators and auditors, oldest report first', async () => {
      const { items, next } = await reviewList(checker);
      expect(items).toEqual([
        { beneficiaryId: dead, unitCode: '899', dateOfDeath: '2024-04-20', reportedAt: expect.any(String), importId: IMPORT, line: 1 },
        { beneficiaryId: alive, unitCode: '899', dateOfDeath: '2024-05-15', reportedAt: expect.any(String), importId: IMPORT, line: 2 },
      ]);
      expect(next).toBeNull();
      expect((await reviewList(auditor)).items).toHaveLength(2);
      const first = await reviewList(checker, '?limit=1');
      expect(first.items.map((item) => item.beneficiaryId)).toEqual([dead]);
      expect((await reviewList(checker, `?limit=1&cursor=${first.next}`)).items.map((item) => item.beneficiaryId)).toEqual([alive]);
    });

    it('keeps them from other units, and from reporters', async () => {
      expect((await reviewList(elsewhere)).items).toEqual([]);
      expect((await maker.get('/v1/death-reports?unitCode=900')).body).toMatchObject({ status: 403, code: 'UNIT_OUT_OF_SCOPE' });
      expect((await reporter.get('/v1/death-reports')).body).toMatchObject({ status: 403, code: 'ROLE_NOT_ALLOWED' });
      expect((await maker.get('/v1/death-reports?cursor=bm90LWEtY3Vyc29y')).body).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
    });
  });

  describe('when an operator reviews a reported death', () => {
    it('refuses the operator who imported the answer, whichever way they decide (maker-checker)', async () => {
      expect((await confirm(maker, dead)).body).toMatchObject({ status: 422, code: 'CONFIRMATION_BY_IMPORTER' });
      expect((await reject(maker, dead)).body).toMatchObject({ status: 422, code: 'REJECTION_BY_IMPORTER' });
    });

    it('answers an operator of another unit as if the person did not exist, and refuses auditors', async () => {
      expect((await confirm(elsewhere, dead)).body).toMatchObject({ status: 404, code: 'BENEFICIARY_NOT_FOUND' });
      expect((await confirm(auditor, dead)).body).toMatchObject({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    });

    it('needs an Idempotency-Key, as the enrollment lifecycle does', async () => {
      expect((await checker.post(`/v1/beneficiaries/${dead}/death-report/confirm`, undefined, null)).body).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
    });

    it('confirmed, terminates the person as of the date of death and flags what was paid for a later month as an overpayment', async () => {
      const confirmed = await confirm(checker, dead, 'confirm-death-41');
      expectStatus(confirmed, 200);
      expect(confirmed.body).toEqual({ beneficiaryId: dead, position: expect.any(String), terminatedEnrollments: 1, cancelledDisbursements: 0, overpayments: 1 });
      const retried = await confirm(checker, dead, 'confirm-death-41');
      expect({ status: retried.status, body: retried.body, replayed: retried.headers.get('idempotency-replayed') }).toEqual({ status: 200, body: confirmed.body, replayed: 'true' });

      expect(await disbursementOf(checker, dead, '2024-05')).toMatchObject({ status: 'PAID', overpayment: true, terminationDate: '2024-04-20' });
      expect(await disbursementOf(checker, dead, '2024-04')).toMatchObject({ status: 'SENT', overpayment: false });
      const person = await checker.getFresh(`/v1/beneficiaries/${dead}`);
      expect(person.body.enrollments).toEqual([expect.objectContaining({ program: 'MERITORIOUS', status: 'TERMINATED' })]);
      expect((await confirm(checker, dead)).body).toMatchObject({ status: 404, code: 'DEATH_REPORT_NOT_FOUND' });
    });

    it('leaves on the person’s stream who imported the report and who confirmed it, effective the date of death', async () => {
      const history = await auditor.get(`/v1/audit/streams/${dead}`);
      expectStatus(history, 200);
      const events = history.body.items as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>;
      expect(events.find((event) => event.type === 'DeathReported')).toMatchObject({ data: { importedBy: 'dr-maker' }, metadata: { actorId: 'dr-maker' } });
      expect(events.filter((event) => event.type === 'DeathReportConfirmed' || event.type === 'EnrollmentTerminated')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ confirmedBy: 'dr-checker' }), metadata: expect.objectContaining({ command: 'ConfirmDeathReport', effectiveDate: '2024-04-20' }) }),
        expect.objectContaining({ data: expect.objectContaining({ reason: 'DECEASED', effectiveDate: '2024-04-20' }), metadata: expect.objectContaining({ actorId: 'dr-checker' }) }),
      ]);
    });

    it('rejected with a reason, releases the person: the next run pays them, the month held back as arrears', async () => {
      expect((await reject(checker, alive, ' ')).body).toMatchObject({ status: 400 });
      const rejected = await reject(checker, alive);
      expectStatus(rejected, 200);
      expect(rejected.body).toEqual({ beneficiaryId: alive, position: expect.any(String) });
      expect((await reviewList(checker)).items).toEqual([]);

      const scheduled = await schedulePayroll(maker, { period: '2024-07', unitCode: '899' });
      expect(scheduled).toMatchObject({ scheduled: 3, arrears: 1, skipped: { TERMINATED: 1 } });
      await approveAndSend(maker, checker, scheduled.runId);
      expect(await disbursementOf(checker, alive, '2024-06')).toMatchObject({ status: 'SENT', arrears: true, amount: MERITORIOUS_2024 });
      expect((await disbursementOf(checker, alive, '2024-07')).status).toBe('SENT');
      const deadInJuly = await checker.getFresh(`/v1/disbursements?beneficiaryId=${dead}&period=2024-07`);
      expect(deadInJuly.body.items).toEqual([]);
    });
  });

  describe('when an operator downloads the request file for the population database', () => {
    async function download(reader: LedgerActor, query = '') {
      const head = await headPosition(ledger);
      const response = await fetch(`${ledger.url}/v1/identity-checks/request-file${query}`, { headers: { authorization: `Bearer ${reader.token}`, 'x-min-position': head.toString() } });
      return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
    }

    it('holds the people registered in the operator’s units, and only those, under a header row', async () => {
      const file = await download(maker);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(file.bytes.subarray(0, 3)).toEqual(BOM);
      const rows = parse(file.bytes, { bom: true }) as string[][];
      expect(rows[0]).toEqual(['national_id', 'full_name', 'date_of_birth', 'gender']);
      expect(rows.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
        [nationalIdFor(41), 'Đặng Thị Ánh', '1952-03-14', 'MALE'],
        [nationalIdFor(42), 'Lâm Văn Sơn', '1952-03-14', 'MALE'],
        [nationalIdFor(44), 'Bùi Trung Tài', '1952-03-14', 'MALE'],
      ]);
    });

    it('narrows to a unit asked for, and refuses one outside the operator’s units', async () => {
      const other = parse((await download(elsewhere, '?unitCode=900')).bytes, { bom: true }) as string[][];
      expect(other.slice(1).map((row) => row[0])).toEqual([nationalIdFor(43)]);
      expect((await download(maker, '?unitCode=900')).status).toBe(403);
    });

    it('records every person in the file in the access log, as read by the operator', async () => {
      await download(checker);
      for (const person of [dead, alive, neighbour]) {
        const log = await admin.get(`/v1/audit/access-log?beneficiaryId=${person}&limit=1000`);
        expectStatus(log, 200);
        expect(log.body.items).toContainEqual(expect.objectContaining({ actor: 'dr-checker', actorRole: 'operator', route: 'GET /v1/identity-checks/request-file', beneficiaryId: person }));
      }
      const strangerLog = await admin.get(`/v1/audit/access-log?beneficiaryId=${stranger}&limit=1000`);
      expect(strangerLog.body.items).not.toContainEqual(expect.objectContaining({ actor: 'dr-checker' }));
    });

    it('is for operators: auditors and reporters are refused', async () => {
      expect((await download(auditor)).status).toBe(403);
      expect((await download(reporter)).status).toBe(403);
    });
  });
});
