import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  BENEFICIARY_CATEGORY,
  beneficiaryDecider,
  DISBURSEMENT_CATEGORY,
  disbursementDecider,
  fold,
  legacyBeneficiaryIdFor,
  paymentAccountOf,
  upcast,
  type BeneficiaryEvent,
  type Coefficient,
  type DisbursementEvent,
  type LocalDate,
  type NationalId,
  type Period,
} from '@ledger/domain';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { AppModule } from '../app.module.js';
import { EnrollBeneficiaryCommand } from '../beneficiaries/beneficiary.commands.js';
import { loadLedgerConfig } from '../config/ledger-config.js';
import { BeneficiaryIds, resolveBeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { SchedulePayrollCommand } from '../payroll-runs/payroll-run.commands.js';
import { loadPayrollRun } from '../payroll-runs/payroll-run-access.js';
import { DEMO_PERIODS, demoProvince, holdsVerifiedAccount, isEnrolledIn, type DemoPerson } from './demo-province.js';
import { handWiredCommands } from './hand-wired-commands.js';
import { DemoSeedRefused, demoSeedStatus, seedDemo, type DemoSeedReport, type LedgerCommands } from './seed-demo.js';

const TEST_KEY = 'seed-demo-spec-identifier-key-0123456789';
const TEST_IDENTIFIERS = new LedgerIdentifiers(TEST_KEY);
/** What every store seeded here derives ids with: new stores get keyed ids. */
const beneficiaryIds = BeneficiaryIds.keyed(TEST_IDENTIFIERS);

/** About 600 beneficiaries: every part of the story, in a few seconds. */
const SCALE = 0.03;
const province = demoProvince(beneficiaryIds, SCALE);
const { story } = province;

const directories: string[] = [];
const scratchDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-demo-'));
  directories.push(directory);
  return directory;
};

let app: TestingModule;
let commands: LedgerCommands;
let store: EventStore;
let report: DemoSeedReport;
let headAfterSeeding: bigint;

beforeAll(async () => {
  // The API's own wiring and command bus, as main.ts seeds; no projector, nothing here reads a projection.
  const config = loadLedgerConfig({ LEDGER_DATA_DIR: scratchDirectory(), LEDGER_SEED_DEMO: 'false', LEDGER_PROJECTOR: 'external', LEDGER_ID_KEY: TEST_KEY });
  app = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  await app.init();
  commands = app.get(CommandBus);
  store = app.get(EVENT_STORE);
  expect(app.get(BeneficiaryIds).scheme).toBe('KEYED_HMAC_SHA256');
  report = await seedDemo({ commands, store, beneficiaryIds: app.get(BeneficiaryIds), scale: SCALE });
  headAfterSeeding = await store.headPosition();
}, 60_000);

