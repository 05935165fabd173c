import pg from 'pg';
import { ACCESS_LOG_TABLE } from '../read-model-schema.js';
import { toNumberedPlaceholders } from '../postgres/placeholders.js';
import { ACCESS_LOG_COLUMNS, accessLogPage, accessLogWhere, accessRecordRow, type AccessLogFilter, type AccessLogPage, type AccessLogRow, type AccessLogStore, type AccessRecord } from './access-log.js';

export interface PostgresAccessLogOptions {
  /** Schema of the read models (tests use a scratch one); the connection's search_path otherwise. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The access log in PostgreSQL, beside the read models (their migrations create the table). A
 * batch is one INSERT from UNNEST, committed (durable: synchronous_commit) before the reads it
 * records are answered.
 *
 * Commits are taken one at a time (a transaction-level advisory lock, across every API instance):
 * the ids are then visible in the order they were assigned, so a reader paging by id never passes
 * over a record that a slower transaction commits later with a smaller id.
 */
export class PostgresAccessLogStore implements AccessLogStore {
  private readonly insert: string;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly lockKey: string,
  ) {
    this.insert =
      `INSERT INTO ${ACCESS_LOG_TABLE.name} (${ACCESS_LOG_COLUMNS.join(', ')}) ` +
      `SELECT * FROM UNNEST(${ACCESS_LOG_COLUMNS.map((_, index) => `$${index + 1}::text[]`).join(', ')})`;
  }

  static async open(databaseUrl: string, { schema, maxConnections = 4 }: PostgresAccessLogOptions = {}): Promise<PostgresAccessLogStore> {
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid read-model schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return new PostgresAccessLogStore(pool, `ledger-access-log:${schema ?? ''}`);
  }

  async append(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(accessRecordRow);
    const columns = ACCESS_LOG_COLUMNS.map((_, column) => rows.map((row) => row[column]!));
    const client = await this.pool.connect();
    const dropped = () => undefined;
    client.on('error', dropped);
    let healthy = true;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      await client.query({ name: 'access-log-append', text: this.insert, values: columns });
      await client.query('COMMIT');
    } catch (error) {
      healthy = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      client.off('error', dropped);
      client.release(!healthy);
    }
  }

  async page(filter: AccessLogFilter): Promise<AccessLogPage> {
    const { where, parameters } = accessLogWhere(filter);
    // Ordered by the column, not by the text the id is selected as (where 10 sorts before 9).
    const { text } = toNumberedPlaceholders(`SELECT id::text AS id, ${ACCESS_LOG_COLUMNS.join(', ')} FROM ${ACCESS_LOG_TABLE.name} ${where} ORDER BY ${ACCESS_LOG_TABLE.name}.id LIMIT ?`);
    const { rows } = await this.pool.query<AccessLogRow>({ text, values: [...parameters, filter.limit + 1] });
    return accessLogPage(rows, filter.limit);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
