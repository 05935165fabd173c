import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { beneficiaryDecider, beneficiaryIdFor, beneficiaryStreamName, type Coefficient, type LocalDate, type NationalId, type Period } from '@ledger/domain';
import { handleCommand, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { Projector, rebuildReadModels, signDigest, SqliteReadModelStore, verifyLog, type SignedDigest } from '@ledger/read-models';
import { writeLedgerHistory } from '../../../projector/src/testing/ledger-history.js';
import { resolveAuditSigningKey } from './audit-signing-key.js';
import { TamperEvidence, type DigestToVerify } from './tamper-evidence.js';

interface StoredEvent {
  position: number;
  stream_id: number;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: number;
}

const directory = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
const readModels = new SqliteReadModelStore(store.db);
const key = resolveAuditSigningKey({ auditSigningKey: undefined, dataDirectory: directory });
const stored = (position: number) => store.db.prepare<[number], StoredEvent>('SELECT * FROM events WHERE position = ?').get(position)!;
let enrolledOthers = 0;

/** Brings the read models (and the chain with them) up to the head of the log, as the embedded projector does. */
async function projectAll(): Promise<void> {
  const projector = new Projector(store, readModels);
  await projector.start();
  await projector.waitFor(await store.headPosition(), 30_000);
  await projector.stop();
}

/** Enrolls people the generated history does not have (its national ids start at 091052000000). */
async function enrollOthers(count: number): Promise<void> {
  const metadata = { actorId: 'tamper-spec', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: 'c', causationId: 'c' };
  for (let n = enrolledOthers; n < enrolledOthers + count; n++) {
    const nationalId = `0910530${String(n).padStart(5, '0')}` as NationalId;
    const beneficiaryId = beneficiaryIdFor(nationalId);
    const data = {
      beneficiaryId,
      nationalId,
      fullName: 'Trần Thị Bình',
      dateOfBirth: '1953-05-01' as LocalDate,
      gender: 'MALE' as const,
      unitCode: '902',
      program: 'SOCIAL_ASSISTANCE',
      coefficient: 1500 as Coefficient,
      effectiveFrom: '2024-02' as Period,
      decision: { number: `${n}/QĐ`, date: '2024-01-15' as LocalDate },
    };
    await handleCommand(store, beneficiaryDecider, beneficiaryStreamName(beneficiaryId), { type: 'EnrollBeneficiary', data }, { metadata });
  }
  enrolledOthers += count;
}

/** Changes the stored log by hand, checks what verify says, then puts the log back as it was. */
async function whileTampered<T>(tamper: () => void, restore: () => void, check: () => Promise<T>): Promise<T> {
  tamper();
  try {
    return await check();
  } finally {
    restore();
  }
}

beforeAll(async () => {
  await writeLedgerHistory(store, 60, ['899', '900']);
  await projectAll();
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

// Each parallel verification starts worker threads that load the chain's code: seconds on a busy
// 2-core machine, beyond Jest's default 5 s per test.
jest.setTimeout(60_000);

// The embedded ledger's chain is checked in chunks on worker threads; chunks of 40 links make even
// this small log take that path, and every verdict must be the one-thread walk's.
describe.each([
  ['walked on one thread', false],
  ['checked in parallel chunks on worker threads', { workers: 2, chunkLinks: 40 }],
] as const)('tamper evidence over a real SQLite file, %s', (_, parallel) => {
  const evidence = new TamperEvidence(store, readModels, key, parallel);
  const verifyOne = (digest: DigestToVerify) => evidence.verify([{ label: 'digest', digest }]);
  let digest: SignedDigest;
  let middle: number;

  beforeAll(async () => {
    digest = await evidence.digest();
    middle = Math.floor(Number(digest.position) / 2);
  });

  describe('when the log is untouched', () => {
    it('verifies, every event checked up to the digest', async () => {
      expect(await verifyOne(digest)).toEqual({ ok: true, position: digest.position, eventsChecked: Number(digest.position) });
    });

    it('signs the head of the chain: the read models checkpoint', async () => {
      expect(digest.position).toBe((await readModels.checkpoint()).toString());
    });

    it('recomputes the same chain through the event-store port as from the raw SQLite rows', async () => {
      const throughThePort = { readAll: store.readAll.bind(store) } as unknown as EventStore;
      const checkpoint = [{ label: 'digest', position: digest.position, hash: digest.hash }];
      expect(await verifyLog(throughThePort, readModels, checkpoint, { pageSize: 97 })).toEqual(await verifyLog(store, readModels, checkpoint));
    });
  });

  describe("when one event's data is changed", () => {
    it('names its position', async () => {
      const original = stored(middle);
      const verdict = await whileTampered(
        () => store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(original.data), amount: 1 }), middle),
        () => store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(original.data, middle),
        () => verifyOne(digest),
      );
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: String(middle), reason: 'EVENT_CHANGED' });
      expect(await verifyOne(digest)).toMatchObject({ ok: true });
    });
  });

  describe('when, that restored, its metadata is changed', () => {
    it('names its position', async () => {
      const target = middle + 7;
      const original = stored(target);
      const verdict = await whileTampered(
        () => store.db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(original.metadata), actorId: 'someone-else' }), target),
        () => store.db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(original.metadata, target),
        () => verifyOne(digest),
      );
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: String(target), reason: 'EVENT_CHANGED' });
    });
  });

  describe('when an event is deleted', () => {
    it('names the position it held', async () => {
      const target = middle + 13;
      const original = stored(target);
      const verdict = await whileTampered(
        () => store.db.prepare('DELETE FROM events WHERE position = ?').run(target),
        () =>
          store.db
            .prepare('INSERT INTO events (position, stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at) VALUES (@position, @stream_id, @stream_revision, @event_id, @type, @schema_version, @data, @metadata, @recorded_at)')
            .run(original),
        () => verifyOne(digest),
      );
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: String(target), reason: 'EVENT_MISSING' });
      expect(await verifyOne(digest)).toMatchObject({ ok: true });
    });
  });

  describe('when an event is changed and the recorded chain rebuilt to match it', () => {
    it('is still caught by the digest kept outside the ledger', async () => {
      const original = stored(middle);
      const verdict = await whileTampered(
        () => store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(original.data), amount: 1 }), middle),
        () => store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(original.data, middle),
        async () => {
          await rebuildReadModels(store, readModels);
          return verifyOne(digest);
        },
      );
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: digest.position, reason: 'DIGEST_MISMATCH', digest: 'digest' });
      await rebuildReadModels(store, readModels);
      expect(await verifyOne(digest)).toMatchObject({ ok: true });
    }, 30_000);
  });

  describe('when only the recorded chain is altered', () => {
    it('clears the log and names the altered link', async () => {
      const { hash } = store.db.prepare<[number], { hash: string }>('SELECT hash FROM audit_chain WHERE position = ?').get(middle)!;
      const verdict = await whileTampered(
        () => store.db.prepare('UPDATE audit_chain SET hash = ? WHERE position = ?').run('0'.repeat(64), middle),
        () => store.db.prepare('UPDATE audit_chain SET hash = ? WHERE position = ?').run(hash, middle),
        () => verifyOne(digest),
      );
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: String(middle), reason: 'RECORDED_CHAIN_CHANGED' });
    });
  });

  describe('when more events are appended after a digest was taken', () => {
    it('still verifies the earlier digest, and shows that the later one extends it', async () => {
      await enrollOthers(10);
      await projectAll();
      const later = await evidence.digest();
      expect(BigInt(later.position)).toBeGreaterThan(BigInt(digest.position));

      expect(await verifyOne(digest)).toMatchObject({ ok: true, position: digest.position });
      expect(await evidence.verify([{ label: 'digest', digest: later }, { label: 'earlier', digest }])).toEqual({
        ok: true,
        extends: true,
        position: later.position,
        eventsChecked: Number(later.position),
      });
    }, 60_000);

    it('shows that a later digest does not extend an earlier one once the history before it was rewritten', async () => {
      const original = stored(middle);
      store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(original.data), amount: 1 }), middle);
      try {
        await rebuildReadModels(store, readModels);
        const rewritten = await evidence.digest();
        expect(await verifyOne(rewritten)).toMatchObject({ ok: true });
        expect(await evidence.verify([{ label: 'digest', digest: rewritten }, { label: 'earlier', digest }])).toMatchObject({
          ok: false,
          firstDifferingPosition: digest.position,
          reason: 'DIGEST_MISMATCH',
          digest: 'earlier',
        });
      } finally {
        store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(original.data, middle);
        await rebuildReadModels(store, readModels);
      }
    }, 60_000);
  });

  describe('when a digest is forged', () => {
    it('refuses it before reading the log', async () => {
      const forger = generateKeyPairSync('ed25519');
      const signedElsewhere = signDigest({ position: digest.position, hash: digest.hash }, forger.privateKey);
      expect(await verifyOne({ ...signedElsewhere, publicKey: key.publicKeyPem })).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID', digest: 'digest' });
      expect(await verifyOne(signedElsewhere)).toMatchObject({ ok: false, reason: 'SIGNED_BY_ANOTHER_KEY' });
      expect(await verifyOne({ ...digest, position: String(Number(digest.position) - 1) })).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
      expect(await verifyOne({ ...digest, algorithm: 'sha1/rsa' })).toMatchObject({ ok: false, reason: 'UNKNOWN_ALGORITHM' });
    });
  });

  describe('the signing key', () => {
    it('is generated once into the data directory, mode 0600, and found again', async () => {
      const { statSync } = await import('node:fs');
      expect(key.created).toBe(true);
      expect(statSync(join(directory, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
      const again = resolveAuditSigningKey({ auditSigningKey: undefined, dataDirectory: directory });
      expect(again).toMatchObject({ created: false, source: 'data-directory', publicKeyPem: key.publicKeyPem });
    });
  });
});
