import { payingAgentOfPayment, providerReferenceIdFor, type DisbursementState } from '@ledger/domain';
import { readAggregates, type AggregateRead, type EventStore } from '@ledger/event-store';

/** The streams a settlement decides on besides the payment's own: the person's, and the provider reference's claim. */
export interface SettlementStreams {
  readonly beneficiaryId: string;
  readonly providerReferenceId: string;
}

/**
 * What a settlement decides on besides the payment, as the caller read it with the rest of its
 * batch: the person (does the enrollment cover the payment's month?) and the provider reference's
 * claim, which is appended to at the revision read.
 */
export interface SettlementReads extends SettlementStreams {
  readonly beneficiary: AggregateRead<'beneficiary'>;
  readonly providerReference: AggregateRead<'providerReference'>;
}

/** Settling this payment under this reference: the reference is the paying agent's, so its claim is keyed by both. */
export function settlementStreamsOf(disbursement: DisbursementState, providerReference: string): SettlementStreams {
  return { beneficiaryId: disbursement.beneficiaryId, providerReferenceId: providerReferenceIdFor(payingAgentOfPayment(disbursement), providerReference) };
}

/**
 * What many settlements decide on, the people and the references' claims in one read each, in the
 * settlements' order: a result file settles a thousand payments at once, and reading their streams
 * one by one was most of its time.
 */
export async function readForSettlements(
  store: EventStore,
  settlements: ReadonlyArray<{ readonly disbursement: DisbursementState; readonly providerReference: string }>,
): Promise<SettlementReads[]> {
  const streams = settlements.map(({ disbursement, providerReference }) => settlementStreamsOf(disbursement, providerReference));
  const [people, references] = await Promise.all([
    readAggregates(store, 'beneficiary', streams.map(({ beneficiaryId }) => beneficiaryId)),
    readAggregates(store, 'providerReference', streams.map(({ providerReferenceId }) => providerReferenceId)),
  ]);
  return streams.map((ids) => ({ ...ids, beneficiary: people.get(ids.beneficiaryId)!, providerReference: references.get(ids.providerReferenceId)! }));
}
