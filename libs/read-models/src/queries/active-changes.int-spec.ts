import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { ReadModelStore } from '../read-model-store.js';
import type { RowChange, SqlValue } from '../row-changes.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { PostgresReadModelStore } from '../postgres/postgres-read-model-store.js';
import { openScratchPostgresStore, postgresAvailability, postgresUrl } from '../testing/postgres-scratch.js';
import { randomRowChanges } from '../testing/random-row-changes.js';
import { seededRandom } from '../testing/seeded-random.js';
import { ReadModelQueries, type ReportFilter, type ReportKey } from './read-model-queries.js';

/**
 * The coverage report's active beneficiaries and verified accounts read what the database keeps
 * for them (active_enrollment_changes, active_beneficiary_changes). Over random histories of
 * enrollments, spells, suspensions and accounts — enrolled, relocated, suspended, resumed,
 * terminated, corrected, revoked, verified, closed, written by upsert, by key and by part of it, in
 * batches, a few deleted by hand — they must answer exactly what the SQL over every enrollment's
 * spells and suspensions answered, as of every month and of text that is no month at all, on both
 * stores, and be what a rebuild works out from scratch.
 */
const postgres = await postgresAvailability();
const UNITS = ['899', '900', '902'];
const PROGRAMS = ['SOCIAL_ASSISTANCE', 'MERITORIOUS'];
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08'];
/** The months, a month before and after them all, and text a caller could pass that is no month: the kept sums must agree on any text compared. */
const AS_OF = [...PERIODS, '2023-12', '2024-09', '2024-03-15', '2024-0', '2024', '', 'zzz'];

/** Random batches over 24 people in two programs, shaped as the projection writes (or, for a few, as hand-made SQL might). */
function randomEnrollmentChanges(random: () => number, count: number): RowChange[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const person = () => `b-${String(Math.floor(random() * 24)).padStart(2, '0')}`;
  const period = () => pick(PERIODS);
  const date = () => `${period()}-${pick(['01', '15', '28'])}`;
  // Positions sometimes arrive as digits, as the projection writes them.
  const position = () => (random() < 0.5 ? Math.floor(random() * 300) : String(Math.floor(random() * 300)));
  const changes: RowChange[] = [];
  for (let i = 0; i < count; i++) {
    const enrollment = { beneficiary_id: person(), program: pick(PROGRAMS) };
    const roll = random();
    if (roll < 0.14) {
      changes.push({ kind: 'upsert', table: 'enrollments', row: { ...enrollment, unit_code: pick(UNITS), status: 'ACTIVE', effective_from: period() } });
    } else if (roll < 0.2) {
      // A relocation moves every enrollment of the person.
      changes.push({ kind: 'update', table: 'enrollments', where: { beneficiary_id: enrollment.beneficiary_id }, set: { unit_code: pick(UNITS) } });
    } else if (roll < 0.24) {
      // What a suspension writes on the enrollment: nothing the report reads.
      changes.push({ kind: 'update', table: 'enrollments', where: enrollment, set: { status: pick(['SUSPENDED', 'ACTIVE']), suspended_from: period() } });
    } else if (roll < 0.38) {
      changes.push({
        kind: pick(['upsert', 'insert'] as const),
        table: 'enrollment_spells',
        row: { ...enrollment, effective_from: period(), started_position: position(), coefficient: 1000, terminated_on: random() < 0.2 ? date() : null },
      });
    } else if (roll < 0.46) {
      // A termination ends the spell not terminated yet.
      changes.push({ kind: 'update', table: 'enrollment_spells', where: { ...enrollment, terminated_on: null }, set: { terminated_on: date(), termination_reason: 'DECEASED' } });
    } else if (roll < 0.52) {
      // A correction or a revocation of a spell's termination, or its start moved by hand.
      const set: Record<string, SqlValue> = random() < 0.7 ? { terminated_on: random() < 0.5 ? date() : null } : { started_position: position() };
      changes.push({ kind: 'update', table: 'enrollment_spells', where: { ...enrollment, effective_from: period() }, set });
    } else if (roll < 0.66) {
      changes.push({
        kind: pick(['upsert', 'insert'] as const),
        table: 'enrollment_suspensions',
        row: { ...enrollment, position: position(), suspended_from: period(), reason: 'absent', resumed_from: random() < 0.3 ? period() : null },
      });
    } else if (roll < 0.73) {
      changes.push({ kind: 'update', table: 'enrollment_suspensions', where: { ...enrollment, resumed_from: null }, set: { resumed_from: period() } });
    } else if (roll < 0.78) {
      // Written by a termination: nothing the report reads.
      changes.push({ kind: 'update', table: 'enrollment_suspensions', where: { ...enrollment, resumed_from: null }, set: { ended_by_termination_on: date() } });
    } else if (roll < 0.9) {
      changes.push({
        kind: 'upsert',
        table: 'payment_accounts',
        row: { account_id: `a-${Math.floor(random() * 30)}`, beneficiary_id: enrollment.beneficiary_id, bank_code: 'VBA', status: pick(['VERIFIED', 'UNVERIFIED', 'CLOSED']) },
      });
    } else {
      const set: Record<string, SqlValue> = random() < 0.8 ? { status: pick(['VERIFIED', 'UNVERIFIED', 'CLOSED']) } : { beneficiary_id: person() };
      changes.push({ kind: 'update', table: 'payment_accounts', where: { account_id: `a-${Math.floor(random() * 30)}` }, set });
    }
  }
  return changes;
}

