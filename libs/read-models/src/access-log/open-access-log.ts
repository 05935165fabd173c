import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { READ_MODELS_DATABASE_FILE, type ReadModelLocation } from '../open-read-model-store.js';
import type { AccessLogStore } from './access-log.js';
import { PostgresAccessLogStore } from './postgres-access-log.js';
import { SqliteAccessLogStore } from './sqlite-access-log.js';

/**
 * The access log beside the read models, wherever they are (openReadModelStore): PostgreSQL when
 * DATABASE_URL is set, else the ledger's own SQLite file through the event store's connection, else
 * the read models' SQLite file. Open the read models first: their migrations create the table.
 */
export async function openAccessLogStore({ databaseUrl, dataDirectory }: ReadModelLocation, eventStore: EventStore): Promise<AccessLogStore> {
  if (databaseUrl) return PostgresAccessLogStore.open(databaseUrl);
  if (eventStore instanceof SqliteEventStore) return new SqliteAccessLogStore(eventStore.db);
  const db = new Database(join(dataDirectory, READ_MODELS_DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The read-model store writes the same file through a connection of its own.
  db.pragma('busy_timeout = 10000');
  return new SqliteAccessLogStore(db, true);
}
