import { createHmac } from 'node:crypto';
import type { NationalId } from '@ledger/domain';
import type { LedgerConfig } from '../config/ledger-config.js';
import { dataDirectorySecret } from '../config/data-directory-secret.js';

export const ID_KEY_FILE = 'id-key';

/**
 * Identifiers derived from personal data under the ledger's secret key (LEDGER_ID_KEY): the same
 * input always gives the same identifier, and nobody without the key can test a guess against one.
 * An account number has too few digits to hide behind a public hash.
 */
export class LedgerIdentifiers {
  constructor(private readonly key: string) {}

  static fromConfig(config: Pick<LedgerConfig, 'idKey' | 'dataDirectory'>): LedgerIdentifiers {
    return new LedgerIdentifiers(config.idKey ?? dataDirectorySecret(config.dataDirectory, ID_KEY_FILE).secret);
  }

  /** The id of the stream that records who is paid into this account: never the number itself. */
  accountNumberKey(bankCode: string, accountNumber: string): string {
    return asUuid(this.hmac(`account-number\u0000${bankCode}\u0000${accountNumber}`));
  }

  /**
   * A person's beneficiary id: the same national id always gives the same id (enrolling from two
   * districts lands on one stream), yet the few candidates a masked id, a birth year and a gender
   * leave cannot be tried against it without the key. Its purpose label keeps it apart from every
   * other id derived here.
   */
  beneficiaryIdFor(nationalId: NationalId): string {
    return asUuid(this.hmac(`beneficiary\u0000${nationalId}`));
  }

  /**
   * Names the key without giving it away: recorded with a store, so that a process started with
   * another key is refused instead of silently deriving other ids. 64 bits tell keys apart; a key
   * of 32 random bytes cannot be recovered from them.
   */
  get keyFingerprint(): string {
    return this.hmac('key-fingerprint').slice(0, 16);
  }

  private hmac(labelled: string): string {
    return createHmac('sha256', this.key).update(labelled).digest('hex');
  }
}

/** 128 bits of an HMAC in the UUID layout (version 8: custom), so it reads like every other id in the ledger. */
function asUuid(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
