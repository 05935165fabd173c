import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { legacyBeneficiaryIdFor, type NationalId } from '@ledger/domain';
import { SqliteEventStore, storeSettingStreamName, type EventStore } from '@ledger/event-store';
import { projectLedgerEvent, rebuildReadModels, SqliteReadModelStore } from '@ledger/read-models';
import { BENEFICIARY_ID_SETTING, resolveBeneficiaryIds, StoreIdentityMismatch } from './beneficiary-ids.js';
import { LedgerIdentifiers } from './ledger-identifiers.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-beneficiary-ids-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const identifiers = new LedgerIdentifiers('beneficiary-ids-spec-key-0123456789abcdef');
const anotherKey = new LedgerIdentifiers('another-deployment-key-0123456789abcdef');
const tai = '091052000123' as NationalId;

async function withStore<T>(use: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  const store = SqliteEventStore.open(join(directory, `${randomUUID()}.sqlite`));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Any event the earlier version wrote: what matters is that the store is not empty and holds no record. */
const somethingWrittenEarlier = (store: EventStore) =>
  store.appendToStream(`beneficiary-${legacyBeneficiaryIdFor(tai)}`, [{ id: randomUUID(), type: 'BeneficiaryRegistered', schemaVersion: 1, data: {}, metadata: { actorId: 'earlier-version' } }], 'no_stream');

describe('the beneficiary-id derivation recorded with a store', () => {
  describe('when the store is empty', () => {
    it('records keyed ids with the fingerprint of the key, never the key, and derives them', () =>
      withStore(async (store) => {
        const ids = await resolveBeneficiaryIds(store, identifiers);
        expect(ids.scheme).toBe('KEYED_HMAC_SHA256');
        expect(ids.beneficiaryIdFor(tai)).toBe(identifiers.beneficiaryIdFor(tai));
        const [recorded] = await store.readStream(storeSettingStreamName(BENEFICIARY_ID_SETTING));
        expect(recorded!.data).toEqual({ name: BENEFICIARY_ID_SETTING, value: { scheme: 'KEYED_HMAC_SHA256', keyFingerprint: identifiers.keyFingerprint } });
        expect(JSON.stringify({ data: recorded!.data, metadata: recorded!.metadata })).not.toContain('beneficiary-ids-spec-key');
      }));

    it('gives ids that are neither the public-namespace ones nor those of another key', () =>
      withStore(async (store) => {
        const id = (await resolveBeneficiaryIds(store, identifiers)).beneficiaryIdFor(tai);
        expect(id).not.toBe(legacyBeneficiaryIdFor(tai));
        expect(id).not.toBe(anotherKey.beneficiaryIdFor(tai));
      }));

    it('keeps deriving keyed ids once people are enrolled: the record decides, not what the store holds', () =>
      withStore(async (store) => {
        await resolveBeneficiaryIds(store, identifiers);
        await somethingWrittenEarlier(store);
        const head = await store.headPosition();
        expect((await resolveBeneficiaryIds(store, identifiers)).scheme).toBe('KEYED_HMAC_SHA256');
        expect(await store.headPosition()).toBe(head);
      }));

    it('lets several processes starting at once agree on one record', () =>
      withStore(async (store) => {
        const resolved = await Promise.all(Array.from({ length: 6 }, () => resolveBeneficiaryIds(store, identifiers)));
        expect(new Set(resolved.map((ids) => ids.beneficiaryIdFor(tai)))).toEqual(new Set([identifiers.beneficiaryIdFor(tai)]));
        expect(await store.readStream(storeSettingStreamName(BENEFICIARY_ID_SETTING))).toHaveLength(1);
      }));
  });

  describe('when the store was written before ids were keyed (events, and no record)', () => {
    it('keeps the public-namespace ids its people already have, and records that with the key in use', () =>
      withStore(async (store) => {
        await somethingWrittenEarlier(store);
        const ids = await resolveBeneficiaryIds(store, identifiers);
        expect(ids.scheme).toBe('PUBLIC_UUID_V5');
        expect(ids.beneficiaryIdFor(tai)).toBe(legacyBeneficiaryIdFor(tai));
        expect(await store.readStream(storeSettingStreamName(BENEFICIARY_ID_SETTING))).toHaveLength(1);
        expect((await resolveBeneficiaryIds(store, identifiers)).scheme).toBe('PUBLIC_UUID_V5');
      }));
  });

  describe('when a process has another LEDGER_ID_KEY than the one recorded', () => {
    it('refuses to derive anything, saying which key the store needs, for a keyed store and a legacy one alike', () =>
      withStore(async (keyed) =>
        withStore(async (legacy) => {
          await resolveBeneficiaryIds(keyed, identifiers);
          await somethingWrittenEarlier(legacy);
          await resolveBeneficiaryIds(legacy, identifiers);
          for (const store of [keyed, legacy]) {
            const head = await store.headPosition();
            await expect(resolveBeneficiaryIds(store, anotherKey)).rejects.toThrow(StoreIdentityMismatch);
            await expect(resolveBeneficiaryIds(store, anotherKey)).rejects.toThrow(`fingerprint ${identifiers.keyFingerprint}`);
            expect(await store.headPosition()).toBe(head);
          }
        }),
      ));
  });

  describe('when the read models are projected', () => {
    it('leave the record out: no row comes of it', () =>
      withStore(async (store) => {
        await resolveBeneficiaryIds(store, identifiers);
        const [recorded] = await store.readAll();
        expect(projectLedgerEvent(recorded!)).toEqual([]);
        const readModels = new SqliteReadModelStore(store.db);
        expect((await rebuildReadModels(store, readModels)).events).toBe(1);
        expect(await readModels.checkpoint()).toBe(recorded!.globalPosition);
      }));
  });
});
