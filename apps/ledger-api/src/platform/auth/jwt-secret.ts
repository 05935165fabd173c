import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerConfig } from '../../config/ledger-config.js';

export const JWT_SECRET_FILE = 'jwt-secret';

export interface ResolvedJwtSecret {
  readonly secret: string;
  /** `environment`: LEDGER_JWT_SECRET; `data-directory`: the embedded mode's persisted secret. */
  readonly source: 'environment' | 'data-directory';
  /** True when this call generated the persisted secret (first start of a fresh data directory). */
  readonly created: boolean;
}

/**
 * The HS256 secret. Without LEDGER_JWT_SECRET (never in production: the configuration refuses that)
 * the embedded mode generates one once and keeps it in `<LEDGER_DATA_DIR>/jwt-secret`, so that the
 * CLI and later restarts mint and verify matching tokens.
 */
export function resolveJwtSecret(config: Pick<LedgerConfig, 'jwtSecret' | 'dataDirectory'>): ResolvedJwtSecret {
  if (config.jwtSecret) return { secret: config.jwtSecret, source: 'environment', created: false };
  mkdirSync(config.dataDirectory, { recursive: true });
  const path = join(config.dataDirectory, JWT_SECRET_FILE);
  const generated = randomBytes(32).toString('hex');
  // Written aside, then linked into place: link() fails when the file exists, so whichever of the
  // API and the CLI comes first wins, and nobody ever reads a half-written secret.
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(candidate, `${generated}\n`, { mode: 0o600 });
  try {
    linkSync(candidate, path);
    return { secret: generated, source: 'data-directory', created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(candidate, { force: true });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} holds no usable secret (fewer than 32 characters); delete it to generate a new one.`);
  return { secret, source: 'data-directory', created: false };
}
