import type { DomainEvent } from '../decider.js';

export const PayrollRunEventType = {
  Created: 'PayrollRunCreated',
  DisbursementsIncluded: 'PayrollRunDisbursementsIncluded',
  Scheduled: 'PayrollRunScheduled',
  Approved: 'PayrollRunApproved',
  Sent: 'PayrollRunSent',
  Abandoned: 'PayrollRunAbandoned',
} as const;

export interface PayrollRunScope {
  readonly period: string;
  readonly program: string | null;
  readonly unitCode: string | null;
}

export interface SchedulingSummary {
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  readonly arrears: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly totalAmount: number;
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

export type PayrollRunEvent = PayrollRunCreated | PayrollRunDisbursementsIncluded | PayrollRunScheduled | PayrollRunApproved | PayrollRunSent | PayrollRunAbandoned;
