import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
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