/** Rows deleted by hand: no projection deletes, but the triggers must follow whatever writes the tables. */
function randomDeletions(random: () => number): Array<{ sql: string; parameters: SqlValue[] }> {
  const person = () => `b-${String(Math.floor(random() * 24)).padStart(2, '0')}`;
  return [
    { sql: 'DELETE FROM enrollment_suspensions WHERE beneficiary_id = ? AND suspended_from = ?', parameters: [person(), PERIODS[Math.floor(random() * PERIODS.length)]!] },
    { sql: 'DELETE FROM enrollment_spells WHERE beneficiary_id = ? AND effective_from = ?', parameters: [person(), PERIODS[Math.floor(random() * PERIODS.length)]!] },
    { sql: "DELETE FROM payment_accounts WHERE beneficiary_id = ? AND status = 'VERIFIED'", parameters: [person()] },
    { sql: 'DELETE FROM enrollments WHERE beneficiary_id = ? AND program = ?', parameters: [person(), PROGRAMS[Math.floor(random() * PROGRAMS.length)]!] },
  ].filter(() => random() < 0.5);
}

/** The conditions of "active in a period" as the coverage report computed them over the enrollments before the kept tables (e, s joined). */
const ACTIVE_AS_OF = `s.effective_from = (SELECT MAX(x.effective_from) FROM enrollment_spells x WHERE x.beneficiary_id = e.beneficiary_id AND x.program = e.program AND x.effective_from <= ?)
  AND (s.terminated_on IS NULL OR SUBSTR(s.terminated_on, 1, 7) > ?)
  AND NOT EXISTS (SELECT 1 FROM enrollment_suspensions u WHERE u.beneficiary_id = s.beneficiary_id AND u.program = s.program AND u.position > s.started_position
                  AND u.suspended_from <= ? AND (u.resumed_from IS NULL OR u.resumed_from > ?))`;
const VERIFIED_NOW = "CASE WHEN EXISTS (SELECT 1 FROM payment_accounts a WHERE a.beneficiary_id = e.beneficiary_id AND a.status = 'VERIFIED') THEN 1 ELSE 0 END";

/** The report's counts per unit and program as of `asOf`, by that SQL: what the kept tables must answer. */
async function coverageByDefinition(store: ReadModelStore, asOf: string, filter: ReportFilter = {}) {
  const where = [ACTIVE_AS_OF];
  const parameters: SqlValue[] = [asOf, asOf, asOf, asOf];
  if (filter.units) where.push(filter.units.length ? `e.unit_code IN (${filter.units.map(() => '?').join(', ')})` : '1 = 0'), parameters.push(...filter.units);
  if (filter.program) where.push('e.program = ?'), parameters.push(filter.program);
  const rows = await store.query<{ unit_code: string | null; program: string; active: number | string; verified: number | string }>(
    `SELECT e.unit_code, e.program, COUNT(*) AS active, SUM(${VERIFIED_NOW}) AS verified
     FROM enrollments e JOIN enrollment_spells s ON s.beneficiary_id = e.beneficiary_id AND s.program = e.program
     WHERE ${where.join(' AND ')} GROUP BY e.unit_code, e.program ORDER BY e.unit_code, e.program`,
    parameters,
  );
  // An enrollment without a unit (only hand-made SQL writes one) is left out of the kept groups.
  return rows.filter((row) => row.unit_code !== null).map((row) => ({ unitCode: row.unit_code, program: row.program, active: Number(row.active), verified: Number(row.verified) }));
}

/** Each enrollment active as of `asOf`, with its unit and verified flag, by that SQL. */
const activeEnrollmentsByDefinition = async (store: ReadModelStore, asOf: string) =>
  normalized(
    await store.query(
      `SELECT e.beneficiary_id, e.program, e.unit_code, ${VERIFIED_NOW} AS verified
       FROM enrollments e JOIN enrollment_spells s ON s.beneficiary_id = e.beneficiary_id AND s.program = e.program
       WHERE ${ACTIVE_AS_OF} ORDER BY e.beneficiary_id, e.program`,
      [asOf, asOf, asOf, asOf],
    ),
  );

