import pg from 'pg';
import type { AccessGrant, IdempotencyRecord, IdempotencyStore, ReleaseKey } from './idempotency.store.js';

export interface PostgresIdempotencyOptions {
  /** Schema of the table (tests use a scratch one, created if missing); the connection's search_path otherwise. */
  readonly schema?: string;
  /** Connections for finding, saving and purging. */
  readonly maxConnections?: number;
  /** Connections holding keys: one per idempotent request running on this instance. */
  readonly maxHeldKeys?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const IDEMPOTENCY_TABLE = `
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    status_code  integer     NOT NULL,
    content_type text        NOT NULL,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    actor_grant  jsonb,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at);
`;

interface Row {
  fingerprint: string;
  status_code: number;
  content_type: string;
  body: string;
  created_at: Date;
  actor_grant: AccessGrant | null;
}

/**
 * Keys in PostgreSQL, shared by every API instance on the database: a key used on one instance is
 * honoured by another.
 *
 * While a request runs, its key is held with a session-level advisory lock, so a retry reaching
 * another instance waits for the first response instead of deciding again. The lock lives as long
 * as the holding connection, like the in-memory claim of one process: an instance that dies
 * releases its keys with its connections, and the retry is then decided again (the event ids
 * derived from the key keep it to one effect). Holds use a pool of their own, so requests holding
 * every connection can still find and save.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly holds: pg.Pool,
    /** Keeps the locks of one table apart from another's (scratch schemas in tests). */
    private readonly lockNamespace: string,
  ) {}

  static async open(databaseUrl: string, { schema, maxConnections = 4, maxHeldKeys = 32 }: PostgresIdempotencyOptions = {}): Promise<PostgresIdempotencyStore> {
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid idempotency schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
    const options = { connectionString: databaseUrl, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
    const pool = new pg.Pool({ ...options, max: maxConnections });
    const holds = new pg.Pool({ ...options, max: maxHeldKeys });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    holds.on('error', () => undefined);
    const store = new PostgresIdempotencyStore(pool, holds, `ledger-idempotency:${schema ?? ''}`);
    try {
      await store.createTable(schema);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Two instances starting together would race CREATE TABLE IF NOT EXISTS (a duplicate pg_type row): one at a time. */
  private async createTable(schema: string | undefined): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockNamespace]);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(IDEMPOTENCY_TABLE);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async hold(scope: string, key: string): Promise<ReleaseKey> {
    const client = await this.holds.connect();
    const dropped = () => undefined;
    client.on('error', dropped);
    const lock = [JSON.stringify([this.lockNamespace, scope]), key];
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', lock);
    } catch (error) {
      client.off('error', dropped);
      client.release(true);
      throw error;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      // A connection that cannot unlock is closed instead, which unlocks too.
      const unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', lock).then(
        () => true,
        () => false,
      );
      client.off('error', dropped);
      client.release(!unlocked);
    };
  }

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.pool.query<Row>({
      name: 'idempotency-find',
      text: 'SELECT fingerprint, status_code, content_type, body, created_at, actor_grant FROM idempotency_keys WHERE scope = $1 AND key = $2',
      values: [scope, key],
    });
    const row = rows[0];
    if (!row) return undefined;
    return {
      fingerprint: row.fingerprint,
      response: { statusCode: row.status_code, contentType: row.content_type, body: row.body },
      ...(row.actor_grant === null ? {} : { grant: row.actor_grant }),
      createdAt: row.created_at,
    };
  }

  /** Committed (synchronous_commit) before it resolves, so the response it guards is never sent before its replay is stored. */
  async save(scope: string, key: string, { fingerprint, response, grant, createdAt }: IdempotencyRecord): Promise<void> {
    await this.pool.query({
      name: 'idempotency-save',
      text: `INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, content_type, body, created_at, actor_grant)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (scope, key) DO NOTHING`,
      values: [scope, key, fingerprint, response.statusCode, response.contentType, response.body, createdAt, grant ? JSON.stringify({ role: grant.role, units: [...grant.units] }) : null],
    });
  }

  async purgeCreatedBefore(cutoff: Date): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [cutoff]);
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.holds.end()]);
  }
}
