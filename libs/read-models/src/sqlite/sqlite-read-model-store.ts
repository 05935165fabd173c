import type Database from 'better-sqlite3';
import type { ReadModelStore } from '../read-model-store.js';
import { PROJECTION_NAME } from '../read-model-store.js';
import { READ_MODEL_TABLES } from '../read-model-schema.js';
import { planRowChanges, tableShape, type PlanStep } from '../row-change-plan.js';
import type { RowChange, SqlValue, TableName } from '../row-changes.js';
import {
  ACTIVE_CHANGES_TRIGGERS,
  activeChangesNotFollowing,
  activeChangesWorkedOutAndFollowed,
  DISBURSEMENT_TOTALS_TRIGGERS,
  disbursementTotalsFollowing,
  disbursementTotalsNotFollowing,
  disbursementTotalsRecomputed,
  schemaMigrations,
  schemaStatements,
  statementFor,
} from '../sql-statements.js';

const MIGRATIONS = schemaMigrations('sqlite');

/** The secondary indexes (the keys' indexes stay): what a rebuild builds once at the end. */
const SECONDARY_INDEXES = schemaStatements('sqlite')
  .filter((statement) => statement.startsWith('CREATE INDEX IF NOT EXISTS '))
  .map((create) => ({ name: create.split(' ')[5]!, create }));

/**
 * Rows per multi-row INSERT or UPDATE. Each statement run costs a trip through better-sqlite3's
 * binding whatever it writes, and a rebuild inserts an audit link per event besides the rows; 64
 * rows of the widest table (19 columns) stay far below SQLite's 32,766 parameters.
 */
const ROWS_PER_STATEMENT = 64;

/** The page cache during a rebuild, in SQLite's notation (negative: KiB): 16 MiB. */
const REBUILD_CACHE_SIZE = -16_384;

/**
 * The embedded read models: tables in the ledger's own SQLite file, written through the same
 * connection as the events, so a projection batch and its checkpoint commit together.
 *
 * A batch is folded first (row-change-plan.ts), as for PostgreSQL: a disbursement scheduled, sent
 * and paid in one batch is written once, and rows of one shape are written many per statement.
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly applyInTransaction: (changes: readonly RowChange[], checkpoint: bigint) => void;
  /** The connection's own cache_size, while a rebuild runs with a small one. */
  private cacheSizeOutsideRebuild: number | undefined;

  constructor(private readonly db: Database.Database) {
    migrate(db);
    const saveCheckpoint = db.prepare('INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position');
    this.applyInTransaction = db.transaction((changes: readonly RowChange[], checkpoint: bigint) => {
      for (const step of planRowChanges(changes)) this.write(step);
      saveCheckpoint.run(PROJECTION_NAME, checkpoint);
    });
  }

  async checkpoint(): Promise<bigint> {
    const row = this.db.prepare<[string], { position: bigint }>('SELECT position FROM projection_checkpoints WHERE projection = ?').safeIntegers(true).get(PROJECTION_NAME);
    return row?.position ?? -1n;
  }

  /**
   * Committed without waiting for its own fsync (`synchronous=NORMAL` for this transaction only):
   * read models are derived and carry their checkpoint in the same transaction, so a power cut can
   * only take back the last batches whole, which the projector then projects again. A process
   * crash loses nothing (the WAL is written), and the events' next FULL commit makes them durable
   * too. On the shared connection this spares the API's event loop an fsync per projected batch.
   */
  async apply(changes: readonly RowChange[], checkpoint: bigint): Promise<void> {
    const synchronous = this.db.pragma('synchronous', { simple: true });
    this.db.pragma('synchronous = NORMAL');
    try {
      this.applyInTransaction(changes, checkpoint);
    } finally {
      this.db.pragma(`synchronous = ${Number(synchronous)}`);
    }
  }

  async reset(): Promise<void> {
    this.db.transaction(() => {
      for (const table of READ_MODEL_TABLES) this.db.prepare(`DELETE FROM ${table.name}`).run();
      this.db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?').run(PROJECTION_NAME);
    })();
  }

  /**
   * Keeping the disbursements' four secondary b-trees in step at each of a rebuild's writes costs
   * more than sorting them once from the finished table, and every page they dirty is written to
   * the WAL again at each batch. The keys' indexes stay (the writes need them). Queries during the
   * rebuild are slower, not wrong.
   *
   * The page cache is made small meanwhile: a rebuild reads the log once, front to back, so a large
   * cache only fills with event pages never read again (64 MiB of the process's memory), while the
   * pages the writes come back to (the keys' indexes, the latest rows) fit in the small one.
   *
   * The disbursement totals and the active changes stop following each write too (a trigger per
   * row of millions) and are worked out once, set-based, at the end.
   */
  async beginRebuild(): Promise<void> {
    this.cacheSizeOutsideRebuild ??= this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = ${REBUILD_CACHE_SIZE}`);
    for (const { name } of SECONDARY_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
    for (const statement of [...disbursementTotalsNotFollowing('sqlite'), ...activeChangesNotFollowing('sqlite')]) this.db.exec(statement);
  }

  async endRebuild(): Promise<void> {
    try {
      for (const { create } of SECONDARY_INDEXES) this.db.exec(create);
      followDisbursementTotals(this.db);
      followActiveChanges(this.db);
    } finally {
      if (this.cacheSizeOutsideRebuild !== undefined) this.db.pragma(`cache_size = ${this.cacheSizeOutsideRebuild}`);
      this.cacheSizeOutsideRebuild = undefined;
    }
  }

  async query<T>(sql: string, parameters: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepared(sql).all(...parameters.map(toSqlite)) as T[];
  }

  /**
   * The embedded store has no connection to lose: only a file another writer holds (BUSY, LOCKED)
   * or a disk that is full or failing (FULL, IOERR) may let the same batch commit later. A
   * constraint, a datatype mismatch or a statement the schema does not fit is a refusal.
   */
  isConnectionLost(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR)(_|$)/.test(code);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    // The connection belongs to the event store, which closes it.
  }

  private write(step: PlanStep): void {
    switch (step.kind) {
      case 'statement': {
        const { sql, parameters } = statementFor(step.change);
        this.prepared(sql).run(...parameters.map(toSqlite));
        return;
      }
      case 'update':
        return this.runInChunks(step.rows, (count) => updateSql(step.table, step.setColumns, count));
      case 'ensure':
        return this.runInChunks(step.rows, (count) => ensureSql(step.table, step.setColumns, count));
    }
  }

  /**
   * Rows of one shape, ROWS_PER_STATEMENT per statement, the rest one by one: two statements per
   * shape rather than one per remainder's length.
   */
  private runInChunks(rows: ReadonlyArray<readonly SqlValue[]>, sqlFor: (count: number) => string): void {
    let start = 0;
    if (rows.length >= ROWS_PER_STATEMENT) {
      const many = this.prepared(sqlFor(ROWS_PER_STATEMENT));
      for (; start + ROWS_PER_STATEMENT <= rows.length; start += ROWS_PER_STATEMENT) many.run(flatParameters(rows, start, ROWS_PER_STATEMENT));
    }
    if (start < rows.length) {
      const one = this.prepared(sqlFor(1));
      for (; start < rows.length; start++) one.run(rows[start]!.map(toSqlite));
    }
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Inserts `count` whole rows; a key already present gets `setColumns` overwritten (none: left as it is). */
function ensureSql(table: TableName, setColumns: readonly string[], count: number): string {
  const { columns, key } = tableShape(table);
  const row = `(${columns.map(() => '?').join(', ')})`;
  // An upsert of the key alone has nothing to replace: `DO UPDATE SET` with no column is a syntax error.
  const conflict = setColumns.length ? `DO UPDATE SET ${setColumns.map((column) => `${column} = excluded.${column}`).join(', ')}` : 'DO NOTHING';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')} ON CONFLICT (${key.join(', ')}) ${conflict}`;
}

