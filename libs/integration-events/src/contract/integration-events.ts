/**
 * The public contract between a province's ledger and the national hub: integration events, version 1.
 *
 * Distinct from the ledger's internal events on purpose. Internal events carry what a province needs
 * to pay people (names, national ids, account numbers) and change as the province's model grows;
 * these carry only what the ministry needs to count and to join people across provinces, and change
 * only by a new version. Nothing here is personal: a person is their national person key (an HMAC of
 * the national id under a key the provinces and the ministry share) and the province's own opaque
 * beneficiary id, which means nothing outside that province's ledger.
 *
 * One JSON Schema per type lives in docs/integration-events/; a test checks every event the mapping
 * produces against it.
 */

export const INTEGRATION_CONTRACT_VERSION = 1 as const;

export type IntegrationTerminationReason = 'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT';
export type IntegrationPaymentChannel = 'BANK' | 'CASH';
export type IntegrationDisbursementStatus = 'SCHEDULED' | 'SENT' | 'PAID' | 'FAILED' | 'RETURNED' | 'CANCELLED';

/** Every integration event: who published it, when the fact was recorded, and where it sits in the province's log. */
export interface IntegrationEnvelope<Type extends string, Data> {
  /**
   * A UUID, the deduplication key end to end (`Nats-Msg-Id`, the hub's inbox). The internal event's
   * own id when it maps to one integration event; derived from it (UUIDv5 of id and index) when it
   * maps to several.
   */
  readonly id: string;
  readonly type: Type;
  readonly version: typeof INTEGRATION_CONTRACT_VERSION;
  /** The publishing province's code, the root of its administrative units ("91"). */
  readonly province: string;
  /** When the province's ledger recorded the fact (ISO 8601 instant). */
  readonly occurredAt: string;
  /** The internal event's global position in the province's log, as a decimal string (positions are 64-bit). */
  readonly sourcePosition: string;
  readonly data: Data;
}

/** The person, as the hub may know them. */
export interface PersonReference {
  /** HMAC-SHA256 of the national id under LEDGER_NATIONAL_KEY, 64 lowercase hex digits. */
  readonly personKey: string;
  /** The province's beneficiary id (a UUID): how a finding sent back names the person to that province. */
  readonly beneficiaryRef: string;
}

export interface EnrollmentData extends PersonReference {
  readonly program: string;
  /** The unit the person is registered in when the event was recorded. */
  readonly unitCode: string;
}

export type EnrollmentStarted = IntegrationEnvelope<'EnrollmentStarted', EnrollmentData & { readonly effectiveFrom: string }>;
export type EnrollmentSuspended = IntegrationEnvelope<'EnrollmentSuspended', EnrollmentData & { readonly effectiveFrom: string }>;
export type EnrollmentResumed = IntegrationEnvelope<'EnrollmentResumed', EnrollmentData & { readonly effectiveFrom: string }>;
/** A termination, or a termination's date put right (the latest one stands). */
export type EnrollmentEnded = IntegrationEnvelope<'EnrollmentEnded', EnrollmentData & { readonly reason: IntegrationTerminationReason; readonly effectiveDate: string }>;
/** A termination revoked: the person was never terminated, the enrollment stands again. */
export type EnrollmentReinstated = IntegrationEnvelope<'EnrollmentReinstated', EnrollmentData>;

/** An account opened for the person: the bank only, never the number or the holder's name. */
export type PaymentAccountOpened = IntegrationEnvelope<'PaymentAccountOpened', PersonReference & { readonly unitCode: string; readonly bankCode: string; readonly openedOn: string }>;

/**
 * A disbursement as it stands after the change the event reports: every disbursement event carries
 * the whole of it, so that the hub keeps one row per disbursement by overwriting it, and its totals
 * per province, program, period, unit and channel equal the province's own monthly summary.
 */
export interface DisbursementSnapshot extends PersonReference {
  /** The province's disbursement id (a UUID). */
  readonly disbursementRef: string;
  readonly program: string;
  /** YYYY-MM */
  readonly period: string;
  readonly unitCode: string;
  /** Integer VND. */
  readonly amount: number;
  readonly channel: IntegrationPaymentChannel;
  /** The payee's bank for a BANK payment; null for CASH. */
  readonly bankCode: string | null;
  readonly status: IntegrationDisbursementStatus;
  readonly attempt: number;
  /** Scheduled as arrears of an earlier month. */
  readonly arrears: boolean;
}

