// The ledger CLI as the production image runs it: the compiled file under plain node, no tsx, from a
// working directory other than the repository's (the image's `ledger` wrapper may be called anywhere).
// It shares the crash tests' compiled build (buildApi, cached per version of the sources).
//   NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects crash -t 'compiled ledger CLI'
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccessTokens } from '../../apps/ledger-api/src/platform/auth/access-tokens.js';
import { buildApi, REPOSITORY } from './support/ledger-process.js';

const workspace = mkdtempSync(join(tmpdir(), 'ledger-compiled-cli-'));
/** Each run loads the whole compiled ledger: a few seconds on a busy 2-core machine. */
const RUN_TIMEOUT_MS = 60_000;
let cli: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node <build>/apps/ledger-api/src/cli/ledger-cli.js …args`, with only the environment given (and PATH). */
function ledger(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      // NODE_OPTIONS is emptied so that nothing of Jest's (or a loader such as tsx) reaches the child.
      { cwd: workspace, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What docker-compose.yml hands the API container: production, every secret set. */
function productionEnvironment(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    NODE_ENV: 'production',
    LEDGER_JWT_SECRET: randomBytes(32).toString('hex'),
    LEDGER_AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    LEDGER_ID_KEY: randomBytes(32).toString('hex'),
    LEDGER_DATA_DIR: join(workspace, 'production-data'),
    LEDGER_CONFIG_DIR: join(REPOSITORY, 'config'),
    LEDGER_PAYING_ACCOUNT_NAME: 'SO LAO DONG THUONG BINH VA XA HOI TINH KIEN GIANG',
    LEDGER_PAYING_ACCOUNT_NUMBER: '1200100009999',
    LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
  };
}

beforeAll(() => {
  cli = join(dirname(buildApi().main), 'cli/ledger-cli.js');
}, 240_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('the compiled ledger CLI', () => {
  it('is in the build', () => {
    expect(existsSync(cli)).toBe(true);
  });

  it('lists its commands with --help and exits 0', async () => {
    const run = await ledger(['--help'], {});
    expect(run.code).toBe(0);
    for (const command of ['seed', 'token', 'import', 'digest', 'verify', 'rebuild']) expect(run.stderr).toContain(`  ${command} `);
  }, RUN_TIMEOUT_MS);

  describe('when configured as in the compose stack (NODE_ENV=production)', () => {
    it('mints a token the API verifies with the same secret', async () => {
      const env = productionEnvironment();
      const run = await ledger(['token', '--role', 'operator', '--units', '899,900', '--sub', 'lan.operator'], env);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const actor = await new AccessTokens(env.LEDGER_JWT_SECRET).verify(run.stdout.trim());
      expect(actor).toMatchObject({ userId: 'lan.operator', role: 'operator', units: ['899', '900'] });
    }, RUN_TIMEOUT_MS);

    it('refuses to mint without the secret, exit code 1, naming the setting', async () => {
      const { LEDGER_JWT_SECRET: _omitted, ...env } = productionEnvironment();
      const run = await ledger(['token', '--role', 'auditor'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('LEDGER_JWT_SECRET');
    }, RUN_TIMEOUT_MS);
  });

  it('seeds a small demo and rebuilds its read models through the compiled command handlers', async () => {
    const env = { LEDGER_DATA_DIR: join(workspace, 'embedded-data'), LEDGER_CONFIG_DIR: join(REPOSITORY, 'config') };
    const seeded = await ledger(['seed', '--scale', '0.01'], env);
    expect({ code: seeded.code, stdout: seeded.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('Seeded the demo province') });
    const rebuilt = await ledger(['rebuild'], env);
    expect({ code: rebuilt.code, stdout: rebuilt.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('Rebuilt the read models') });
  }, 2 * RUN_TIMEOUT_MS);
});