/**
 * Updates `count` rows by key, each given as its key then the values of `setColumns` (a plan's
 * update row); a key absent from the table changes nothing. The VALUES are scanned and each key
 * looked up in the key's index. A VALUES column has no affinity, so comparing it with the key
 * column and assigning it converts it as a bound parameter would be.
 */
function updateSql(table: TableName, setColumns: readonly string[], count: number): string {
  const { key } = tableShape(table);
  const row = `(${[...key, ...setColumns].map(() => '?').join(', ')})`;
  const valueOf = (index: number) => `v.column${index + 1}`;
  return (
    `UPDATE ${table} SET ${setColumns.map((column, index) => `${column} = ${valueOf(key.length + index)}`).join(', ')} ` +
    `FROM (VALUES ${Array.from({ length: count }, () => row).join(', ')}) AS v WHERE ${key.map((column, index) => `${table}.${column} = ${valueOf(index)}`).join(' AND ')}`
  );
}

function flatParameters(rows: ReadonlyArray<readonly SqlValue[]>, start: number, count: number): SqlValue[] {
  const parameters: SqlValue[] = [];
  for (let index = start; index < start + count; index++) for (const value of rows[index]!) parameters.push(toSqlite(value));
  return parameters;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM read_model_migrations').all().map((row) => row.version));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare('INSERT INTO read_model_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
    })();
  }
  // A rebuild that died before building its indexes left them out.
  for (const { create } of SECONDARY_INDEXES) db.exec(create);
  // And before counting the disbursement totals: without their triggers they are stale.
  if (triggersFound(db, DISBURSEMENT_TOTALS_TRIGGERS) < DISBURSEMENT_TOTALS_TRIGGERS.length) followDisbursementTotals(db);
  // Likewise the active changes.
  if (triggersFound(db, ACTIVE_CHANGES_TRIGGERS.map((trigger) => trigger.name)) < ACTIVE_CHANGES_TRIGGERS.length) followActiveChanges(db);
}

const triggersFound = (db: Database.Database, names: readonly string[]) =>
  db.prepare<string[], { found: number }>(`SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'trigger' AND name IN (${names.map(() => '?').join(', ')})`).get(...names)!.found;

/** The totals counted from the disbursements as they stand, and kept by their triggers from then on: together, so that no write falls between. */
function followDisbursementTotals(db: Database.Database): void {
  db.transaction(() => {
    for (const statement of [...disbursementTotalsNotFollowing('sqlite'), ...disbursementTotalsFollowing('sqlite'), ...disbursementTotalsRecomputed()]) db.exec(statement);
  })();
}

/**
 * The active changes worked out from the enrollments, spells, suspensions and accounts as they
 * stand, and kept by their triggers from then on: together, so that no write falls between.
 */
function followActiveChanges(db: Database.Database): void {
  db.transaction(() => {
    for (const statement of activeChangesWorkedOutAndFollowed('sqlite')) db.exec(statement);
  })();
}

/** better-sqlite3 binds no booleans. */
const toSqlite = (value: SqlValue) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
