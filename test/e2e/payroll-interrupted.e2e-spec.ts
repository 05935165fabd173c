// A payroll run interrupted while scheduling (the process died) and then asked for again under a NEW
// Idempotency-Key: the new run gives the interrupted one up and takes its disbursements over, so
// nothing is left waiting in a run that can never be sent, and nothing is paid twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  beneficiaryDecider,
  decideForDisbursement,
  disbursementStreamName,
  eventsToRecord,
  fold,
  initialDisbursementState,
  payrollRunDecider,
  payrollRunStreamName,
  planPayrollFor,
  uuidV5,
  type BeneficiaryEvent,
  type Catalogues,
  type Period,
} from '@ledger/domain';
import { handleCommand, NO_STREAM, readDomainStream, seedOf, toEventToAppend, type EventStore } from '@ledger/event-store';
import { CATALOGUES } from '../../apps/ledger-api/src/ledger/ledger.tokens.js';
import { EVENT_STORE } from '../../apps/ledger-api/src/ledger.tokens.js';
import { PAYROLL_RUN_NAMESPACE } from '../../apps/ledger-api/src/payroll-runs/schedule-payroll.handler.js';
import { startTestLedger } from './support/ledger-app.js';
import { actor, approveAndSend, disbursementOf, enroll, expectStatus, type LedgerActor } from './support/ledger-flow.js';

const ledger = await startTestLedger();
const store = ledger.app.get<symbol, EventStore>(EVENT_STORE);
const catalogues = ledger.app.get<symbol, Catalogues>(CATALOGUES);
afterAll(() => ledger.close());

const scope = { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' } as const;
const metadata = { actorId: 'interrupted-maker', actorRole: 'operator', command: 'SchedulePayroll', correlationId: 'c', causationId: 'c' };

/** What a run leaves when its process dies while scheduling: its record opened, some disbursements written, never closed. */
async function interruptedRun(createdBy: string, key: string, beneficiaryIds: readonly string[]): Promise<string> {
  const runId = uuidV5(seedOf(createdBy, key, 'SchedulePayroll'), PAYROLL_RUN_NAMESPACE);
  await handleCommand(store, payrollRunDecider, payrollRunStreamName(runId), { type: 'CreatePayrollRun', data: { runId, createdBy, ...scope } }, { metadata });
  for (const beneficiaryId of beneficiaryIds) {
    const beneficiary = fold(beneficiaryDecider, (await readDomainStream<BeneficiaryEvent>(store, `beneficiary-${beneficiaryId}`)).events);
    const [planned] = planPayrollFor(beneficiary, { ...scope, period: scope.period as Period }, catalogues).planned;
    const events = eventsToRecord(decideForDisbursement({ type: 'ScheduleDisbursement', data: { ...planned!, payrollRunId: runId, attempt: 1 } }, initialDisbursementState()));
    await store.appendToStream(disbursementStreamName(planned!.disbursementId), events.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
  }
  return runId;
}

describe('a payroll run interrupted while scheduling, asked for again under another Idempotency-Key', () => {
  let maker: LedgerActor;
  let checker: LedgerActor;
  let people: string[];
  let interruptedRunId: string;
  let takeover: Record<string, unknown>;

  beforeAll(async () => {
    maker = await actor(ledger, 'operator', ['899'], 'interrupted-maker');
    checker = await actor(ledger, 'operator', ['899'], 'interrupted-checker');
    people = [await enroll(maker, 701, { effectiveFrom: '2024-04' }), await enroll(maker, 702, { effectiveFrom: '2024-04' }), await enroll(maker, 703, { effectiveFrom: '2024-04' })];
    interruptedRunId = await interruptedRun(maker.sub, 'payroll-2024-04-first-try', people.slice(0, 2));
    const response = await maker.post('/v1/payroll-runs', scope, 'payroll-2024-04-second-try');
    expectStatus(response, 201);
    takeover = response.body;
  });

  it('takes over the disbursements the interrupted run wrote, and schedules the rest', () => {
    expect(takeover).toMatchObject({ status: 'SCHEDULED', scheduled: 3, alreadyScheduled: 0 });
    expect(takeover.runId).not.toBe(interruptedRunId);
  });

  it('records the interrupted run as abandoned, for the later one', async () => {
    const run = await maker.getFresh(`/v1/payroll-runs/${interruptedRunId}`);
    expectStatus(run, 200);
    expect(run.body).toMatchObject({ status: 'ABANDONED' });
    const events = await store.readStream(payrollRunStreamName(interruptedRunId));
    expect(events.at(-1)).toMatchObject({ type: 'PayrollRunAbandoned', data: { takenOverBy: takeover.runId } });
  });

  it('refuses to finish the abandoned run when its own request comes again', async () => {
    const retried = await maker.post('/v1/payroll-runs', scope, 'payroll-2024-04-first-try');
    expect({ status: retried.status, code: retried.body.code }).toEqual({ status: 409, code: 'PAYROLL_RUN_ABANDONED' });
  });

  it('sends every one of them once, in the run that took them over', async () => {
    const sent = await approveAndSend(maker, checker, takeover.runId as string);
    expect(sent).toMatchObject({ status: 'SENT', sent: 3 });
    for (const beneficiaryId of people) {
      const disbursement = await disbursementOf(maker, beneficiaryId, '2024-04');
      expect(disbursement).toMatchObject({ status: 'SENT', payrollRunId: takeover.runId });
      expect((await store.readStream(disbursementStreamName(disbursement.disbursementId))).filter((event) => event.type === 'DisbursementSent')).toHaveLength(1);
    }
  });

  it('takes nothing from a run that finished scheduling: a run again under a third key schedules nothing', async () => {
    const again = await maker.post('/v1/payroll-runs', scope, 'payroll-2024-04-third-try');
    expectStatus(again, 201);
    expect(again.body).toMatchObject({ scheduled: 0, alreadyScheduled: 0, unchangedSince: { runId: takeover.runId, beneficiaries: 3 } });
  });
});
