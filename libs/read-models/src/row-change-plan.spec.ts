import { describe, expect, it } from '@jest/globals';
import { READ_MODEL_TABLES, type ColumnType } from './read-model-schema.js';
import type { Row, RowChange, SqlValue, TableName } from './row-changes.js';
import { randomRowChanges } from './testing/random-row-changes.js';
import { seededRandom } from './testing/seeded-random.js';
import { planRowChanges, type PlanStep } from './row-change-plan.js';

/**
 * A table as SQL sees it, in memory: rows by key, a null in `where` matching null (IS NULL),
 * integers equal whatever their spelling. Applying the changes one by one here is the meaning the plan must keep.
 */
type Tables = Map<TableName, Map<string, Record<string, SqlValue>>>;

const definitions = new Map(READ_MODEL_TABLES.map((table) => [table.name, table]));
const typeOf = (table: TableName, column: string) => definitions.get(table)!.columns.find(([name]) => name === column)![1];
const stored = (type: ColumnType, value: SqlValue): SqlValue =>
  value !== null && (type === 'integer' || type === 'bigint') && /^-?\d+$/.test(String(value)) ? BigInt(value as string | number).toString() : value;
const keyOf = (table: TableName, row: Row) => definitions.get(table)!.key.map((column) => String(stored(typeOf(table, column), row[column] ?? null))).join('|');

function rowsOf(tables: Tables, table: TableName) {
  let rows = tables.get(table);
  if (!rows) tables.set(table, (rows = new Map()));
  return rows;
}

function write(tables: Tables, table: TableName, row: Row, replace: readonly string[] | 'all-but-key'): void {
  const rows = rowsOf(tables, table);
  const key = keyOf(table, row);
  const existing = rows.get(key);
  const definition = definitions.get(table)!;
  if (!existing) {
    rows.set(key, Object.fromEntries(definition.columns.map(([column, type]) => [column, stored(type, row[column] ?? null)])));
    return;
  }
  const columns = replace === 'all-but-key' ? Object.keys(row).filter((column) => !definition.key.includes(column)) : replace;
  for (const column of columns) existing[column] = stored(typeOf(table, column), row[column] ?? null);
}

function applyInOrder(tables: Tables, change: RowChange): void {
  switch (change.kind) {
    case 'upsert':
      return write(tables, change.table, change.row, 'all-but-key');
    case 'insert':
      return write(tables, change.table, change.row, []);
    case 'update':
      for (const row of rowsOf(tables, change.table).values()) {
        const matches = Object.entries(change.where).every(([column, value]) => (value === null ? row[column] === null : row[column] !== null && row[column] === stored(typeOf(change.table, column), value)));
        if (matches) for (const [column, value] of Object.entries(change.set)) row[column] = stored(typeOf(change.table, column), value);
      }
  }
}

function applyPlan(tables: Tables, steps: readonly PlanStep[]): void {
  for (const step of steps) {
    if (step.kind === 'statement') {
      applyInOrder(tables, step.change);
      continue;
    }
    const definition = definitions.get(step.table)!;
    for (const values of step.rows) {
      if (step.kind === 'ensure') {
        write(tables, step.table, Object.fromEntries(definition.columns.map(([column], index) => [column, values[index]!])), step.setColumns);
      } else {
        const row = Object.fromEntries([...definition.key, ...step.setColumns].map((column, index) => [column, values[index]!]));
        if (rowsOf(tables, step.table).has(keyOf(step.table, row))) write(tables, step.table, row, step.setColumns);
      }
    }
  }
}

const snapshot = (tables: Tables) =>
  Object.fromEntries([...tables].map(([table, rows]) => [table, [...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row)]));
const copy = (tables: Tables): Tables => new Map([...tables].map(([table, rows]) => [table, new Map([...rows].map(([key, row]) => [key, { ...row }]))]));

