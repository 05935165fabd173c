import type { DomainEvent } from '../decider.js';

/** Stored event types of the account-number stream. These strings are contracts: never rename them. */
export const AccountNumberEventType = {
  Claimed: 'AccountNumberClaimed',
  Released: 'AccountNumberReleased',
} as const;

/**
 * A beneficiary's payment account holds the bank account number (the stream says which number only
 * through its opaque key; events never carry the number).
 */
export type AccountNumberClaimed = DomainEvent<typeof AccountNumberEventType.Claimed, { beneficiaryId: string; accountId: string }>;
/** The payment account was closed: it no longer holds the number. */
export type AccountNumberReleased = DomainEvent<typeof AccountNumberEventType.Released, { beneficiaryId: string; accountId: string }>;

export type AccountNumberEvent = AccountNumberClaimed | AccountNumberReleased;
