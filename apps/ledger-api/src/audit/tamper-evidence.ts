import type { EventStore } from '@ledger/event-store';
import {
  DIGEST_ALGORITHM,
  digestSignedBy,
  recordedChainHead,
  samePublicKey,
  signDigest,
  verifyLog,
  type ChainDifference,
  type ParallelVerificationOptions,
  type ReadModelStore,
  type SignedDigest,
} from '@ledger/read-models';
import type { AuditSigningKey } from './audit-signing-key.js';

/** A digest as an auditor hands it back; `publicKey` and `algorithm` are optional, checked when present. */
export interface DigestToVerify {
  readonly position: string;
  readonly hash: string;
  readonly signature: string;
  readonly publicKey?: string;
  readonly algorithm?: string;
}

export type VerifyRefusal = 'SIGNATURE_INVALID' | 'SIGNED_BY_ANOTHER_KEY' | 'UNKNOWN_ALGORITHM';

export type VerifyResult =
  | {
      readonly ok: true;
      /** With several digests: the later ones extend the earlier ones (one chain runs through all). */
      readonly extends?: true;
      readonly position: string;
      readonly eventsChecked: number;
    }
  | {
      readonly ok: false;
      /** Absent when the digest itself is refused (its signature) before the log is read. */
      readonly firstDifferingPosition?: string;
      readonly reason: ChainDifference | VerifyRefusal;
      /** Which digest the reason concerns: `digest`, `earlier`, `digests[1]`… */
      readonly digest?: string;
      readonly detail: string;
      readonly eventsChecked?: number;
    };

/**
 * Digests and their verification, for the API and the CLI alike: plain code over the event
 * store, the read models (for the recorded chain) and the ledger's signing key.
 */
export class TamperEvidence {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly key: AuditSigningKey,
    /** How the embedded ledger's chain is walked: threads and chunk size (tests make chunks small). */
    private readonly parallel: ParallelVerificationOptions | false = {},
  ) {}

  /** The head of the chain (the read models' checkpoint), signed. */
  async digest(): Promise<SignedDigest> {
    return signDigest(await recordedChainHead(this.readModels), this.key.privateKey);
  }

  /**
   * Checks each digest's signature against the ledger's own key, then recomputes the chain from the
   * stored events up to the latest of them, meeting every digest at its position on the way: so a
   * later digest is shown to extend each earlier one.
   */
  async verify(digests: ReadonlyArray<{ readonly label: string; readonly digest: DigestToVerify }>): Promise<VerifyResult> {
    for (const { label, digest } of digests) {
      if (digest.algorithm !== undefined && digest.algorithm !== DIGEST_ALGORITHM) {
        return { ok: false, reason: 'UNKNOWN_ALGORITHM', digest: label, detail: `The ${label} names the algorithm ${digest.algorithm}; this ledger signs ${DIGEST_ALGORITHM}.` };
      }
      if (digest.publicKey !== undefined && !samePublicKey(digest.publicKey, this.key.publicKey)) {
        return { ok: false, reason: 'SIGNED_BY_ANOTHER_KEY', digest: label, detail: `The ${label} names a public key that is not this ledger's: it was not signed here.` };
      }
      if (!digestSignedBy(digest, this.key.publicKey)) {
        return { ok: false, reason: 'SIGNATURE_INVALID', digest: label, detail: `The ${label}'s signature is not the ledger's signature of its position and hash: it was forged or altered.` };
      }
    }
    const verdict = await verifyLog(
      this.store,
      this.readModels,
      digests.map(({ label, digest }) => ({ label, position: digest.position, hash: digest.hash.toLowerCase() })),
      { parallel: this.parallel },
    );
    if (verdict.ok) {
      return { ok: true, ...(digests.length > 1 ? { extends: true as const } : {}), position: verdict.position, eventsChecked: verdict.eventsChecked };
    }
    return {
      ok: false,
      firstDifferingPosition: verdict.firstDifferingPosition,
      reason: verdict.reason,
      ...(verdict.checkpoint ? { digest: verdict.checkpoint } : {}),
      detail: verdict.detail,
      eventsChecked: verdict.eventsChecked,
    };
  }
}