describe('planning a batch of row changes', () => {
  it('has the effect of applying the changes one by one, in order (600 random batches)', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const random = seededRandom(seed);
      const before: Tables = new Map();
      for (const change of randomRowChanges(random, 30)) applyInOrder(before, change);
      const changes = randomRowChanges(random, 1 + Math.floor(random() * 80));

      const inOrder = copy(before);
      for (const change of changes) applyInOrder(inOrder, change);
      const planned = copy(before);
      applyPlan(planned, planRowChanges(changes));
      // Deep equality only on a difference, to show it: hundreds of matcher calls would be most of the run.
      if (JSON.stringify(snapshot(planned)) !== JSON.stringify(snapshot(inOrder))) expect([seed, snapshot(planned)]).toStrictEqual([seed, snapshot(inOrder)]);
    }
  });

  it('writes each key at most once per statement, whatever the batch does to it', () => {
    const random = seededRandom(7);
    const repeated: string[] = [];
    for (let round = 0; round < 120; round++) {
      for (const step of planRowChanges(randomRowChanges(random, 200))) {
        if (step.kind === 'statement') continue;
        const { key, columns } = definitions.get(step.table)!;
        const at = key.map((column) => (step.kind === 'ensure' ? columns.findIndex(([name]) => name === column) : key.indexOf(column)));
        const keys = step.rows.map((row) => keyOf(step.table, Object.fromEntries(key.map((column, index) => [column, row[at[index]!]!]))));
        if (new Set(keys).size !== keys.length) repeated.push(`${step.kind} ${step.table}: ${keys.join(' ')}`);
      }
    }
    expect(repeated).toEqual([]);
  });

  it('folds a disbursement scheduled, sent and paid in one batch into one row', () => {
    const id = { disbursement_id: 'd1' };
    const steps = planRowChanges([
      { kind: 'upsert', table: 'disbursements', row: { ...id, status: 'SCHEDULED', amount: 500_000, paid_at: null, updated_position: '1' } },
      { kind: 'update', table: 'disbursements', where: id, set: { status: 'SENT', updated_position: '2' } },
      { kind: 'update', table: 'disbursements', where: id, set: { status: 'PAID', paid_at: '2024-08-09T02:00:00.000Z', updated_position: '3' } },
      { kind: 'update', table: 'disbursements', where: { disbursement_id: 'd0' }, set: { status: 'FAILED', updated_position: '4' } },
    ]);
    const columns = READ_MODEL_TABLES.find((table) => table.name === 'disbursements')!.columns.map(([name]) => name);
    expect(steps).toHaveLength(2);
    const [update, ensure] = steps as [Extract<PlanStep, { kind: 'update' }>, Extract<PlanStep, { kind: 'ensure' }>];
    expect(ensure.kind).toBe('ensure');
    expect(ensure.setColumns).toEqual(['amount', 'status', 'paid_at', 'updated_position']);
    expect(Object.fromEntries(columns.map((column, index) => [column, ensure.rows[0]![index]])) ).toMatchObject({ disbursement_id: 'd1', status: 'PAID', amount: 500_000, paid_at: '2024-08-09T02:00:00.000Z', updated_position: '3', channel: null });
    expect(update).toEqual({ kind: 'update', table: 'disbursements', setColumns: ['status', 'updated_position'], rows: [['d0', 'FAILED', '4']] });
  });

  it('applies an update that is not by key in its place, after what came before it in its table', () => {
    const steps = planRowChanges([
      { kind: 'upsert', table: 'enrollments', row: { beneficiary_id: 'b1', program: 'MERITORIOUS', unit_code: '899' } },
      { kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: 'b1', unit_code: '899' } },
      { kind: 'update', table: 'enrollments', where: { beneficiary_id: 'b1' }, set: { unit_code: '903' } },
      { kind: 'update', table: 'enrollments', where: { beneficiary_id: 'b1', program: 'MERITORIOUS' }, set: { status: 'SUSPENDED' } },
    ]);
    expect(steps.map((step) => [step.kind, step.table])).toEqual([
      ['ensure', 'enrollments'],
      ['statement', 'enrollments'],
      ['update', 'enrollments'],
      ['ensure', 'beneficiaries'],
    ]);
  });

  it('refuses a column the table does not have', () => {
    expect(() => planRowChanges([{ kind: 'update', table: 'disbursements', where: { disbursement_id: 'd1' }, set: { colour: 'red' } }])).toThrow(/Unknown column colour/);
  });
});
