import pg from 'pg';
import { READ_MODEL_TABLES, type ColumnType } from '../read-model-schema.js';
import { CheckpointMoved, PROJECTION_NAME, type ReadModelStore } from '../read-model-store.js';
import type { RowChange, SqlValue } from '../row-changes.js';
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
import { isPostgresConnectionLost } from './postgres-errors.js';
import { toNumberedPlaceholders } from './placeholders.js';
import { planRowChanges, tableShape, type PlanStep } from '../row-change-plan.js';

export interface PostgresReadModelStoreOptions {
  /**
   * Schema holding the read models, created if missing (tests and benchmarks use a scratch one).
   * Without it, the connection's search_path decides (normally `public`).
   */
  readonly schema?: string;
  /** Connections in the pool; one projector writes, the API's queries share the rest. */
  readonly maxConnections?: number;
}

/** Versioned, append-only (sql-statements.ts): a later version adds an entry rather than editing an applied one. */
export const POSTGRES_MIGRATIONS = schemaMigrations('postgres');

/** The secondary indexes (the keys' indexes stay): what a rebuild builds once at the end. */
const SECONDARY_INDEXES = schemaStatements('postgres')
  .filter((statement) => statement.startsWith('CREATE INDEX IF NOT EXISTS '))
  .map((create) => ({ name: create.split(' ')[5]!, create }));

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const arrayType: Record<ColumnType, string> = { text: 'text[]', integer: 'integer[]', boolean: 'boolean[]', bigint: 'bigint[]' };

/**
 * The production read models: plain tables in PostgreSQL that a BI tool reads directly.
 *
 * A projection batch arrives as hundreds or thousands of row changes. Sent one statement each,
 * the round trips alone would cap a rebuild far below the log's pace, so a batch is first folded
 * in memory (row-change-plan.ts) into one `INSERT … SELECT FROM UNNEST(…) ON CONFLICT` or
 * `UPDATE … FROM UNNEST(…)` per table and set of columns, then written with the checkpoint in one
 * transaction.
 *
 * Results keep the shape the SQLite store gives where the queries and the API depend on it:
 * `bigint` and integral `numeric` values (positions, VND amounts, COUNT, SUM) come back as numbers
 * while they are exact in a double (Number.MAX_SAFE_INTEGER VND is far beyond any budget), and as
 * strings beyond. Booleans stay native (SQLite gives 0 and 1; readers accept both).
 */
