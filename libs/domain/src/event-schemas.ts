import { AccountNumberEventType } from './account-number/account-number.events.js';
import { BeneficiaryEventType } from './beneficiary/beneficiary.events.js';
import type { DomainEvent } from './decider.js';
import { DisbursementEventType } from './disbursement/disbursement.events.js';
import { FileImportEventType } from './file-import/file-import.events.js';
import { PayrollRunEventType } from './payroll-run/payroll-run.events.js';
import { ProviderReferenceEventType } from './provider-reference/provider-reference.events.js';

/**
 * Each stored event type and the schema version written today. Old versions stay readable: an
 * upcaster turns version n into n+1 on read, so deciders and projections only see the current shape.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    [
      ...Object.values(BeneficiaryEventType),
      ...Object.values(DisbursementEventType),
      ...Object.values(PayrollRunEventType),
      ...Object.values(ProviderReferenceEventType),
      ...Object.values(AccountNumberEventType),
      ...Object.values(FileImportEventType),
    ].map((type) => [type, 1]),
  ),
  // v2: `unverifiedReason` is present whenever the account is UNVERIFIED.
  [BeneficiaryEventType.PaymentAccountOpened]: 2,
};

export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;
/** upcasters[type][n] turns the data of version n into version n + 1. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

export const UPCASTERS: UpcasterRegistry = {
  [BeneficiaryEventType.PaymentAccountOpened]: {
    // Before shared account numbers were detected, a holder name that did not match was the only reason.
    1: (data) => (data['status'] === 'UNVERIFIED' ? { ...data, unverifiedReason: 'NAME_MISMATCH' } : data),
  },
};

export function schemaVersionOf(type: string, versions = CURRENT_SCHEMA_VERSIONS): number {
  const version = versions[type];
  if (version === undefined) throw new Error(`No schema version registered for event type ${type}`);
  return version;
}

export function upcast(
  stored: { type: string; schemaVersion: number; data: object },
  versions = CURRENT_SCHEMA_VERSIONS,
  upcasters: UpcasterRegistry = UPCASTERS,
): DomainEvent {
  const target = versions[stored.type] ?? stored.schemaVersion;
  let data = stored.data as Record<string, unknown>;
  for (let version = stored.schemaVersion; version < target; version++) {
    const step = upcasters[stored.type]?.[version];
    if (!step) throw new Error(`No upcaster from ${stored.type} v${version} to v${version + 1}`);
    data = step(data);
  }
  if (stored.schemaVersion > target) throw new Error(`${stored.type} v${stored.schemaVersion} is newer than this ledger understands (v${target})`);
  return { type: stored.type, data };
}