export type DisbursementScheduled = IntegrationEnvelope<'DisbursementScheduled', DisbursementSnapshot>;
export type DisbursementSent = IntegrationEnvelope<'DisbursementSent', DisbursementSnapshot>;
export type DisbursementPaid = IntegrationEnvelope<'DisbursementPaid', DisbursementSnapshot & { readonly paidOn: string }>;
export type DisbursementFailed = IntegrationEnvelope<'DisbursementFailed', DisbursementSnapshot & { readonly reason: string }>;
export type DisbursementReturned = IntegrationEnvelope<'DisbursementReturned', DisbursementSnapshot & { readonly reason: string }>;
export type DisbursementCancelled = IntegrationEnvelope<'DisbursementCancelled', DisbursementSnapshot & { readonly reason: string }>;
/** Anything else that changes the snapshot without changing the status: a new attempt, another channel, another unit. */
export type DisbursementChanged = IntegrationEnvelope<'DisbursementChanged', DisbursementSnapshot & { readonly change: 'RESCHEDULED' | 'CHANNEL_CHANGED' | 'RELOCATED' }>;

export type CrossProvinceFindingKind = 'ENROLLED_IN_TWO_PROVINCES' | 'PAID_IN_TWO_PROVINCES';
export type CrossProvinceFindingDecision = 'KEEP' | 'TERMINATE';

/** An operator of the province resolved a finding the hub sent it. */
export type CrossProvinceFindingResolved = IntegrationEnvelope<
  'CrossProvinceFindingResolved',
  PersonReference & { readonly findingId: string; readonly program: string; readonly decision: CrossProvinceFindingDecision }
>;

export type IntegrationEvent =
  | EnrollmentStarted
  | EnrollmentSuspended
  | EnrollmentResumed
  | EnrollmentEnded
  | EnrollmentReinstated
  | PaymentAccountOpened
  | DisbursementScheduled
  | DisbursementSent
  | DisbursementPaid
  | DisbursementFailed
  | DisbursementReturned
  | DisbursementCancelled
  | DisbursementChanged
  | CrossProvinceFindingResolved;

export type IntegrationEventType = IntegrationEvent['type'];

export const INTEGRATION_EVENT_TYPES: readonly IntegrationEventType[] = [
  'EnrollmentStarted',
  'EnrollmentSuspended',
  'EnrollmentResumed',
  'EnrollmentEnded',
  'EnrollmentReinstated',
  'PaymentAccountOpened',
  'DisbursementScheduled',
  'DisbursementSent',
  'DisbursementPaid',
  'DisbursementFailed',
  'DisbursementReturned',
  'DisbursementCancelled',
  'DisbursementChanged',
  'CrossProvinceFindingResolved',
];

/**
 * What the hub sends back to a province about one of its people: the same person key, in the same
 * program, in another province too — enrolled there (ENROLLED_IN_TWO_PROVINCES) or paid there for
 * the same period (PAID_IN_TWO_PROVINCES). One notice per province concerned, each naming the
 * person by that province's own beneficiary id; nothing personal about the other province's person.
 */
export interface CrossProvinceFindingNotice {
  /** UUIDv5 of kind, person key, program and period: the same finding however often it is sent. */
  readonly findingId: string;
  readonly version: typeof INTEGRATION_CONTRACT_VERSION;
  readonly kind: CrossProvinceFindingKind;
  /** The province the notice is for. */
  readonly province: string;
  readonly beneficiaryRef: string;
  readonly personKey: string;
  readonly program: string;
  /** The period paid twice (PAID_IN_TWO_PROVINCES); absent for ENROLLED_IN_TWO_PROVINCES. */
  readonly period?: string;
  /** The other provinces concerned, by code. */
  readonly otherProvinces: readonly string[];
  /** When the hub found it (ISO 8601 instant). */
  readonly foundAt: string;
}
