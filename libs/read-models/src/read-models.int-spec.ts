import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { Period } from '@ledger/domain';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { Projector, rebuildReadModels } from './projector.js';
import { ReadModelQueries, type ListFilter, type Page, type ReportKey } from './queries/read-model-queries.js';
import type { ReadModelStore } from './read-model-store.js';
import type { RowChange } from './row-changes.js';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
import { configCatalogues } from './testing/config-catalogues.js';
import { describeWithPostgres } from './testing/describe-with-postgres.js';
import { dumpReadModels, ExpectedReadModels, normalized } from './testing/expected-read-models.js';
import { ledgerHistory } from './testing/ledger-history.js';
import { openScratchPostgresStore, postgresAvailability } from './testing/postgres-scratch.js';

/**
 * One history of a province, written through the real deciders and projected while it is written,
 * into SQLite and PostgreSQL. Every query must give the answers worked out independently from the
 * raw events, and both stores the same answers.
 */
const FIRST_PERIOD = '2023-11' as Period;
const PERIODS = 10;
const TODAY = '2024-08-20'; // the last period is 2024-08: its unsettled payments are late
const CURRENT_PERIOD = '2024-08';
const SETUP_TIMEOUT = 300_000;
/** Generous: CI machines are shared, and a dump of every table takes a while there. */
const TEST_TIMEOUT = 60_000;

const postgres = await postgresAvailability();

interface World {
  events: SqliteEventStore;
  recorded: RecordedEvent[];
  expected: ExpectedReadModels;
  head: bigint;
  stores: Map<string, ReadModelStore>;
  incremental: Map<string, Awaited<ReturnType<typeof dumpReadModels>>>;
  cleanup: Array<() => Promise<void> | void>;
}
const world = {} as World;

beforeAll(async () => {
  world.cleanup = [];
  const directory = mkdtempSync(join(tmpdir(), 'ledger-read-models-'));
  world.cleanup.push(() => rmSync(directory, { recursive: true, force: true }));
  let now = new Date('2023-11-01T00:00:00Z');
  world.events = new SqliteEventStore(new Database(join(directory, 'ledger.sqlite')), { clock: () => now, pollIntervalMs: 10 });
  world.cleanup.unshift(() => world.events.close());

  world.stores = new Map<string, ReadModelStore>([['SQLite', new SqliteReadModelStore(world.events.db)]]);
  if (postgres.available) {
    const scratch = await openScratchPostgresStore('read_models');
    world.stores.set('PostgreSQL', scratch.store);
    world.cleanup.unshift(scratch.drop);
  }

  // Incremental: the projectors follow the log while the history is written, in small batches.
  const projectors = [...world.stores.values()].map((store) => new Projector(world.events, store, { maxBatch: 250 }));
  for (const projector of projectors) await projector.start();
  for (const wave of ledgerHistory({ catalogues: configCatalogues(), beneficiaries: 400, firstPeriod: FIRST_PERIOD, periods: PERIODS, seed: 20240 })) {
    now = wave.at;
    await Promise.all(wave.appends.map((append) => world.events.appendToStream(append.streamName, append.events, append.expectedRevision)));
  }
  world.head = await world.events.headPosition();
  for (const projector of projectors) {
    expect(await projector.waitFor(world.head, 120_000)).toBe(true);
    await projector.stop();
    expect(projector.failure).toBeUndefined();
  }
  world.recorded = await world.events.readAll();
  world.expected = ExpectedReadModels.of(world.recorded);
  world.incremental = new Map();
  for (const [name, store] of world.stores) world.incremental.set(name, await dumpReadModels(store));
}, SETUP_TIMEOUT);

afterAll(async () => {
  for (const step of world.cleanup ?? []) await step();
});

