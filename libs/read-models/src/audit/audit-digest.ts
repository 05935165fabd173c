import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { CHAIN_VERSION } from './audit-chain.js';
import type { ChainLink } from './chain-verification.js';

/** What a digest's `algorithm` says: the chain's encoding version and the signature scheme. */
export const DIGEST_ALGORITHM = `ledger-audit-chain-v${CHAIN_VERSION}/sha256/ed25519`;

/**
 * A signed statement "the ledger's log up to `position` hashes to `hash`", for an auditor to keep
 * outside the system. Verifiable with nothing but the public key and any Ed25519 implementation:
 *
 *     message   = UTF-8 bytes of  "ledger-audit-chain-v1:<position>:<hash>"
 *     signature = Ed25519(private key, message), base64
 *
 * e.g. `openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in message -sigfile signature.bin`.
 */
export interface SignedDigest extends ChainLink {
  /** Base64 Ed25519 signature of `digestMessage(position, hash)`. */
  readonly signature: string;
  /** The ledger's public key, SPKI PEM. */
  readonly publicKey: string;
  readonly algorithm: string;
}

export function digestMessage(position: string, hash: string): Buffer {
  return Buffer.from(`ledger-audit-chain-v${CHAIN_VERSION}:${position}:${hash.toLowerCase()}`, 'utf8');
}

export function signDigest(link: ChainLink, privateKey: KeyObject): SignedDigest {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    position: link.position,
    hash: link.hash,
    signature: sign(null, digestMessage(link.position, link.hash), privateKey).toString('base64'),
    publicKey,
    algorithm: DIGEST_ALGORITHM,
  };
}

/**
 * Whether the ledger's own key signed this digest. The digest's `publicKey` is never trusted for
 * this: anyone can sign with a key of their own.
 */
export function digestSignedBy(digest: Pick<SignedDigest, 'position' | 'hash' | 'signature'>, publicKey: KeyObject): boolean {
  const signature = Buffer.from(digest.signature, 'base64');
  // Ed25519 signatures are 64 bytes; anything else is not one (and base64 decoding is lenient).
  if (signature.length !== 64 || signature.toString('base64') !== digest.signature) return false;
  try {
    return verify(null, digestMessage(digest.position, digest.hash), publicKey, signature);
  } catch {
    return false;
  }
}

/** Whether a PEM names the same public key, whatever its line breaks. */
export function samePublicKey(pem: string, publicKey: KeyObject): boolean {
  try {
    const candidate = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return candidate.equals(publicKey.export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}
