import { READ_MODEL_TABLES, type ColumnType, type TableDefinition } from './read-model-schema.js';
import type { Row, RowChange, SqlValue, TableName } from './row-changes.js';

/**
 * A batch of row changes folded into few set-based writes, with the result of applying the changes
 * one by one, in order:
 *
 * - `update`: updates by key of rows the batch has not inserted (yet), folded into the values
 *   they leave (PostgreSQL: `UPDATE … FROM UNNEST(…)`; SQLite: one `UPDATE … WHERE key` per row);
 *   they run first.
 * - `ensure`: rows that exist after the batch whatever the table held before it. Each row is the
 *   full row to insert when its key is absent; when it is present, the columns in `setColumns` are
 *   overwritten with that row's values (`INSERT … ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c`,
 *   or `DO NOTHING` when there are none).
 * - `statement`: a change that cannot be folded by key (an update whose `where` is not the whole
 *   key, or that sets a key column); it is applied as is, after everything planned before it for
 *   its table, and before everything after it.
 *
 * Tables never affect each other, so only the order within a table matters.
 *
 * Both stores write plans: a row a batch schedules, sends and pays is written once instead of three
 * times, and its writes are grouped by the few shapes a projection produces.
 */
export type PlanStep =
  | { readonly kind: 'ensure'; readonly table: TableName; readonly setColumns: readonly string[]; readonly rows: ReadonlyArray<readonly SqlValue[]> }
  | { readonly kind: 'update'; readonly table: TableName; readonly setColumns: readonly string[]; readonly rows: ReadonlyArray<readonly SqlValue[]> }
  | { readonly kind: 'statement'; readonly table: TableName; readonly change: RowChange };

interface TableShape {
  readonly definition: TableDefinition;
  /** Every column, in table order. */
  readonly columns: readonly string[];
  readonly types: ReadonlyMap<string, ColumnType>;
  readonly key: readonly string[];
  readonly keySet: ReadonlySet<string>;
  readonly position: ReadonlyMap<string, number>;
  /** Bit of each column, by position, for column sets held as one integer. */
  readonly keyMask: number;
  readonly integerKey: readonly boolean[];
}

const SHAPES = new Map<TableName, TableShape>(
  READ_MODEL_TABLES.map((definition) => {
    const columns = definition.columns.map(([name]) => name);
    if (columns.length > 30) throw new Error(`Read-model table ${definition.name} has more columns than a plan's column masks hold`);
    const position = new Map(columns.map((name, index) => [name, index]));
    const types = new Map(definition.columns.map(([name, type]) => [name, type]));
    return [
      definition.name,
      {
        definition,
        columns,
        types,
        key: definition.key,
        keySet: new Set(definition.key),
        position,
        keyMask: definition.key.reduce((mask, column) => mask | (1 << position.get(column)!), 0),
        integerKey: definition.key.map((column) => types.get(column) === 'integer' || types.get(column) === 'bigint'),
      },
    ];
  }),
);

export function tableShape(table: TableName): TableShape {
  const shape = SHAPES.get(table);
  if (!shape) throw new Error(`Unknown read-model table ${table}`);
  return shape;
}

/**
 * What the batch has done to one key so far; column sets are bit masks over column positions.
 * `updated`: what updates by key did while the row could still be absent (they change a present
 * row and nothing else). `insert`: from the first insert or upsert on, the row as it would be had
 * the key been absent before it (a column never given is null); `setMask`: from then on, the
 * columns overwritten on a row that was present, always with the values of `insert`, as
 * `EXCLUDED.c` requires.
 */
interface KeyState {
  readonly key: readonly SqlValue[];
  updatedMask: number;
  updated: SqlValue[] | undefined;
  insert: SqlValue[] | undefined;
  setMask: number;
}

interface Group {
  readonly setColumns: string[];
  readonly rows: SqlValue[][];
}

class TablePlan {
  private keys = new Map<string, KeyState>();
  constructor(readonly shape: TableShape) {}

  get isEmpty(): boolean {
    return this.keys.size === 0;
  }

  /** Folds a change keyed by the whole key; false when it cannot be folded. */
  fold(change: RowChange): boolean {
    const { shape } = this;
    if (change.kind === 'update') {
      if (!isWholeKey(change.where, shape)) return false;
      const set = change.set;
      for (const column in set) if (shape.keySet.has(column)) return false;
      const where = change.where;
      const key: SqlValue[] = shape.key.length === 1 ? [where[shape.key[0]!] as SqlValue] : shape.key.map((column) => where[column] as SqlValue);
      // `column = NULL` matches no row.
      if (key.includes(null)) {
        assertColumns(set, shape);
        return true;
      }
      const state = this.stateOf(key);
      for (const column in set) {
        const index = positionOf(shape, column);
        if (state.insert) {
          state.insert[index] = set[column]!;
          state.setMask |= 1 << index;
        } else {
          (state.updated ??= new Array<SqlValue>(shape.columns.length))[index] = set[column]!;
          state.updatedMask |= 1 << index;
        }
      }
      return true;
    }

    const row = change.row;
    const key = shape.key.length === 1 ? [row[shape.key[0]!] ?? null] : shape.key.map((column) => row[column] ?? null);
    const state = this.stateOf(key);
    if (state.insert) {
      // The row exists at this point whatever came before: an insert finds it, an upsert overwrites it.
      if (change.kind === 'insert') {
        assertColumns(row, shape);
        return true;
      }
      for (const column in row) {
        const index = positionOf(shape, column);
        if (shape.keyMask & (1 << index)) continue;
        state.insert[index] = row[column]!;
        state.setMask |= 1 << index;
      }
      return true;
    }
    // The first insert or upsert of the key. Had the row been absent, the updates before it found
    // nothing; had it been present, they ran (`updated`) before this.
    const insert = new Array<SqlValue>(shape.columns.length).fill(null);
    let given = 0;
    for (const column in row) {
      const index = positionOf(shape, column);
      insert[index] = row[column]!;
      given |= 1 << index;
    }
    state.insert = insert;
    if (change.kind === 'upsert') state.setMask = given & ~shape.keyMask;
    return true;
  }

