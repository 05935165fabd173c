import { createHmac } from 'node:crypto';
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
    return asUuid(createHmac('sha256', this.key).update(`account-number\u0000${bankCode}\u0000${accountNumber}`).digest('hex'));
  }
}

/** 128 bits of an HMAC in the UUID layout (version 8: custom), so it reads like every other id in the ledger. */
function asUuid(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
