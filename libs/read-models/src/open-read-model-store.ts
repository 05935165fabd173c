import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { ReadModelStore } from './read-model-store.js';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
import { PostgresReadModelStore } from './postgres/postgres-read-model-store.js';

/** The read models' own SQLite file, beside the events when they are not in the ledger's file. */
export const READ_MODELS_DATABASE_FILE = 'read-models.sqlite';

export interface ReadModelLocation {
  /** Production: PostgreSQL. */
  readonly databaseUrl?: string;
  /** Embedded default: the directory of the ledger's SQLite file. */
  readonly dataDirectory: string;
}

/**
 * PostgreSQL when DATABASE_URL is set (production); otherwise the ledger's own SQLite file,
 * written through the event store's connection so a projection batch and its checkpoint commit
 * together with nothing else in between.
 */
export async function openReadModelStore({ databaseUrl, dataDirectory }: ReadModelLocation, eventStore: EventStore): Promise<ReadModelStore> {
  if (databaseUrl) return PostgresReadModelStore.open(databaseUrl);
  if (eventStore instanceof SqliteEventStore) return new SqliteReadModelStore(eventStore.db);
  const db = new Database(join(dataDirectory, READ_MODELS_DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return new SqliteReadModelStore(db);
}
