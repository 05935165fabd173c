import { unreachable } from '../decider.js';
import { DisbursementEventType, type DisbursementEvent, type OverpaymentReasonCode, type PayeeAccount, type PaymentChannel } from './disbursement.events.js';

export type DisbursementStatus = 'SCHEDULED' | 'SENT' | 'PAID' | 'FAILED' | 'RETURNED' | 'CANCELLED';

export interface DisbursementState {
  readonly exists: boolean;
  readonly disbursementId: string;
  readonly beneficiaryId: string;
  readonly program: string;
  readonly period: string;
  readonly unitCode: string;
  readonly amount: number;
  /** Channel and account of the current attempt. */
  readonly channel: PaymentChannel;
  readonly account: PayeeAccount | null;
  readonly dueDate: string;
  readonly arrears: boolean;
  /** The run that sends the current attempt; null for an attempt no run has picked up (rescheduled, relocated or released). */
  readonly payrollRunId: string | null;
  readonly attempt: number;
  readonly status: DisbursementStatus;
  /** Some attempt reached the paying agent: money may have left, whatever happened afterwards. */
  readonly wasSent: boolean;
  /** The account the current attempt's bank transfer failed into; a new attempt never goes back there. */
  readonly failedAccountId: string | null;
  readonly payment?: { readonly providerReference: string; readonly paidAt: string; readonly amount: number; readonly daysLate: number };
  readonly overpaymentFlagged: boolean;
  /** Why the paid month is money to recover; null while it is not flagged. */
  readonly overpaymentReasonCode: OverpaymentReasonCode | null;
}

export const initialDisbursementState = (): DisbursementState => ({
  exists: false,
  disbursementId: '',
  beneficiaryId: '',
  program: '',
  period: '',
  unitCode: '',
  amount: 0,
  channel: 'CASH',
  account: null,
  dueDate: '',
  arrears: false,
  payrollRunId: null,
  attempt: 0,
  status: 'SCHEDULED',
  wasSent: false,
  failedAccountId: null,
  overpaymentFlagged: false,
  overpaymentReasonCode: null,
});

/** Not yet paid: whatever has not reached the payee can still be stopped. */
export function mayBeCancelled(status: DisbursementStatus): boolean {
  return status === 'SCHEDULED' || status === 'SENT' || status === 'FAILED' || status === 'RETURNED';
}

/** Unpaid and not on its way: it belongs to the beneficiary's unit, wherever they move. A sent one stays with its run. */
export function movesWithTheBeneficiary(status: DisbursementStatus): boolean {
  return status === 'SCHEDULED' || status === 'FAILED' || status === 'RETURNED';
}

/**
 * The event types after which a disbursement may be SCHEDULED (waiting to be sent). Whatever else
 * comes last (sent, paid, failed, returned, cancelled, a rejected duplicate, an overpayment flag)
 * leaves it in another status, so a payroll run can tell from a stream's last event type alone that
 * the disbursement is not its business, without reading the stream. A relocation follows a waiting
 * disbursement as well as a failed or returned one: it is in the set, and costs the run one read.
 */
export const SCHEDULED_AFTER: ReadonlySet<string> = new Set<string>([
  DisbursementEventType.Scheduled,
  DisbursementEventType.AssignedToRun,
  DisbursementEventType.Rescheduled,
  DisbursementEventType.ChannelChanged,
  DisbursementEventType.Relocated,
  DisbursementEventType.ReleasedFromRun,
]);

export function evolveDisbursement(state: DisbursementState, event: DisbursementEvent): DisbursementState {
  switch (event.type) {
    case DisbursementEventType.Scheduled:
      return { ...state, exists: true, ...event.data, status: 'SCHEDULED' };
    case DisbursementEventType.AssignedToRun:
      return { ...state, payrollRunId: event.data.payrollRunId };
    case DisbursementEventType.Sent:
      return { ...state, status: 'SENT', payrollRunId: event.data.payrollRunId, wasSent: true };
    case DisbursementEventType.Paid: {
      const { providerReference, paidAt, amount, daysLate } = event.data;
      return { ...state, status: 'PAID', payment: { providerReference, paidAt, amount, daysLate } };
    }
    case DisbursementEventType.Failed:
      return { ...state, status: 'FAILED', failedAccountId: state.channel === 'BANK' ? (state.account?.accountId ?? null) : null };
    case DisbursementEventType.Returned:
      return { ...state, status: 'RETURNED' };
    case DisbursementEventType.Rescheduled:
      return {
        ...state,
        status: 'SCHEDULED',
        attempt: event.data.attempt,
        channel: event.data.channel,
        account: event.data.account,
        payrollRunId: null,
        failedAccountId: null,
      };
    case DisbursementEventType.Cancelled:
      return { ...state, status: 'CANCELLED' };
    case DisbursementEventType.DuplicatePaymentRejected:
      return state;
    case DisbursementEventType.OverpaymentFlagged:
      return { ...state, overpaymentFlagged: true, overpaymentReasonCode: event.data.reasonCode ?? 'TERMINATED_BEFORE_PERIOD' };
    case DisbursementEventType.OverpaymentWithdrawn:
      return { ...state, overpaymentFlagged: false, overpaymentReasonCode: null };
    case DisbursementEventType.ChannelChanged:
      return { ...state, channel: event.data.channel, account: event.data.account };
    case DisbursementEventType.Relocated:
      // An unsent attempt leaves its run: the run of the unit it moved to pays it.
      return { ...state, unitCode: event.data.toUnitCode, payrollRunId: state.status === 'SCHEDULED' ? null : state.payrollRunId };
    case DisbursementEventType.ReleasedFromRun:
      return { ...state, payrollRunId: null };
    default:
      return unreachable(event);
  }
}