describe('the generated history', () => {
  it('covers what the reports are about', () => {
    const count = (type: string) => world.recorded.filter((event) => event.type === type).length;
    const disbursements = [...world.expected.disbursements.values()];
    const tables = world.expected.tables();
    expect(world.expected.beneficiaries.size).toBe(400);
    expect(new Set([...world.expected.enrollments.values()].map((e) => e.program))).toEqual(new Set(['MERITORIOUS', 'SOCIAL_ASSISTANCE']));
    expect(new Set([...world.expected.accounts.values()].map((a) => a.status))).toEqual(new Set(['VERIFIED', 'UNVERIFIED', 'CLOSED']));
    expect(new Set([...world.expected.accounts.values()].map((a) => a.unverified_reason))).toEqual(new Set([null, 'NAME_MISMATCH', 'SHARED_ACCOUNT']));
    expect(new Set(disbursements.map((d) => d.status))).toEqual(new Set(['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED']));
    expect(disbursements.filter((d) => d.arrears).length).toBeGreaterThan(20);
    expect(disbursements.filter((d) => d.status === 'PAID' && (d.days_late as number) > 0).length).toBeGreaterThan(20);
    expect(new Set(disbursements.map((d) => d.overpayment_reason))).toEqual(new Set([null, 'TERMINATED_BEFORE_PERIOD', 'PAID_AFTER_CANCELLATION']));
    expect(disbursements.some((d) => d.channel_change_reason === 'ACCOUNT_CLOSED')).toBe(true);
    expect(new Set(world.expected.duplicates.map((d) => d.reason))).toEqual(new Set(['PAID_UNDER_ANOTHER_REFERENCE', 'PROVIDER_REFERENCE_IN_USE']));
    expect(new Set([...world.expected.runs.values()].map((r) => r.status))).toEqual(new Set(['SENT', 'REJECTED']));
    // Re-enrolled after a termination: a second spell of the same program.
    const spellsPerEnrollment = new Map<string, number>();
    for (const spell of tables.enrollment_spells!) spellsPerEnrollment.set(`${spell.beneficiary_id}/${spell.program}`, (spellsPerEnrollment.get(`${spell.beneficiary_id}/${spell.program}`) ?? 0) + 1);
    expect(Math.max(...spellsPerEnrollment.values())).toBeGreaterThan(1);
    // Suspensions decided in one month for the next, and a failed or returned payment cancelled since.
    const recordedIn = new Map(world.recorded.map((event) => [Number(event.globalPosition), event.recordedAt.toISOString().slice(0, 7)]));
    expect(tables.enrollment_suspensions!.some((s) => (s.suspended_from as string) > recordedIn.get(s.position as number)!)).toBe(true);
    const typesByStream = new Map<string, string[]>();
    for (const event of world.recorded) typesByStream.set(event.streamName, [...(typesByStream.get(event.streamName) ?? []), event.type]);
    expect([...typesByStream.values()].some((types) => types.at(-1) === 'DisbursementCancelled' && ['DisbursementFailed', 'DisbursementReturned'].includes(types.at(-2)!))).toBe(true);
    for (const type of [
      'DisbursementRescheduled',
      'DisbursementAssignedToRun',
      'DisbursementCancelled',
      'EnrollmentTerminated',
      'EnrollmentTerminationCorrected',
      'EnrollmentTerminationRevoked',
      'EnrollmentSuspended',
      'EnrollmentResumed',
      'BeneficiaryRelocated',
      'PaymentAccountVerified',
      'DisbursementRelocated',
      'DisbursementChannelChanged',
      'DisbursementReleasedFromRun',
      'OverpaymentWithdrawn',
      'PayrollRunRejected',
      'ProviderReferenceClaimed',
      'AccountNumberClaimed',
      'AccountNumberReleased',
      'IdentityCheckAnswerRecorded',
      'DeathReported',
      'DeathReportConfirmed',
      'DeathReportRejected',
      'CrossProvinceFindingRecorded',
      'CrossProvinceFindingResolved',
      'FileImportStarted',
      'FileImportLinesReconciled',
      'FileImportCompleted',
    ]) {
      expect([type, count(type) > 0]).toEqual([type, true]);
    }
    // Deaths reported: held (runs skip them), some still waiting for review when the history ends, and
    // some answered for people already terminated for death (recorded, nothing held).
    expect(new Set(tables.death_reports!.map((report) => report.status))).toEqual(new Set(['OPEN', 'CONFIRMED', 'REJECTED']));
    // Imports completed, and some left interrupted (no counts yet).
    expect(new Set(tables.file_imports!.map((row) => row.completed_at === null))).toEqual(new Set([true, false]));
    expect(world.recorded.some((event) => event.type === 'PayrollRunScheduled' && ((event.data as { skipped: Record<string, number> }).skipped.DEATH_REPORTED ?? 0) > 0)).toBe(true);
    // Findings of the hub: some kept, some resolved by a termination, some still open (their program held).
    expect(new Set(tables.cross_province_findings!.map((finding) => finding.decision))).toEqual(new Set([null, 'KEEP', 'TERMINATE']));
    expect(new Set(tables.cross_province_findings!.map((finding) => finding.kind))).toEqual(new Set(['ENROLLED_IN_TWO_PROVINCES', 'PAID_IN_TWO_PROVINCES']));
    expect(world.recorded.some((event) => event.type === 'PayrollRunScheduled' && ((event.data as { skipped: Record<string, number> }).skipped.CROSS_PROVINCE_FINDING ?? 0) > 0)).toBe(true);
    expect(count('IdentityCheckAnswerRecorded')).toBeGreaterThan(count('DeathReported') + 50);
    expect(new Set([...world.expected.beneficiaries.values()].map((b) => b.identity_check))).toEqual(new Set([null, 'MATCHED', 'MISMATCHED', 'DECEASED']));
  });
});

