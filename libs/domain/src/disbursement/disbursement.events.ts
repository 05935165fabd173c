import type { DomainEvent } from '../decider.js';
import { POST_OFFICE } from '../shared/account-number.js';

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
  OverpaymentWithdrawn: 'OverpaymentWithdrawn',
  ChannelChanged: 'DisbursementChannelChanged',
  Relocated: 'DisbursementRelocated',
  ReleasedFromRun: 'DisbursementReleasedFromRun',
} as const;

export type PaymentChannel = 'BANK' | 'CASH';
export interface PayeeAccount {
  readonly accountId: string;
  readonly bankCode: string;
  readonly accountNumber: string;
  readonly holderName: string;
}


/** Who executes a payment: the payment file it goes into, and the issuer of the provider reference it is settled under. */
export function payingAgentOf(channel: PaymentChannel, account: Pick<PayeeAccount, 'bankCode'> | null): string {
  if (channel === 'CASH') return POST_OFFICE;
  if (!account) throw new Error('A bank payment has an account');
  return account.bankCode;
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
/**
 * Why a settlement was refused as a second payment:
 * - PAID_UNDER_ANOTHER_REFERENCE: the disbursement was already paid under another provider reference;
 * - PROVIDER_REFERENCE_IN_USE: the provider reference already paid another disbursement at the same paying agent.
 */
export type DuplicatePaymentReason = 'PAID_UNDER_ANOTHER_REFERENCE' | 'PROVIDER_REFERENCE_IN_USE';

/** A settlement refused as a second payment, kept for the reports. */
export type DuplicatePaymentRejected = DomainEvent<
  typeof DisbursementEventType.DuplicatePaymentRejected,
  {
    disbursementId: string;
    providerReference: string;
    paidAt: string;
    amount: number;
    /** Absent on events written before references were reserved: PAID_UNDER_ANOTHER_REFERENCE. */
    reason?: DuplicatePaymentReason;
    /** The reference the disbursement was paid under (PAID_UNDER_ANOTHER_REFERENCE). */
    paidUnderReference?: string;
    /** The disbursement the reference already paid (PROVIDER_REFERENCE_IN_USE); an id, never a person. */
    usedByDisbursementId?: string;
  }
>;

/**
 * Why a paid month is money to recover:
 * - TERMINATED_BEFORE_PERIOD: a termination recorded later reaches back over the month;
 * - PAID_AFTER_CANCELLATION: the paying agent paid a month that was no longer owed when the money left.
 */
export type OverpaymentReasonCode = 'TERMINATED_BEFORE_PERIOD' | 'PAID_AFTER_CANCELLATION';

export type OverpaymentFlagged = DomainEvent<
  typeof DisbursementEventType.OverpaymentFlagged,
  {
    amount: number;
    reason: string;
    /** Absent on events written before payments after cancellation were accepted: TERMINATED_BEFORE_PERIOD. */
    reasonCode?: OverpaymentReasonCode;
    /** The termination's effective date (TERMINATED_BEFORE_PERIOD). */
    terminationEffectiveDate?: string;
  }
>;
/** The termination that made the month an overpayment no longer stands (corrected or revoked): the month is owed again. */
export type OverpaymentWithdrawn = DomainEvent<typeof DisbursementEventType.OverpaymentWithdrawn, { amount: number; reason: string }>;

export type ChannelChangeReason = 'ACCOUNT_CLOSED';
/** Checked again when the run is sent: a bank payment whose account was closed since goes to the Post Office. */
export type DisbursementChannelChanged = DomainEvent<
  typeof DisbursementEventType.ChannelChanged,
  { attempt: number; channel: PaymentChannel; account: PayeeAccount | null; reason: ChannelChangeReason }
>;
/** The beneficiary moved: an unpaid disbursement moves with them; an unsent one leaves its run for the new unit's next run. */
export type DisbursementRelocated = DomainEvent<typeof DisbursementEventType.Relocated, { attempt: number; fromUnitCode: string; toUnitCode: string }>;
/** Its run will not send it (rejected): it waits, unassigned, for the next run of its period. */
export type DisbursementReleasedFromRun = DomainEvent<typeof DisbursementEventType.ReleasedFromRun, { payrollRunId: string; attempt: number }>;

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
  | OverpaymentFlagged
  | OverpaymentWithdrawn
  | DisbursementChannelChanged
  | DisbursementRelocated
  | DisbursementReleasedFromRun;
