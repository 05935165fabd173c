import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerConfig } from '../config/ledger-config.js';

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM, as digests carry it. */
  readonly publicKeyPem: string;
  /** `environment`: LEDGER_AUDIT_SIGNING_KEY; `data-directory`: the embedded mode's persisted key. */
  readonly source: 'environment' | 'data-directory';
  /** True when this call generated the persisted key (first start of a fresh data directory). */
  readonly created: boolean;
}

/**
 * The Ed25519 key that signs audit digests. From LEDGER_AUDIT_SIGNING_KEY (always in production: the
 * configuration refuses to start without it); otherwise the embedded mode generates one on first
 * start and keeps it in `<LEDGER_DATA_DIR>/audit-signing-key.pem` (mode 0600), so that digests taken
 * before a restart still verify after it, and the CLI signs with the API's key.
 */
export function resolveAuditSigningKey(config: Pick<LedgerConfig, 'auditSigningKey' | 'dataDirectory'>): AuditSigningKey {
  if (config.auditSigningKey) return keyOf(config.auditSigningKey, 'environment', false);
  mkdirSync(config.dataDirectory, { recursive: true });
  const path = join(config.dataDirectory, AUDIT_SIGNING_KEY_FILE);
  const generated = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Written aside, then linked into place: link() fails when the file exists, so whichever of the
  // API and the CLI comes first wins, and nobody ever reads a half-written key.
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(candidate, generated, { mode: 0o600 });
  try {
    linkSync(candidate, path);
    return keyOf(generated, 'data-directory', true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(candidate, { force: true });
  }
  try {
    return keyOf(readFileSync(path, 'utf8'), 'data-directory', false);
  } catch (error) {
    throw new Error(`${path} holds no Ed25519 private key (${(error as Error).message}). Digests signed with it can no longer be checked without it: restore it from a backup rather than deleting it.`);
  }
}

function keyOf(pem: string, source: AuditSigningKey['source'], created: boolean): AuditSigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key but ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), source, created };
}
