import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  beneficiaryIdFor,
  beneficiaryStreamName,
  DISBURSEMENT_CATEGORY,
  includedDisbursementIds,
  PayrollRunEventType,
  to,
  type BeneficiaryCommand,
  type Catalogues,
  type Period,
} from '@ledger/domain';
import { executeStreamCommand, readAggregate, SqliteEventStore, type EventStore, type RecordedEvent, type StreamAppend } from '@ledger/event-store';
import { enrollWithBankAccounts, personEnrollment, personNationalId } from '../../../../libs/event-store/src/testing/province.js';
import type { CommandContext } from '../platform/index.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { ApprovePayrollRunHandler, RejectPayrollRunHandler, SendPayrollRunHandler } from './approve-and-send.handlers.js';
import { ApprovePayrollRunCommand, RejectPayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand, type PayrollRunScheduled } from './payroll-run.commands.js';
import { SchedulePayrollHandler } from './schedule-payroll.handler.js';

/*
 * A rerun that reads only the people whose records changed must leave the ledger exactly as a rerun
 * that reads everyone. Each history below is drawn at random: people enrolled in two units, other
 * runs finished, interrupted or rejected before and after the earlier run, people suspended, moved
 * and enrolled after it, its months sent. The ledger is then copied; the same rerun request goes to
 * each copy, one able to trust the earlier run and one not (other catalogues), and every
 * disbursement's stream and the two runs' records must agree.
 */

const PERIOD = '2024-04' as Period;
const HISTORIES = 40;
const catalogues = loadCatalogues();
const [UNIT_A, UNIT_B] = catalogues.units.codes().filter((code) => code !== '91' && catalogues.units.get(code).parentCode !== null) as [string, string];
const PROGRAMS = ['SOCIAL_ASSISTANCE', 'ELDERLY_ALLOWANCE'].filter((code) => catalogues.programs.codes().includes(code));

/** A small, seeded generator: a failing history can be drawn again from its number. */
function randomFrom(seed: number) {
  let state = seed * 2654435761;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!, below: (n: number) => Math.floor(next() * n) };
}

class SimulatedCrash extends Error {}

/** The store as a process that dies at its `crashAt`-th append to a payroll run's stream sees it. */
function dyingAt(store: EventStore, crashAt: number): EventStore {
  let runAppends = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'appendToStream') return typeof value === 'function' ? value.bind(target) : value;
      return async (streamName: string, events: StreamAppend['events'], expectedRevision: StreamAppend['expectedRevision']) => {
        if (streamName.startsWith('payroll-run-') && ++runAppends === crashAt) throw new SimulatedCrash('the process died here');
        return target.appendToStream(streamName, events, expectedRevision);
      };
    },
  });
}

const contextOf = (userId: string, idempotencyKey = randomUUID()): CommandContext => ({
  actor: { userId, role: 'operator', units: ['*'] },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  idempotencyKey,
  receivedAt: new Date('2024-04-02T09:00:00+07:00'),
});