afterAll(async () => {
  await app?.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('seeding the demo province through the command bus', () => {
  it('creates, approves and sends the payroll runs of 2024-01, 2024-02 and 2024-03, maker and checker apart', async () => {
    expect(report.status).toBe('SEEDED');
    expect(report.runs.map((run) => run.period)).toEqual([...DEMO_PERIODS]);
    for (const { runId } of report.runs) {
      expect(await loadPayrollRun(store, runId)).toMatchObject({ status: 'SENT', createdBy: 'lan.operator', approvedBy: 'minh.operator' });
    }
  });

  it('schedules every active enrollment each month, the retried payments with the next run, the late decisions with their arrears', () => {
    const goLive = enrollmentsOf(province.persons.filter((person) => person.enrolledIn === 'go-live'));
    const fromFebruary = count((person) => person.enrolledIn === 'january');
    const lateForJanuary = count((person) => person.enrolledIn === 'february');
    const suspendedFromMarch = count((person) => person.lifeEvent?.kind === 'SUSPENDED_FROM_MARCH');
    expect(report.runs.map(({ scheduled, arrears, sent, cancelled }) => ({ scheduled, arrears, sent, cancelled }))).toEqual([
      { scheduled: goLive, arrears: 0, sent: goLive, cancelled: 0 },
      {
        // A retried attempt is counted as what it records: January's own payment, not arrears.
        scheduled: goLive + fromFebruary + story.retriedTransfers['2024-01'],
        arrears: 0,
        sent: goLive + fromFebruary + story.retriedTransfers['2024-01'],
        cancelled: 0,
      },
      {
        scheduled: goLive + fromFebruary + 3 * lateForJanuary - suspendedFromMarch + story.repaidCash['2024-02'],
        arrears: 2 * lateForJanuary,
        sent: goLive + fromFebruary + 3 * lateForJanuary - suspendedFromMarch + story.repaidCash['2024-02'] - story.suspendedBeforeMarchSending,
        cancelled: story.suspendedBeforeMarchSending,
      },
    ]);
    expect(report.runs[2]!.skipped).toEqual({ SUSPENDED: suspendedFromMarch });
  });

  it('ends each month with the designed numbers of paid, failed, returned, unreported and cancelled disbursements', async () => {
    const disbursements = await foldAll(store, DISBURSEMENT_CATEGORY, disbursementDecider);
    for (const period of DEMO_PERIODS) {
      const inPeriod = disbursements.filter((disbursement) => disbursement.period === period);
      const tally = Object.fromEntries(['PAID', 'FAILED', 'RETURNED', 'SENT', 'SCHEDULED', 'CANCELLED'].map((status) => [status, inPeriod.filter((d) => d.status === status).length]));
      const expected = {
        FAILED: story.failedTransfers[period] - story.retriedTransfers[period],
        RETURNED: story.returnedCash[period] - story.repaidCash[period],
        SENT: story.unsettled[period],
        // The cash of March returned and put back in line waits for the April run.
        SCHEDULED: period === '2024-03' ? story.repaidCash[period] : 0,
        CANCELLED: period === '2024-03' ? story.suspendedBeforeMarchSending : 0,
      };
      const owed = disbursementsOwedFor(period);
      expect({ period, total: inPeriod.length, ...tally }).toEqual({
        period,
        total: owed,
        ...expected,
        PAID: owed - Object.values(expected).reduce((a, b) => a + b, 0),
      });
    }
    // Some were paid after the due date; the featured transfer was retried and paid late.
    const featured = disbursements.find((d) => d.beneficiaryId === province.featured.bankTransferRetried.beneficiaryId && d.period === '2024-01')!;
    // Never sent back to the account that failed: the retry went through the Post Office.
    expect(featured).toMatchObject({ status: 'PAID', attempt: 2, channel: 'CASH' });
    expect(featured.payment!.daysLate).toBeGreaterThan(0);
    expect(disbursements.filter((d) => d.payment && d.payment.daysLate > 0).length).toBeGreaterThan(story.retriedTransfers['2024-01']);
  });

  it('records the refused duplicate settlements and flags the overpayments of the deaths reported late', async () => {
    const types = new Map<string, number>();
    for await (const { events } of store.readCategory(DISBURSEMENT_CATEGORY)) for (const event of events) types.set(event.type, (types.get(event.type) ?? 0) + 1);
    expect(types.get('DuplicatePaymentRejected')).toBe(story.duplicateSettlements);
    // February and March of each; the deaths in March owe nothing back.
    expect(types.get('OverpaymentFlagged')).toBe(2 * story.deceasedReportedLate);
  });

  it('leaves exactly the scaled verified-account figures in the beneficiary streams', async () => {
    const beneficiaries = await foldAll(store, BENEFICIARY_CATEGORY, beneficiaryDecider);
    const verified = (program: string) => beneficiaries.filter((b) => b.enrollments[program] && paymentAccountOf(b)).length;
    expect(beneficiaries).toHaveLength(province.persons.length);
    expect(verified('MERITORIOUS')).toBe(province.size.verifiedMeritorious);
    expect(verified('SOCIAL_ASSISTANCE')).toBe(province.size.verifiedSocialAssistance);
    expect(province.persons.filter((person) => isEnrolledIn(person, 'MERITORIOUS') && holdsVerifiedAccount(person))).toHaveLength(province.size.verifiedMeritorious);
  });

  it('does nothing when asked to seed again', async () => {
    expect(await demoSeedStatus(store, beneficiaryIds)).toEqual({ status: 'SEEDED', scale: SCALE });
    const again = await seedDemo({ commands, store, beneficiaryIds, scale: SCALE });
    expect(again).toMatchObject({ status: 'ALREADY_SEEDED', commands: 0 });
    expect(await store.headPosition()).toBe(headAfterSeeding);
  });

  it('leaves 2024-04 for the user: its payroll run schedules every active enrollment, the late March decisions with their arrears, and the returned March cash', async () => {
    const notPaidInApril = count((person) => {
      const kind = person.lifeEvent?.kind;
      const resumed = person.lifeEvent?.kind === 'SUSPENDED_FROM_MARCH' && person.lifeEvent.resumedFromApril;
      return kind !== undefined && !resumed;
    });
    const lateForMarch = province.persons.filter((person) => person.enrolledIn === 'march' && person.enrollments[0]!.effectiveFrom === '2024-03').length;
    const context = { actor: { userId: 'user.operator', role: 'operator' as const, units: ['91'] }, correlationId: randomUUID(), causationId: randomUUID(), idempotencyKey: 'april', receivedAt: new Date('2024-03-20T09:00:00+07:00') };
    const april = await commands.execute(new SchedulePayrollCommand({ period: '2024-04' as Period, program: null, unitCode: null }, context));
    expect(april).toMatchObject({
      status: 'SCHEDULED',
      scheduled: enrollmentsOf(province.persons) - notPaidInApril + lateForMarch + story.repaidCash['2024-03'],
      alreadyScheduled: 0,
      arrears: lateForMarch,
      skipped: { SUSPENDED: story.suspendedFromMarch - story.resumedFromApril + story.suspendedBeforeMarchSending + story.suspendedFromApril, TERMINATED: story.deceasedReportedLate + story.deceasedInMarch },
    });
  });
});

describe('seeding the demo province with the hand-wired handlers (the CLI)', () => {
  it('finishes a seed that was interrupted, writing nothing twice', async () => {
    const other = SqliteEventStore.open(join(scratchDirectory(), 'ledger.sqlite'));
    try {
      // As the CLI does: the store's derivation is recorded before the first enrollment.
      expect((await resolveBeneficiaryIds(other, TEST_IDENTIFIERS)).scheme).toBe('KEYED_HMAC_SHA256');
      const handlers = handWiredCommands(other, loadCatalogues(), TEST_IDENTIFIERS);
      let allowed = Math.floor(report.commands * 0.6);
      const failingMidway: LedgerCommands = { execute: (command) => (allowed-- > 0 ? handlers.execute(command) : Promise.reject(new Error('power cut'))) };
      await expect(seedDemo({ commands: failingMidway, store: other, beneficiaryIds, scale: SCALE })).rejects.toThrow('power cut');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the wave's commands already in flight land
      expect(await demoSeedStatus(other, beneficiaryIds)).toEqual({ status: 'UNFINISHED', scale: SCALE });

      // Started again without a scale: it keeps the one the seed began with.
      const finished = await seedDemo({ commands: handlers, store: other, beneficiaryIds });
      expect(finished.status).toBe('FINISHED');
      expect(await demoSeedStatus(other, beneficiaryIds)).toEqual({ status: 'SEEDED', scale: SCALE });
      expect(await other.headPosition()).toBe(headAfterSeeding);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('refuses a store that holds anything but the demo', async () => {
    const other = SqliteEventStore.open(join(scratchDirectory(), 'ledger.sqlite'));
    try {
      const nationalId = '091052999999' as NationalId;
      const context = { actor: { userId: 'someone', role: 'operator' as const, units: ['*'] }, correlationId: randomUUID(), causationId: randomUUID(), receivedAt: new Date() };
      await handWiredCommands(other, loadCatalogues(), TEST_IDENTIFIERS).execute(
        new EnrollBeneficiaryCommand(
          {
            type: 'EnrollBeneficiary',
            data: { beneficiaryId: legacyBeneficiaryIdFor(nationalId), nationalId, fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14' as LocalDate, gender: 'MALE', unitCode: '899', program: 'MERITORIOUS', coefficient: 1000 as Coefficient, effectiveFrom: '2024-01' as Period, decision: { number: '1/QĐ', date: '2023-12-01' as LocalDate } },
          },
          context,
        ),
      );
      const head = await other.headPosition();
      expect(await demoSeedStatus(other, beneficiaryIds)).toEqual({ status: 'OTHER_DATA' });
      await expect(seedDemo({ commands: handWiredCommands(other, loadCatalogues(), TEST_IDENTIFIERS), store: other, beneficiaryIds, scale: SCALE })).rejects.toThrow(DemoSeedRefused);
      expect(await other.headPosition()).toBe(head);
    } finally {
      await other.close();
    }
  });
});

function count(which: (person: DemoPerson) => boolean): number {
  return province.persons.filter(which).length;
}

function enrollmentsOf(persons: readonly DemoPerson[]): number {
  return persons.reduce((sum, person) => sum + person.enrollments.length, 0);
}

/** Months owed up to and including `period` by everyone enrolled before its run (the late decisions for January included). */
function disbursementsOwedFor(period: string): number {
  return province.persons
    .filter((person) => person.enrolledIn !== 'march')
    .flatMap((person) => person.enrollments.filter((enrollment) => enrollment.effectiveFrom <= period && !(period === '2024-03' && person.lifeEvent?.kind === 'SUSPENDED_FROM_MARCH')))
    .length;
}

async function foldAll<State>(from: EventStore, category: string, decider: { evolve: (state: State, event: never) => State; initialState: () => State }): Promise<State[]> {
  const states: State[] = [];
  for await (const { events } of from.readCategory(category)) states.push(fold(decider as never, events.map((event) => upcast(event) as BeneficiaryEvent | DisbursementEvent) as never) as State);
  return states;
}
