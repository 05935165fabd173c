import type { CrossProvinceFindingDecision, DisbursementSnapshot, IntegrationDisbursementStatus, IntegrationEvent, IntegrationPaymentChannel } from '@ledger/integration-events';

export type EnrollmentStanding = 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';

/** A disbursement as the hub keeps it: the province's latest snapshot, and where it sits in that province's log. */
export interface DisbursementRow {
  readonly province: string;
  readonly disbursementRef: string;
  readonly personKey: string;
  readonly beneficiaryRef: string;
  readonly program: string;
  readonly period: string;
  readonly unitCode: string;
  readonly amount: number;
  readonly channel: IntegrationPaymentChannel;
  readonly bankCode: string | null;
  readonly status: IntegrationDisbursementStatus;
  readonly attempt: number;
  readonly arrears: boolean;
  readonly sourcePosition: bigint;
}

/** One person's enrollment in one program of one province. */
export interface EnrollmentRow {
  readonly province: string;
  readonly beneficiaryRef: string;
  readonly program: string;
  readonly personKey: string;
  readonly unitCode: string;
  readonly status: EnrollmentStanding;
  readonly sourcePosition: bigint;
}

export interface AccountsOpened {
  readonly province: string;
  readonly bankCode: string;
  readonly opened: number;
}

/** A province's answer to a finding the hub sent it. */
export interface FindingResolution {
  readonly findingId: string;
  readonly province: string;
  readonly decision: CrossProvinceFindingDecision;
  readonly sourcePosition: bigint;
}

/** What a batch of new events changes, folded so that each row is written once per batch. */
export interface BatchEffects {
  /** The latest snapshot per (province, disbursementRef) in the batch. */
  readonly disbursements: readonly DisbursementRow[];
  /** The latest standing per (province, beneficiaryRef, program) in the batch. */
  readonly enrollments: readonly EnrollmentRow[];
  readonly accountsOpened: readonly AccountsOpened[];
  /** The latest decision per (finding, province) in the batch. */
  readonly resolutions: readonly FindingResolution[];
  /** Person keys with an enrollment that became ACTIVE or SUSPENDED: where an enrollment in two provinces can have begun. */
  readonly personKeysNowEnrolled: readonly string[];
  /** Person keys with a disbursement that became PAID: where a payment in two provinces can have begun. */
  readonly personKeysNowPaid: readonly string[];
}

/** How each enrollment event leaves the enrollment: the status rule of the contract. */
export function enrollmentStandingAfter(type: 'EnrollmentStarted' | 'EnrollmentSuspended' | 'EnrollmentResumed' | 'EnrollmentEnded' | 'EnrollmentReinstated'): EnrollmentStanding {
  switch (type) {
    case 'EnrollmentStarted':
    case 'EnrollmentResumed':
    case 'EnrollmentReinstated':
      return 'ACTIVE';
    case 'EnrollmentSuspended':
      return 'SUSPENDED';
    case 'EnrollmentEnded':
      return 'TERMINATED';
    default: {
      const unexpected: never = type;
      throw new Error(`Unknown enrollment event ${String(unexpected)}`);
    }
  }
}

/**
 * The effects of events the hub has not seen before (the inbox has filtered the rest), in stream
 * order. Pure. Snapshots keep the greatest source position of a key: events of one province can
 * arrive out of order (a republished backlog, a redelivery), and a province's log position is the
 * only order that means anything. The store applies the same guard against the row it holds.
 */
export function batchEffectsOf(events: Iterable<IntegrationEvent>): BatchEffects {
  const disbursements = new Map<string, DisbursementRow>();
  const enrollments = new Map<string, EnrollmentRow>();
  const accounts = new Map<string, { province: string; bankCode: string; opened: number }>();
  const resolutions = new Map<string, FindingResolution>();
  const keep = <Row extends { sourcePosition: bigint }>(rows: Map<string, Row>, key: string, row: Row) => {
    const held = rows.get(key);
    // Equal positions: one internal event mapped to several integration events; the later one stands.
    if (!held || held.sourcePosition <= row.sourcePosition) rows.set(key, row);
  };

  for (const event of events) {
    const sourcePosition = BigInt(event.sourcePosition);
    const { province } = event;
    switch (event.type) {
      case 'EnrollmentStarted':
      case 'EnrollmentSuspended':
      case 'EnrollmentResumed':
      case 'EnrollmentEnded':
      case 'EnrollmentReinstated': {
        const { beneficiaryRef, program, personKey, unitCode } = event.data;
        keep(enrollments, `${province}|${beneficiaryRef}|${program}`, { province, beneficiaryRef, program, personKey, unitCode, status: enrollmentStandingAfter(event.type), sourcePosition });
        break;
      }
      case 'DisbursementScheduled':
      case 'DisbursementSent':
      case 'DisbursementPaid':
      case 'DisbursementFailed':
      case 'DisbursementReturned':
      case 'DisbursementCancelled':
      case 'DisbursementChanged':
        keep(disbursements, `${province}|${event.data.disbursementRef}`, disbursementRow(province, event.data, sourcePosition));
        break;
      case 'PaymentAccountOpened': {
        const key = `${province}|${event.data.bankCode}`;
        const counted = accounts.get(key);
        if (counted) counted.opened++;
        else accounts.set(key, { province, bankCode: event.data.bankCode, opened: 1 });
        break;
      }
      case 'CrossProvinceFindingResolved':
        keep(resolutions, `${event.data.findingId}|${province}`, { findingId: event.data.findingId, province, decision: event.data.decision, sourcePosition });
        break;
      default: {
        const unexpected: never = event;
        throw new Error(`Unknown integration event ${(unexpected as { type: string }).type}`);
      }
    }
  }

  const foldedEnrollments = [...enrollments.values()];
  const foldedDisbursements = [...disbursements.values()];
  return {
    disbursements: foldedDisbursements,
    enrollments: foldedEnrollments,
    accountsOpened: [...accounts.values()],
    resolutions: [...resolutions.values()],
    personKeysNowEnrolled: distinct(foldedEnrollments.filter((row) => row.status !== 'TERMINATED').map((row) => row.personKey)),
    personKeysNowPaid: distinct(foldedDisbursements.filter((row) => row.status === 'PAID').map((row) => row.personKey)),
  };
}

function disbursementRow(province: string, data: DisbursementSnapshot, sourcePosition: bigint): DisbursementRow {
  return {
    province,
    disbursementRef: data.disbursementRef,
    personKey: data.personKey,
    beneficiaryRef: data.beneficiaryRef,
    program: data.program,
    period: data.period,
    unitCode: data.unitCode,
    amount: data.amount,
    channel: data.channel,
    bankCode: data.bankCode,
    status: data.status,
    attempt: data.attempt,
    arrears: data.arrears,
    sourcePosition,
  };
}

const distinct = (values: readonly string[]) => [...new Set(values)];
