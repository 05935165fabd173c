import { legacyBeneficiaryIdFor, type NationalId } from '@ledger/domain';
import { firstLedgerEvent, settleStoreSetting, type EventStore, type JsonObject } from '@ledger/event-store';
import type { LedgerIdentifiers } from './ledger-identifiers.js';

/**
 * How a store derives beneficiary ids from national ids. Stored as it is spelt here: never rename one.
 * - KEYED_HMAC_SHA256: an HMAC of the national id under LEDGER_ID_KEY, in the UUID layout (v8).
 * - PUBLIC_UUID_V5: UUIDv5 under the namespace published in the code: stores created before keyed ids.
 */
export type BeneficiaryIdScheme = 'KEYED_HMAC_SHA256' | 'PUBLIC_UUID_V5';

/** The store setting that records the scheme and the fingerprint of the key (never the key). */
export const BENEFICIARY_ID_SETTING = 'beneficiary-ids';

/**
 * The beneficiary-id derivation of one store, as recorded with it: whoever turns a national id into
 * a beneficiary id (the enroll route, the CSV import, the demo seed) is handed this, resolved once
 * when the process starts, and never picks a scheme of its own.
 */
export class BeneficiaryIds {
  private constructor(
    readonly scheme: BeneficiaryIdScheme,
    private readonly derive: (nationalId: NationalId) => string,
  ) {}

  static keyed(identifiers: LedgerIdentifiers): BeneficiaryIds {
    return new BeneficiaryIds('KEYED_HMAC_SHA256', (nationalId) => identifiers.beneficiaryIdFor(nationalId));
  }

  /** For stores that issued public-namespace ids: their people must keep landing on their streams. */
  static legacy(): BeneficiaryIds {
    return new BeneficiaryIds('PUBLIC_UUID_V5', legacyBeneficiaryIdFor);
  }

  beneficiaryIdFor(nationalId: NationalId): string {
    return this.derive(nationalId);
  }
}

/** The store was recorded with another LEDGER_ID_KEY, or with a scheme this ledger does not know. */
export class StoreIdentityMismatch extends Error {
  override readonly name = 'StoreIdentityMismatch';
}

/**
 * Reads how this store derives beneficiary ids, recording it first if nobody has: an empty store gets
 * keyed ids; a store that already holds events without a record was written with public-namespace
 * ids and keeps them. The key's fingerprint is recorded either way (it keys account-number streams
 * too), and a process whose key has another fingerprint is refused: with another key it would
 * derive other ids for the same people and account numbers, and nothing would say so.
 */
export async function resolveBeneficiaryIds(store: EventStore, identifiers: LedgerIdentifiers): Promise<BeneficiaryIds> {
  const { value } = await settleStoreSetting(store, BENEFICIARY_ID_SETTING, async (): Promise<JsonObject> => {
    const scheme: BeneficiaryIdScheme = (await firstLedgerEvent(store)) === undefined ? 'KEYED_HMAC_SHA256' : 'PUBLIC_UUID_V5';
    return { scheme, keyFingerprint: identifiers.keyFingerprint };
  });
  const { scheme, keyFingerprint } = value;
  if (keyFingerprint !== identifiers.keyFingerprint) {
    throw new StoreIdentityMismatch(
      `This event store's identifiers were derived with another LEDGER_ID_KEY (fingerprint ${String(keyFingerprint)}; this process has ${identifiers.keyFingerprint}). ` +
        'Start it with the key it was created with (LEDGER_ID_KEY, or the id-key file of its data directory): another key would give the same people other beneficiary ids.',
    );
  }
  switch (scheme) {
    case 'KEYED_HMAC_SHA256':
      return BeneficiaryIds.keyed(identifiers);
    case 'PUBLIC_UUID_V5':
      return BeneficiaryIds.legacy();
    default:
      throw new StoreIdentityMismatch(`This event store derives beneficiary ids with ${JSON.stringify(scheme)}, which this version of the ledger does not know.`);
  }
}