const UNITS = ['899', '903'];
type Queries = ReadModelQueries;
type Expected = ExpectedReadModels;

/** Every page of a listing, following the cursor. */
async function allPages<T>(list: (after: string | undefined) => Promise<Page<T>> | Page<T>): Promise<Array<Page<T>>> {
  const pages: Array<Page<T>> = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined && pages.length < 1_000);
  return pages;
}

/** Every page of a report, from the first, joined: what the whole report must be. */
async function allReportPages<T>(report: (after: ReportKey | undefined) => Promise<Page<T, ReportKey>>): Promise<T[]> {
  const items: T[] = [];
  let after: ReportKey | undefined;
  let pages = 0;
  do {
    const page = await report(after);
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after !== undefined && ++pages < 10_000);
  return items;
}

async function allSearchPages<T, K extends readonly [string, string]>(search: (after: K | undefined) => Promise<Page<T, K>> | Page<T, K>): Promise<Array<Page<T, K>>> {
  const pages: Array<Page<T, K>> = [];
  let after: K | undefined;
  do {
    const page = await search(after);
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined && pages.length < 1_000);
  return pages;
}

const beneficiaryFilters: Array<Omit<ListFilter, 'limit'>> = [
  {},
  { units: UNITS },
  { units: [] },
  { program: 'MERITORIOUS' },
  { status: 'SUSPENDED' },
  { units: UNITS, program: 'SOCIAL_ASSISTANCE', status: 'ACTIVE' },
  { program: 'SOCIAL_ASSISTANCE', status: 'TERMINATED' },
];
const disbursementFilters: Array<Omit<ListFilter, 'limit'>> = [
  {},
  { units: UNITS },
  { units: [] },
  { program: 'MERITORIOUS', period: '2024-03' },
  ...['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'].map((status) => ({ status })),
  { late: true },
  { late: false },
  { units: ['905'], late: true, program: 'SOCIAL_ASSISTANCE' },
  { period: '2024-08', status: 'SENT' },
];
const reportFilters = [{}, { units: UNITS }, { program: 'MERITORIOUS' }, { period: '2024-07' }, { units: ['904'], program: 'SOCIAL_ASSISTANCE', period: '2024-02' }];

