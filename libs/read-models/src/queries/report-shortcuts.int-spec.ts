import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { ReadModelStore } from '../read-model-store.js';
import type { RowChange, SqlValue } from '../row-changes.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { openScratchPostgresStore, postgresAvailability } from '../testing/postgres-scratch.js';
import { seededRandom } from '../testing/seeded-random.js';
import { ReadModelQueries, type ReportFilter, type ReportKey } from './read-model-queries.js';

/**
 * The monthly summary and the late payments read what the database keeps for them
 * (disbursement_totals, the index of the late candidates). Over random histories of disbursements —
 * scheduled, moved, paid, cancelled, written by upsert, by key and by status, in batches — they must
 * answer exactly what the plain SQL over the disbursements answers, on both stores.
 */
const postgres = await postgresAvailability();
const TODAY = '2024-05-20';
const UNITS = ['899', '900', '902', '903'];
const STATUSES = ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'];
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];

/** Random batches over 120 disbursements: each change a whole row, a few columns by key, or a status moved across many rows. */
function randomDisbursementChanges(random: () => number, count: number): RowChange[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const id = () => `d-${String(Math.floor(random() * 120)).padStart(3, '0')}`;
  const period = () => pick(PERIODS);
  const changes: RowChange[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.35) {
      const p = period();
      changes.push({
        kind: roll < 0.25 ? 'upsert' : 'insert',
        table: 'disbursements',
        row: {
          disbursement_id: id(),
          beneficiary_id: `b-${Math.floor(random() * 40)}`,
          program: pick(['SOCIAL_ASSISTANCE', 'MERITORIOUS']),
          period: p,
          unit_code: pick(UNITS),
          amount: pick([500_000, 750_000, 2_789_000]),
          channel: pick(['BANK', 'CASH']),
          status: pick(STATUSES),
          due_date: `${p}-10`,
          days_late: random() < 0.5 ? null : Math.floor(random() * 4),
        },
      });
    } else if (roll < 0.85) {
      const set: Record<string, SqlValue> = {};
      if (random() < 0.7) set.status = pick(STATUSES);
      if (random() < 0.3) set.unit_code = pick(UNITS);
      if (random() < 0.2) set.amount = pick([500_000, 2_789_000, 3_000_000]);
      if (random() < 0.2) set.channel = pick(['BANK', 'CASH']);
      if (random() < 0.3) set.days_late = Math.floor(random() * 4);
      if (Object.keys(set).length === 0) set.payroll_run_id = `run-${Math.floor(random() * 3)}`;
      changes.push({ kind: 'update', table: 'disbursements', where: { disbursement_id: id() }, set });
    } else {
      // As a run's sending moves every scheduled disbursement of a unit and period at once.
      changes.push({ kind: 'update', table: 'disbursements', where: { unit_code: pick(UNITS), period: period(), status: pick(STATUSES) }, set: { status: pick(STATUSES) } });
    }
  }
  return changes;
}

/** The summary as it was computed before the totals: grouped over the disbursements themselves. */
async function summaryOverDisbursements(store: ReadModelStore, filter: ReportFilter) {
  const where: string[] = [];
  const parameters: SqlValue[] = [];
  if (filter.units) where.push(filter.units.length ? `unit_code IN (${filter.units.map(() => '?').join(', ')})` : '1 = 0'), parameters.push(...filter.units);
  if (filter.program) where.push('program = ?'), parameters.push(filter.program);
  if (filter.period) where.push('period = ?'), parameters.push(filter.period);
  const rows = await store.query<{ period: string; program: string; unit_code: string; channel: string; status: string; count: number | string; total: number | string }>(
    `SELECT period, program, unit_code, channel, status, COUNT(*) AS count, SUM(amount) AS total FROM disbursements ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     GROUP BY period, program, unit_code, channel, status ORDER BY period, program, unit_code, channel, status`,
    parameters,
  );
  const groups = new Map<string, { period: string; program: string; unitCode: string; channel: string; count: number; totalAmount: number; byStatus: Record<string, { count: number; totalAmount: number }> }>();
  for (const row of rows) {
    const key = [row.period, row.program, row.unit_code, row.channel].join('/');
    const group = groups.get(key) ?? { period: row.period, program: row.program, unitCode: row.unit_code, channel: row.channel, count: 0, totalAmount: 0, byStatus: {} };
    group.count += Number(row.count);
    group.totalAmount += Number(row.total);
    group.byStatus[row.status] = { count: Number(row.count), totalAmount: Number(row.total) };
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({ ...group, byStatus: Object.fromEntries(Object.entries(group.byStatus).sort(([a], [b]) => (a < b ? -1 : 1))) }));
}

