import { unreachable } from '../decider.js';
import { DisbursementEventType, type DisbursementEvent, type PayeeAccount, type PaymentChannel } from './disbursement.events.js';

export type DisbursementStatus = 'SCHEDULED' | 'SENT' | 'PAID' | 'FAILED' | 'RETURNED' | 'CANCELLED';

export interface DisbursementState {
  readonly exists: boolean;
  readonly disbursementId: string;
  readonly beneficiaryId: string;
  readonly program: string;
  readonly period: string;
  readonly unitCode: string;
  readonly amount: number;
  readonly channel: PaymentChannel;
  readonly account: PayeeAccount | null;
  readonly dueDate: string;
  readonly arrears: boolean;
  /** The run that sends the current attempt; null for a rescheduled attempt no run has picked up. */
  readonly payrollRunId: string | null;
  readonly attempt: number;
  readonly status: DisbursementStatus;
  readonly payment?: { readonly providerReference: string; readonly paidAt: string; readonly amount: number; readonly daysLate: number };
  readonly overpaymentFlagged: boolean;
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
  overpaymentFlagged: false,
});

/**
 * The event types after which a disbursement is SCHEDULED (waiting to be sent). Whatever comes
 * after sending (paid, failed, returned, cancelled, a rejected duplicate, an overpayment flag) leaves
 * it in another status, so a payroll run can tell from a stream's last event type alone whether the
 * disbursement could still be its business, without reading the stream.
 */
export const SCHEDULED_AFTER: ReadonlySet<string> = new Set<string>([DisbursementEventType.Scheduled, DisbursementEventType.AssignedToRun, DisbursementEventType.Rescheduled]);

export function evolveDisbursement(state: DisbursementState, event: DisbursementEvent): DisbursementState {
  switch (event.type) {
    case DisbursementEventType.Scheduled:
      return { ...state, exists: true, ...event.data, status: 'SCHEDULED' };
    case DisbursementEventType.AssignedToRun:
      return { ...state, payrollRunId: event.data.payrollRunId };
    case DisbursementEventType.Sent:
      return { ...state, status: 'SENT', payrollRunId: event.data.payrollRunId };
    case DisbursementEventType.Paid: {
      const { providerReference, paidAt, amount, daysLate } = event.data;
      return { ...state, status: 'PAID', payment: { providerReference, paidAt, amount, daysLate } };
    }
    case DisbursementEventType.Failed:
      return { ...state, status: 'FAILED' };
    case DisbursementEventType.Returned:
      return { ...state, status: 'RETURNED' };
    case DisbursementEventType.Rescheduled:
      return { ...state, status: 'SCHEDULED', attempt: event.data.attempt, channel: event.data.channel, account: event.data.account, payrollRunId: null };
    case DisbursementEventType.Cancelled:
      return { ...state, status: 'CANCELLED' };
    case DisbursementEventType.DuplicatePaymentRejected:
      return state;
    case DisbursementEventType.OverpaymentFlagged:
      return { ...state, overpaymentFlagged: true };
    default:
      return unreachable(event);
  }
}
