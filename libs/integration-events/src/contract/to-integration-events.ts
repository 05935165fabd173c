import {
  BeneficiaryEventType as B,
  DisbursementEventType as D,
  localDateInVietnam,
  upcast,
  type BeneficiaryEvent,
  type DisbursementEvent,
  type DomainEvent,
  type TerminationReason,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { streamIdOf, type BeneficiaryFacts, type DisbursementFacts } from './integration-facts.js';
import {
  INTEGRATION_CONTRACT_VERSION,
  type CrossProvinceFindingDecision,
  type DisbursementSnapshot,
  type EnrollmentData,
  type IntegrationEvent,
  type IntegrationEventType,
  type IntegrationTerminationReason,
  type PersonReference,
} from './integration-events.js';

/**
 * The beneficiary events of the province side of cross-province findings, by their stored type
 * strings. Declared here by shape rather than imported, so that this mapping does not wait on them.
 */
type CrossProvinceFindingRecorded = DomainEvent<
  'CrossProvinceFindingRecorded',
  {
    beneficiaryId: string;
    findingId: string;
    kind: 'ENROLLED_IN_TWO_PROVINCES' | 'PAID_IN_TWO_PROVINCES';
    program: string;
    period?: string;
    otherProvinces: string[];
    foundAt: string;
    recordedOn: string;
  }
>;
type CrossProvinceFindingResolved = DomainEvent<
  'CrossProvinceFindingResolved',
  { beneficiaryId: string; findingId: string; program: string; decision: CrossProvinceFindingDecision; reason: string; resolvedBy: string; recordedOn: string; effectiveDate?: string }
>;

type MessageOf<Type extends IntegrationEventType> = Extract<IntegrationEvent, { readonly type: Type }>;

type InternalEvent = BeneficiaryEvent | DisbursementEvent | CrossProvinceFindingRecorded | CrossProvinceFindingResolved;
export type InternalEventType = InternalEvent['type'];

/**
 * Which integration event each internal event of a beneficiary or a disbursement becomes, or that it
 * is not published. A new internal event type does not compile until someone decides: the ministry
 * learns nothing it was not meant to by default, and misses nothing by oversight. Events of other
 * streams (payroll runs, file imports, reservations of references and account numbers) are never
 * published: the province's own bookkeeping.
 */
export const PUBLISHED_AS: Readonly<Record<InternalEventType, IntegrationEventType | 'NOT_PUBLISHED'>> = {
  // Holds personal data only; the person reaches the hub with their first enrollment.
  [B.Registered]: 'NOT_PUBLISHED',
  [B.EnrollmentStarted]: 'EnrollmentStarted',
  [B.EnrollmentSuspended]: 'EnrollmentSuspended',
  [B.EnrollmentResumed]: 'EnrollmentResumed',
  [B.EnrollmentTerminated]: 'EnrollmentEnded',
  [B.EnrollmentTerminationCorrected]: 'EnrollmentEnded',
  [B.EnrollmentTerminationRevoked]: 'EnrollmentReinstated',
  // The unit travels on the person's next enrollment event and on each unpaid disbursement's DisbursementChanged (RELOCATED).
  [B.Relocated]: 'NOT_PUBLISHED',
  [B.PaymentAccountOpened]: 'PaymentAccountOpened',
  [B.PaymentAccountVerified]: 'NOT_PUBLISHED',
  [B.PaymentAccountClosed]: 'NOT_PUBLISHED',
  // Identity checks and reported deaths are the population database's business; a confirmed death reaches the hub as EnrollmentEnded (DECEASED).
  [B.IdentityCheckAnswerRecorded]: 'NOT_PUBLISHED',
  [B.DeathReported]: 'NOT_PUBLISHED',
  [B.DeathReportConfirmed]: 'NOT_PUBLISHED',
  [B.DeathReportRejected]: 'NOT_PUBLISHED',
  // The hub found it: it knows already.
  CrossProvinceFindingRecorded: 'NOT_PUBLISHED',
  CrossProvinceFindingResolved: 'CrossProvinceFindingResolved',
  [D.Scheduled]: 'DisbursementScheduled',
  [D.Sent]: 'DisbursementSent',
  [D.Paid]: 'DisbursementPaid',
  [D.Failed]: 'DisbursementFailed',
  [D.Returned]: 'DisbursementReturned',
  [D.Cancelled]: 'DisbursementCancelled',
  [D.Rescheduled]: 'DisbursementChanged',
  [D.ChannelChanged]: 'DisbursementChanged',
  [D.Relocated]: 'DisbursementChanged',
  // Which run carries a payment, refused second payments, money to recover: the province's bookkeeping, not in the snapshot.
  [D.AssignedToRun]: 'NOT_PUBLISHED',
  [D.ReleasedFromRun]: 'NOT_PUBLISHED',
  [D.DuplicatePaymentRejected]: 'NOT_PUBLISHED',
  [D.OverpaymentFlagged]: 'NOT_PUBLISHED',
  [D.OverpaymentWithdrawn]: 'NOT_PUBLISHED',
};

/** What the mapping knows besides the event: the facts as they stand after folding it (see integration-facts.ts). */
export interface IntegrationContext {
  /** The publishing province's code. */
  readonly province: string;
  /** The beneficiary of a beneficiary event, or the one a disbursement pays. */
  readonly beneficiary?: BeneficiaryFacts;
  /** The disbursement of a disbursement event. */
  readonly disbursement?: DisbursementFacts;
}

/**
 * The integration events one internal event becomes: none, or one whose id is the internal event's
 * id. Pure: the same event and facts give the same output, so a publisher that crashes and publishes
 * again sends the same ids, which the hub drops as duplicates. A published event that is given no facts,
 * or another person's, is a bug in the publisher: it throws rather than publish something wrong.
 */
export function toIntegrationEvents(event: RecordedEvent, context: IntegrationContext): IntegrationEvent[] {
  const internal = upcast(event) as InternalEvent;
  const message = <Type extends IntegrationEventType>(type: Type, data: MessageOf<Type>['data']): MessageOf<Type> =>
    ({ id: event.id, type, version: INTEGRATION_CONTRACT_VERSION, province: context.province, occurredAt: event.recordedAt.toISOString(), sourcePosition: event.globalPosition.toString(), data }) as MessageOf<Type>;
  const person = (): PersonReference => personOf(beneficiaryOf(event, context));
  const enrollment = (program: string): EnrollmentData => {
    const beneficiary = beneficiaryOf(event, context);
    return { ...personOf(beneficiary), program, unitCode: beneficiary.unitCode };
  };
  const snapshot = () => snapshotOf(event, context);

  switch (internal.type) {
    case B.EnrollmentStarted:
      return [message('EnrollmentStarted', { ...enrollment(internal.data.program), effectiveFrom: internal.data.effectiveFrom })];
    case B.EnrollmentSuspended:
      return [message('EnrollmentSuspended', { ...enrollment(internal.data.program), effectiveFrom: internal.data.effectiveFrom })];
    case B.EnrollmentResumed:
      return [message('EnrollmentResumed', { ...enrollment(internal.data.program), effectiveFrom: internal.data.effectiveFrom })];
    case B.EnrollmentTerminated:
      return [
        message('EnrollmentEnded', { ...enrollment(internal.data.program), reason: PUBLISHED_TERMINATION_REASON[internal.data.reason], effectiveDate: internal.data.effectiveDate }),
      ];
    case B.EnrollmentTerminationCorrected: {
      const reason = beneficiaryOf(event, context).terminationReasons[internal.data.program];
      if (reason === undefined) throw new Error(`${event.type} at position ${event.globalPosition} corrects a termination its beneficiary’s facts do not hold`);
      return [
        message('EnrollmentEnded', { ...enrollment(internal.data.program), reason: PUBLISHED_TERMINATION_REASON[reason], effectiveDate: internal.data.effectiveDate }),
      ];
    }
    case B.EnrollmentTerminationRevoked:
      return [message('EnrollmentReinstated', enrollment(internal.data.program))];
    case B.PaymentAccountOpened: {
      // The bank only: the number and the holder's name stay in the province.
      const beneficiary = beneficiaryOf(event, context);
      return [
        message('PaymentAccountOpened', { ...personOf(beneficiary), unitCode: beneficiary.unitCode, bankCode: internal.data.bankCode, openedOn: internal.data.openedOn }),
      ];
    }
    case 'CrossProvinceFindingResolved':
      return [
        message('CrossProvinceFindingResolved', { ...person(), findingId: internal.data.findingId, program: internal.data.program, decision: internal.data.decision }),
      ];

    case D.Scheduled:
      return [message('DisbursementScheduled', snapshot())];
    case D.Sent:
      return [message('DisbursementSent', snapshot())];
    case D.Paid:
      // paidAt is an instant (UTC); the day it was paid is the day in Vietnam, as the province's own reports count it.
      return [message('DisbursementPaid', { ...snapshot(), paidOn: localDateInVietnam(new Date(internal.data.paidAt)) })];
    case D.Failed:
      return [message('DisbursementFailed', { ...snapshot(), reason: publishedReasonOf(internal.data.reason) })];
    case D.Returned:
      return [message('DisbursementReturned', { ...snapshot(), reason: publishedReasonOf(internal.data.reason) })];
    case D.Cancelled:
      return [message('DisbursementCancelled', { ...snapshot(), reason: internal.data.reason })];
    case D.Rescheduled:
      return [message('DisbursementChanged', { ...snapshot(), change: 'RESCHEDULED' })];
    case D.ChannelChanged:
      return [message('DisbursementChanged', { ...snapshot(), change: 'CHANNEL_CHANGED' })];
    case D.Relocated:
      return [message('DisbursementChanged', { ...snapshot(), change: 'RELOCATED' })];

    case B.Registered:
    case B.Relocated:
    case B.PaymentAccountVerified:
    case B.PaymentAccountClosed:
    case B.IdentityCheckAnswerRecorded:
    case B.DeathReported:
    case B.DeathReportConfirmed:
    case B.DeathReportRejected:
    case 'CrossProvinceFindingRecorded':
    case D.AssignedToRun:
    case D.ReleasedFromRun:
    case D.DuplicatePaymentRejected:
    case D.OverpaymentFlagged:
    case D.OverpaymentWithdrawn:
      return [];
    default:
      return notPublished(internal);
  }
}

/** Events of the other streams, and any type a newer ledger wrote: nothing to publish. */
const notPublished = (_event: never): IntegrationEvent[] => [];

/** Spelled out so that a new internal termination reason does not compile until the contract says how it is published. */
const PUBLISHED_TERMINATION_REASON: Readonly<Record<TerminationReason, IntegrationTerminationReason>> = {
  DECEASED: 'DECEASED',
  NO_LONGER_ELIGIBLE: 'NO_LONGER_ELIGIBLE',
  MOVED_OUT: 'MOVED_OUT',
};

/** The ledger's own codes for a failure or a return a file or an operator gave no reason for. */
const LEDGER_REASON_CODES: ReadonlySet<string> = new Set(['REJECTED_BY_BANK', 'NOT_COLLECTED', 'NO_REASON_GIVEN']);
/** An ISO 20022 status reason code with digits (AC04 closed account, AM04 insufficient funds…): never a name. */
const ISO_STATUS_REASON = /^[A-Z]{2}[0-9]{2}$/;
export const OTHER_REASON = 'OTHER';

/**
 * A failure or a return as the hub may count it: the code it starts with (the bank's ISO 20022 status
 * reason, or one of the ledger's own), or OTHER. Never the words: a reason is free text — an
 * operator's explanation, a bank's additional information, a Post Office clerk's note — and may name
 * the person or quote their account, which stays in the province's ledger.
 */
export function publishedReasonOf(reason: string): string {
  const code = reason.trim().split(/[\s:;,]/, 1)[0]!;
  return LEDGER_REASON_CODES.has(code) || ISO_STATUS_REASON.test(code) ? code : OTHER_REASON;
}

/** The facts of the beneficiary the event is about: those of its stream, or those of the beneficiary its disbursement pays. */
function beneficiaryOf(event: RecordedEvent, { beneficiary, disbursement }: IntegrationContext): BeneficiaryFacts {
  const beneficiaryId = streamIdOf(event, 'beneficiary') ?? disbursement?.beneficiaryId;
  if (!beneficiary || beneficiary.beneficiaryId !== beneficiaryId) {
    throw new Error(`${event.type} at position ${event.globalPosition} is published with its beneficiary’s facts, and ${beneficiary ? 'these are another beneficiary’s' : 'none were given'}`);
  }
  return beneficiary;
}

const personOf = (beneficiary: BeneficiaryFacts): PersonReference => ({ personKey: beneficiary.personKey, beneficiaryRef: beneficiary.beneficiaryId });

function snapshotOf(event: RecordedEvent, context: IntegrationContext): DisbursementSnapshot {
  const { disbursement } = context;
  if (!disbursement || disbursement.disbursementRef !== streamIdOf(event, 'disbursement')) {
    throw new Error(`${event.type} at position ${event.globalPosition} is published with its disbursement’s facts, and ${disbursement ? 'these are another disbursement’s' : 'none were given'}`);
  }
  // Field by field rather than spread: facts a publisher kept may carry more than the contract publishes.
  const { disbursementRef, program, period, unitCode, amount, channel, bankCode, status, attempt, arrears } = disbursement;
  return { ...personOf(beneficiaryOf(event, context)), disbursementRef, program, period, unitCode, amount, channel, bankCode, status, attempt, arrears };
}