export class PostgresReadModelStore implements ReadModelStore {
  readonly kind = 'postgres' as const;
  /**
   * A batch's UNNEST parameter arrays are built in memory as text: 2,500 events keep a rebuild of a
   * province under 300 MiB (5,000 took ~340 MiB), still at well over 20,000 events/s.
   */
  readonly rebuildBatchSize = 2_500;
  private readonly statementNames = new Map<string, string>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string | undefined,
  ) {}

  static async open(databaseUrl: string, { schema, maxConnections = 10 }: PostgresReadModelStoreOptions = {}): Promise<PostgresReadModelStore> {
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid read-model schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: maxConnections,
      types: { getTypeParser },
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PostgresReadModelStore(pool, schema);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async checkpoint(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>({
      name: 'read-model-checkpoint',
      text: 'SELECT position::text AS position FROM projection_checkpoints WHERE projection = $1',
      values: [PROJECTION_NAME],
    });
    return rows[0] ? BigInt(rows[0].position) : -1n;
  }

  async apply(changes: readonly RowChange[], checkpoint: bigint, { from }: { readonly from?: bigint } = {}): Promise<void> {
    const steps = planRowChanges(changes);
    await this.inTransaction(async (client) => {
      if (from !== undefined) {
        // The checkpoint row locked first (made, at -1, before the first batch ever): a second
        // projector's batch waits here, then finds it moved.
        await client.query({ name: 'read-model-seed-checkpoint', text: 'INSERT INTO projection_checkpoints (projection, position) VALUES ($1, -1) ON CONFLICT (projection) DO NOTHING', values: [PROJECTION_NAME] });
        const { rows } = await client.query<{ position: string }>({
          name: 'read-model-lock-checkpoint',
          text: 'SELECT position::text AS position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
          values: [PROJECTION_NAME],
        });
        const found = rows[0] ? BigInt(rows[0].position) : -1n;
        if (found !== from) throw new CheckpointMoved(from, found);
      }
      for (const step of steps) await client.query(this.queryFor(step));
      await client.query({
        name: 'read-model-save-checkpoint',
        text: 'INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
        values: [PROJECTION_NAME, checkpoint.toString()],
      });
    });
  }

  async reset(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(`TRUNCATE ${READ_MODEL_TABLES.map((table) => table.name).join(', ')}`);
      await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [PROJECTION_NAME]);
    });
  }

  /**
   * Maintaining five b-trees of a disbursement at each of its writes is most of the database's
   * work in a rebuild; building them once from the finished table costs seconds. The keys' indexes
   * stay (the writes need them). Queries during the rebuild are slower, not wrong.
   *
   * The disbursement totals and the active changes stop following the writes too, and are worked
   * out once, set-based, at the end. (The reset's TRUNCATE fires none of their triggers either way:
   * it empties those tables as well.)
   */
  async beginRebuild(): Promise<void> {
    for (const { name } of SECONDARY_INDEXES) await this.pool.query(`DROP INDEX IF EXISTS ${name}`);
    for (const statement of [...disbursementTotalsNotFollowing('postgres'), ...activeChangesNotFollowing('postgres')]) await this.pool.query(statement);
  }

  async endRebuild(): Promise<void> {
    await this.createSecondaryIndexes();
    await this.inTransaction(async (client) => {
      await followDisbursementTotals(client);
      await followActiveChanges(client);
    });
    // The planner's statistics still describe the tables the reset emptied until autovacuum comes
    // round: meanwhile a report's plan is chosen for empty tables (a district's late payments took
    // 40 ms where its own index answers in 0.3).
    await this.pool.query(`ANALYZE ${READ_MODEL_TABLES.map((table) => table.name).join(', ')}`);
  }

  async query<T = Record<string, SqlValue>>(sql: string, parameters: readonly SqlValue[] = []): Promise<T[]> {
    const { text, count } = toNumberedPlaceholders(sql);
    if (count !== parameters.length) throw new Error(`The query has ${count} placeholders but ${parameters.length} parameters`);
    const { rows } = await this.pool.query({ text, values: [...parameters] });
    return rows as T[];
  }

  isConnectionLost(error: unknown): boolean {
    return isPostgresConnectionLost(error);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      // Two processes starting together (API and projector) must not both create the tables.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledger-read-models:${this.schema ?? ''}`]);
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM read_model_migrations');
      const applied = new Set(rows.map((row) => row.version));
      for (const migration of POSTGRES_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations (version, applied_at) VALUES ($1, now())', [migration.version]);
      }
      // A rebuild that died before building its indexes left them out.
      for (const { create } of SECONDARY_INDEXES) await client.query(create);
      // And before counting the disbursement totals: without their triggers they are stale.
      if ((await triggersFound(client, ['disbursements'], DISBURSEMENT_TOTALS_TRIGGERS)) < DISBURSEMENT_TOTALS_TRIGGERS.length) await followDisbursementTotals(client);
      // Likewise the active changes.
      const activityTables = [...new Set(ACTIVE_CHANGES_TRIGGERS.map((trigger) => trigger.table))];
      const activityTriggers = ACTIVE_CHANGES_TRIGGERS.map((trigger) => trigger.name);
      if ((await triggersFound(client, activityTables, activityTriggers)) < activityTriggers.length) await followActiveChanges(client);
    });
  }

  private async createSecondaryIndexes(): Promise<void> {
    for (const { create } of SECONDARY_INDEXES) await this.pool.query(create);
  }

  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    // A connection that drops between two statements emits 'error' instead of failing a query, and
    // an unheard 'error' would end the process. The next statement fails instead, so the transaction
    // rolls back and the caller (the projector) tries it again.
    const dropped = () => undefined;
    client.on('error', dropped);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      // A connection whose rollback fails is in an unknown state: destroy it rather than reuse it.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.off('error', dropped);
      client.release(!rolledBack);
      throw error;
    }
    client.off('error', dropped);
    client.release();
  }

  private queryFor(step: PlanStep): pg.QueryConfig {
    if (step.kind === 'statement') {
      const { sql, parameters } = statementFor(step.change);
      return { text: toNumberedPlaceholders(sql).text, values: parameters };
    }
    const shape = tableShape(step.table);
    const q = quoteIdentifier;
    let text: string;
    let values: unknown[];
    if (step.kind === 'ensure') {
      const arrays = shape.columns.map((column, index) => `$${index + 1}::${arrayType[shape.types.get(column)!]}`);
      const conflict = step.setColumns.length ? `DO UPDATE SET ${step.setColumns.map((column) => `${q(column)} = EXCLUDED.${q(column)}`).join(', ')}` : 'DO NOTHING';
      text = `INSERT INTO ${q(step.table)} (${shape.columns.map(q).join(', ')}) SELECT * FROM UNNEST(${arrays.join(', ')}) ON CONFLICT (${shape.key.map(q).join(', ')}) ${conflict}`;
      values = arrayLiterals(step.rows, shape.columns.map((column) => shape.types.get(column)!));
    } else {
      const columns = [...shape.key, ...step.setColumns];
      const arrays = columns.map((column, index) => `$${index + 1}::${arrayType[shape.types.get(column)!]}`);
      text =
        `UPDATE ${q(step.table)} AS t SET ${step.setColumns.map((column) => `${q(column)} = v.${q(column)}`).join(', ')} ` +
        `FROM UNNEST(${arrays.join(', ')}) AS v(${columns.map(q).join(', ')}) WHERE ${shape.key.map((column) => `t.${q(column)} = v.${q(column)}`).join(' AND ')}`;
      values = arrayLiterals(step.rows, columns.map((column) => shape.types.get(column)!));
    }
    return { name: this.statementName(text), text, values };
  }

  /** Plans have few shapes, so each is prepared once per connection and reused. */
  private statementName(text: string): string {
    let name = this.statementNames.get(text);
    if (!name) {
      name = `read-model-write-${this.statementNames.size + 1}`;
      this.statementNames.set(text, name);
    }
    return name;
  }
}

