import type { DomainEvent } from '../decider.js';
import type { SchedulingBasis, UnchangedSince } from './payroll-rerun.js';

export const PayrollRunEventType = {
  Created: 'PayrollRunCreated',
  DisbursementsIncluded: 'PayrollRunDisbursementsIncluded',
  Scheduled: 'PayrollRunScheduled',
  Approved: 'PayrollRunApproved',
  Sent: 'PayrollRunSent',
  Abandoned: 'PayrollRunAbandoned',
  Rejected: 'PayrollRunRejected',
} as const;

export interface PayrollRunScope {
  readonly period: string;
  readonly program: string | null;
  readonly unitCode: string | null;
}

/** One person's arrears in one run, large enough that approving the run needs them acknowledged. */
export interface LargeArrears {
  readonly beneficiaryId: string;
  /** Arrears disbursements: a month owed by two programs counts twice. */
  readonly months: number;
  /** VND, every arrears disbursement of the person in the run. */
  readonly totalAmount: number;
}

export interface SchedulingSummary {
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  readonly arrears: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly totalAmount: number;
  /** Absent on runs scheduled before large arrears were listed: none to acknowledge. */
  readonly largeArrears?: readonly LargeArrears[];
  /** Where the run began reading, for a later run of its scope to trust it from; absent on runs scheduled before reruns read only what changed. */
  readonly basis?: SchedulingBasis;
  /**
   * Present on a rerun that read again only the people whose records changed since an earlier run
   * of its scope: the counts above are of those people, and the rest stand as that run left them.
   */
  readonly unchangedSince?: UnchangedSince;
}

export interface PaymentFileSummary {
  /** A bank code, or POST_OFFICE for the cash list. */
  readonly paymentFile: string;
  readonly count: number;
  readonly totalAmount: number;
}

export type PayrollRunCreated = DomainEvent<typeof PayrollRunEventType.Created, PayrollRunScope & { runId: string; createdBy: string }>;
/** The run's disbursement ids, in chunks so no single event grows with the province. */
export type PayrollRunDisbursementsIncluded = DomainEvent<typeof PayrollRunEventType.DisbursementsIncluded, { disbursementIds: string[] }>;
export type PayrollRunScheduled = DomainEvent<typeof PayrollRunEventType.Scheduled, SchedulingSummary>;
export type PayrollRunApproved = DomainEvent<typeof PayrollRunEventType.Approved, { approvedBy: string }>;
export type PayrollRunSent = DomainEvent<
  typeof PayrollRunEventType.Sent,
  { sentBy: string; sent: number; cancelled: number; paymentFiles: PaymentFileSummary[] }
>;

/**
 * A run interrupted while scheduling, given up for a later run of the same period that takes its
 * disbursements over: it can no longer be completed, approved or sent.
 */
export type PayrollRunAbandoned = DomainEvent<typeof PayrollRunEventType.Abandoned, { takenOverBy: string }>;

/**
 * The checker refused the run: it can no longer be approved or sent, and its unsent disbursements
 * are released to the next run of its period.
 */
export type PayrollRunRejected = DomainEvent<typeof PayrollRunEventType.Rejected, { rejectedBy: string; reason: string }>;

export type PayrollRunEvent =
  | PayrollRunCreated
  | PayrollRunDisbursementsIncluded
  | PayrollRunScheduled
  | PayrollRunApproved
  | PayrollRunSent
  | PayrollRunAbandoned
  | PayrollRunRejected;
