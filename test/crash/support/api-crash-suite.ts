// The compiled API, killed with SIGKILL at a seeded random point while it writes, then restarted:
// the same tests on each topology (api-crash.int-spec.ts, api-crash-postgres.int-spec.ts).
// CRASH_SEEDS (default 11,23,37) aims the kills; CRASH_BENEFICIARIES, CRASH_SETTLEMENTS size the work;
// CRASH_API_MAIN runs a given build instead of compiling one (see buildApi).
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BeneficiaryEventType, DisbursementEventType, FileImportEventType, PayrollRunEventType, type LocalDate } from '@ledger/domain';
import { bankResultsCsv, type PaymentResult } from '@ledger/payment-files';
import { LINES_PER_CHUNK } from '../../../apps/ledger-api/src/imports/file-imports.js';
import { disbursementStreams, seededRandom, sleep, until } from './crash-kit.js';
import type { CrashLedger, CrashTopology, LedgerObserver } from './crash-topology.js';
import { buildApi, clientFor, type ApiClient, type ApiProcess, type HttpResponse } from './ledger-process.js';
import { addMonths, enrollmentBody, expectedPayroll, personFor, RUN_PERIOD, type ExpectedDisbursement, type Person } from './province.js';

const SEEDS = (process.env.CRASH_SEEDS ?? '11,23,37').split(',').map(Number);
const BENEFICIARIES = Number(process.env.CRASH_BENEFICIARIES ?? 20_000);
const SETTLEMENTS_PER_SEED = Number(process.env.CRASH_SETTLEMENTS ?? 300);
const SETTLEMENTS_IN_FLIGHT = 32;
const SETTLEMENT_PROVINCE = 2_500;

const people: Person[] = Array.from({ length: BENEFICIARIES }, (_, serial) => personFor(serial));

function expectStatus(response: HttpResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toEqual({ status, body: response.body });
}

/** Waits until the API's embedded projector has applied everything in the log (X-Min-Position). */
async function waitForReadModels(reader: ApiClient): Promise<bigint> {
  const ready = await reader.get('/health/ready');
  expectStatus(ready, 200);
  const head = BigInt(ready.body.eventStore.headPosition);
  await until(async () => (await reader.get('/v1/disbursements?limit=1', { 'x-min-position': head.toString() })).status === 200, 120_000, `read models at ${head}`, 50);
  return head;
}

/** The response, or undefined when the connection failed: the client got no answer at all. */
async function answerOf(request: Promise<HttpResponse>): Promise<HttpResponse | undefined> {
  try {
    return await request;
  } catch (error) {
    // fetch failed (refused or reset). Compared by name: under Jest the error comes from another realm.
    if ((error as Error | undefined)?.name === 'TypeError') return undefined;
    throw error;
  }
}

const eventsOf = (observer: LedgerObserver, where: string, ...parameters: unknown[]) =>
  observer.rows<{ position: number; stream_name: string; stream_revision: number; type: string; data: string }>(
    `SELECT e.position, s.stream_name, e.stream_revision, e.type, e.data FROM events e JOIN streams s USING (stream_id) WHERE ${where} ORDER BY e.position`,
    ...parameters,
  );

