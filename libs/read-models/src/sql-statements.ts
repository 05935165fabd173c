import { READ_MODEL_TABLES, tableDefinition, type ColumnType, type TableDefinition } from './read-model-schema.js';
import type { Row, RowChange, SqlValue } from './row-changes.js';

export type Dialect = 'sqlite' | 'postgres';

const sqlType: Record<Dialect, Record<ColumnType, string>> = {
  sqlite: { text: 'TEXT', integer: 'INTEGER', boolean: 'INTEGER', bigint: 'INTEGER' },
  // Byte-order collation, as SQLite compares text: ORDER BY and the `id > ?` cursors of the queries
  // then page identically on both, whatever the database's locale.
  postgres: { text: 'text COLLATE "C"', integer: 'integer', boolean: 'boolean', bigint: 'bigint' },
};

/**
 * The read-model schema's migrations, in order, as each store applies them (once each, recorded in
 * `read_model_migrations`). Append-only: a new version adds an entry, an applied one is never edited.
 */
export function schemaMigrations(dialect: Dialect): Array<{ readonly version: number; readonly statements: string[] }> {
  return [
    { version: 1, statements: [...tableStatements(dialect, 1), `CREATE TABLE IF NOT EXISTS projection_checkpoints (projection ${sqlType[dialect].text} PRIMARY KEY, position ${sqlType[dialect].bigint} NOT NULL)`] },
    {
      version: 2,
      // The audit chain is a fold over the whole log from position 0: added to a ledger whose read
      // models are already projected, it could not start where they stand. So the version empties
      // the read models and their checkpoint, and the projector replays the log from zero.
      statements: [...tableStatements(dialect, 2), ...replayFromZero(2)],
    },
    {
      version: 3,
      // Enrollment spells and suspensions (coverage as of a period), and the columns of the events
      // added with them (re-enrollment, corrected and revoked terminations, rejected runs…): only a
      // replay of the whole log fills them for what happened before.
      statements: [...tableStatements(dialect, 3), ...addedColumnStatements(dialect, 3), ...replayFromZero(3)],
    },
  ];
}

/** Empties the tables older than `version` and the checkpoint, so the projector replays the log from zero into the new shape. */
const replayFromZero = (version: number) => [
  ...READ_MODEL_TABLES.filter((table) => (table.since ?? 1) < version).map((table) => `DELETE FROM ${table.name}`),
  'DELETE FROM projection_checkpoints',
];

/** Every table and index of the current schema (what the migrations add up to), CREATE … IF NOT EXISTS. */
export function schemaStatements(dialect: Dialect): string[] {
  return READ_MODEL_TABLES.flatMap((table) => createStatements(dialect, table, Number.POSITIVE_INFINITY));
}

const sinceOf = (table: TableDefinition, column: TableDefinition['columns'][number]) => column[3] ?? table.since ?? 1;

const tableStatements = (dialect: Dialect, version: number) =>
  READ_MODEL_TABLES.filter((table) => (table.since ?? 1) === version).flatMap((table) => createStatements(dialect, table, version));

/** The columns `version` adds to tables that existed before it. */
const addedColumnStatements = (dialect: Dialect, version: number) =>
  READ_MODEL_TABLES.filter((table) => (table.since ?? 1) < version).flatMap((table) =>
    table.columns.filter((column) => sinceOf(table, column) === version).map(([name, type]) => `ALTER TABLE ${table.name} ADD COLUMN ${name} ${sqlType[dialect][type]}`),
  );

/** The table as `version` created it: the columns later versions add come with their own migration. */
function createStatements(dialect: Dialect, table: TableDefinition, version: number): string[] {
  const columns = table.columns.filter((column) => sinceOf(table, column) <= version).map(([name, type]) => `${name} ${sqlType[dialect][type]}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${table.name} (${columns.join(', ')}, PRIMARY KEY (${table.key.join(', ')}))`,
    ...table.indexes.map((index) => `CREATE INDEX IF NOT EXISTS ${table.name}_by_${index.join('_')} ON ${table.name} (${index.join(', ')})`),
  ];
}

export interface Statement {
  readonly sql: string;
  readonly parameters: SqlValue[];
}

/** One SQL statement per row change, with `?` placeholders. */
export function statementFor(change: RowChange): Statement {
  switch (change.kind) {
    case 'upsert':
    case 'insert': {
      const columns = Object.keys(change.row);
      const key = tableDefinition(change.table).key;
      const replaced = change.kind === 'upsert' ? columns.filter((column) => !key.includes(column)) : [];
      // An upsert of the key alone has nothing to replace: `DO UPDATE SET` with no column is a syntax error.
      const conflict = replaced.length ? `DO UPDATE SET ${replaced.map((column) => `${column} = excluded.${column}`).join(', ')}` : 'DO NOTHING';
      return {
        sql: `INSERT INTO ${change.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key.join(', ')}) ${conflict}`,
        parameters: Object.values(change.row),
      };
    }
    case 'update': {
      const set = Object.keys(change.set);
      const where = Object.entries(change.where);
      // A null in `where` matches null: `= NULL` would match nothing.
      return {
        sql: `UPDATE ${change.table} SET ${set.map((column) => `${column} = ?`).join(', ')} WHERE ${where.map(([column, value]) => (value === null ? `${column} IS NULL` : `${column} = ?`)).join(' AND ')}`,
        parameters: [...Object.values(change.set), ...where.filter(([, value]) => value !== null).map(([, value]) => value)],
      };
    }
  }
}

export const rowValues = (row: Row) => Object.values(row);
