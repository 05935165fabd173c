import { describe, expect, it } from '@jest/globals';
import { idempotencyDatabaseUrlOf } from './open-idempotency-store.js';

describe('where the idempotency keys go', () => {
  describe('when the read models are in PostgreSQL', () => {
    it('is their database, wherever the events are', () => {
      expect(idempotencyDatabaseUrlOf({ databaseUrl: 'postgres://rm/ledger', eventStoreConnectionString: 'esdb://es:2113' })).toBe('postgres://rm/ledger');
      expect(idempotencyDatabaseUrlOf({ databaseUrl: 'postgres://rm/ledger', eventStoreConnectionString: 'postgres://events/ledger' })).toBe('postgres://rm/ledger');
      expect(idempotencyDatabaseUrlOf({ databaseUrl: 'postgres://rm/ledger', eventStoreConnectionString: undefined })).toBe('postgres://rm/ledger');
    });
  });

  describe('when only the events are in PostgreSQL', () => {
    it('is the events’ database', () => {
      expect(idempotencyDatabaseUrlOf({ databaseUrl: undefined, eventStoreConnectionString: ' postgresql://events/ledger ' })).toBe('postgresql://events/ledger');
    });
  });

  describe('when PostgreSQL is nowhere', () => {
    it('is no PostgreSQL database (a SQLite file)', () => {
      expect(idempotencyDatabaseUrlOf({ databaseUrl: undefined, eventStoreConnectionString: undefined })).toBeUndefined();
      expect(idempotencyDatabaseUrlOf({ databaseUrl: undefined, eventStoreConnectionString: 'esdb://es:2113?tls=false' })).toBeUndefined();
    });
  });
});
