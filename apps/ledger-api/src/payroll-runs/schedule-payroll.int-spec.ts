import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  beneficiaryDecider,
  beneficiaryStreamName,
  DISBURSEMENT_IDS_PER_EVENT,
  eventsToRecord,
  PayrollRunEventType,
  type Period,
} from '@ledger/domain';
import {
  appendSizeOf,
  MAX_APPEND_BYTES,
  NO_STREAM,
  SqliteEventStore,
  toEventToAppend,
  type EventStore,
  type ExpectedRevision,
  type StreamAppend,
} from '@ledger/event-store';
import { personEnrollment } from '../../../../libs/event-store/src/testing/province.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { SchedulePayrollCommand } from './payroll-run.commands.js';
import { SchedulePayrollHandler } from './schedule-payroll.handler.js';

/** More than six chunks of ids: the run's closing records weigh about 1.2 MB, more than one append may carry. */
const BENEFICIARIES = 31_000;
const PERIOD = '2024-04' as Period;

class SimulatedCrash extends Error {}

interface RunStreamAppend {
  readonly events: number;
  readonly bytes: number;
  readonly expectedRevision: ExpectedRevision;
}

/**
 * The store as the handler sees it, noting every append to a payroll run's stream; `crashAtRunAppend`
 * stops the process's work (nothing sent) at that append to the run stream, the way a crash would.
 */
function observedStore(store: SqliteEventStore, runAppends: RunStreamAppend[], crashAtRunAppend?: number): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (streamName: string, events: StreamAppend['events'], expectedRevision: ExpectedRevision) => {
        if (streamName.startsWith('payroll-run-')) {
          runAppends.push({ events: events.length, bytes: appendSizeOf(events), expectedRevision });
          if (runAppends.length === crashAtRunAppend) throw new SimulatedCrash('the process died here');
        }
        return target.appendToStream(streamName, events, expectedRevision);
      };
    },
  });
}

/** The store as the handler sees it, noting the streams it reads in full. */
function readsNoted(store: SqliteEventStore, streamsRead: string[]): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'readStream') return typeof value === 'function' ? value.bind(target) : value;
      return (streamName: string, options?: Parameters<EventStore['readStream']>[1]) => {
        streamsRead.push(streamName);
        return target.readStream(streamName, options);
      };
    },
  });
}