/** Late payments in report order, one plain query over the disbursements. */
async function lateOverDisbursements(store: ReadModelStore, filter: ReportFilter) {
  const where = [`((status = 'PAID' AND days_late > 0) OR (status IN ('SCHEDULED', 'SENT', 'FAILED', 'RETURNED') AND due_date < ?))`];
  const parameters: SqlValue[] = [TODAY];
  if (filter.units) where.push(filter.units.length ? `unit_code IN (${filter.units.map(() => '?').join(', ')})` : '1 = 0'), parameters.push(...filter.units);
  if (filter.program) where.push('program = ?'), parameters.push(filter.program);
  if (filter.period) where.push('period = ?'), parameters.push(filter.period);
  return store.query<{ disbursement_id: string }>(`SELECT disbursement_id FROM disbursements WHERE ${where.join(' AND ')} ORDER BY period, unit_code, disbursement_id`, parameters);
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

const totalsOf = (store: ReadModelStore) => store.query('SELECT period, program, unit_code, channel, status, count, total_amount FROM disbursement_totals ORDER BY period, program, unit_code, channel, status');
const totalsByDefinition = (store: ReadModelStore) =>
  store.query(
    `SELECT period, program, unit_code, channel, status, COUNT(*) AS count, SUM(amount) AS total_amount FROM disbursements
     GROUP BY period, program, unit_code, channel, status ORDER BY period, program, unit_code, channel, status`,
  );

function describeShortcuts(name: string, open: () => Promise<{ store: ReadModelStore; close: () => Promise<void> }>) {
  describe(`on ${name}`, () => {
    let store: ReadModelStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
      await store.reset();
    });
    afterAll(async () => close?.());

    it('keeps the totals equal to the disbursements grouped, batch after batch, and answers the reports as the plain SQL does', async () => {
      const random = seededRandom(9_2024);
      const queries = new ReadModelQueries(store);
      const filters: ReportFilter[] = [{}, { units: ['900'] }, { units: ['903', '899'] }, { program: 'MERITORIOUS' }, { period: '2024-03', units: ['902', '900'] }, { units: [] }];
      for (let batch = 1; batch <= 40; batch++) {
        await store.apply(randomDisbursementChanges(random, 1 + Math.floor(random() * 60)), BigInt(batch));
        expect([batch, await totalsOf(store)]).toEqual([batch, await totalsByDefinition(store)]);
        if (batch % 8 !== 0) continue;
        for (const filter of filters) {
          const summary = await summaryOverDisbursements(store, filter);
          expect((await queries.summary(filter)).items).toEqual(summary);
          expect(await everyPage((after) => queries.summary({ ...filter, after, limit: 3 }))).toEqual(summary);
          const late = (await lateOverDisbursements(store, filter)).map((row) => row.disbursement_id);
          expect((await queries.latePayments(filter, TODAY)).items.map((row) => row.disbursement_id)).toEqual(late);
          for (const limit of [1, 4, 100]) {
            expect([filter, limit, (await everyPage((after) => queries.latePayments({ ...filter, after, limit }, TODAY))).map((row) => row.disbursement_id)]).toEqual([filter, limit, late]);
          }
        }
      }
    }, 120_000);

    it('counts them again, once, after a rebuild, and follows the writes again after it', async () => {
      const before = await totalsOf(store);
      await store.beginRebuild?.();
      await store.apply([{ kind: 'update', table: 'disbursements', where: { status: 'SENT' }, set: { status: 'CANCELLED' } }], 500n);
      await store.endRebuild?.();
      expect(await totalsOf(store)).toEqual(await totalsByDefinition(store));
      expect(await totalsOf(store)).not.toEqual(before);
      await store.apply(randomDisbursementChanges(seededRandom(7), 50), 1_000n);
      expect(await totalsOf(store)).toEqual(await totalsByDefinition(store));
    });

    it('is empty after a reset, as the disbursements are', async () => {
      await store.reset();
      expect(await totalsOf(store)).toEqual([]);
      await store.apply(randomDisbursementChanges(seededRandom(8), 50), 1n);
      expect(await totalsOf(store)).toEqual(await totalsByDefinition(store));
    });
  });
}

describeShortcuts('SQLite', async () => ({ store: new SqliteReadModelStore(new Database(':memory:')), close: async () => undefined }));

describeWithPostgres('the reports kept by the database', postgres, () => {
  describeShortcuts('PostgreSQL', async () => {
    const scratch = await openScratchPostgresStore('shortcuts');
    return { store: scratch.store, close: scratch.drop };
  });
});
