import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JWT_SECRET_FILE, resolveJwtSecret } from './jwt-secret.js';

describe('the JWT secret', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-secret-'));
  afterEach(() => rmSync(join(directory, 'data'), { recursive: true, force: true }));

  describe('when LEDGER_JWT_SECRET is set', () => {
    it('uses it and writes nothing', () => {
      const config = { jwtSecret: 'x'.repeat(32), dataDirectory: join(directory, 'data') };
      expect(resolveJwtSecret(config)).toEqual({ secret: 'x'.repeat(32), source: 'environment', created: false });
      expect(() => statSync(join(directory, 'data'))).toThrow();
    });
  });

  describe('when it is not set (the embedded mode)', () => {
    it('generates a secret once, readable by its owner only, and finds it again afterwards', () => {
      const config = { jwtSecret: undefined, dataDirectory: join(directory, 'data') };
      const first = resolveJwtSecret(config);
      const again = resolveJwtSecret(config);
      expect(first).toMatchObject({ source: 'data-directory', created: true });
      expect(first.secret).toHaveLength(64);
      expect(again).toEqual({ secret: first.secret, source: 'data-directory', created: false });
      expect(statSync(join(config.dataDirectory, JWT_SECRET_FILE)).mode & 0o777).toBe(0o600);
    });
  });
});
