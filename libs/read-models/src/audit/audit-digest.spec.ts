import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DIGEST_ALGORITHM, digestMessage, digestSignedBy, samePublicKey, signDigest } from './audit-digest.js';

const ledgerKey = generateKeyPairSync('ed25519');
const link = { position: '4096', hash: 'ab'.repeat(32) };

describe('a signed digest', () => {
  const digest = signDigest(link, ledgerKey.privateKey);

  it('signs "ledger-audit-chain-v1:<position>:<hash>" with Ed25519, verifiable with the PEM it carries alone', () => {
    expect(digestMessage(link.position, link.hash).toString()).toBe(`ledger-audit-chain-v1:4096:${'ab'.repeat(32)}`);
    expect(digest).toMatchObject({ ...link, algorithm: DIGEST_ALGORITHM, publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
    expect(verify(null, Buffer.from(`ledger-audit-chain-v1:4096:${link.hash}`), createPublicKey(digest.publicKey), Buffer.from(digest.signature, 'base64'))).toBe(true);
  });

  it("is accepted under the ledger's key", () => {
    expect(digestSignedBy(digest, ledgerKey.publicKey)).toBe(true);
  });

  describe('when forged', () => {
    it('is refused when its position or hash was changed after signing', () => {
      expect(digestSignedBy({ ...digest, position: '4097' }, ledgerKey.publicKey)).toBe(false);
      expect(digestSignedBy({ ...digest, hash: 'cd'.repeat(32) }, ledgerKey.publicKey)).toBe(false);
    });

    it('is refused when signed by another key, even one it names as its own', () => {
      const other = generateKeyPairSync('ed25519');
      const forged = signDigest(link, other.privateKey);
      expect(digestSignedBy(forged, ledgerKey.publicKey)).toBe(false);
      expect(samePublicKey(forged.publicKey, ledgerKey.publicKey)).toBe(false);
      expect(samePublicKey(digest.publicKey, ledgerKey.publicKey)).toBe(true);
    });

    it('is refused when the signature is not one at all', () => {
      for (const signature of ['', 'not base64!', Buffer.alloc(64).toString('base64'), digest.signature.slice(4)]) {
        expect(digestSignedBy({ ...digest, signature }, ledgerKey.publicKey)).toBe(false);
      }
    });
  });
});