  /** The planned writes, grouped by the columns they overwrite, and forgets them. */
  drain(steps: PlanStep[]): void {
    const { shape } = this;
    const ensure = new Map<number, Group>();
    const update = new Map<number, Group>();
    const group = (groups: Map<number, Group>, mask: number) => {
      let found = groups.get(mask);
      if (!found) groups.set(mask, (found = { setColumns: shape.columns.filter((_, index) => mask & (1 << index)), rows: [] }));
      return found;
    };
    for (const state of this.keys.values()) {
      if (state.updatedMask) {
        const row = [...state.key];
        for (let index = 0; index < shape.columns.length; index++) if (state.updatedMask & (1 << index)) row.push(state.updated![index]!);
        group(update, state.updatedMask).rows.push(row);
      }
      if (state.insert) group(ensure, state.setMask).rows.push(state.insert);
    }
    // A key's earlier updates must land before its insert-or-overwrite; different keys never interact.
    for (const { setColumns, rows } of update.values()) steps.push({ kind: 'update', table: shape.definition.name, setColumns, rows });
    for (const { setColumns, rows } of ensure.values()) steps.push({ kind: 'ensure', table: shape.definition.name, setColumns, rows });
    this.keys = new Map();
  }

  private stateOf(key: readonly SqlValue[]): KeyState {
    const id = canonicalKey(key, this.shape);
    let state = this.keys.get(id);
    if (!state) {
      state = { key, updatedMask: 0, updated: undefined, insert: undefined, setMask: 0 };
      this.keys.set(id, state);
    }
    return state;
  }
}

/** Plans a batch of row changes; applying the plan has the effect of applying the changes in order. */
export function planRowChanges(changes: readonly RowChange[]): PlanStep[] {
  const tables = new Map<TableName, TablePlan>();
  const steps: PlanStep[] = [];
  for (const change of changes) {
    let plan = tables.get(change.table);
    if (!plan) {
      plan = new TablePlan(tableShape(change.table));
      tables.set(change.table, plan);
    }
    if (plan.fold(change)) continue;
    // Rare (a relocation updates every enrollment of a beneficiary): settle the table, then apply it as is.
    if (change.kind === 'update') {
      assertColumns(change.where, plan.shape);
      assertColumns(change.set, plan.shape);
    }
    plan.drain(steps);
    steps.push({ kind: 'statement', table: change.table, change });
  }
  for (const plan of tables.values()) if (!plan.isEmpty) plan.drain(steps);
  return steps;
}

function isWholeKey(where: Row, shape: TableShape): boolean {
  let count = 0;
  for (const column in where) {
    if (!shape.keySet.has(column)) return false;
    count++;
  }
  return count === shape.key.length;
}

function positionOf(shape: TableShape, column: string): number {
  const index = shape.position.get(column);
  if (index === undefined) throw new Error(`Unknown column ${column} of read-model table ${shape.definition.name}`);
  return index;
}

function assertColumns(row: Row, shape: TableShape): void {
  for (const column in row) positionOf(shape, column);
}

/**
 * Two key values name the same row when the database would say so: integer columns compare as
 * numbers ('42' and 42 are one position), text columns byte for byte.
 */
function canonicalKey(key: readonly SqlValue[], shape: TableShape): string {
  if (key.length === 1) return canonicalValue(key[0]!, shape.integerKey[0]!);
  let id = canonicalValue(key[0]!, shape.integerKey[0]!);
  for (let index = 1; index < key.length; index++) id += `\u0000${canonicalValue(key[index]!, shape.integerKey[index]!)}`;
  return id;
}

const PLAIN_INTEGER = /^-?[1-9]\d{0,14}$/;

function canonicalValue(value: SqlValue, integer: boolean): string {
  if (value === null) return '\u0001';
  if (integer) {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    // Digits without a leading zero are already canonical; only odd spellings ('007', '-0') pay for a BigInt.
    if (typeof value === 'string' && (PLAIN_INTEGER.test(value) || value === '0')) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value).toString();
  }
  return typeof value === 'string' ? value : String(value);
}
