import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, loadLedgerConfig } from './ledger-config.js';

describe('the ledger configuration', () => {
  it('refuses to start in production without a JWT secret', () => {
    expect(() => loadLedgerConfig({ NODE_ENV: 'production' })).toThrow(ConfigurationError);
  });

  it('leaves the secret unresolved outside production (the embedded mode persists one)', () => {
    expect(loadLedgerConfig({}).jwtSecret).toBeUndefined();
  });

  it('keeps idempotency keys 45 days unless told longer, and never shorter', () => {
    expect(loadLedgerConfig({}).idempotencyRetentionDays).toBe(45);
    expect(loadLedgerConfig({ LEDGER_IDEMPOTENCY_RETENTION_DAYS: '90' }).idempotencyRetentionDays).toBe(90);
    expect(() => loadLedgerConfig({ LEDGER_IDEMPOTENCY_RETENTION_DAYS: '30' })).toThrow(ConfigurationError);
  });

  describe('the audit signing key', () => {
    const secret = 'x'.repeat(32);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    it('refuses to start in production without one', () => {
      expect(() => loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret })).toThrow(/LEDGER_AUDIT_SIGNING_KEY must be set/);
      expect(loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem, LEDGER_ID_KEY: secret }).auditSigningKey).toBe(pem.trim());
    });

    it('leaves it unresolved outside production (the embedded mode persists one)', () => {
      expect(loadLedgerConfig({}).auditSigningKey).toBeUndefined();
    });

    it('accepts the PEM on one line with \\n escapes, as environment files carry it', () => {
      expect(loadLedgerConfig({ LEDGER_AUDIT_SIGNING_KEY: pem.trim().replace(/\n/g, '\\n') }).auditSigningKey).toBe(pem.trim());
    });

    it('refuses a key that is not an Ed25519 private key, without repeating it', () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      for (const wrong of [rsa, 'not a key at all', generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()]) {
        let error: unknown;
        try {
          loadLedgerConfig({ LEDGER_AUDIT_SIGNING_KEY: wrong });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).not.toContain(wrong.trim().split('\n')[1] ?? wrong);
      }
    });
  });

  describe('the identifier key', () => {
    const secret = 'x'.repeat(32);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    it('refuses to start in production without one: identifiers keyed with a default would be reversible by anyone', () => {
      expect(() => loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem })).toThrow(/LEDGER_ID_KEY must be set/);
      expect(loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem, LEDGER_ID_KEY: secret }).idKey).toBe(secret);
    });

    it('refuses a short one, and leaves it unresolved outside production (the embedded mode persists one)', () => {
      expect(() => loadLedgerConfig({ LEDGER_ID_KEY: 'short' })).toThrow(/at least 32/);
      expect(loadLedgerConfig({}).idKey).toBeUndefined();
    });
  });
});
