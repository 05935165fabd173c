import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from '../../config/ledger-config.js';
import { SqliteIdempotencyStore, type IdempotencyStore } from './idempotency.store.js';

export const IDEMPOTENCY_DATABASE_FILE = 'idempotency.sqlite';
const DAY_MS = 86_400_000;

/**
 * In the embedded mode the keys live in the ledger's own SQLite file. Beside EventStoreDB they get
 * a SQLite file of their own in the data directory: good for one API process only. A production
 * deployment with several API instances would keep them in PostgreSQL; that is out of scope now.
 * Keys older than the retention are forgotten at start-up.
 */
export async function openIdempotencyStore(config: LedgerConfig, eventStore: EventStore, now = new Date()): Promise<IdempotencyStore> {
  let store: IdempotencyStore;
  if (eventStore instanceof SqliteEventStore) {
    store = new SqliteIdempotencyStore(eventStore.db);
  } else {
    mkdirSync(config.dataDirectory, { recursive: true });
    store = SqliteIdempotencyStore.open(join(config.dataDirectory, IDEMPOTENCY_DATABASE_FILE));
  }
  await store.purgeCreatedBefore(new Date(now.getTime() - config.idempotencyRetentionDays * DAY_MS));
  return store;
}