describe('a payroll run whose records weigh more than one append may carry', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-large-payroll-'));
  const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
  const catalogues = loadCatalogues();
  const context = {
    actor: { userId: 'large-run-operator', role: 'operator' as const, units: ['*'] },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    idempotencyKey: randomUUID(),
    receivedAt: new Date('2024-04-01T09:00:00+07:00'),
  };
  const schedule = (on: EventStore) => new SchedulePayrollHandler(on, catalogues).execute(new SchedulePayrollCommand({ period: PERIOD, program: null, unitCode: null }, context));
  const interrupted: RunStreamAppend[] = [];
  const resumed: RunStreamAppend[] = [];
  let interruption: unknown;
  let result: Awaited<ReturnType<typeof schedule>>;

  const eventCountsByType = () =>
    Object.fromEntries(store.db.prepare<[], { type: string; count: number }>('SELECT type, COUNT(*) AS count FROM events GROUP BY type').all().map(({ type, count }) => [type, count]));
  const runStream = () => store.readStreamSync(`payroll-run-${result.runId}`);

  beforeAll(async () => {
    const unitCode = catalogues.units.codes().find((code) => code !== '91')!;
    const metadata = { actorId: 'large-run-test', actorRole: 'admin', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
    for (let start = 0; start < BENEFICIARIES; start += 5_000) {
      const appends = Array.from({ length: Math.min(5_000, BENEFICIARIES - start) }, (_, offset): StreamAppend => {
        const command = personEnrollment(start + offset, { unitCode, program: 'SOCIAL_ASSISTANCE', coefficient: 1000, effectiveFrom: PERIOD });
        const events = eventsToRecord(beneficiaryDecider.decide(command, beneficiaryDecider.initialState()));
        return { streamName: beneficiaryStreamName(command.data.beneficiaryId), events: events.map((event) => toEventToAppend(event, randomUUID(), metadata)), expectedRevision: NO_STREAM };
      });
      const outcomes = await store.appendToStreams(appends);
      expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    }
    // The process dies after the first of the closing appends (the run's second append) was written.
    interruption = await schedule(observedStore(store, interrupted, 3)).catch((error: unknown) => error);
    result = await schedule(observedStore(store, resumed));
  }, 240_000); // two payroll runs of 31,000 people: minutes when the 2 cores are shared

  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when it is interrupted between two of its closing appends', () => {
    it('had written the run and the first of them, each within the limit', () => {
      expect(interruption).toBeInstanceOf(SimulatedCrash);
      const [created, firstPart] = interrupted;
      expect(created).toMatchObject({ events: 1, expectedRevision: NO_STREAM });
      expect(firstPart!.events).toBeGreaterThan(1);
      expect(firstPart!.bytes).toBeLessThanOrEqual(MAX_APPEND_BYTES);
      expect(firstPart!.expectedRevision).toBe(0n);
    });
  });

  describe('when the same request comes again', () => {
    it('finishes the run: every disbursement scheduled and included once, the summary last', () => {
      expect(result).toMatchObject({ status: 'SCHEDULED', scheduled: BENEFICIARIES, alreadyScheduled: 0 });
      const events = runStream();
      expect(events.map((event) => event.type)).toEqual([
        PayrollRunEventType.Created,
        ...Array<string>(Math.ceil(BENEFICIARIES / DISBURSEMENT_IDS_PER_EVENT)).fill(PayrollRunEventType.DisbursementsIncluded),
        PayrollRunEventType.Scheduled,
      ]);
      const included = events.flatMap((event) => (event.type === PayrollRunEventType.DisbursementsIncluded ? (event.data.disbursementIds as string[]) : []));
      expect(included).toHaveLength(BENEFICIARIES);
      expect(new Set(included).size).toBe(BENEFICIARIES);
    });

    it('wrote the rest of its records in appends within the limit, each at the revision the one before left', () => {
      const [firstPart] = interrupted.slice(1);
      const rest = resumed;
      expect(rest.length).toBeGreaterThanOrEqual(1);
      let revision = BigInt(firstPart!.events);
      for (const append of rest) {
        expect(append.bytes).toBeLessThanOrEqual(MAX_APPEND_BYTES);
        expect(append.expectedRevision).toBe(revision);
        revision += BigInt(append.events);
      }
      expect(runStream().at(-1)!.streamRevision).toBe(revision);
    });

    it('wrote nothing twice: one disbursement per beneficiary in the log, one run', () => {
      expect(eventCountsByType()).toMatchObject({
        DisbursementScheduled: BENEFICIARIES,
        [PayrollRunEventType.Created]: 1,
        [PayrollRunEventType.DisbursementsIncluded]: Math.ceil(BENEFICIARIES / DISBURSEMENT_IDS_PER_EVENT),
        [PayrollRunEventType.Scheduled]: 1,
      });
    });

    it('answers a third time with the finished run and writes nothing', async () => {
      const head = await store.headPosition();
      const again = await schedule(store);
      expect(again).toMatchObject({ runId: result.runId, status: 'SCHEDULED', scheduled: BENEFICIARIES });
      expect(await store.headPosition()).toBe(head);
    });
  });

  describe('when the period is run again under another key', () => {
    it('reads again nobody whose records are unchanged since the finished run, and says they stand as it left them', async () => {
      const streamsRead: string[] = [];
      const head = await store.headPosition();
      const again = await new SchedulePayrollHandler(readsNoted(store, streamsRead), catalogues).execute(
        new SchedulePayrollCommand({ period: PERIOD, program: null, unitCode: null }, { ...context, idempotencyKey: randomUUID() }),
      );
      expect(again).toMatchObject({ status: 'SCHEDULED', scheduled: 0, alreadyScheduled: 0, skipped: {}, unchangedSince: { runId: result.runId, beneficiaries: BENEFICIARIES } });
      expect(streamsRead.filter((name) => name.startsWith('disbursement-') || name.startsWith('beneficiary-'))).toEqual([]);
      // The new run's own records (created, then its summary) and nothing else.
      expect(eventCountsByType()).toMatchObject({ DisbursementScheduled: BENEFICIARIES, [PayrollRunEventType.Created]: 2, [PayrollRunEventType.Scheduled]: 2 });
      expect(await store.headPosition()).toBe(head + 2n);
    }, 60_000);

    it('reads everyone, as a first run does, under other catalogues: every month found scheduled from its last event, none of their streams read', async () => {
      const streamsRead: string[] = [];
      const again = await new SchedulePayrollHandler(readsNoted(store, streamsRead), { ...catalogues, fingerprint: 'edited' }).execute(
        new SchedulePayrollCommand({ period: PERIOD, program: null, unitCode: null }, { ...context, idempotencyKey: randomUUID() }),
      );
      expect(again).toMatchObject({ status: 'SCHEDULED', scheduled: 0, alreadyScheduled: BENEFICIARIES, unchangedSince: null });
      expect(streamsRead.filter((name) => name.startsWith('disbursement-'))).toEqual([]);
    }, 60_000);
  });
});
