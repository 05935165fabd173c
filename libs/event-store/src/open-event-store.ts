import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface EventStoreLocation {
  /**
   * Production: where the log lives, told by the scheme (EVENTSTORE_CONNECTION_STRING).
   * `postgres://` or `postgresql://`: PostgreSQL, the log in schema `event_store` of that database.
   * Any other (`esdb://`, `esdb+discover://`, `kurrentdb://`, …): EventStoreDB/KurrentDB.
   */
  readonly eventStoreConnectionString?: string | undefined;
  /** Embedded default: the directory holding `ledger.sqlite`. */
  readonly dataDirectory: string;
}

export type EventStoreKind = 'sqlite' | 'postgres' | 'eventstoredb';

export const LEDGER_DATABASE_FILE = 'ledger.sqlite';

/** Which adapter a location opens: for callers that word messages or pick companions (where idempotency records go) by it. */
export function eventStoreKindOf({ eventStoreConnectionString }: Pick<EventStoreLocation, 'eventStoreConnectionString'>): EventStoreKind {
  if (!eventStoreConnectionString) return 'sqlite';
  return /^postgres(ql)?:\/\//i.test(eventStoreConnectionString.trim()) ? 'postgres' : 'eventstoredb';
}

export function openEventStore(location: EventStoreLocation): EventStore {
  const { eventStoreConnectionString, dataDirectory } = location;
  switch (eventStoreKindOf(location)) {
    case 'postgres':
      return PostgresEventStore.connect(eventStoreConnectionString!.trim());
    case 'eventstoredb':
      return EventStoreDbEventStore.connect(eventStoreConnectionString!);
    case 'sqlite':
      mkdirSync(dataDirectory, { recursive: true });
      return SqliteEventStore.open(join(dataDirectory, LEDGER_DATABASE_FILE));
  }
}
