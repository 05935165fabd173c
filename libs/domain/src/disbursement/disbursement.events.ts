import type { DomainEvent } from '../decider.js';

/** Stored event types of the disbursement stream. These strings are contracts: never rename them. */
export const DisbursementEventType = {
  Scheduled: 'DisbursementScheduled',
  AssignedToRun: 'DisbursementAssignedToRun',
  Sent: 'DisbursementSent',
  Paid: 'DisbursementPaid',
  Failed: 'DisbursementFailed',
  Returned: 'DisbursementReturned',
  Rescheduled: 'DisbursementRescheduled',
  Cancelled: 'DisbursementCancelled',
  DuplicatePaymentRejected: 'DuplicatePaymentRejected',
  OverpaymentFlagged: 'OverpaymentFlagged',
} as const;

export type PaymentChannel = 'BANK' | 'CASH';
export interface PayeeAccount {
  readonly accountId: string;
  readonly bankCode: string;
  readonly accountNumber: string;
  readonly holderName: string;
}
export type CancellationReason = 'ENROLLMENT_SUSPENDED' | 'ENROLLMENT_TERMINATED' | 'ENROLLMENT_NOT_STARTED' | 'NOT_ENROLLED';

export type DisbursementScheduled = DomainEvent<
  typeof DisbursementEventType.Scheduled,
  {
    disbursementId: string;
    beneficiaryId: string;
    program: string;
    period: string;
    unitCode: string;
    amount: number;
    channel: PaymentChannel;
    account: PayeeAccount | null;
    dueDate: string;
    arrears: boolean;
    payrollRunId: string;
    attempt: number;
  }
>;
/** A rescheduled attempt is picked up by the next payroll run that covers it. */
export type DisbursementAssignedToRun = DomainEvent<typeof DisbursementEventType.AssignedToRun, { payrollRunId: string; attempt: number }>;
export type DisbursementSent = DomainEvent<typeof DisbursementEventType.Sent, { payrollRunId: string; attempt: number }>;
export type DisbursementPaid = DomainEvent<
  typeof DisbursementEventType.Paid,
  { attempt: number; providerReference: string; paidAt: string; amount: number; daysLate: number }
>;
export type DisbursementFailed = DomainEvent<typeof DisbursementEventType.Failed, { attempt: number; reason: string }>;
export type DisbursementReturned = DomainEvent<typeof DisbursementEventType.Returned, { attempt: number; reason: string }>;
export type DisbursementRescheduled = DomainEvent<
  typeof DisbursementEventType.Rescheduled,
  { attempt: number; previousAttempt: number; channel: PaymentChannel; account: PayeeAccount | null; reason: string }
>;
export type DisbursementCancelled = DomainEvent<typeof DisbursementEventType.Cancelled, { attempt: number; reason: CancellationReason }>;
/** A settlement under another reference for an already paid disbursement: refused, and kept for the reports. */
export type DuplicatePaymentRejected = DomainEvent<
  typeof DisbursementEventType.DuplicatePaymentRejected,
  { disbursementId: string; providerReference: string; paidAt: string; amount: number; paidUnderReference: string }
>;
export type OverpaymentFlagged = DomainEvent<
  typeof DisbursementEventType.OverpaymentFlagged,
  { amount: number; reason: string; terminationEffectiveDate: string }
>;

export type DisbursementEvent =
  | DisbursementScheduled
  | DisbursementAssignedToRun
  | DisbursementSent
  | DisbursementPaid
  | DisbursementFailed
  | DisbursementReturned
  | DisbursementRescheduled
  | DisbursementCancelled
  | DuplicatePaymentRejected
  | OverpaymentFlagged;
