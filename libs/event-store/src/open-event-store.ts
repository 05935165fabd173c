import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface EventStoreLocation {
  /** Production: an EventStoreDB/KurrentDB connection string. */
  readonly eventStoreConnectionString?: string;
  /** Embedded default: the directory holding `ledger.sqlite`. */
  readonly dataDirectory: string;
}

export const LEDGER_DATABASE_FILE = 'ledger.sqlite';

export function openEventStore({ eventStoreConnectionString, dataDirectory }: EventStoreLocation): EventStore {
  if (eventStoreConnectionString) return EventStoreDbEventStore.connect(eventStoreConnectionString);
  mkdirSync(dataDirectory, { recursive: true });
  return SqliteEventStore.open(join(dataDirectory, LEDGER_DATABASE_FILE));
}
