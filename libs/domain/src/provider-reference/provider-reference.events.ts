import type { DomainEvent } from '../decider.js';

/** Stored event types of the provider-reference stream. These strings are contracts: never rename them. */
export const ProviderReferenceEventType = {
  Claimed: 'ProviderReferenceClaimed',
} as const;

/** The paying agent's reference for a payment, taken by the one disbursement it paid. */
export type ProviderReferenceClaimed = DomainEvent<
  typeof ProviderReferenceEventType.Claimed,
  { payingAgent: string; providerReference: string; disbursementId: string }
>;

export type ProviderReferenceEvent = ProviderReferenceClaimed;
