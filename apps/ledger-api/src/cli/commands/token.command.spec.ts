import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { UsageError } from '../cli-command.js';
import { tokenCommand } from './token.command.js';

const dataDirectory = mkdtempSync(join(tmpdir(), 'ledger-token-cli-'));
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

async function mint(...args: string[]): Promise<string> {
  const out: string[] = [];
  await tokenCommand.run(args, { env: { LEDGER_DATA_DIR: dataDirectory, LEDGER_JWT_SECRET: 'a-cli-test-secret-of-at-least-32-characters' }, out: (line) => out.push(line), err: () => undefined });
  return out.join('\n');
}

const lifetimeOf = (token: string) => {
  const { iat, exp } = decodeJwt(token);
  return exp! - iat!;
};

describe('npm run ledger -- token', () => {
  it('mints an 8-hour token by default', async () => {
    expect(lifetimeOf(await mint('--role', 'auditor'))).toBeLessThanOrEqual(8 * 3600);
  });

  it('mints up to 12 hours', async () => {
    expect(lifetimeOf(await mint('--role', 'reporter', '--ttl', '12h'))).toBeLessThanOrEqual(12 * 3600);
  });

  it.each(['13h', '24h', '7d', '721m'])('refuses --ttl %s, which the API would refuse to honour', async (ttl) => {
    await expect(mint('--role', 'auditor', '--ttl', ttl)).rejects.toThrow(UsageError);
    await expect(mint('--role', 'auditor', '--ttl', ttl)).rejects.toThrow(/at most 12 hours/);
  });
});