/** Each query of ReadModelQueries, with the answer worked out from the events. */
const queryCases: Array<[name: string, actual: (q: Queries) => Promise<unknown>, expected: (e: Expected) => unknown]> = [
  ...beneficiaryFilters.map((filter): (typeof queryCases)[number] => [
    `beneficiaries ${JSON.stringify(filter)}, every page`,
    (q) => allPages((after) => q.beneficiaries({ ...filter, after, limit: 37 })),
    (e) => allPages((after) => e.beneficiaries_({ ...filter, after, limit: 37 })),
  ]),
  ...[
    { nationalId: '091158000399' },
    { nationalId: '000000000000' },
    { name: 'phan thi anh' },
    { name: 'PHAN   THỊ' },
    { name: 'nguyễn' },
    { name: 'nguyen v' },
    { name: 'dang thi', units: UNITS },
    { name: 'Đặng' },
  ].map((search): (typeof queryCases)[number] => [
    `beneficiaries searched ${JSON.stringify(search)}, every page`,
    (q) => allSearchPages((after) => q.searchBeneficiaries({ ...search, after, limit: 5 })),
    (e) => allSearchPages((after) => e.searchBeneficiaries_({ ...search, after, limit: 5 })),
  ]),
  [
    'beneficiary, one by one, and an unknown one',
    async (q) => Promise.all([...sampleBeneficiaries(), 'no-such-beneficiary'].map((id) => q.beneficiary(id))),
    (e) => Promise.all([...sampleBeneficiaries(), 'no-such-beneficiary'].map((id) => e.beneficiary(id))),
  ],
  ...disbursementFilters.map((filter): (typeof queryCases)[number] => [
    `disbursements ${JSON.stringify(filter)}, every page`,
    (q) => allPages((after) => q.disbursements({ ...filter, after, limit: 400 }, TODAY)),
    (e) => allPages((after) => e.disbursements_({ ...filter, after, limit: 400 }, TODAY)),
  ]),
  [
    'disbursements of one beneficiary',
    (q) => q.disbursements({ beneficiaryId: sampleBeneficiaries()[0], limit: 100 }, TODAY),
    (e) => e.disbursements_({ beneficiaryId: sampleBeneficiaries()[0], limit: 100 }, TODAY),
  ],
  [
    'disbursement, one by one',
    (q) => Promise.all(sampleDisbursements().map((id) => q.disbursement(id))),
    (e) => sampleDisbursements().map((id) => e.disbursements.get(id)),
  ],
  ...[
    {},
    { units: UNITS },
    { program: 'SOCIAL_ASSISTANCE' },
    { units: [] },
    // Suspensions decided in August for September count from September.
    { period: '2024-09' },
    { period: '2024-03' },
    { period: '2023-12', program: 'MERITORIOUS' },
    { period: '2023-06' },
  ].map((filter): (typeof queryCases)[number] => [`coverage ${JSON.stringify(filter)}`, async (q) => (await q.coverage(filter, CURRENT_PERIOD)).items, (e) => e.coverage(filter, CURRENT_PERIOD)]),
  ...reportFilters.map((filter): (typeof queryCases)[number] => [`summary ${JSON.stringify(filter)}`, async (q) => (await q.summary(filter)).items, (e) => e.summary(filter)]),
  ...reportFilters.map((filter): (typeof queryCases)[number] => [
    `latePayments ${JSON.stringify(filter)}`,
    async (q) => (await q.latePayments(filter, TODAY)).items,
    (e) => e.latePayments(filter, TODAY),
  ]),
  ...reportFilters.map((filter): (typeof queryCases)[number] => [
    `duplicateAttempts ${JSON.stringify(filter)}`,
    async (q) => (await q.duplicateAttempts(filter)).items,
    (e) => e.duplicateAttempts(filter),
  ]),
  ...reportFilters.map((filter): (typeof queryCases)[number] => [`overpayments ${JSON.stringify(filter)}`, async (q) => (await q.overpayments(filter)).items, (e) => e.overpayments(filter)]),
  ...[{}, { units: UNITS }, { units: [] }].flatMap((filter) =>
    [2, 100].map((limit): (typeof queryCases)[number] => [
      `deathReportsToReview ${JSON.stringify(filter)}, every page of ${limit}`,
      (q) => allPages((cursor) => q.deathReportsToReview({ ...filter, cursor, limit })),
      (e) => allPages((cursor) => e.deathReportsToReview_({ ...filter, cursor, limit })),
    ]),
  ),
  ...[{}, { units: UNITS }, { units: [] }, { status: 'OPEN' }, { status: 'RESOLVED', units: UNITS }, { program: 'MERITORIOUS' }].flatMap((filter) =>
    [2, 100].map((limit): (typeof queryCases)[number] => [
      `crossProvinceFindings ${JSON.stringify(filter)}, every page of ${limit}`,
      (q) => allPages((cursor) => q.crossProvinceFindings({ ...filter, cursor, limit })),
      (e) => allPages((cursor) => e.crossProvinceFindings_({ ...filter, cursor, limit })),
    ]),
  ),
  ...[1, 100].map((limit): (typeof queryCases)[number] => [
    `fileImports, every page of ${limit}`,
    (q) => allPages((cursor) => q.fileImports({ cursor, limit })),
    (e) => allPages((cursor) => e.fileImports_({ cursor, limit })),
  ]),
  // Paged, a report is the whole report cut where each page's key says: nothing lost, nothing twice.
  ...[1, 7].flatMap((limit) =>
    reportFilters.flatMap((filter): Array<(typeof queryCases)[number]> => [
      [`coverage ${JSON.stringify(filter)}, every page of ${limit}`, (q) => allReportPages((after) => q.coverage({ ...filter, after, limit }, CURRENT_PERIOD)), (e) => e.coverage(filter, CURRENT_PERIOD)],
      [`summary ${JSON.stringify(filter)}, every page of ${limit}`, (q) => allReportPages((after) => q.summary({ ...filter, after, limit })), (e) => e.summary(filter)],
      [`latePayments ${JSON.stringify(filter)}, every page of ${limit}`, (q) => allReportPages((after) => q.latePayments({ ...filter, after, limit }, TODAY)), (e) => e.latePayments(filter, TODAY)],
      [`duplicateAttempts ${JSON.stringify(filter)}, every page of ${limit}`, (q) => allReportPages((after) => q.duplicateAttempts({ ...filter, after, limit })), (e) => e.duplicateAttempts(filter)],
      [`overpayments ${JSON.stringify(filter)}, every page of ${limit}`, (q) => allReportPages((after) => q.overpayments({ ...filter, after, limit })), (e) => e.overpayments(filter)],
    ]),
  ),
];