/** The same from the enrollments' kept changes: those whose changes up to `asOf` add up to 1. */
const activeEnrollmentsKept = async (store: ReadModelStore, asOf: string) =>
  normalized(
    await store.query(
      `SELECT beneficiary_id, program, unit_code, CASE WHEN verified THEN 1 ELSE 0 END AS verified FROM active_enrollment_changes WHERE period <= ?
       GROUP BY beneficiary_id, program, unit_code, verified HAVING SUM(change) <> 0 ORDER BY beneficiary_id, program`,
      [asOf],
    ),
  );

/** Sums up to a period other than 0 and 1: an enrollment counted twice, or less than not at all. */
const impossibleSums = (store: ReadModelStore, asOf: string) =>
  store.query('SELECT beneficiary_id, program, SUM(change) AS total FROM active_enrollment_changes WHERE period <= ? GROUP BY beneficiary_id, program HAVING SUM(change) NOT IN (0, 1)', [asOf]);

const keptGroups = async (store: ReadModelStore) =>
  normalized(await store.query('SELECT unit_code, program, CASE WHEN verified THEN 1 ELSE 0 END AS verified, period, change FROM active_beneficiary_changes ORDER BY unit_code, program, verified, period'));
/** active_beneficiary_changes by its definition: the enrollments' changes summed per group. */
const groupsOfEnrollmentChanges = async (store: ReadModelStore) =>
  normalized(
    await store.query(
      `SELECT unit_code, program, CASE WHEN verified THEN 1 ELSE 0 END AS verified, period, SUM(change) AS change FROM active_enrollment_changes WHERE unit_code IS NOT NULL
       GROUP BY unit_code, program, verified, period HAVING SUM(change) <> 0 ORDER BY unit_code, program, verified, period`,
    ),
  );

/** Both kept tables, whole. */
const keptTables = async (store: ReadModelStore) => ({
  enrollments: normalized(await store.query('SELECT beneficiary_id, program, period, unit_code, CASE WHEN verified THEN 1 ELSE 0 END AS verified, change FROM active_enrollment_changes ORDER BY beneficiary_id, program, period')),
  groups: await keptGroups(store),
});

/** Numbers as numbers, whichever store (PostgreSQL's SUM is a bigint). */
function normalized(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, ['verified', 'change', 'total'].includes(column) ? Number(value) : value])));
}

async function everyPage<T>(page: (after: ReportKey | undefined) => Promise<{ items: T[]; next: ReportKey | null }>): Promise<T[]> {
  const items: T[] = [];
  let after: ReportKey | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const result = await page(after);
    items.push(...result.items);
    if (!result.next) return items;
    after = result.next;
  }
  throw new Error('The pages never end');
}

interface OpenedStore {
  readonly store: ReadModelStore;
  /** Runs a write as hand-made SQL would, outside the projection. */
  readonly write: (sql: string, parameters: readonly SqlValue[]) => Promise<void>;
  /** Opens the same read models again, as a process starting after another's rebuild died. */
  readonly reopen: () => Promise<{ store: ReadModelStore; close: () => Promise<void> }>;
  readonly close: () => Promise<void>;
}

