import {
  aggregateOfStream,
  BeneficiaryEventType as B,
  DisbursementEventType as D,
  upcast,
  type BeneficiaryEvent,
  type DisbursementEvent,
  type TerminationReason,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import type { DisbursementSnapshot } from './integration-events.js';
import { nationalPersonKey } from './person-key.js';

/**
 * What the publisher must remember between events to publish them. An internal event says only what
 * changed (a disbursement paid: its attempt and its reference); an integration event says who it is
 * about and, for a disbursement, the whole of it. These folds keep exactly that much, and nothing
 * personal: the person key, never the national id it is computed from. Facts are plain JSON, so a
 * publisher may keep them in a table beside its checkpoint.
 */

/** A beneficiary as their integration events name them. */
export interface BeneficiaryFacts {
  readonly beneficiaryId: string;
  /** nationalPersonKey of their national id. */
  readonly personKey: string;
  /** The unit they are registered in now. */
  readonly unitCode: string;
  /**
   * The reason of each program's termination that stands, by program. A correction moves a
   * termination's date and says why the date changed; the published end keeps the termination's own
   * reason (DECEASED…), which only the termination event holds.
   */
  readonly terminationReasons: Readonly<Record<string, TerminationReason>>;
}

/** A disbursement as its snapshot publishes it, with the beneficiary it pays instead of their person reference. */
export interface DisbursementFacts extends Omit<DisbursementSnapshot, 'personKey' | 'beneficiaryRef'> {
  readonly beneficiaryId: string;
}

/**
 * The beneficiary's facts after `event`. Registration computes the person key; a relocation moves the
 * unit; terminations and their revocations keep the reasons. Any other event, including events of
 * other streams, leaves the facts as they are; so does a beneficiary event before the registration.
 */
export function foldBeneficiaryFacts(facts: BeneficiaryFacts | undefined, event: RecordedEvent, nationalKey: string): BeneficiaryFacts | undefined {
  const beneficiaryId = streamIdOf(event, 'beneficiary');
  if (beneficiaryId === undefined) return facts;
  if (facts && facts.beneficiaryId !== beneficiaryId) throw factsOfAnother(event, 'beneficiary');
  const internal = upcast(event) as BeneficiaryEvent;
  switch (internal.type) {
    case B.Registered:
      return { beneficiaryId, personKey: nationalPersonKey(internal.data.nationalId, nationalKey), unitCode: internal.data.unitCode, terminationReasons: {} };
    case B.Relocated:
      return facts && { ...facts, unitCode: internal.data.toUnitCode };
    case B.EnrollmentTerminated:
      return facts && { ...facts, terminationReasons: { ...facts.terminationReasons, [internal.data.program]: internal.data.reason } };
    case B.EnrollmentTerminationRevoked: {
      if (!facts) return facts;
      const { [internal.data.program]: _revoked, ...standing } = facts.terminationReasons;
      return { ...facts, terminationReasons: standing };
    }
    default:
      return facts;
  }
}

/**
 * The disbursement's facts after `event`, changed exactly as the read models' disbursement row
 * changes (the projection of the ledger): the hub's totals must equal the province's own.
 */
export function foldDisbursementFacts(facts: DisbursementFacts | undefined, event: RecordedEvent): DisbursementFacts | undefined {
  const disbursementId = streamIdOf(event, 'disbursement');
  if (disbursementId === undefined) return facts;
  if (facts && facts.disbursementRef !== disbursementId) throw factsOfAnother(event, 'disbursement');
  const internal = upcast(event) as DisbursementEvent;
  if (internal.type === D.Scheduled) {
    const d = internal.data;
    return {
      beneficiaryId: d.beneficiaryId,
      disbursementRef: d.disbursementId,
      program: d.program,
      period: d.period,
      unitCode: d.unitCode,
      amount: d.amount,
      channel: d.channel,
      bankCode: d.account?.bankCode ?? null,
      status: 'SCHEDULED',
      attempt: d.attempt,
      arrears: d.arrears,
    };
  }
  if (!facts) return facts;
  switch (internal.type) {
    case D.Sent:
      return { ...facts, status: 'SENT' };
    // The amount stays the one scheduled: a settlement for another amount is refused, never recorded.
    case D.Paid:
      return { ...facts, status: 'PAID' };
    case D.Failed:
      return { ...facts, status: 'FAILED' };
    case D.Returned:
      return { ...facts, status: 'RETURNED' };
    case D.Rescheduled:
      return { ...facts, status: 'SCHEDULED', attempt: internal.data.attempt, channel: internal.data.channel, bankCode: internal.data.account?.bankCode ?? null };
    case D.Cancelled:
      return { ...facts, status: 'CANCELLED' };
    case D.ChannelChanged:
      return { ...facts, channel: internal.data.channel, bankCode: internal.data.account?.bankCode ?? null };
    case D.Relocated:
      return { ...facts, unitCode: internal.data.toUnitCode };
    // Which run carries it, refused second payments, money to recover: none of it is in the snapshot.
    case D.AssignedToRun:
    case D.ReleasedFromRun:
    case D.DuplicatePaymentRejected:
    case D.OverpaymentFlagged:
    case D.OverpaymentWithdrawn:
      return facts;
    default:
      return unknownToThisLedger(internal, facts);
  }
}

/**
 * Whose facts the publisher must read to fold and to publish `event`: its beneficiary's for an event
 * of a beneficiary stream, its disbursement's for an event of a disbursement stream, nobody's for
 * any other. A disbursement's events other than the scheduling do not name its beneficiary: after
 * folding, it is `DisbursementFacts.beneficiaryId`, whose facts the mapping needs too.
 */
export function factsNeededFor(event: RecordedEvent): { readonly beneficiaryId?: string; readonly disbursementId?: string } {
  const stream = aggregateOfStream(event.streamName);
  if (stream?.aggregate === 'beneficiary') return { beneficiaryId: stream.id };
  if (stream?.aggregate === 'disbursement') {
    return event.type === D.Scheduled ? { disbursementId: stream.id, beneficiaryId: (event.data as { beneficiaryId: string }).beneficiaryId } : { disbursementId: stream.id };
  }
  return {};
}

/** The id of the beneficiary or disbursement whose stream holds `event`; undefined for any other stream. */
export function streamIdOf(event: Pick<RecordedEvent, 'streamName'>, aggregate: 'beneficiary' | 'disbursement'): string | undefined {
  const stream = aggregateOfStream(event.streamName);
  return stream?.aggregate === aggregate ? stream.id : undefined;
}

function factsOfAnother(event: RecordedEvent, aggregate: string): Error {
  return new Error(`${event.type} at position ${event.globalPosition} was folded into the facts of another ${aggregate} than the one whose stream holds it`);
}

/** Every disbursement event of this ledger has its case above (the compiler checks); one written by a newer ledger changes nothing it knows of. */
const unknownToThisLedger = (_event: never, facts: DisbursementFacts): DisbursementFacts => facts;
