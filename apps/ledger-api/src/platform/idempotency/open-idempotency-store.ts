import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventStoreKindOf, SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from '../../config/ledger-config.js';
import { SqliteIdempotencyStore, type IdempotencyStore } from './idempotency.store.js';
import { PostgresIdempotencyStore } from './postgres-idempotency.store.js';

export const IDEMPOTENCY_DATABASE_FILE = 'idempotency.sqlite';
const DAY_MS = 86_400_000;

/**
 * Wherever PostgreSQL is (the read models' database, else the events' one), the keys live there,
 * shared by every API instance. Otherwise, in the embedded mode, in the ledger's own SQLite file;
 * beside EventStoreDB without PostgreSQL, in a SQLite file of their own in the data directory: good
 * for one API process only. Keys older than the retention are forgotten at start-up.
 */
export async function openIdempotencyStore(config: LedgerConfig, eventStore: EventStore, now = new Date()): Promise<IdempotencyStore> {
  const store = await openWhereTheLedgerIs(config, eventStore);
  await store.purgeCreatedBefore(new Date(now.getTime() - config.idempotencyRetentionDays * DAY_MS));
  return store;
}

/** The PostgreSQL URL the keys go to, if any. */
export function idempotencyDatabaseUrlOf(config: Pick<LedgerConfig, 'databaseUrl' | 'eventStoreConnectionString'>): string | undefined {
  if (config.databaseUrl) return config.databaseUrl;
  return eventStoreKindOf(config) === 'postgres' ? config.eventStoreConnectionString!.trim() : undefined;
}

async function openWhereTheLedgerIs(config: LedgerConfig, eventStore: EventStore): Promise<IdempotencyStore> {
  const databaseUrl = idempotencyDatabaseUrlOf(config);
  if (databaseUrl) return PostgresIdempotencyStore.open(databaseUrl);
  if (eventStore instanceof SqliteEventStore) return new SqliteIdempotencyStore(eventStore.db);
  mkdirSync(config.dataDirectory, { recursive: true });
  return SqliteIdempotencyStore.open(join(config.dataDirectory, IDEMPOTENCY_DATABASE_FILE));
}
