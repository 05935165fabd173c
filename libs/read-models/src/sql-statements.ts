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
    {
      version: 10,
      // The coverage report's active changes, kept by triggers: worked out from the enrollments,
      // spells, suspensions and accounts already projected, so nothing is replayed.
      statements: [...tableStatements(dialect, 10), ...activeChangesWorkedOutAndFollowed(dialect)],
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

// ---------------------------------------------------------------------------------------------
// active_enrollment_changes and active_beneficiary_changes: the coverage report's active count,
// kept by the database for the same reason as the disbursement totals. An enrollment's activity in
// a month depends on its spells and suspensions, its unit on the enrollment row (a relocation moves
// it) and "verified" on the person's accounts: none of which one event carries whole, so no
// projection could keep them.

/**
 * Whether the enrollment `e` is active in `period` (SQL text comparable with periods): the
 * coverage report's definition, as it was computed at query time before these tables kept it. The
 * spell in force is the latest one started by then (none: not counted); it is TERMINATED from the
 * month of its termination's effective date; SUSPENDED in a month that one of its suspensions
 * covers, a suspension recorded before the spell started being an earlier spell's.
 */
export const enrollmentActiveIn = (period: string) => `EXISTS (
    SELECT 1 FROM enrollment_spells s
    WHERE s.beneficiary_id = e.beneficiary_id AND s.program = e.program
      AND s.effective_from = (SELECT MAX(x.effective_from) FROM enrollment_spells x WHERE x.beneficiary_id = e.beneficiary_id AND x.program = e.program AND x.effective_from <= ${period})
      AND (s.terminated_on IS NULL OR SUBSTR(s.terminated_on, 1, 7) > ${period})
      AND NOT EXISTS (SELECT 1 FROM enrollment_suspensions u WHERE u.beneficiary_id = s.beneficiary_id AND u.program = s.program AND u.position > s.started_position
                      AND u.suspended_from <= ${period} AND (u.resumed_from IS NULL OR u.resumed_from > ${period})))`;

/** Whether the beneficiary `beneficiaryId` (SQL) has a verified account now. */
const verifiedNow = (beneficiaryId: string) => `EXISTS (SELECT 1 FROM payment_accounts a WHERE a.beneficiary_id = ${beneficiaryId} AND a.status = 'VERIFIED')`;

const ACTIVE_ENROLLMENT_CHANGE_COLUMNS = ['beneficiary_id', 'program', 'period', 'unit_code', 'verified', 'change'] as const;
const ACTIVE_GROUP = ['unit_code', 'program', 'verified', 'period'] as const;

/**
 * The rows of active_enrollment_changes of the enrollments `scope` selects (a condition on the
 * beneficiary_id and program of the alias it is given), worked out from what the tables hold now.
 *
 * Every condition of enrollmentActiveIn compares the period with a value of the enrollment's own
 * rows: a spell's effective_from, its termination's month, a suspension's suspended_from or
 * resumed_from. Each is true from that value on (or until it), in the order the database compares
 * text, so between two consecutive values the answer cannot change, and before the first no spell
 * has started. Evaluated at each of those months, in that order, the enrollment's activity there
 * less its activity at the one before is the change; the changes up to a period add up to its
 * activity in the period — for any text compared, not only a well-formed YYYY-MM.
 */
export function activeEnrollmentChangesOf(scope: (alias: string) => string): string {
  const months = [
    ['r.effective_from', 'enrollment_spells'],
    ['SUBSTR(r.terminated_on, 1, 7)', 'enrollment_spells'],
    ['r.suspended_from', 'enrollment_suspensions'],
    ['r.resumed_from', 'enrollment_suspensions'],
  ].map(([month, table]) => `SELECT r.beneficiary_id, r.program, ${month} AS period FROM ${table} r WHERE ${scope('r')}`);
  return `SELECT ${ACTIVE_ENROLLMENT_CHANGE_COLUMNS.join(', ')} FROM (
      SELECT beneficiary_id, program, period, unit_code, verified,
             active - COALESCE(LAG(active) OVER (PARTITION BY beneficiary_id, program ORDER BY period), 0) AS change
      FROM (
        SELECT e.beneficiary_id, e.program, named.period, e.unit_code, ${verifiedNow('e.beneficiary_id')} AS verified,
               CASE WHEN ${enrollmentActiveIn('named.period')} THEN 1 ELSE 0 END AS active
        FROM enrollments e
        JOIN (${months.join(' UNION ')}) AS named ON named.beneficiary_id = e.beneficiary_id AND named.program = e.program
        WHERE named.period IS NOT NULL AND ${scope('e')}
      ) AS activity
    ) AS changes WHERE change <> 0`;
}

/** What each trigger that keeps the two tables follows: the columns the activity, unit or verified flag depend on (the key's among them). */
const ACTIVITY_SOURCES = [
  { table: 'enrollments', columns: ['beneficiary_id', 'program', 'unit_code'] },
  { table: 'enrollment_spells', columns: ['beneficiary_id', 'program', 'effective_from', 'terminated_on', 'started_position'] },
  { table: 'enrollment_suspensions', columns: ['beneficiary_id', 'program', 'position', 'suspended_from', 'resumed_from'] },
] as const;
const ACCOUNT_COLUMNS = ['account_id', 'beneficiary_id', 'status'] as const;
const OPERATIONS = ['insert', 'update', 'delete'] as const;

/** The triggers that keep the active changes, with their tables: what a rebuild drops and makes again. */
export const ACTIVE_CHANGES_TRIGGERS: ReadonlyArray<{ readonly name: string; readonly table: string }> = [
  ...[...ACTIVITY_SOURCES.map((source) => source.table), 'payment_accounts'].flatMap((table) => OPERATIONS.map((operation) => ({ name: `active_enrollment_changes_follow_${table}_${operation}`, table }))),
  ...OPERATIONS.map((operation) => ({ name: `active_beneficiary_changes_follow_${operation}`, table: 'active_enrollment_changes' })),
];

const triggerName = (table: string, operation: (typeof OPERATIONS)[number]) => ACTIVE_CHANGES_TRIGGERS.find((trigger) => trigger.table === table && trigger.name.endsWith(`_${operation}`))!.name;
const timing = { insert: 'AFTER INSERT', update: 'AFTER UPDATE', delete: 'AFTER DELETE' } as const;

/** A change of an enrollment counts in its group once it has one (only hand-made SQL could write an enrollment without a unit). */
const completeActiveGroup = (row: string) => [...ACTIVE_GROUP, 'change'].map((column) => `${row}${column} IS NOT NULL`).join(' AND ');
const sameActiveGroup = (changes: string, row: string) => ACTIVE_GROUP.map((column) => `${changes}${column} = ${row}${column}`).join(' AND ');

/**
 * The triggers that keep active_enrollment_changes and active_beneficiary_changes in step, in the
 * transaction of every write of the four tables they follow:
 *
 * - a write of an enrollment, spell or suspension has the changes of its enrollment (before and
 *   after it, when it moved a key) worked out again from what the tables then hold, and replaces
 *   them; whatever the statement, each enrollment's rows are then a function of its current rows;
 * - a write of an account that was or is VERIFIED sets `verified` again on the person's changes;
 * - a write of active_enrollment_changes moves its change between the groups of
 *   active_beneficiary_changes (old row out, new row in), a group left at 0 deleted.
 *
 * SQLite has row triggers only; a write that changes none of the columns followed fires none. On
 * PostgreSQL they are per statement, over its transition tables: the enrollments a statement
 * changed are worked out again together, and their groups moved in one grouped upsert. (A column
 * list cannot go with transition tables there, so the rows whose followed columns did not change
 * are set aside in the function: an enrollment's status written at a suspension recomputes nothing.)
 */
export function activeChangesFollowing(dialect: Dialect): string[] {
  const columns = ACTIVE_ENROLLMENT_CHANGE_COLUMNS.join(', ');
  const group = ACTIVE_GROUP.join(', ');
  if (dialect === 'sqlite') {
    const workedOutAgain = (row: string, when = 'TRUE') => `
        DELETE FROM active_enrollment_changes WHERE beneficiary_id = ${row}.beneficiary_id AND program = ${row}.program AND ${when};
        INSERT INTO active_enrollment_changes (${columns}) ${activeEnrollmentChangesOf((alias) => `${alias}.beneficiary_id = ${row}.beneficiary_id AND ${alias}.program = ${row}.program AND ${when}`)};`;
    const keyMoved = '(OLD.beneficiary_id IS NOT NEW.beneficiary_id OR OLD.program IS NOT NEW.program)';
    const verifiedAgain = (row: string) => `
        UPDATE active_enrollment_changes SET verified = ${verifiedNow(`${row}.beneficiary_id`)}
        WHERE beneficiary_id = ${row}.beneficiary_id AND verified IS NOT ${verifiedNow(`${row}.beneficiary_id`)};`;
    const moved = (row: string, sign: '' | '-') => `
        INSERT INTO active_beneficiary_changes (${group}, change) SELECT ${ACTIVE_GROUP.map((column) => `${row}.${column}`).join(', ')}, ${sign}${row}.change
        WHERE ${completeActiveGroup(`${row}.`)}
        ON CONFLICT (${group}) DO UPDATE SET change = change + excluded.change;
        DELETE FROM active_beneficiary_changes WHERE ${sameActiveGroup('', `${row}.`)} AND change = 0;`;
    const changedAny = (followed: readonly string[]) => followed.map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ');
    const trigger = (table: string, operation: (typeof OPERATIONS)[number], when: string | undefined, body: string, of?: readonly string[]) =>
      `CREATE TRIGGER IF NOT EXISTS ${triggerName(table, operation)} ${timing[operation]}${of ? ` OF ${of.join(', ')}` : ''} ON ${table}${when ? ` WHEN ${when}` : ''} BEGIN ${body} END`;
    const wasVerified = "OLD.status = 'VERIFIED'";
    const isVerified = "NEW.status = 'VERIFIED'";
    const changeColumns = [...ACTIVE_GROUP, 'change'];
    return [
      ...ACTIVITY_SOURCES.flatMap(({ table, columns: followed }) => [
        trigger(table, 'insert', undefined, workedOutAgain('NEW')),
        trigger(table, 'update', changedAny(followed), workedOutAgain('OLD', keyMoved) + workedOutAgain('NEW'), followed),
        trigger(table, 'delete', undefined, workedOutAgain('OLD')),
      ]),
      trigger('payment_accounts', 'insert', isVerified, verifiedAgain('NEW')),
      trigger('payment_accounts', 'update', `(${wasVerified} OR ${isVerified}) AND (${changedAny(['beneficiary_id', 'status'])})`, verifiedAgain('OLD') + verifiedAgain('NEW'), ['beneficiary_id', 'status']),
      trigger('payment_accounts', 'delete', wasVerified, verifiedAgain('OLD')),
      trigger('active_enrollment_changes', 'insert', undefined, moved('NEW', '')),
      trigger('active_enrollment_changes', 'update', changedAny(changeColumns), moved('OLD', '-') + moved('NEW', ''), changeColumns),
      trigger('active_enrollment_changes', 'delete', undefined, moved('OLD', '-')),
    ];
  }

  type Sources = readonly ('added_rows' | 'removed_rows')[];
  const sourcesOf = { insert: ['added_rows'], update: ['removed_rows', 'added_rows'], delete: ['removed_rows'] } as const satisfies Record<(typeof OPERATIONS)[number], Sources>;
  /** The rows of the statement whose followed values changed: the symmetric difference of its old and new rows on them (all of them for an insert or a delete). */
  const changedRows = (sources: Sources, followed: string) =>
    sources.length === 1
      ? `SELECT ${followed} FROM ${sources[0]}`
      : `(SELECT ${followed} FROM removed_rows EXCEPT SELECT ${followed} FROM added_rows) UNION ALL (SELECT ${followed} FROM added_rows EXCEPT SELECT ${followed} FROM removed_rows)`;
  const fn = (name: string, body: string) => `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`;
  const transition = (operation: (typeof OPERATIONS)[number]) =>
    ({ insert: 'REFERENCING NEW TABLE AS added_rows', update: 'REFERENCING OLD TABLE AS removed_rows NEW TABLE AS added_rows', delete: 'REFERENCING OLD TABLE AS removed_rows' })[operation];
  const trigger = (table: string, operation: (typeof OPERATIONS)[number], body: string) => {
    const name = triggerName(table, operation);
    return [fn(name, body), `CREATE TRIGGER ${name} ${timing[operation]} ON ${table} ${transition(operation)} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`];
  };
  const workedOutAgain = (sources: Sources, followed: readonly string[]) => {
    const enrollments = `SELECT beneficiary_id, program FROM (${changedRows(sources, followed.join(', '))}) AS changed`;
    return `
      DELETE FROM active_enrollment_changes AS c USING (${enrollments}) AS a WHERE c.beneficiary_id = a.beneficiary_id AND c.program = a.program;
      INSERT INTO active_enrollment_changes (${columns}) ${activeEnrollmentChangesOf((alias) => `(${alias}.beneficiary_id, ${alias}.program) IN (${enrollments})`)};`;
  };
  const verifiedAgain = (sources: Sources) => {
    // Only an account that was or is VERIFIED can change whether its holder has one.
    const people =
      sources.length === 1
        ? `SELECT beneficiary_id FROM ${sources[0]} WHERE status = 'VERIFIED'`
        : `SELECT beneficiary_id FROM (${changedRows(sources, `${ACCOUNT_COLUMNS.filter((column) => column !== 'status').join(', ')}, COALESCE(status = 'VERIFIED', FALSE) AS verified`)}) AS changed`;
    return `
      UPDATE active_enrollment_changes AS c SET verified = v.verified
      FROM (SELECT p.beneficiary_id, ${verifiedNow('p.beneficiary_id')} AS verified FROM (SELECT DISTINCT beneficiary_id FROM (${people}) AS changed) AS p) AS v
      WHERE c.beneficiary_id = v.beneficiary_id AND c.verified IS DISTINCT FROM v.verified;`;
  };
  // The groups' changes: +change for the rows a statement added, -change for those it removed (or changed from).
  const moved = (sources: Sources) => {
    const signed = sources.map((source) => `SELECT ${group}, ${source === 'added_rows' ? '' : '-'}change AS change FROM ${source}`);
    return `
      INSERT INTO active_beneficiary_changes AS t (${group}, change)
      SELECT ${group}, SUM(change) FROM (${signed.join(' UNION ALL ')}) AS changed
      WHERE ${completeActiveGroup('')} GROUP BY ${group} HAVING SUM(change) <> 0
      ON CONFLICT (${group}) DO UPDATE SET change = t.change + EXCLUDED.change;
      DELETE FROM active_beneficiary_changes AS t USING (${sources.map((source) => `SELECT ${group} FROM ${source}`).join(' UNION ')}) AS g WHERE ${sameActiveGroup('t.', 'g.')} AND t.change = 0;`;
  };
  return [
    ...ACTIVITY_SOURCES.flatMap(({ table, columns: followed }) => OPERATIONS.flatMap((operation) => trigger(table, operation, workedOutAgain(sourcesOf[operation], followed)))),
    ...OPERATIONS.flatMap((operation) => trigger('payment_accounts', operation, verifiedAgain(sourcesOf[operation]))),
    ...OPERATIONS.flatMap((operation) => trigger('active_enrollment_changes', operation, moved(sourcesOf[operation]))),
  ];
}

export const activeChangesNotFollowing = (dialect: Dialect) => ACTIVE_CHANGES_TRIGGERS.map(({ name, table }) => `DROP TRIGGER IF EXISTS ${name}${dialect === 'postgres' ? ` ON ${table}` : ''}`);

/**
 * Both tables worked out again from the enrollments, spells, suspensions and accounts: one pass,
 * for a rebuild's end and the migration, while their triggers are away (the groups are summed
 * here, not moved row by row).
 */
const activeChangesRecomputed = () => [
  'DELETE FROM active_beneficiary_changes',
  'DELETE FROM active_enrollment_changes',
  `INSERT INTO active_enrollment_changes (${ACTIVE_ENROLLMENT_CHANGE_COLUMNS.join(', ')}) ${activeEnrollmentChangesOf(() => 'TRUE')}`,
  `INSERT INTO active_beneficiary_changes (${ACTIVE_GROUP.join(', ')}, change)
   SELECT ${ACTIVE_GROUP.join(', ')}, SUM(change) FROM active_enrollment_changes WHERE ${completeActiveGroup('')} GROUP BY ${ACTIVE_GROUP.join(', ')} HAVING SUM(change) <> 0`,
];

/**
 * The active changes worked out from what the four tables hold, and followed from then on, for one
 * transaction: the triggers dropped (none fires while the tables are filled), both tables worked out
 * again, the triggers made. On PostgreSQL the four tables are first locked against writes, as
 * CREATE TRIGGER would lock them, so that no write of another connection falls between the working
 * out and the triggers (SQLite has one writer at a time anyway).
 */
export const activeChangesWorkedOutAndFollowed = (dialect: Dialect) => [
  ...(dialect === 'postgres' ? [`LOCK TABLE ${[...new Set(ACTIVE_CHANGES_TRIGGERS.map((trigger) => trigger.table))].join(', ')} IN SHARE ROW EXCLUSIVE MODE`] : []),
  ...activeChangesNotFollowing(dialect),
  ...activeChangesRecomputed(),
  ...activeChangesFollowing(dialect),
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