function describeActiveChanges(name: string, open: () => Promise<OpenedStore>) {
  describe(`on ${name}`, () => {
    let opened: OpenedStore;
    let store: ReadModelStore;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.reset();
    });
    afterAll(async () => opened?.close());

    /** Everything the kept tables must agree with, as of every period asked. */
    async function expectKeptAsDefined(label: string) {
      expect([label, await keptGroups(store)]).toEqual([label, await groupsOfEnrollmentChanges(store)]);
      for (const asOf of AS_OF) {
        expect([label, asOf, await impossibleSums(store, asOf)]).toEqual([label, asOf, []]);
        expect([label, asOf, await activeEnrollmentsKept(store, asOf)]).toEqual([label, asOf, await activeEnrollmentsByDefinition(store, asOf)]);
      }
    }

    async function expectReportAsDefined(label: string) {
      const queries = new ReadModelQueries(store);
      const filters: ReportFilter[] = [{}, { units: ['900'] }, { units: ['902', '899'] }, { program: 'MERITORIOUS' }, { units: [] }];
      for (const asOf of AS_OF) {
        for (const filter of filters) {
          const expected = await coverageByDefinition(store, asOf, filter);
          const counts = (items: ReadonlyArray<{ unitCode: string; program: string; activeBeneficiaries: number; verifiedAccounts: number }>) =>
            items.map((item) => ({ unitCode: item.unitCode, program: item.program, active: item.activeBeneficiaries, verified: item.verifiedAccounts }));
          expect([label, asOf, filter, counts((await queries.coverage({ ...filter, period: asOf }, '2024-08')).items)]).toEqual([label, asOf, filter, expected]);
          expect([label, asOf, filter, counts(await everyPage((after) => queries.coverage({ ...filter, period: asOf, after, limit: 2 }, '2024-08')))]).toEqual([label, asOf, filter, expected]);
        }
      }
    }

    it('keeps the changes equal to their definition, batch after batch, and answers coverage as the SQL over spells and suspensions did', async () => {
      const random = seededRandom(10_2024);
      for (let batch = 1; batch <= 60; batch++) {
        // Now and then a batch of anything the tables accept (nulls, positions as text, text that is no month).
        const changes = batch % 7 === 0 ? randomRowChanges(random, 40) : randomEnrollmentChanges(random, 1 + Math.floor(random() * 50));
        await store.apply(changes, BigInt(batch));
        if (batch % 5 === 0) for (const { sql, parameters } of randomDeletions(random)) await opened.write(sql, parameters);
        await expectKeptAsDefined(`batch ${batch}`);
        if (batch % 10 === 0) await expectReportAsDefined(`batch ${batch}`);
      }
      const enrolled = await store.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM active_enrollment_changes WHERE change = -1');
      // The history is rich enough to mean something: people stop being active, not only start.
      expect(Number(enrolled[0]!.count)).toBeGreaterThan(5);
    }, 240_000);

    it('holds what a rebuild works out from scratch, counts again once at its end, and follows the writes again after it', async () => {
      const kept = await keptTables(store);
      expect(kept.enrollments.length).toBeGreaterThan(10);
      // Worked out again from the tables as they stand, by the rebuild's own path: what the triggers kept.
      await store.beginRebuild?.();
      await store.endRebuild?.();
      expect(await keptTables(store)).toEqual(kept);

      // Writes while the triggers are away are counted at the end.
      await store.beginRebuild?.();
      await store.apply(randomEnrollmentChanges(seededRandom(5), 80), 500n);
      await store.endRebuild?.();
      expect(await keptTables(store)).not.toEqual(kept);
      await expectKeptAsDefined('after a rebuild');
      await expectReportAsDefined('after a rebuild');

      await store.apply(randomEnrollmentChanges(seededRandom(6), 80), 1_000n);
      await expectKeptAsDefined('after a rebuild, following again');
    }, 120_000);

    it('works them out again when opened after a rebuild that died half way, and follows the writes from then on', async () => {
      await store.beginRebuild?.();
      await store.apply(randomEnrollmentChanges(seededRandom(11), 80), 2_000n);
      // The rebuild dies here: no endRebuild. The next process to open the read models finds the triggers missing.
      const reopened = await opened.reopen();
      try {
        const previous = store;
        store = reopened.store;
        await expectKeptAsDefined('opened after a rebuild that died');
        await store.apply(randomEnrollmentChanges(seededRandom(12), 80), 2_001n);
        await expectKeptAsDefined('opened after a rebuild that died, following again');
        store = previous;
      } finally {
        await reopened.close();
      }
      await expectKeptAsDefined('on the first store, after the second one opened');
    }, 120_000);

    it('is empty after a reset, as the enrollments are, and follows from there', async () => {
      await store.reset();
      expect(await keptTables(store)).toEqual({ enrollments: [], groups: [] });
      await store.apply(randomEnrollmentChanges(seededRandom(7), 120), 1n);
      await expectKeptAsDefined('after a reset');
      await expectReportAsDefined('after a reset');
    }, 120_000);
  });
}

describeActiveChanges('SQLite', async () => {
  const db = new Database(':memory:');
  return {
    store: new SqliteReadModelStore(db),
    write: async (sql, parameters) => {
      db.prepare(sql).run(...parameters);
    },
    reopen: async () => ({ store: new SqliteReadModelStore(db), close: async () => undefined }),
    close: async () => {
      db.close();
    },
  };
});

describeWithPostgres('the coverage counts kept by the database', postgres, () => {
  describeActiveChanges('PostgreSQL', async () => {
    const scratch = await openScratchPostgresStore('active_changes');
    const write = async (sql: string, parameters: readonly SqlValue[]) => {
      await scratch.store.query(sql, parameters);
    };
    const reopen = async () => {
      const store = await PostgresReadModelStore.open(postgresUrl(), { schema: scratch.schema, maxConnections: 2 });
      return { store, close: () => store.close() };
    };
    return { store: scratch.store, write, reopen, close: scratch.drop };
  });
});
