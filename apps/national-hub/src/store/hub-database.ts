import pg from 'pg';
import { HUB_MIGRATIONS } from './hub-migrations.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The hub's PostgreSQL: a pool whose connections all work in the hub's schema, its migrations, and
 * transactions that roll back whole. One writer (the consumer, then the relay) and the HTTP reads
 * share the pool.
 */
export class HubDatabase {
  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  static async open(databaseUrl: string, schema: string, { maxConnections = 8 }: { maxConnections?: number } = {}): Promise<HubDatabase> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid hub schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, options: `-c search_path=${schema}`, connectionTimeoutMillis: 5_000 });
    // An idle connection that dies (a server restart) must not end the process; the next query reconnects.
    pool.on('error', () => undefined);
    const database = new HubDatabase(pool, schema);
    try {
      await database.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  /**
   * Runs `work` in a transaction. `prelude`, SQL without parameters, is sent with the BEGIN in one
   * round trip (a lock the transaction takes first).
   */
  async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, { prelude }: { prelude?: string } = {}): Promise<T> {
    const client = await this.pool.connect();
    // A connection that drops between two statements emits 'error' rather than failing a query; the
    // next statement fails instead and the transaction rolls back.
    const dropped = () => undefined;
    client.on('error', dropped);
    let result: T;
    try {
      await client.query(prelude ? `BEGIN; ${prelude}` : 'BEGIN');
      result = await work(client);
      await client.query('COMMIT');
    } catch (error) {
      // A connection whose rollback fails is in an unknown state: destroyed rather than reused.
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
    return result;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      // Two hubs starting together on one database must not both create the tables.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`national-hub-migrations:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS hub_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM hub_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const known = new Set(HUB_MIGRATIONS.map((migration) => migration.version));
      const newer = [...applied].filter((version) => !known.has(version));
      if (newer.length > 0) throw new Error(`The hub's schema ${this.schema} has migration ${Math.max(...newer)}, which this hub does not know: it is older than the hub that wrote it.`);
      for (const migration of HUB_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO hub_migrations (version, applied_at) VALUES ($1, now())', [migration.version]);
      }
    });
  }
}

/**
 * Columns of rows as PostgreSQL array literals, one per column, for `UNNEST($1::text[], …)`: a
 * batch's rows go in one statement whatever their number. Written here rather than left to pg's
 * generic array serialisation, which costs several calls per value.
 */
export function arrayLiteral(values: ReadonlyArray<string | number | bigint | boolean | null>): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number' || typeof value === 'bigint') literal += String(value);
    else if (typeof value === 'boolean') literal += value ? 'true' : 'false';
    else literal += quoteElement(value);
  }
  return `${literal}}`;
}

const NEEDS_ESCAPE = /["\\]/;
/** Quoted, so that text such as NULL or {a,b} stays text; only " and \ need escaping inside. */
const quoteElement = (value: string) => `"${NEEDS_ESCAPE.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