/** A spread of beneficiaries: with two programs, relocated, terminated, with several accounts. */
function sampleBeneficiaries(): string[] {
  const ids = [...world.expected.beneficiaries.keys()].sort();
  const withTwo = [...world.expected.enrollments.values()].filter((e) => e.program === 'MERITORIOUS').map((e) => e.beneficiary_id as string);
  const terminated = [...world.expected.enrollments.values()].filter((e) => e.status === 'TERMINATED').map((e) => e.beneficiary_id as string);
  const accounts = [...world.expected.accounts.values()].map((a) => a.beneficiary_id as string);
  return [ids[0]!, ids.at(-1)!, ...withTwo.slice(0, 3), ...terminated.slice(0, 3), ...accounts.slice(-3)];
}

function sampleDisbursements(): string[] {
  const all = [...world.expected.disbursements.values()];
  const of = (predicate: (row: (typeof all)[number]) => boolean) => all.filter(predicate).slice(0, 2).map((row) => row.disbursement_id as string);
  return [...of((d) => d.overpayment === true), ...of((d) => d.attempt === 2), ...of((d) => d.status === 'CANCELLED'), ...of((d) => (d.days_late as number) > 0), 'no-such-disbursement'];
}

const storeNames = ['SQLite', 'PostgreSQL'] as const;
const answers = new Map<string, Map<string, unknown>>(storeNames.map((name) => [name, new Map()]));