/**
 * The totals counted from the disbursements as they stand, and kept by their triggers from then on,
 * in one transaction: CREATE TRIGGER locks the disbursements against writes until it commits, so a
 * projector writing meanwhile waits rather than falling between the count and the triggers.
 */
/** How many of these triggers the tables have: fewer than all, and what they keep is stale. */
async function triggersFound(client: pg.PoolClient, tables: readonly string[], names: readonly string[]): Promise<number> {
  const { rows } = await client.query<{ found: number }>('SELECT COUNT(*)::integer AS found FROM pg_trigger WHERE tgrelid = ANY($1::regclass[]) AND tgname = ANY($2)', [tables, names]);
  return rows[0]!.found;
}

async function followDisbursementTotals(client: pg.PoolClient): Promise<void> {
  for (const statement of [...disbursementTotalsNotFollowing('postgres'), ...disbursementTotalsFollowing('postgres'), ...disbursementTotalsRecomputed()]) await client.query(statement);
}

/**
 * The active changes worked out from the enrollments, spells, suspensions and accounts as they
 * stand, and kept by their triggers from then on, in one transaction that first locks the four
 * tables against writes (activeChangesWorkedOutAndFollowed): a projector writing meanwhile waits.
 */
async function followActiveChanges(client: pg.PoolClient): Promise<void> {
  for (const statement of activeChangesWorkedOutAndFollowed('postgres')) await client.query(statement);
}

/**
 * Rows to one PostgreSQL array literal per column, as UNNEST takes them. Written here rather than
 * by pg's generic array serialisation, which costs several calls and two regular expressions per
 * value: for a rebuild that is millions of values.
 */
export function arrayLiterals(rows: ReadonlyArray<readonly SqlValue[]>, types: readonly ColumnType[]): string[] {
  const literals: string[] = [];
  for (let column = 0; column < types.length; column++) {
    const text = types[column] === 'text';
    let literal = '{';
    for (let row = 0; row < rows.length; row++) {
      if (row > 0) literal += ',';
      const value = rows[row]![column];
      if (value === null || value === undefined) literal += 'NULL';
      else if (typeof value === 'number' && !text) literal += String(value);
      else if (typeof value === 'boolean') literal += value ? 'true' : 'false';
      else literal += quoteElement(String(value));
    }
    literals.push(`${literal}}`);
  }
  return literals;
}

const NEEDS_ESCAPE = /["\\]/;
/** Quoted, so that text such as NULL or {a,b} stays text; only " and \ need escaping inside. */
const quoteElement = (value: string) => `"${NEEDS_ESCAPE.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

const INT8 = 20;
const NUMERIC = 1700;

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8) return exactNumber;
  if (oid === NUMERIC) return (value: string) => (/^-?\d+$/.test(value) ? exactNumber(value) : value);
  return format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid);
}

/** A number while a double holds it exactly, the digits otherwise: never a silently rounded amount. */
function exactNumber(value: string): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}
