import { READ_MODEL_TABLES, RECORD_TABLES, tableDefinition, type ColumnType, type PartialIndex, type RecordTableDefinition, type TableDefinition } from './read-model-schema.js';
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
    {
      version: 4,
      // The register's folded name (search by name, accent-insensitive) and the indexes of the
      // searches. The folding is the domain's (bankPrintedName), which SQL cannot do: only a replay
      // fills the column for the people registered before. (The index on national_id, an older
      // column, is made with the other secondary indexes each time a store opens.)
      statements: [...tableStatements(dialect, 4), ...addedColumnStatements(dialect, 4), ...replayFromZero(4)],
    },
    {
      version: 5,
      // The access log: records of reads, not a projection of the log, so nothing to replay; the
      // read models stay as they are.
      statements: recordTableStatements(dialect, 5),
    },
    {
      version: 6,
      // The population database's answers: the register's identity-check columns and the death
      // reports. Both come only from events this version introduced, so there is nothing earlier to
      // replay; the read models stay as they are.
      statements: [...tableStatements(dialect, 6), ...addedColumnStatements(dialect, 6)],
    },
    {
      version: 7,
      // Imported files (bank results, Post Office returns, population database answers): only events
      // this version introduced fill it, so there is nothing earlier to replay.
      statements: tableStatements(dialect, 7),
    },
    {
      version: 8,
      // Cross-province findings of the national hub: only events this version introduced fill the
      // table, so there is nothing earlier to replay; the read models stay as they are.
      statements: tableStatements(dialect, 8),
    },
    {
      version: 9,
      // Disbursement totals, kept by triggers, and the index of the late candidates: both are
      // computed from the disbursements already projected, so nothing is replayed.
      statements: [...tableStatements(dialect, 9), ...partialIndexStatements(9), ...disbursementTotalsFollowing(dialect), ...disbursementTotalsRecomputed()],
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

/** The columns `version` adds to tables that existed before it, and the indexes that need them. */
const addedColumnStatements = (dialect: Dialect, version: number) =>
  READ_MODEL_TABLES.filter((table) => (table.since ?? 1) < version).flatMap((table) => {
    const added = table.columns.filter((column) => sinceOf(table, column) === version).map(([name]) => name);
    return [
      ...table.columns.filter((column) => sinceOf(table, column) === version).map(([name, type]) => `ALTER TABLE ${table.name} ADD COLUMN ${name} ${sqlType[dialect][type]}`),
      ...table.indexes.filter((index) => index.some((column) => added.includes(column))).map((index) => indexStatement(table, index)),
    ];
  });

/** The table as `version` created it: the columns later versions add, and their indexes, come with their own migration. */
function createStatements(dialect: Dialect, table: TableDefinition, version: number): string[] {
  const columns = table.columns.filter((column) => sinceOf(table, column) <= version);
  const names = columns.map(([name]) => name);
  return [
    `CREATE TABLE IF NOT EXISTS ${table.name} (${columns.map(([name, type]) => `${name} ${sqlType[dialect][type]}`).join(', ')}, PRIMARY KEY (${table.key.join(', ')}))`,
    ...table.indexes.filter((index) => index.every((column) => names.includes(column))).map((index) => indexStatement(table, index)),
    ...(table.partialIndexes ?? []).filter((index) => index.since <= version).map((index) => partialIndexStatement(table, index)),
  ];
}

const indexStatement = (table: TableDefinition, index: readonly string[]) => `CREATE INDEX IF NOT EXISTS ${table.name}_by_${index.join('_')} ON ${table.name} (${index.join(', ')})`;

const partialIndexStatement = (table: TableDefinition, index: PartialIndex) => `CREATE INDEX IF NOT EXISTS ${index.name} ON ${table.name} (${index.columns.join(', ')}) WHERE ${index.where}`;

/** The partial indexes `version` adds to tables that existed before it. */
const partialIndexStatements = (version: number) =>
  READ_MODEL_TABLES.filter((table) => (table.since ?? 1) < version).flatMap((table) => (table.partialIndexes ?? []).filter((index) => index.since === version).map((index) => partialIndexStatement(table, index)));

// ---------------------------------------------------------------------------------------------
// disbursement_totals: kept by the database rather than the projection, so that it changes in the
// transaction of whatever statement changes a disbursement (an upsert, an update by key or by
// status, a delete) and can never count a batch twice or miss one.

const TOTALS_GROUP = ['period', 'program', 'unit_code', 'channel', 'status'] as const;

/**
 * A disbursement is counted in its group once it has one: every scheduled disbursement has all five
 * (a row lacking one, which only hand-made SQL could write, is left out rather than refused).
 */
const completeGroup = (row: string) => TOTALS_GROUP.map((column) => `${row}${column} IS NOT NULL`).join(' AND ');
const sameGroup = (totals: string, row: string) => TOTALS_GROUP.map((column) => `${totals}${column} = ${row}${column}`).join(' AND ');

/** The names of the triggers that keep disbursement_totals, per dialect: what a rebuild drops and makes again. */
export const DISBURSEMENT_TOTALS_TRIGGERS = ['disbursement_totals_follow_insert', 'disbursement_totals_follow_update', 'disbursement_totals_follow_delete'] as const;

/**
 * The triggers on disbursements that keep disbursement_totals in step. SQLite has row triggers only:
 * one upsert per disbursement written. PostgreSQL's are per statement, over the rows the statement
 * changed (transition tables): the projection writes a batch's disbursements in a few multi-row
 * statements, and each costs one grouped upsert of the totals, not one per row.
 */
export function disbursementTotalsFollowing(dialect: Dialect): string[] {
  const group = TOTALS_GROUP.join(', ');
  if (dialect === 'sqlite') {
    const add = `INSERT INTO disbursement_totals (${group}, count, total_amount) SELECT ${TOTALS_GROUP.map((column) => `NEW.${column}`).join(', ')}, 1, COALESCE(NEW.amount, 0)
        WHERE ${completeGroup('NEW.')}
        ON CONFLICT (${group}) DO UPDATE SET count = count + 1, total_amount = total_amount + excluded.total_amount;`;
    // The old row's group exists (it was counted) unless the row lacked part of its group: then nothing matches.
    const subtract = `UPDATE disbursement_totals SET count = count - 1, total_amount = total_amount - COALESCE(OLD.amount, 0) WHERE ${sameGroup('', 'OLD.')};
        DELETE FROM disbursement_totals WHERE ${sameGroup('', 'OLD.')} AND count = 0;`;
    const changed = [...TOTALS_GROUP, 'amount'];
    return [
      `CREATE TRIGGER IF NOT EXISTS disbursement_totals_follow_insert AFTER INSERT ON disbursements BEGIN ${add} END`,
      `CREATE TRIGGER IF NOT EXISTS disbursement_totals_follow_update AFTER UPDATE OF ${changed.join(', ')} ON disbursements
        WHEN ${changed.map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ')} BEGIN ${subtract} ${add} END`,
      `CREATE TRIGGER IF NOT EXISTS disbursement_totals_follow_delete AFTER DELETE ON disbursements BEGIN ${subtract} END`,
    ];
  }
  // The rows a statement added count +1 and their amount; those it removed (or changed from) -1 and
  // minus theirs. Grouped, a group's changes are one upsert; a group left with none is deleted.
  const deltas = (sources: string[]) => `
    INSERT INTO disbursement_totals AS t (${group}, count, total_amount)
    SELECT ${group}, SUM(change), SUM(amount_change) FROM (${sources.join(' UNION ALL ')}) AS changed
    WHERE ${completeGroup('')} GROUP BY ${group} HAVING SUM(change) <> 0 OR SUM(amount_change) <> 0
    ON CONFLICT (${group}) DO UPDATE SET count = t.count + EXCLUDED.count, total_amount = t.total_amount + EXCLUDED.total_amount;`;
  const added = `SELECT ${group}, 1 AS change, COALESCE(amount, 0) AS amount_change FROM added_rows`;
  const removed = `SELECT ${group}, -1 AS change, -COALESCE(amount, 0) AS amount_change FROM removed_rows`;
  const emptied = `DELETE FROM disbursement_totals AS t USING removed_rows AS r WHERE ${sameGroup('t.', 'r.')} AND t.count = 0;`;
  const fn = (name: string, body: string) => `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`;
  return [
    fn('disbursement_totals_add', deltas([added])),
    fn('disbursement_totals_change', deltas([added, removed]) + emptied),
    fn('disbursement_totals_subtract', deltas([removed]) + emptied),
    `CREATE TRIGGER disbursement_totals_follow_insert AFTER INSERT ON disbursements REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION disbursement_totals_add()`,
    `CREATE TRIGGER disbursement_totals_follow_update AFTER UPDATE ON disbursements REFERENCING OLD TABLE AS removed_rows NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION disbursement_totals_change()`,
    `CREATE TRIGGER disbursement_totals_follow_delete AFTER DELETE ON disbursements REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION disbursement_totals_subtract()`,
  ];
}

export const disbursementTotalsNotFollowing = (dialect: Dialect) =>
  DISBURSEMENT_TOTALS_TRIGGERS.map((name) => `DROP TRIGGER IF EXISTS ${name}${dialect === 'postgres' ? ' ON disbursements' : ''}`);

/** disbursement_totals computed again from the disbursements: one grouped pass, for a rebuild's end and the migration. */
export const disbursementTotalsRecomputed = () => [
  'DELETE FROM disbursement_totals',
  `INSERT INTO disbursement_totals (${TOTALS_GROUP.join(', ')}, count, total_amount)
   SELECT ${TOTALS_GROUP.join(', ')}, COUNT(*), SUM(COALESCE(amount, 0)) FROM disbursements WHERE ${completeGroup('')} GROUP BY ${TOTALS_GROUP.join(', ')}`,
];

/**
 * The record tables `version` adds (read-model-schema.ts): the key a number the database assigns
 * in insertion order, and triggers that refuse every UPDATE and DELETE (and, on PostgreSQL, a
 * TRUNCATE), so that append-only holds whatever code or SQL console reaches the table.
 */
const recordTableStatements = (dialect: Dialect, version: number) =>
  RECORD_TABLES.filter((table) => table.since === version).flatMap((table) => recordTableCreateStatements(dialect, table));

export function recordTableCreateStatements(dialect: Dialect, table: RecordTableDefinition): string[] {
  const [key] = table.key;
  const generatedKey = dialect === 'sqlite' ? `${key} INTEGER PRIMARY KEY` : `${key} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`;
  const columns = table.columns.filter(([name]) => name !== key).map(([name, type]) => `${name} ${sqlType[dialect][type]}${table.required.includes(name) ? ' NOT NULL' : ''}`);
  const refusal = `${table.name} is append-only: its records are never changed or deleted`;
  const indexes = table.indexes.map((index) => `CREATE INDEX IF NOT EXISTS ${table.name}_by_${index.join('_')} ON ${table.name} (${index.join(', ')})`);
  if (dialect === 'sqlite') {
    return [
      `CREATE TABLE IF NOT EXISTS ${table.name} (${[generatedKey, ...columns].join(', ')})`,
      ...indexes,
      ...['UPDATE', 'DELETE'].map((operation) => `CREATE TRIGGER IF NOT EXISTS ${table.name}_refuses_${operation.toLowerCase()} BEFORE ${operation} ON ${table.name} BEGIN SELECT RAISE(ABORT, '${refusal}'); END`),
    ];
  }
  return [
    `CREATE TABLE IF NOT EXISTS ${table.name} (${[generatedKey, ...columns].join(', ')})`,
    ...indexes,
    `CREATE OR REPLACE FUNCTION ${table.name}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${refusal}' USING ERRCODE = 'restrict_violation'; END $$`,
    `CREATE TRIGGER ${table.name}_refuses_change BEFORE UPDATE OR DELETE ON ${table.name} FOR EACH ROW EXECUTE FUNCTION ${table.name}_refuse_change()`,
    `CREATE TRIGGER ${table.name}_refuses_truncate BEFORE TRUNCATE ON ${table.name} FOR EACH STATEMENT EXECUTE FUNCTION ${table.name}_refuse_change()`,
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
