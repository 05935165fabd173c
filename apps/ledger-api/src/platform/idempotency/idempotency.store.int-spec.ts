import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteIdempotencyStore } from './idempotency.store.js';

const response = (body: string) => ({ statusCode: 201, contentType: 'application/json; charset=utf-8', body });

describe('SqliteIdempotencyStore', () => {
  let directory: string;
  let store: SqliteIdempotencyStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'));
    store = SqliteIdempotencyStore.open(join(directory, 'idempotency.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds the first response recorded for a user and key', async () => {
    const createdAt = new Date('2024-04-05T02:30:00Z');
    await store.save('alice', 'k1', { fingerprint: 'f1', response: response('{"a":1}'), createdAt });
    await expect(store.find('alice', 'k1')).resolves.toEqual({ fingerprint: 'f1', response: response('{"a":1}'), createdAt });
    await expect(store.find('bob', 'k1')).resolves.toBeUndefined();
  });

  it('keeps the first response when a key is saved twice', async () => {
    await store.save('alice', 'k1', { fingerprint: 'f1', response: response('first'), createdAt: new Date() });
    await store.save('alice', 'k1', { fingerprint: 'f2', response: response('second'), createdAt: new Date() });
    await expect(store.find('alice', 'k1')).resolves.toMatchObject({ fingerprint: 'f1', response: { body: 'first' } });
  });

  it('survives a reopen, then forgets keys older than the cutoff', async () => {
    await store.save('alice', 'old', { fingerprint: 'f', response: response('{}'), createdAt: new Date('2024-01-01T00:00:00Z') });
    await store.save('alice', 'new', { fingerprint: 'f', response: response('{}'), createdAt: new Date('2024-03-01T00:00:00Z') });
    await store.close();
    store = SqliteIdempotencyStore.open(join(directory, 'idempotency.sqlite'));
    await expect(store.purgeCreatedBefore(new Date('2024-02-01T00:00:00Z'))).resolves.toBe(1);
    await expect(store.find('alice', 'old')).resolves.toBeUndefined();
    await expect(store.find('alice', 'new')).resolves.toBeDefined();
  });
});
