import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { READ_MODELS_DATABASE_FILE, type ReadModelLocation } from '@ledger/read-models';

/**
 * Where the publisher has got to in the ledger's log: the position of the last event whose
 * integration events JetStream acknowledged. Kept beside the ledger's own data, apart from the read
 * models (a rebuild of the read models must not send the province's history to the ministry again).
 */
export interface PublisherCheckpoints {
  /** -1n when nothing was published yet. */
  read(): Promise<bigint>;
  write(position: bigint): Promise<void>;
  close(): Promise<void>;
}

const TABLE = 'integration_publisher_checkpoint';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL when the read models are there (DATABASE_URL); else the ledger's own SQLite file when
 * the events are in it (the embedded default); else the read models' SQLite file.
 */
export async function openPublisherCheckpoints({ databaseUrl, dataDirectory }: ReadModelLocation, eventStore: EventStore, options: { schema?: string } = {}): Promise<PublisherCheckpoints> {
  if (databaseUrl) return PostgresPublisherCheckpoints.open(databaseUrl, options.schema);
  if (eventStore instanceof SqliteEventStore) return new SqlitePublisherCheckpoints(eventStore.db, false);
  const db = new Database(join(dataDirectory, READ_MODELS_DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  return new SqlitePublisherCheckpoints(db, true);
}

export class SqlitePublisherCheckpoints implements PublisherCheckpoints {
  private readonly select: Database.Statement<[], { position: string }>;
  private readonly upsert: Database.Statement<[string]>;

  constructor(
    private readonly db: Database.Database,
    private readonly ownsConnection: boolean,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL)`);
    this.select = db.prepare(`SELECT position FROM ${TABLE} WHERE id = 1`);
    this.upsert = db.prepare(`INSERT INTO ${TABLE} (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position`);
  }

  async read(): Promise<bigint> {
    const row = this.select.get();
    return row ? BigInt(row.position) : -1n;
  }

  async write(position: bigint): Promise<void> {
    this.upsert.run(position.toString());
  }

  async close(): Promise<void> {
    if (this.ownsConnection) this.db.close();
  }
}

export class PostgresPublisherCheckpoints implements PublisherCheckpoints {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(databaseUrl: string, schema?: string): Promise<PostgresPublisherCheckpoints> {
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name ${JSON.stringify(schema)}`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    pool.on('error', () => undefined);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), position BIGINT NOT NULL)`);
    return new PostgresPublisherCheckpoints(pool);
  }

  async read(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position::text AS position FROM ${TABLE} WHERE id = 1`);
    return rows[0] ? BigInt(rows[0].position) : -1n;
  }

  async write(position: bigint): Promise<void> {
    await this.pool.query(`INSERT INTO ${TABLE} (id, position) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET position = excluded.position`, [position.toString()]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
