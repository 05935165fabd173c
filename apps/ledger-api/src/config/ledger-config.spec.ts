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
});
