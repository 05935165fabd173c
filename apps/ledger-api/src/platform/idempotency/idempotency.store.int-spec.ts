import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describeWithPostgres } from '../../../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../../../../../libs/read-models/src/testing/postgres-scratch.js';
import { sameGrant, SqliteIdempotencyStore, type IdempotencyRecord, type IdempotencyStore, type StoredResponse } from './idempotency.store.js';
import { PostgresIdempotencyStore } from './postgres-idempotency.store.js';

const response = (body: string) => ({ statusCode: 201, contentType: 'application/json; charset=utf-8', body });
const postgres = await postgresAvailability();

/** Where one store's keys live: opened again on the same place it survives a reopen, as another instance shares it. */
interface StorePlace {
  open(): Promise<IdempotencyStore>;
  remove(): Promise<void>;
}

function behavesAsAnIdempotencyStore(place: () => Promise<StorePlace>): void {
  let where: StorePlace;
  let store: IdempotencyStore;
  beforeEach(async () => {
    where = await place();
    store = await where.open();
  });
  afterEach(async () => {
    await store.close();
    await where.remove();
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
    store = await where.open();
    await expect(store.purgeCreatedBefore(new Date('2024-02-01T00:00:00Z'))).resolves.toBe(1);
    await expect(store.find('alice', 'old')).resolves.toBeUndefined();
    await expect(store.find('alice', 'new')).resolves.toBeDefined();
  });

  it('keeps the grant a response was made under', async () => {
    const grant = { role: 'operator', units: ['899', '900'] };
    await store.save('alice', 'k1', { fingerprint: 'f1', response: response('{}'), grant, createdAt: new Date() });
    await expect(store.find('alice', 'k1')).resolves.toMatchObject({ grant });
  });

  it('lets a released key be held again', async () => {
    const release = await store.hold('alice', 'k1');
    await release();
    await release();
    await (await store.hold('alice', 'k1'))();
  });
}

describe('SqliteIdempotencyStore', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  describe('when the keys are in a file of their own', () => {
    behavesAsAnIdempotencyStore(async () => ({
      open: async () => SqliteIdempotencyStore.open(join(directory, 'idempotency.sqlite')),
      remove: async () => undefined,
    }));
  });

  it('opens a file written before grants were kept, and finds its records without one', async () => {
    const path = join(directory, 'before-grants.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE idempotency_keys (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status_code INTEGER NOT NULL,
      content_type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID`);
    db.prepare('INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)').run('alice', 'old', 'f', 201, 'application/json; charset=utf-8', '{}', Date.now());
    db.close();
    const store = SqliteIdempotencyStore.open(path);
    try {
      const found = await store.find('alice', 'old');
      expect(found).toMatchObject({ fingerprint: 'f' });
      expect(found?.grant).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

const scratchSchema = () => `scratch_idempotency_${randomBytes(4).toString('hex')}`;

describeWithPostgres('PostgresIdempotencyStore', postgres, () => {
  describe('when the keys are in a scratch schema', () => {
    behavesAsAnIdempotencyStore(async () => {
      const schema = scratchSchema();
      return { open: () => PostgresIdempotencyStore.open(postgresUrl(), { schema }), remove: () => dropSchema(schema) };
    });
  });

  describe('when two API instances share the keys', () => {
    let schema: string;
    let instances: PostgresIdempotencyStore[];
    beforeEach(async () => {
      schema = scratchSchema();
      // Opened together, as two instances starting at once: both create the table.
      instances = await Promise.all([PostgresIdempotencyStore.open(postgresUrl(), { schema }), PostgresIdempotencyStore.open(postgresUrl(), { schema })]);
    });
    afterEach(async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await dropSchema(schema);
    });

    /** What the interceptor does with a request: hold the key, replay what is stored, else decide and store. */
    const answer = async (store: IdempotencyStore, decide: () => Promise<StoredResponse>): Promise<{ response: StoredResponse; replayed: boolean }> => {
      const release = await store.hold('alice', 'settle-1');
      try {
        const previous = await store.find('alice', 'settle-1');
        if (previous) return { response: previous.response, replayed: true };
        const record: IdempotencyRecord = { fingerprint: 'f', response: await decide(), createdAt: new Date() };
        await store.save('alice', 'settle-1', record);
        return { response: record.response, replayed: false };
      } finally {
        await release();
      }
    };

    it('decides a key raced on both once, and answers the other with the first response when it is stored', async () => {
      let effects = 0;
      const decide = (instance: number) => async () => {
        effects++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return response(`{"decidedBy":${instance}}`);
      };
      const answers = await Promise.all(instances.map((instance, index) => answer(instance, decide(index))));
      expect(effects).toBe(1);
      expect(answers.map(({ replayed }) => replayed).sort()).toEqual([false, true]);
      expect(answers[0]!.response).toEqual(answers[1]!.response);
    });

    it('lets the other instance decide again when the one holding the key dies before answering', async () => {
      const [first, second] = instances as [PostgresIdempotencyStore, PostgresIdempotencyStore];
      const releaseFirst = await first.hold('alice', 'settle-1');
      let waiting = true;
      const retried = answer(second, async () => response('{"decidedBy":1}')).finally(() => (waiting = false));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(waiting).toBe(true);

      // The first instance's process dies: PostgreSQL ends its sessions, and its key with them.
      await terminateSessionsHoldingAdvisoryLocksIn(schema);
      await expect(retried).resolves.toEqual({ response: response('{"decidedBy":1}'), replayed: false });
      await releaseFirst(); // its connection is gone: released without unlocking, and never reused
    });
  });
});

/** Ends the sessions holding this schema's idempotency keys, as the death of their process would. */
async function terminateSessionsHoldingAdvisoryLocksIn(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = (hashtext($1)::bigint & 4294967295)::oid`,
      [JSON.stringify([`ledger-idempotency:${schema}`, 'alice'])],
    );
    expect(rows).toEqual([{ terminated: true }]);
  } finally {
    await client.end();
  }
}

describe('sameGrant', () => {
  it('is the same role and the same units in any order, and never an unknown grant', () => {
    expect(sameGrant({ role: 'operator', units: ['899', '900'] }, { role: 'operator', units: ['900', '899'] })).toBe(true);
    expect(sameGrant({ role: 'operator', units: ['899', '900'] }, { role: 'operator', units: ['900'] })).toBe(false);
    expect(sameGrant({ role: 'operator', units: ['900'] }, { role: 'operator', units: ['899', '900'] })).toBe(false);
    expect(sameGrant({ role: 'operator', units: ['*'] }, { role: 'admin', units: ['*'] })).toBe(false);
    expect(sameGrant(undefined, { role: 'operator', units: ['899'] })).toBe(false);
  });
});
