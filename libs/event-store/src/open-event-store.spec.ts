import { describe, expect, it } from '@jest/globals';
import { eventStoreKindOf } from './open-event-store.js';

describe('where the event store lives', () => {
  it('is the embedded SQLite file when no connection string is set', () => {
    expect(eventStoreKindOf({})).toBe('sqlite');
    expect(eventStoreKindOf({ eventStoreConnectionString: '' })).toBe('sqlite');
    expect(eventStoreKindOf({ eventStoreConnectionString: undefined })).toBe('sqlite');
  });

  it('is PostgreSQL for a postgres:// or postgresql:// connection string', () => {
    expect(eventStoreKindOf({ eventStoreConnectionString: 'postgres://ledger@db:5432/ledger' })).toBe('postgres');
    expect(eventStoreKindOf({ eventStoreConnectionString: 'postgresql://ledger@db/ledger?sslmode=require' })).toBe('postgres');
    expect(eventStoreKindOf({ eventStoreConnectionString: ' PostgreSQL://db/ledger' })).toBe('postgres');
  });

  it('is EventStoreDB for any other scheme', () => {
    expect(eventStoreKindOf({ eventStoreConnectionString: 'esdb://eventstoredb:2113?tls=false' })).toBe('eventstoredb');
    expect(eventStoreKindOf({ eventStoreConnectionString: 'esdb+discover://cluster:2113' })).toBe('eventstoredb');
    expect(eventStoreKindOf({ eventStoreConnectionString: 'kurrentdb://kurrent:2113?tls=false' })).toBe('eventstoredb');
  });
});
