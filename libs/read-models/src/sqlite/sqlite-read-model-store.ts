import type Database from 'better-sqlite3';
import type { ReadModelStore } from '../read-model-store.js';
import { PROJECTION_NAME } from '../read-model-store.js';
import { READ_MODEL_TABLES } from '../read-model-schema.js';
import type { RowChange, SqlValue } from '../row-changes.js';
import { schemaMigrations, statementFor } from '../sql-statements.js';

const MIGRATIONS = schemaMigrations('sqlite');

/**
 * The embedded read models: tables in the ledger's own SQLite file, written through the same
 * connection as the events, so a projection batch and its checkpoint commit together.
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly applyInTransaction: (changes: readonly RowChange[], checkpoint: bigint) => void;

  constructor(private readonly db: Database.Database) {
    migrate(db);
    this.applyInTransaction = db.transaction((changes: readonly RowChange[], checkpoint: bigint) => {
      for (const change of changes) {
        const { sql, parameters } = statementFor(change);
        this.prepared(sql).run(...parameters.map(toSqlite));
      }
      this.prepared('INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position').run(
        PROJECTION_NAME,
        checkpoint,
      );
    });
  }

  async checkpoint(): Promise<bigint> {
    const row = this.db.prepare<[string], { position: bigint }>('SELECT position FROM projection_checkpoints WHERE projection = ?').safeIntegers(true).get(PROJECTION_NAME);
    return row?.position ?? -1n;
  }

  async apply(changes: readonly RowChange[], checkpoint: bigint): Promise<void> {
    this.applyInTransaction(changes, checkpoint);
  }

  async reset(): Promise<void> {
    this.db.transaction(() => {
      for (const table of READ_MODEL_TABLES) this.db.prepare(`DELETE FROM ${table.name}`).run();
      this.db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?').run(PROJECTION_NAME);
    })();
  }

  async query<T>(sql: string, parameters: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepared(sql).all(...parameters.map(toSqlite)) as T[];
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    // The connection belongs to the event store, which closes it.
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
}

/** better-sqlite3 binds no booleans. */
const toSqlite = (value: SqlValue) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
