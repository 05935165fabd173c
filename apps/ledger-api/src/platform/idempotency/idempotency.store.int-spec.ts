import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sameGrant, SqliteIdempotencyStore } from './idempotency.store.js';

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

  it('keeps the grant a response was made under', async () => {
    const grant = { role: 'operator', units: ['899', '900'] };
    await store.save('alice', 'k1', { fingerprint: 'f1', response: response('{}'), grant, createdAt: new Date() });
    await expect(store.find('alice', 'k1')).resolves.toMatchObject({ grant });
  });

  it('opens a file written before grants were kept, and finds its records without one', async () => {
    await store.close();
    const path = join(directory, 'before-grants.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE idempotency_keys (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status_code INTEGER NOT NULL,
      content_type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID`);
    db.prepare('INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)').run('alice', 'old', 'f', 201, 'application/json; charset=utf-8', '{}', Date.now());
    db.close();
    store = SqliteIdempotencyStore.open(path);
    const found = await store.find('alice', 'old');
    expect(found).toMatchObject({ fingerprint: 'f' });
    expect(found?.grant).toBeUndefined();
  });
});

describe('sameGrant', () => {
  it('is the same role and the same units in any order, and never an unknown grant', () => {
    expect(sameGrant({ role: 'operator', units: ['899', '900'] }, { role: 'operator', units: ['900', '899'] })).toBe(true);
    expect(sameGrant({ role: 'operator', units: ['899', '900'] }, { role: 'operator', units: ['900'] })).toBe(false);
    expect(sameGrant({ role: 'operator', units: ['900'] }, { role: 'operator', units: ['899', '900'] })).toBe(false);
    expect(sameGrant({ role: 'operator', units: ['*'] }, { role: 'admin', units: ['*'] })).toBe(false);
    expect(sameGrant(undefined, { role: 'operator', units: ['899'] })).toBe(false);
  });
});