/** Runs `work` over `items` with at most `inFlight` at once; stops taking new items once `stop()` says so. */
async function pool<T>(items: readonly T[], inFlight: number, work: (item: T, index: number) => Promise<void>, stop: () => boolean = () => false) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length && !stop()) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** The crash tests on one topology: declared inside a describe of the caller's. */
export function apiCrashTests(openTopology: () => CrashTopology): void {
  let topology: CrashTopology;
  const running = new Set<ApiProcess>();
  const ledgers: CrashLedger[] = [];
  let apiMain: string;

  async function start(ledger: CrashLedger): Promise<ApiProcess> {
    const api = await ledger.startApi(apiMain);
    running.add(api);
    api.child.once('exit', () => running.delete(api));
    return api;
  }

  async function seededLedger(name: string, province: readonly Person[]): Promise<CrashLedger> {
    const ledger = await topology.seededLedger(name, province);
    ledgers.push(ledger);
    return ledger;
  }

  beforeAll(() => {
    apiMain = process.env.CRASH_API_MAIN ? resolve(process.env.CRASH_API_MAIN) : buildApi().main;
    topology = openTopology();
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...running].map((api) => api.kill()));
    for (const ledger of ledgers) await ledger.dispose();
    await topology?.dispose();
  }, 60_000);

  describe('when killed while a payroll run writes its disbursements', () => {
    // One ledger, one payroll period per seed: the API restarted after one crash is the next seed's
    // victim, and each run resumes on a ledger that already holds the earlier runs' disbursements.
    const population: Person[] = [...people];
    /** Every disbursement stream the runs so far must have written, worked out independently. */
    const owed = new Map<string, ExpectedDisbursement>();
    let ledger: CrashLedger;
    let api: ApiProcess;
    let maker: ApiClient;
    let observer: LedgerObserver;

    beforeAll(async () => {
      ledger = await seededLedger('payroll', people);
      api = await start(ledger);
      maker = await clientFor(() => api, { role: 'operator', sub: 'payroll-maker' });
      observer = await ledger.observe();
    }, 240_000);

    afterAll(async () => {
      await observer?.close();
    });

    it.each(SEEDS)('seed %i: the same request resumes the run; one disbursement per (beneficiary, program, period); nothing acknowledged is lost', async (seed) => {
      const random = seededRandom(seed);
      const period = addMonths(RUN_PERIOD, SEEDS.indexOf(seed));

      // Enrollments acknowledged just before the run, and more while it runs, until the kill.
      const acknowledged: Array<{ person: Person; position: bigint }> = [];
      const unanswered: Person[] = [];
      // Over HTTP only the enrollment itself (no suspension, no account); some start months before the run.
      const httpPerson = (index: number): Person => {
        const person = personFor(900_000 + SEEDS.indexOf(seed) * 1_000 + index);
        const { suspendedFrom: _, ...enrollment } = person.enrollments[0]!;
        return { ...person, enrollments: [{ ...enrollment, effectiveFrom: addMonths(period, enrollment.effectiveFrom < RUN_PERIOD ? -2 : 0) }], account: null };
      };
      const enroll = async (person: Person) => {
        const response = await answerOf(maker.post('/v1/beneficiaries', enrollmentBody(person), null));
        // No answer: the connection died with the process, and no promise was made.
        if (!response) return void unanswered.push(person);
        expectStatus(response, 201);
        expect(response.body.beneficiaryId).toBe(person.beneficiaryId);
        acknowledged.push({ person, position: BigInt(response.body.position) });
      };
      await pool(Array.from({ length: 24 }, (_, index) => httpPerson(index)), 6, enroll);
      if (unanswered.length > 0) throw new Error(`${unanswered.length} of 24 enrollments got no answer before any kill; the API: ${api.state()}\n${api.output()}`);
      expect(acknowledged).toHaveLength(24);

      const headBefore = BigInt(await observer.value('SELECT COALESCE(MAX(position), -1) FROM events'));
      const lowerBound = [...expectedPayroll([...population, ...acknowledged.map(({ person }) => person)], period).disbursements.keys()].filter((stream) => !owed.has(stream)).length;
      const owedBefore = owed.size;
      const killAt = owedBefore + Math.ceil(lowerBound * (0.05 + 0.9 * random()));
      const delayShare = random();
      const countDisbursements = () => observer.value(`SELECT COUNT(*) AS n FROM streams WHERE ${disbursementStreams()}`);

      const key = `payroll-${seed}-${Date.now()}`;
      let killed = false;
      const firstAttempt = answerOf(maker.post('/v1/payroll-runs', { period }, key));
      let nextIndex = 24;
      const trickle = Promise.all(
        [0, 1].map(async () => {
          while (!killed && nextIndex < 224) await enroll(httpPerson(nextIndex++));
        }),
      );
      // The kill point: once `killAt` disbursement streams are on disk, wait a random share of the time
      // the last commit took to come, so the kill may land anywhere in the next wave, its commit
      // included; never past the next commit, and at once when only the run's own record is left.
      let seen = owedBefore;
      let changedAt = Date.now();
      let lastWave = { size: 1, ms: 0 };
      const deadline = Date.now() + 120_000;
      while (seen < killAt) {
        if (Date.now() > deadline) throw new Error(`no ${killAt} disbursement streams after 120 s (${seen}):\n${api.output()}`);
        await sleep(5);
        const now = await countDisbursements();
        if (now !== seen) {
          lastWave = { size: now - seen, ms: Date.now() - changedAt };
          changedAt = Date.now();
          seen = now;
        }
      }
      const delayMs = Math.floor(delayShare * 0.9 * lastWave.ms * Math.min(1, Math.max(0, owedBefore + lowerBound - seen) / lastWave.size));
      await until(async () => Date.now() - changedAt >= delayMs || (await countDisbursements()) !== seen, delayMs + 60_000, 'the kill point', 2);
      killed = true;
      await api.kill();
      const [firstResponse] = await Promise.all([firstAttempt, trickle]);

      const runCreated = await eventsOf(observer, 'e.position > ? AND e.type = ?', headBefore, PayrollRunEventType.Created);
      const atCrash = {
        disbursements: (await countDisbursements()) - owedBefore,
        runCompleted: (await eventsOf(observer, 'e.position > ? AND e.type = ?', headBefore, PayrollRunEventType.Scheduled)).length > 0,
        answered: firstResponse?.status ?? null,
      };
      // The kill landed while the run was writing: disbursements on disk, the run unfinished and
      // unanswered — unless it was aimed at the run's closing records, which may just have made it.
      const aimedAtClosing = seen >= owedBefore + lowerBound;
      expect(runCreated).toHaveLength(1);
      expect(atCrash.disbursements).toBeGreaterThan(0);
      expect(atCrash).toMatchObject(aimedAtClosing ? {} : { runCompleted: false, answered: null });

      // Restarted: the same request, with the same key, finishes the run.
      api = await start(ledger);
      const resumed = await maker.post('/v1/payroll-runs', { period }, key);
      expectStatus(resumed, 201);
      const runId: string = resumed.body.runId;
      expect(`payroll-run-${runId}`).toBe(runCreated[0]!.stream_name);

      // Every acknowledged enrollment is in the log, at the position its response gave.
      for (const { person, position } of acknowledged) {
        const [event] = await eventsOf(observer, 'e.position = ?', position);
        expect({ position, stream: event?.stream_name, type: event?.type }).toEqual({ position, stream: `beneficiary-${person.beneficiaryId}`, type: BeneficiaryEventType.EnrollmentStarted });
      }
      // An unanswered enrollment may or may not have committed; the resumed run owes it only if it did.
      const committed: Person[] = [];
      for (const person of unanswered) if ((await eventsOf(observer, 's.stream_name = ?', `beneficiary-${person.beneficiaryId}`)).length > 0) committed.push(person);
      population.push(...acknowledged.map(({ person }) => person), ...committed);
      const expected = expectedPayroll(population, period);
      // Months an earlier run already scheduled (arrears then, arrears now) are not this run's.
      const mine = new Map([...expected.disbursements].filter(([stream]) => !owed.has(stream)));
      for (const [stream, disbursement] of mine) owed.set(stream, disbursement);

      // Exactly the owed disbursement streams, each holding its one DisbursementScheduled.
      const streams = await observer.rows<{ stream_name: string; revision: number }>(`SELECT stream_name, revision FROM streams WHERE ${disbursementStreams()}`);
      expect(streams.length).toBe(owed.size);
      expect(streams.filter((stream) => stream.revision !== 0 || !owed.has(stream.stream_name)).slice(0, 3)).toEqual([]);
      const scheduled = await eventsOf(observer, `e.position > ? AND ${disbursementStreams('s.stream_name')}`, headBefore);
      expect(scheduled.length).toBe(mine.size);
      const mismatches = scheduled.flatMap((event) => {
        const want = mine.get(event.stream_name);
        const data = JSON.parse(event.data);
        const got = { type: event.type, amount: data.amount, arrears: data.arrears, channel: data.channel, period: data.period, unitCode: data.unitCode, payrollRunId: data.payrollRunId };
        const wanted = want && { type: DisbursementEventType.Scheduled, amount: want.amount, arrears: want.arrears, channel: want.channel, period: want.period, unitCode: want.unitCode, payrollRunId: runId };
        return JSON.stringify(got) === JSON.stringify(wanted) ? [] : [{ stream: event.stream_name, got, wanted }];
      });
      expect(mismatches.slice(0, 3)).toEqual([]);

      // The run's own record: every disbursement included once, and a summary that adds up.
      const runEvents = await eventsOf(observer, 's.stream_name = ?', `payroll-run-${runId}`);
      const included = runEvents.filter((event) => event.type === PayrollRunEventType.DisbursementsIncluded).flatMap((event) => JSON.parse(event.data).disbursementIds as string[]);
      expect(included.length).toBe(mine.size);
      expect(new Set(included).size).toBe(included.length);
      expect(included.filter((id) => !mine.has(`disbursement-${id}`))).toEqual([]);
      expect(runEvents.filter((event) => event.type !== PayrollRunEventType.DisbursementsIncluded).map((event) => event.type)).toEqual([PayrollRunEventType.Created, PayrollRunEventType.Scheduled]);
      const summary = {
        status: 'SCHEDULED',
        scheduled: mine.size,
        alreadyScheduled: 0,
        arrears: [...mine.values()].filter((disbursement) => disbursement.arrears).length,
        skipped: expected.skipped,
        totalAmount: [...mine.values()].reduce((sum, disbursement) => sum + disbursement.amount, 0),
      };
      expect(resumed.body).toMatchObject(summary);
      const run = await maker.get(`/v1/payroll-runs/${runId}`);
      expectStatus(run, 200);
      expect(run.body).toMatchObject({ ...summary, disbursements: mine.size });
      // The same request once more is answered from the idempotency record, unchanged.
      const again = await maker.post('/v1/payroll-runs', { period }, key);
      expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: resumed.body });

      // The read models the restarted API serves hold the run as the log does.
      await waitForReadModels(maker);
      const rows = await observer.rows('SELECT disbursement_id, status, amount, channel, arrears FROM disbursements WHERE payroll_run_id = ?', runId);
      expect(rows.length).toBe(mine.size);
      expect(
        rows
          .filter((row) => {
            const want = mine.get(`disbursement-${String(row.disbursement_id)}`);
            return !want || row.status !== 'SCHEDULED' || row.amount !== want.amount || row.channel !== want.channel || row.arrears !== (want.arrears ? 1 : 0);
          })
          .slice(0, 3),
      ).toEqual([]);
      expect(await observer.row('SELECT status, scheduled, arrears, total_amount FROM payroll_runs WHERE run_id = ?', runId)).toEqual({
        status: 'SCHEDULED',
        scheduled: mine.size,
        arrears: summary.arrears,
        total_amount: summary.totalAmount,
      });
      console.log(
        `payroll crash seed ${seed} (${period}): killed at ${atCrash.disbursements}/${mine.size} disbursements${atCrash.runCompleted ? ' (run record complete)' : ''} ` +
          `(aimed at ${killAt - owedBefore}, then ${delayMs} ms of a ${lastWave.ms} ms wave); ` +
          `${acknowledged.length} enrollments acknowledged, ${unanswered.length} unanswered (${committed.length} committed)`,
      );
    }, 180_000);

    it('after every crash, the read models the restarted API serves equal a rebuild from zero, row for row', async () => {
      await waitForReadModels(maker);
      await api.stop();
      const { differences, rows } = await ledger.compareWithRebuild();
      expect(differences).toEqual([]);
      expect(rows.disbursements).toBe(owed.size);
    }, 120_000);
  });

  describe('when killed while a payroll run is sent, then while settlements stream in', () => {
    // A smaller province, big enough for two sending waves: what is under test here is sending and
    // settling, not the payroll's size.
    const province = Array.from({ length: SETTLEMENT_PROVINCE }, (_, serial) => personFor(serial));
    const expected = expectedPayroll(province);
    const payable = [...expected.disbursements.values()].sort((a, b) => a.disbursementId.localeCompare(b.disbursementId));
    let ledger: CrashLedger;
    let api: ApiProcess;
    let maker: ApiClient;
    let runId: string;

    beforeAll(async () => {
      ledger = await seededLedger('settlements', province);
      api = await start(ledger);
      maker = await clientFor(() => api, { role: 'operator', sub: 'settlements-maker' });
      const checker = await clientFor(() => api, { role: 'operator', sub: 'settlements-checker' });
      const run = await maker.post('/v1/payroll-runs', { period: RUN_PERIOD });
      expectStatus(run, 201);
      expect(run.body.scheduled).toBe(expected.disbursements.size);
      runId = run.body.runId;
      expectStatus(await checker.post(`/v1/payroll-runs/${runId}/approve`, {}), 200);
      expect(SEEDS.length * SETTLEMENTS_PER_SEED).toBeLessThanOrEqual(payable.length);
    }, 120_000);

    afterAll(() => api?.stop());

    it(`seed ${SEEDS[0]}: sending resumes with the same request; each disbursement is SENT once; the payment files add up`, async () => {
      const random = seededRandom(SEEDS[0]!);
      const observer = await ledger.observe();
      try {
        const countOf = (type: string) => observer.value('SELECT COUNT(*) FROM events WHERE type = ?', type);
        const key = `send-${SEEDS[0]}`;
        const firstAttempt = answerOf(maker.post(`/v1/payroll-runs/${runId}/send`, {}, key));
        // After the first sending wave is on disk, a random share of the time it took; never past the next commit.
        const startedAt = Date.now();
        await until(async () => (await countOf(DisbursementEventType.Sent)) > 0, 60_000, 'the first sending wave', 2);
        const waveMs = Date.now() - startedAt;
        const seen = await countOf(DisbursementEventType.Sent);
        const delayMs = Math.floor(random() * 0.9 * waveMs * Math.min(1, (payable.length - seen) / seen));
        await until(async () => Date.now() - startedAt - waveMs >= delayMs || (await countOf(DisbursementEventType.Sent)) !== seen, delayMs + 60_000, 'the kill point', 2);
        await api.kill();
        const atCrash = { sent: await countOf(DisbursementEventType.Sent), runSent: await countOf(PayrollRunEventType.Sent), answered: (await firstAttempt)?.status ?? null };
        expect(atCrash.sent).toBeGreaterThan(0);
        // Unfinished, unless the first commit already held every disbursement and only the run's record was left.
        expect(atCrash).toMatchObject(seen < payable.length ? { runSent: 0, answered: null } : {});

        api = await start(ledger);
        const sent = await maker.post(`/v1/payroll-runs/${runId}/send`, {}, key);
        expectStatus(sent, 200);
        const files = new Map<string, { paymentFile: string; count: number; totalAmount: number }>();
        for (const disbursement of payable) {
          const paymentFile = disbursement.channel === 'BANK' ? province.find((person) => person.beneficiaryId === disbursement.beneficiaryId)!.account!.bankCode : 'POST_OFFICE';
          const file = files.get(paymentFile) ?? { paymentFile, count: 0, totalAmount: 0 };
          files.set(paymentFile, { paymentFile, count: file.count + 1, totalAmount: file.totalAmount + disbursement.amount });
        }
        expect(sent.body).toMatchObject({
          status: 'SENT',
          sent: payable.length,
          cancelled: 0,
          paymentFiles: [...files.values()].sort((a, b) => a.paymentFile.localeCompare(b.paymentFile)),
        });
        const sentPerStream = await observer.rows<{ stream_name: string; n: number }>('SELECT s.stream_name, COUNT(*) AS n FROM events e JOIN streams s USING (stream_id) WHERE e.type = ? GROUP BY s.stream_name', DisbursementEventType.Sent);
        expect(sentPerStream.length).toBe(payable.length);
        expect(sentPerStream.filter((stream) => stream.n !== 1 || !expected.disbursements.has(stream.stream_name)).slice(0, 3)).toEqual([]);
        expect(await countOf(PayrollRunEventType.Sent)).toBe(1);
        await waitForReadModels(maker);
        expect(await observer.value("SELECT COUNT(*) FROM disbursements WHERE status = 'SENT' AND payroll_run_id = ?", runId)).toBe(payable.length);
        console.log(`send crash seed ${SEEDS[0]}: killed at ${atCrash.sent}/${payable.length} sent (${delayMs} ms after the first wave of ${waveMs} ms)`);
      } finally {
        await observer.close();
      }
    }, 120_000);

    // One API after another on the same ledger: the one restarted after a crash is the next seed's victim.
    it.each(SEEDS)('seed %i: every acknowledged settlement is PAID under its reference; each disbursement paid once; retries record no duplicate; read models equal a rebuild', async (seed) => {
      const random = seededRandom(seed);
      const slice = payable.slice(SEEDS.indexOf(seed) * SETTLEMENTS_PER_SEED, (SEEDS.indexOf(seed) + 1) * SETTLEMENTS_PER_SEED);
      const settlements = slice.map((disbursement, index) => ({
        disbursement,
        key: `settle-${seed}-${index}`,
        path: `/v1/disbursements/${disbursement.disbursementId}/settle`,
        body: {
          providerReference: `FT${seed}X${String(index).padStart(5, '0')}`,
          paidAt: index % 4 === 0 ? '2024-09-14T10:00:00+07:00' : '2024-09-05T09:30:00+07:00',
          amount: disbursement.amount,
        },
      }));
      const acknowledged = new Map<number, HttpResponse>();
      const unanswered = new Set<number>();
      const killAfter = Math.floor(settlements.length * (0.1 + 0.7 * random()));
      const delayMs = Math.floor(random() * 25);

      let killing = false;
      const streaming = pool(
        settlements,
        SETTLEMENTS_IN_FLIGHT,
        async (settlement, index) => {
          const response = await answerOf(maker.post(settlement.path, settlement.body, settlement.key));
          if (!response) return void unanswered.add(index);
          expectStatus(response, 200);
          acknowledged.set(index, response);
        },
        () => killing,
      );
      await until(() => acknowledged.size >= killAfter, 120_000, `${killAfter} acknowledged settlements`, 2);
      await sleep(delayMs);
      killing = true;
      await api.kill();
      await streaming;
      const atCrash = { acknowledged: acknowledged.size, unanswered: unanswered.size };

      // Restarted: every settlement sent again with its own key, the unanswered ones included.
      api = await start(ledger);
      const replayed = new Map<number, HttpResponse>();
      await pool(settlements, SETTLEMENTS_IN_FLIGHT, async (settlement, index) => {
        replayed.set(index, await maker.post(settlement.path, settlement.body, settlement.key));
      });
      const unexpected = [...replayed].filter(([, response]) => response.status !== 200 || response.body.status !== 'PAID');
      expect(unexpected.slice(0, 3).map(([index, response]) => ({ index, status: response.status, body: response.body }))).toEqual([]);
      // An acknowledged settlement is answered again exactly as the first time.
      for (const [index, first] of acknowledged) {
        const again = replayed.get(index)!;
        expect({ index, body: again.body, replayed: again.headers.get('idempotency-replayed') }).toEqual({ index, body: first.body, replayed: 'true' });
      }
      // The paying agent's report arrives a second time, under new keys: the same reference is a harmless repeat.
      await pool(settlements.filter((_, index) => index % 5 === 0), SETTLEMENTS_IN_FLIGHT, async (settlement) => {
        const repeat = await maker.post(settlement.path, settlement.body, `${settlement.key}-report-again`);
        expect({ status: repeat.status, paid: repeat.body?.status }).toEqual({ status: 200, paid: 'PAID' });
      });
      // The API stays up for the next seed; nothing writes while the log and read models are compared.
      const head = await waitForReadModels(maker);

      const observer = await ledger.observe();
      try {
        const payments = new Map<string, Array<{ providerReference: string; amount: number }>>();
        for (const event of await eventsOf(observer, 'e.type = ?', DisbursementEventType.Paid)) {
          payments.set(event.stream_name, [...(payments.get(event.stream_name) ?? []), JSON.parse(event.data)]);
        }
        const wrong = settlements.flatMap(({ disbursement, body }) => {
          const paid = payments.get(`disbursement-${disbursement.disbursementId}`) ?? [];
          return paid.length === 1 && paid[0]!.providerReference === body.providerReference && paid[0]!.amount === body.amount ? [] : [{ disbursementId: disbursement.disbursementId, paid }];
        });
        expect(wrong.slice(0, 3)).toEqual([]);
        expect([...payments].filter(([, paid]) => paid.length > 1)).toEqual([]);
        // Nothing but what was settled is paid: this seed's settlements and the earlier seeds'.
        expect(payments.size).toBe((SEEDS.indexOf(seed) + 1) * SETTLEMENTS_PER_SEED);
        expect(await eventsOf(observer, 'e.type = ?', DisbursementEventType.DuplicatePaymentRejected)).toEqual([]);
        const settled = new Set(slice.map((disbursement) => disbursement.disbursementId));
        const rows = (
          await observer.rows<{ disbursement_id: string; status: string; provider_reference: string }>('SELECT disbursement_id, status, provider_reference FROM disbursements WHERE payroll_run_id = ?', runId)
        ).filter((row) => settled.has(row.disbursement_id));
        const reference = new Map(settlements.map(({ disbursement, body }) => [disbursement.disbursementId, body.providerReference]));
        expect(rows.length).toBe(settlements.length);
        expect(rows.filter((row) => row.status !== 'PAID' || row.provider_reference !== reference.get(row.disbursement_id)).slice(0, 3)).toEqual([]);
      } finally {
        await observer.close();
      }
      const { differences } = await ledger.compareWithRebuild();
      expect(differences).toEqual([]);
      expect(await waitForReadModels(maker)).toBe(head); // and nothing was written meanwhile
      console.log(`settlement crash seed ${seed}: killed after ${atCrash.acknowledged}/${settlements.length} acknowledged (threshold ${killAfter}, +${delayMs} ms), ${atCrash.unanswered} unanswered`);
    }, 180_000);
  });

  describe('when killed while a bank’s result file is imported', () => {
    // Every bank transfer of a sent run reported paid, in one CSV of several chunks: the kill lands
    // after some chunks are recorded and some lines of the next are applied.
    const province = Array.from({ length: 10_000 }, (_, serial) => personFor(100_000 + serial));
    const expected = expectedPayroll(province);
    const transfers = [...expected.disbursements.values()].filter((disbursement) => disbursement.channel === 'BANK');
    const results: PaymentResult[] = transfers.map(({ disbursementId, amount }, index) => ({ disbursementId, outcome: 'PAID', amount, date: (index % 3 === 0 ? '2024-09-06' : '2024-09-05') as LocalDate }));
    const resultFile = Buffer.from(bankResultsCsv(results), 'utf8');
    let ledger: CrashLedger;
    let api: ApiProcess;
    let maker: ApiClient;

    beforeAll(async () => {
      ledger = await seededLedger('imports', province);
      api = await start(ledger);
      maker = await clientFor(() => api, { role: 'operator', sub: 'imports-maker' });
      const checker = await clientFor(() => api, { role: 'operator', sub: 'imports-checker' });
      const run = await maker.post('/v1/payroll-runs', { period: RUN_PERIOD });
      expectStatus(run, 201);
      expectStatus(await checker.post(`/v1/payroll-runs/${run.body.runId}/approve`, {}), 200);
      expectStatus(await maker.post(`/v1/payroll-runs/${run.body.runId}/send`, {}), 200);
      expect(transfers.length).toBeGreaterThan(3 * LINES_PER_CHUNK);
    }, 180_000);

    afterAll(() => api?.stop());

    it.each(SEEDS.slice(0, 1))('seed %i: importing the same file again finishes it; every transfer paid once; the report accounts for every line; read models equal a rebuild', async (seed) => {
      const random = seededRandom(seed);
      const observer = await ledger.observe();
      try {
        const count = (type: string) => observer.value('SELECT COUNT(*) FROM events WHERE type = ?', type);
        const firstAttempt = answerOf(maker.upload('/v1/bank-results', resultFile));
        // Killed once a seeded number of transfers is paid: after the first chunk, with at least a chunk and a half still
        // to go, so that the import is caught half way whatever the machine's speed (payments commit a chunk at a time).
        const aim = LINES_PER_CHUNK + Math.floor(random() * (transfers.length - 2.5 * LINES_PER_CHUNK));
        await until(async () => (await count(DisbursementEventType.Paid)) >= aim, 120_000, `${aim} transfers paid`, 1);
        await api.kill();
        const atCrash = {
          chunks: await count(FileImportEventType.LinesReconciled),
          paid: await count(DisbursementEventType.Paid),
          completed: await count(FileImportEventType.Completed),
          answered: (await firstAttempt)?.status ?? null,
        };
        expect(atCrash).toMatchObject({ completed: 0, answered: null });
        expect(atCrash.paid).toBeLessThan(transfers.length);

        api = await start(ledger);
        const finished = await maker.upload('/v1/bank-results', resultFile);
        expectStatus(finished, 201);
        // Lines applied before the crash are still this import's doing: every line APPLIED, none seen as a repeat.
        expect(finished.body).toMatchObject({ status: 'COMPLETED', repeat: false, lineCount: transfers.length, attentionCount: 0 });
        expect(finished.body.counts).toMatchObject({ APPLIED: transfers.length, ALREADY_RECORDED: 0, DUPLICATE: 0, REFUSED: 0 });

        const paidPerStream = await observer.rows<{ stream_name: string; n: number }>('SELECT s.stream_name, COUNT(*) AS n FROM events e JOIN streams s USING (stream_id) WHERE e.type = ? GROUP BY s.stream_name', DisbursementEventType.Paid);
        expect(paidPerStream.length).toBe(transfers.length);
        expect(paidPerStream.filter((stream) => stream.n !== 1)).toEqual([]);
        expect(await count(DisbursementEventType.DuplicatePaymentRejected)).toBe(0);
        expect(await count(FileImportEventType.Completed)).toBe(1);
        const chunks = await observer.rows<{ data: string }>("SELECT e.data FROM events e JOIN streams s USING (stream_id) WHERE e.type = ? AND s.stream_name LIKE 'file-import-%'", FileImportEventType.LinesReconciled);
        const lines = chunks.flatMap(({ data }) => (JSON.parse(data) as { lines: Array<{ line: number }> }).lines.map((line) => line.line));
        expect(new Set(lines).size).toBe(lines.length);
        expect(lines.length).toBe(transfers.length);

        const again = await maker.upload('/v1/bank-results', resultFile);
        expect({ status: again.status, repeat: again.body.repeat }).toEqual({ status: 200, repeat: true });
        await waitForReadModels(maker);
        const { differences } = await ledger.compareWithRebuild();
        expect(differences).toEqual([]);
        console.log(`import crash seed ${seed}: killed with ${atCrash.chunks} chunks recorded, ${atCrash.paid}/${transfers.length} paid (aimed at ${aim})`);
      } finally {
        await observer.close();
      }
    }, 180_000);
  });
}
