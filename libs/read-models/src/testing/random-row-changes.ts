import { READ_MODEL_TABLES, type ColumnType } from '../read-model-schema.js';
import type { RowChange, SqlValue, TableName } from '../row-changes.js';

/**
 * Random batches of row changes over a few keys, so that one batch inserts, upserts, updates and
 * re-inserts the same rows many times: the cases a coalescing store can get wrong. Every change is
 * one the SQL of statementFor accepts, as the projection's are.
 */
export function randomRowChanges(random: () => number, count: number): RowChange[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tables = READ_MODEL_TABLES.filter((table) => ['enrollments', 'enrollment_spells', 'enrollment_suspensions', 'payment_accounts', 'disbursements', 'duplicate_attempts'].includes(table.name));
  const keyValue = (type: ColumnType, column: string): SqlValue => {
    const n = Math.floor(random() * 4);
    // Integer keys sometimes arrive as digits, as the projection writes positions: still the same row.
    if (type === 'bigint' || type === 'integer') return random() < 0.5 ? n : String(n);
    return `${column.slice(0, 1)}${n}`;
  };
  const value = (type: ColumnType, column: string): SqlValue => {
    if (random() < 0.15) return null;
    switch (type) {
      case 'boolean':
        return random() < 0.5;
      case 'integer':
        return Math.floor(random() * 1_000);
      case 'bigint':
        return random() < 0.5 ? Math.floor(random() * 10_000_000_000) : String(Math.floor(random() * 10_000_000_000));
      case 'text':
        return `${column}-${Math.floor(random() * 5)}`;
    }
  };
  const someColumns = (columns: ReadonlyArray<readonly [string, ColumnType, ...unknown[]]>, at_least: number) => {
    const chosen = columns.filter(() => random() < 0.5);
    return chosen.length >= at_least ? chosen : columns.slice(0, at_least);
  };

  const changes: RowChange[] = [];
  for (let i = 0; i < count; i++) {
    const table = pick(tables);
    const name = table.name as TableName;
    const keyColumns = table.columns.filter(([column]) => table.key.includes(column));
    const otherColumns = table.columns.filter(([column]) => !table.key.includes(column));
    const key = Object.fromEntries(keyColumns.map(([column, type]) => [column, keyValue(type, column)]));
    const roll = random();
    if (roll < 0.3) {
      const row = { ...key, ...Object.fromEntries(someColumns(otherColumns, 0).map(([column, type]) => [column, value(type, column)])) };
      changes.push({ kind: 'upsert', table: name, row });
    } else if (roll < 0.45) {
      const row = { ...key, ...Object.fromEntries(someColumns(otherColumns, 0).map(([column, type]) => [column, value(type, column)])) };
      changes.push({ kind: 'insert', table: name, row });
    } else {
      const set = Object.fromEntries(someColumns(otherColumns, 1).map(([column, type]) => [column, value(type, column)]));
      // Mostly by key; sometimes by part of it or by another column (a relocation updates every
      // enrollment of a person), or by part of it and a column that may be null (a termination ends
      // the one spell of a person's program that is not terminated yet).
      const where =
        roll < 0.85
          ? key
          : name === 'enrollments'
            ? { beneficiary_id: key.beneficiary_id! }
            : name === 'enrollment_spells' || name === 'enrollment_suspensions'
              ? { beneficiary_id: key.beneficiary_id!, program: key.program!, [otherColumns.at(-1)![0]]: value(otherColumns.at(-1)![1], otherColumns.at(-1)![0]) }
              : { [otherColumns[0]![0]]: value(otherColumns[0]![1], otherColumns[0]![0]) };
      changes.push({ kind: 'update', table: name, where, set });
    }
  }
  return changes;
}