function describeReadModelStore(name: (typeof storeNames)[number]) {
  const store = () => world.stores.get(name)!;

  describe('when projected incrementally while the history was written', () => {
    it('holds, table by table and row for row, what the events say', async () => {
      const { audit_chain: chain, ...tables } = await dumpReadModels(store());
      expect(tables).toStrictEqual(world.expected.tables());
      // The chain's hashes are the audit's business (and its own tests'); here: one link per event.
      expect(chain!.map((link) => link.position)).toStrictEqual(world.recorded.map((event) => Number(event.globalPosition)));
      expect(await store().checkpoint()).toBe(world.head);
    }, TEST_TIMEOUT);

    it.each(queryCases.map(([caseName, actual, expected]) => ({ caseName, actual, expected })))('answers $caseName as worked out from the events', async ({ caseName, actual, expected }) => {
      const answer = normalized(await actual(new ReadModelQueries(store())));
      answers.get(name)!.set(caseName, answer);
      expect(answer).toStrictEqual(normalized(await expected(world.expected)));
    }, TEST_TIMEOUT);
  });

  describe('when rebuilt from zero', () => {
    it('holds exactly the rows of the incremental projection', async () => {
      const { events, position } = await rebuildReadModels(world.events, store(), { batchSize: 1_000 });
      expect(events).toBe(world.recorded.length);
      expect(position).toBe(world.head);
      expect(await store().checkpoint()).toBe(world.head);
      expect(await dumpReadModels(store())).toStrictEqual(world.incremental.get(name));
    }, TEST_TIMEOUT);
  });

  describe('when a batch is applied again after a crash', () => {
    it('changes nothing, and the projection carries on to the same rows', async () => {
      await store().reset();
      expect(await store().checkpoint()).toBe(-1n);
      // The store as the projector sees it, keeping what it was last asked to apply.
      let last: { changes: readonly RowChange[]; checkpoint: bigint } | undefined;
      const recording: ReadModelStore = Object.create(store(), {
        apply: { value: (changes: readonly RowChange[], checkpoint: bigint) => ((last = { changes, checkpoint }), store().apply(changes, checkpoint)) },
      });
      const projector = new Projector(world.events, recording);
      const middle = Math.floor(world.recorded.length / 2);
      for (let start = 0; start < middle; start += 700) await projector.applyBatch(world.recorded.slice(start, Math.min(start + 700, middle)));
      await projector.applyBatch(world.recorded.slice(middle, middle + 900));
      const once = await dumpReadModels(store());

      // The commit landed but the projector died before it knew: on restart the same batch comes again.
      await store().apply(last!.changes, last!.checkpoint);
      expect(await dumpReadModels(store())).toStrictEqual(once);
      expect(await store().checkpoint()).toBe(world.recorded[middle + 899]!.globalPosition);

      const restarted = new Projector(world.events, store());
      for (let start = middle + 900; start < world.recorded.length; start += 700) await restarted.applyBatch(world.recorded.slice(start, start + 700));
      expect(await dumpReadModels(store())).toStrictEqual(world.incremental.get(name));
    }, TEST_TIMEOUT);
  });

  describe('when a batch fails half way', () => {
    it('keeps neither its rows nor its checkpoint', async () => {
      const before = await dumpReadModels(store());
      const changes: RowChange[] = [
        { kind: 'update', table: 'disbursements', where: { disbursement_id: sampleDisbursements()[0]! }, set: { status: 'SENT' } },
        { kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: 'someone', unit_code: '899' } },
        // Refused by the database itself, after the writes above (an unknown column would be refused
        // before any, by the plan both stores fold a batch with): SQLite stores only an integer in a
        // rowid key, PostgreSQL cannot store text in an integer column (SQLite would).
        name === 'SQLite'
          ? { kind: 'insert', table: 'audit_chain', row: { position: 'not a position', hash: '00' } }
          : { kind: 'upsert', table: 'enrollments', row: { beneficiary_id: 'someone', program: 'MERITORIOUS', coefficient: 'one and a half' } },
      ];
      // The message, not `toThrow()`: better-sqlite3's errors come from outside Jest's module realm,
      // and whether Jest recognises them as errors depends on how the file was scheduled.
      await expect(store().apply(changes, world.head + 10n)).rejects.toHaveProperty('message', expect.stringMatching(/datatype mismatch|invalid input syntax/));
      expect(await store().checkpoint()).toBe(world.head);
      expect(await dumpReadModels(store())).toStrictEqual(before);
    }, TEST_TIMEOUT);
  });
}

describe('SQLite read models', () => describeReadModelStore('SQLite'));

describeWithPostgres('PostgreSQL read models', postgres, () => {
  describeReadModelStore('PostgreSQL');

  describe('compared with SQLite', () => {
    it('holds the same rows, audit chain included', () => {
      expect(world.incremental.get('PostgreSQL')).toStrictEqual(world.incremental.get('SQLite'));
    }, TEST_TIMEOUT);

    it('every query gives identical answers', () => {
      const sqlite = answers.get('SQLite')!;
      const pg = answers.get('PostgreSQL')!;
      expect(pg.size).toBe(queryCases.length);
      for (const [caseName] of queryCases) expect([caseName, pg.get(caseName)]).toStrictEqual([caseName, sqlite.get(caseName)]);
    });
  });
});
