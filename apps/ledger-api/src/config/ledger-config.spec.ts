import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, DEMO_PAYING_ACCOUNT, loadLedgerConfig } from './ledger-config.js';

/** A paying account as production configures it. */
const PAYING_ACCOUNT = {
  LEDGER_PAYING_ACCOUNT_NAME: 'Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh',
  LEDGER_PAYING_ACCOUNT_NUMBER: '3711000123456',
  LEDGER_PAYING_ACCOUNT_BANK_BIC: 'VBAAVNVX',
  LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
};

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
      expect(loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem, LEDGER_ID_KEY: secret, ...PAYING_ACCOUNT }).auditSigningKey).toBe(pem.trim());
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
      expect(loadLedgerConfig({ NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem, LEDGER_ID_KEY: secret, ...PAYING_ACCOUNT }).idKey).toBe(secret);
    });

    it('refuses a short one, and leaves it unresolved outside production (the embedded mode persists one)', () => {
      expect(() => loadLedgerConfig({ LEDGER_ID_KEY: 'short' })).toThrow(/at least 32/);
      expect(loadLedgerConfig({}).idKey).toBeUndefined();
    });
  });

  describe('the paying account', () => {
    const secret = 'x'.repeat(32);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const production = { NODE_ENV: 'production', LEDGER_JWT_SECRET: secret, LEDGER_AUDIT_SIGNING_KEY: pem, LEDGER_ID_KEY: secret };

    it('refuses to start in production without one: there is no default account to pay from', () => {
      expect(() => loadLedgerConfig(production)).toThrow(/LEDGER_PAYING_ACCOUNT_NAME, LEDGER_PAYING_ACCOUNT_NUMBER .* must be set when NODE_ENV=production/);
      expect(loadLedgerConfig({ ...production, ...PAYING_ACCOUNT }).payingAccount).toEqual({
        name: 'Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh',
        accountNumber: '3711000123456',
        bankBic: 'VBAAVNVX',
        bankCode: 'VBA',
      });
    });

    it('pays from the demo account outside production, unless one is configured', () => {
      expect(loadLedgerConfig({}).payingAccount).toEqual(DEMO_PAYING_ACCOUNT);
      expect(loadLedgerConfig(PAYING_ACCOUNT).payingAccount.accountNumber).toBe('3711000123456');
    });

    it('takes an IBAN instead of a domestic number, and a bank by its code alone', () => {
      const { LEDGER_PAYING_ACCOUNT_NUMBER: _number, LEDGER_PAYING_ACCOUNT_BANK_BIC: _bic, ...rest } = PAYING_ACCOUNT;
      expect(loadLedgerConfig({ ...rest, LEDGER_PAYING_ACCOUNT_IBAN: 'VN12VBAA3711000123456' }).payingAccount).toEqual({ name: PAYING_ACCOUNT.LEDGER_PAYING_ACCOUNT_NAME, iban: 'VN12VBAA3711000123456', bankCode: 'VBA' });
    });

    it.each([
      ['only part of it, even outside production', { LEDGER_PAYING_ACCOUNT_NUMBER: '3711000123456' }, /LEDGER_PAYING_ACCOUNT_NAME must be set/],
      ['both a number and an IBAN', { ...PAYING_ACCOUNT, LEDGER_PAYING_ACCOUNT_IBAN: 'VN12VBAA3711000123456' }, /not both/],
      ['no bank', { ...PAYING_ACCOUNT, LEDGER_PAYING_ACCOUNT_BANK_BIC: '', LEDGER_PAYING_ACCOUNT_BANK_CODE: ' ' }, /BANK_CODE .* or both/],
      ['a BIC that is not one', { ...PAYING_ACCOUNT, LEDGER_PAYING_ACCOUNT_BANK_BIC: 'vbaavnvx' }, /BANK_BIC is not a BIC/],
      ['an account number with spaces', { ...PAYING_ACCOUNT, LEDGER_PAYING_ACCOUNT_NUMBER: '3711 0001 23456' }, /LEDGER_PAYING_ACCOUNT_NUMBER must be/],
      ['a name longer than a pain.001 holds', { ...PAYING_ACCOUNT, LEDGER_PAYING_ACCOUNT_NAME: 'Ấ'.repeat(141) }, /at most 140/],
    ])('refuses %s, without repeating the account number', (_, env, message) => {
      let error: unknown;
      try {
        loadLedgerConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/3711/);
    });
  });
});