const directory = mkdtempSync(join(tmpdir(), 'ledger-payroll-rerun-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Every disbursement as its stream records it, for comparing two ledgers: what each event says, not when it was written. */
async function disbursementsOf(store: EventStore): Promise<Map<string, unknown[]>> {
  const streams = new Map<string, unknown[]>();
  for await (const { streamName, events } of store.readCategory(DISBURSEMENT_CATEGORY)) streams.set(streamName, events.map(({ id, type, data }) => ({ id, type, data })));
  return streams;
}

/** A run's records, but for what only a rerun that read everyone counts: those it found scheduled or skipped among people it did not read again. */
const runRecords = (events: RecordedEvent[]) =>
  events.map(({ type, data }) => (type === PayrollRunEventType.Scheduled ? { type, data: { ...data, alreadyScheduled: undefined, skipped: undefined, basis: undefined, unchangedSince: undefined } } : { type, data }));

interface History {
  readonly store: SqliteEventStore;
  readonly request: CommandContext;
  readonly scope: { period: Period; program: string | null; unitCode: string | null };
  readonly earlierRunId: string;
  readonly story: string[];
}

async function drawHistory(seed: number): Promise<History> {
  const random = randomFrom(seed);
  const store = SqliteEventStore.open(join(directory, `history-${seed}.sqlite`));
  const story: string[] = [];
  const enrollment = (n: number) =>
    personEnrollment(n, { unitCode: random.pick([UNIT_A, UNIT_B]), program: random.pick(PROGRAMS), coefficient: 1000, effectiveFrom: random.pick(['2024-01', '2024-03', '2024-04', '2024-06']) as Period });
  let people = 24 + random.below(12);
  await enrollWithBankAccounts(store, people, enrollment);
  const scope = { period: PERIOD, program: random.chance(0.3) ? PROGRAMS[0]! : null, unitCode: random.chance(0.3) ? UNIT_A : null };
  const schedule = (on: EventStore, context: CommandContext, runScope = scope) => new SchedulePayrollHandler(on, catalogues).execute(new SchedulePayrollCommand(runScope, context));
  const beneficiary = (n: number, command: BeneficiaryCommand) =>
    executeStreamCommand(store, to.beneficiary(beneficiaryIdFor(personNationalId(n)), command), { metadata: { actorId: 'history', actorRole: 'operator', command: command.type, correlationId: randomUUID(), causationId: randomUUID() } });
  const changeSomeone = async () => {
    const n = random.below(people);
    const kind = random.pick(['suspend', 'move', 'enroll'] as const);
    story.push(kind === 'enroll' ? `enroll ${people}` : `${kind} ${n}`);
    if (kind === 'enroll') return enrollWithBankAccounts(store, people + 1, enrollment, { first: people++ });
    const program = (await store.readStream(beneficiaryStreamName(beneficiaryIdFor(personNationalId(n)))))[0]!.data.program as string;
    // A command the rules refuse (suspending someone suspended already…) writes nothing: still a history.
    if (kind === 'suspend') return beneficiary(n, { type: 'SuspendEnrollment', data: { program, reason: 'Không còn cư trú', effectiveFrom: PERIOD } }).catch(() => undefined);
    return beneficiary(n, { type: 'RelocateBeneficiary', data: { unitCode: random.pick([UNIT_A, UNIT_B]) } }).catch(() => undefined);
  };

  // Before the earlier run: another run of one unit, finished or interrupted after writing its months.
  let otherRun: PayrollRunScheduled | undefined;
  if (random.chance(0.5)) {
    story.push('a run of one unit finished before');
    otherRun = await schedule(store, contextOf('other-maker'), { period: PERIOD, program: null, unitCode: UNIT_B });
  } else if (random.chance(0.4)) {
    story.push('a run of one unit interrupted before');
    await schedule(dyingAt(store, 2), contextOf('other-maker'), { period: PERIOD, program: null, unitCode: UNIT_B }).catch((error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    });
  }
  if (random.chance(0.5)) await changeSomeone();

  const earlier = await schedule(store, contextOf('maker'));
  story.push('the earlier run');

  // After it.
  for (let changes = random.below(4); changes > 0; changes--) await changeSomeone();
  if (otherRun && random.chance(0.5)) {
    if (random.chance(0.5)) {
      story.push('the other run rejected');
      await new RejectPayrollRunHandler(store, catalogues).execute(new RejectPayrollRunCommand(otherRun.runId, 'Sai danh sách', contextOf('checker')));
    } else {
      // Its months still name it, but a full run would take them over.
      story.push('the other run rejected, interrupted before releasing its months');
      await executeStreamCommand(store, to.payrollRun(otherRun.runId, { type: 'RejectPayrollRun', data: { rejectedBy: 'checker', reason: 'Sai danh sách' } }), {
        metadata: { actorId: 'checker', actorRole: 'operator', command: 'RejectPayrollRun', correlationId: randomUUID(), causationId: randomUUID() },
      });
    }
  }
  if (random.chance(0.4)) {
    story.push('the earlier run approved and sent');
    await new ApprovePayrollRunHandler(store, catalogues).execute(new ApprovePayrollRunCommand(earlier.runId, contextOf('checker'), true));
    await new SendPayrollRunHandler(store, catalogues).execute(new SendPayrollRunCommand(earlier.runId, contextOf('maker')));
    if (random.chance(0.7)) {
      // A transfer the bank failed, paid again in cash: its month waits for the next run to adopt it.
      const sent = includedDisbursementIds((await readAggregate(store, 'payrollRun', earlier.runId)).state);
      const month = random.pick(sent);
      story.push(`month ${month.slice(0, 8)} failed and rescheduled`);
      const metadata = { actorId: 'bank-file', actorRole: 'system', command: 'SettlePayment', correlationId: randomUUID(), causationId: randomUUID() };
      await executeStreamCommand(store, to.disbursement(month, { type: 'FailDisbursement', data: { reason: 'Tài khoản bị đóng' } }), { metadata });
      await executeStreamCommand(
        store,
        to.disbursement(month, { type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'Chi tiền mặt', enrollment: { active: true } } }),
        { metadata },
      );
    }
  }
  if (random.chance(0.15)) {
    story.push('a run of one unit interrupted after');
    await schedule(dyingAt(store, 2), contextOf('other-maker'), { period: PERIOD, program: null, unitCode: UNIT_A }).catch((error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    });
  }
  if (random.chance(0.3)) await changeSomeone();
  return { store, request: contextOf('maker'), scope, earlierRunId: earlier.runId, story };
}

const readEveryone: Catalogues = { ...catalogues, fingerprint: 'other catalogues' };

/**
 * Copies the history's ledger and sends the same rerun request to each copy, one able to trust the
 * earlier run and one not: both must leave the same months, and count the same people of the scope.
 * Gives the rerun that could trust the earlier run.
 */
async function expectTheSameAsReadingEveryone(history: History, name: string): Promise<PayrollRunScheduled> {
  const copyPath = join(directory, `${name}-copy.sqlite`);
  await history.store.db.backup(copyPath);
  const copy = SqliteEventStore.open(copyPath);
  try {
    const rerun = (on: EventStore, under: Catalogues) => new SchedulePayrollHandler(on, under).execute(new SchedulePayrollCommand(history.scope, history.request));
    const incremental = await rerun(history.store, catalogues);
    const full = await rerun(copy, readEveryone);

    expect({ story: history.story, incremental: await disbursementsOf(history.store) }).toEqual({ story: history.story, incremental: await disbursementsOf(copy) });
    const runStream = `payroll-run-${incremental.runId}`;
    expect(runRecords(await history.store.readStream(runStream))).toEqual(runRecords(await copy.readStream(runStream)));
    const { scheduled, arrears, totalAmount, largeArrears, status } = full;
    expect(incremental).toMatchObject({ scheduled, arrears, totalAmount, largeArrears, status });
    expect(full.unchangedSince).toBeNull();

    // Where it began reading, and how many people it stands for, as the full rerun counted them.
    const basisOf = async (store: EventStore) => (await store.readStream(runStream)).at(-1)!.data.basis as { readFrom: string; beneficiaries: number };
    const [incrementalBasis, fullBasis] = [await basisOf(history.store), await basisOf(copy)];
    expect(incrementalBasis).toMatchObject({ readFrom: fullBasis.readFrom, beneficiaries: fullBasis.beneficiaries, cataloguesFingerprint: catalogues.fingerprint });
    if (incremental.unchangedSince) {
      expect(incremental.unchangedSince.runId).toBe(history.earlierRunId);
      expect(incremental.unchangedSince.beneficiaries).toBeLessThanOrEqual(fullBasis.beneficiaries);
    }
    return incremental;
  } finally {
    await copy.close();
    await history.store.close();
  }
}

describe('a payroll rerun that reads only the people whose records changed', () => {
  const trusted: string[] = [];

  it.each(Array.from({ length: HISTORIES }, (_, seed) => seed + 1))('leaves the ledger as a rerun reading everyone would (history %i)', async (seed) => {
    const history = await drawHistory(seed);
    if ((await expectTheSameAsReadingEveryone(history, `history-${seed}`)).unchangedSince) trusted.push(history.story.join(', '));
  }, 60_000);

  it('trusted the earlier run in some histories and not in others', () => {
    expect(trusted.length).toBeGreaterThan(HISTORIES / 4);
    expect(trusted.length).toBeLessThan(HISTORIES);
  });

  it('reads everyone when a run holding months of the scope was rejected since, and its months were never released', async () => {
    const store = SqliteEventStore.open(join(directory, 'rejection-interrupted.sqlite'));
    await enrollWithBankAccounts(store, 6, (n) => personEnrollment(n, { unitCode: UNIT_B, program: PROGRAMS[0]!, coefficient: 1000, effectiveFrom: PERIOD }));
    const scope: History['scope'] = { period: PERIOD, program: null, unitCode: null };
    const schedule = (runScope: typeof scope, context: CommandContext) => new SchedulePayrollHandler(store, catalogues).execute(new SchedulePayrollCommand(runScope, context));
    const ofOneUnit = await schedule({ ...scope, unitCode: UNIT_B }, contextOf('other-maker'));
    const earlier = await schedule(scope, contextOf('maker'));
    expect(earlier).toMatchObject({ scheduled: 0, alreadyScheduled: 6 });
    // The checker's rejection is recorded; the process stops before releasing a single month.
    await executeStreamCommand(store, to.payrollRun(ofOneUnit.runId, { type: 'RejectPayrollRun', data: { rejectedBy: 'checker', reason: 'Sai danh sách' } }), {
      metadata: { actorId: 'checker', actorRole: 'operator', command: 'RejectPayrollRun', correlationId: randomUUID(), causationId: randomUUID() },
    });

    const rerun = await expectTheSameAsReadingEveryone({ store, request: contextOf('maker'), scope, earlierRunId: earlier.runId, story: ['rejection interrupted'] }, 'rejection-interrupted');
    // Its months, left with a rejected run, are taken over as a run reading everyone takes them.
    expect(rerun).toMatchObject({ scheduled: 6, unchangedSince: null });
  });
});
