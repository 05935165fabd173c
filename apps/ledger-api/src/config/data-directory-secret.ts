import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret the embedded mode keeps in its data directory when the environment gives none (never in
 * production: the configuration refuses that). Generated once; the API and the CLI read the same
 * one. Written aside, then linked into place: link() fails when the file exists, so whichever
 * process comes first wins and nobody ever reads a half-written secret.
 */
export function dataDirectorySecret(dataDirectory: string, file: string): { readonly secret: string; readonly created: boolean } {
  mkdirSync(dataDirectory, { recursive: true });
  const path = join(dataDirectory, file);
  const generated = randomBytes(32).toString('hex');
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(candidate, `${generated}\n`, { mode: 0o600 });
  try {
    linkSync(candidate, path);
    return { secret: generated, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(candidate, { force: true });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} holds no usable secret (fewer than 32 characters); delete it to generate a new one.`);
  return { secret, created: false };
}
