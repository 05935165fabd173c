import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { legacyBeneficiaryIdFor, type NationalId } from '@ledger/domain';
import { ID_KEY_FILE, LedgerIdentifiers } from './ledger-identifiers.js';

describe('identifiers keyed with the ledger’s secret', () => {
  const key = 'k'.repeat(32);

  it('give one account number one stream key, per bank, in the UUID layout, never holding the number', () => {
    const identifiers = new LedgerIdentifiers(key);
    const id = identifiers.accountNumberKey('VBA', '7700205123456');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(identifiers.accountNumberKey('VBA', '7700205123456')).toBe(id);
    expect(identifiers.accountNumberKey('BIDV', '7700205123456')).not.toBe(id);
    expect(id.replace(/-/g, '')).not.toContain('7700205123456');
  });

  it('cannot be tested against a guess without the key', () => {
    expect(new LedgerIdentifiers('j'.repeat(32)).accountNumberKey('VBA', '7700205123456')).not.toBe(new LedgerIdentifiers(key).accountNumberKey('VBA', '7700205123456'));
  });

  describe('beneficiary ids', () => {
    const tai = '091052000123' as NationalId;

    it('give one person one id, in the UUID layout (version 8), never holding the national id', () => {
      const identifiers = new LedgerIdentifiers(key);
      const id = identifiers.beneficiaryIdFor(tai);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new LedgerIdentifiers(key).beneficiaryIdFor(tai)).toBe(id);
      expect(identifiers.beneficiaryIdFor('091052000124' as NationalId)).not.toBe(id);
      expect(id.replace(/-/g, '')).not.toContain('052000123');
    });

    it('differ from the public-namespace ids anybody can recompute, and from one key to another', () => {
      const id = new LedgerIdentifiers(key).beneficiaryIdFor(tai);
      expect(id).not.toBe(legacyBeneficiaryIdFor(tai));
      expect(new LedgerIdentifiers('j'.repeat(32)).beneficiaryIdFor(tai)).not.toBe(id);
    });

    it('never equal another id derived under the same key from the same digits (each has its purpose label)', () => {
      const identifiers = new LedgerIdentifiers(key);
      // An account number may be any 6 to 19 digits, so it can spell a national id.
      expect(identifiers.beneficiaryIdFor(tai)).not.toBe(identifiers.accountNumberKey('', tai));
      expect(identifiers.beneficiaryIdFor(tai)).not.toBe(identifiers.accountNumberKey('beneficiary', tai));
    });
  });

  it('name their key by a fingerprint that tells keys apart', () => {
    const fingerprint = new LedgerIdentifiers(key).keyFingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(new LedgerIdentifiers(key).keyFingerprint).toBe(fingerprint);
    expect(new LedgerIdentifiers('j'.repeat(32)).keyFingerprint).not.toBe(fingerprint);
  });

  it('outside production keep a generated key in the data directory, the same on every start', () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'ledger-id-key-'));
    try {
      const first = LedgerIdentifiers.fromConfig({ idKey: undefined, dataDirectory }).accountNumberKey('VBA', '7700205123456');
      expect(readFileSync(join(dataDirectory, ID_KEY_FILE), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      expect(LedgerIdentifiers.fromConfig({ idKey: undefined, dataDirectory }).accountNumberKey('VBA', '7700205123456')).toBe(first);
      expect(LedgerIdentifiers.fromConfig({ idKey: key, dataDirectory }).accountNumberKey('VBA', '7700205123456')).not.toBe(first);
    } finally {
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  });
});
