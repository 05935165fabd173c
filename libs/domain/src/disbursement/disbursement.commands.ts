import type { ActivityInPeriod } from '../beneficiary/beneficiary.state.js';
import type { DisbursementScheduled, PayeeAccount, PaymentChannel } from './disbursement.events.js';

/**
 * Commands that must respect the freeze carry the enrollment's activity in the disbursement's
 * period, read by the handler from the beneficiary stream (the authority on eligibility).
 */
export type DisbursementCommand =
  | { readonly type: 'ScheduleDisbursement'; readonly data: DisbursementScheduled['data'] }
  | {
      readonly type: 'SendDisbursement';
      readonly data: {
        readonly payrollRunId: string;
        readonly enrollment: ActivityInPeriod;
        /** Whether the account a bank payment was scheduled into is still open and verified, read from the beneficiary stream. */
        readonly scheduledAccountOpen: boolean;
      };
    }
  | {
      readonly type: 'SettleDisbursement';
      readonly data: {
        readonly providerReference: string;
        readonly paidAt: Date;
        readonly amount: number;
        readonly daysLate: number;
        readonly enrollment: ActivityInPeriod;
        /** When the settlement is recorded: a payment cannot be reported as made more than a day later. */
        readonly recordedAt: Date;
      };
    }
  | { readonly type: 'FailDisbursement'; readonly data: { readonly reason: string } }
  | { readonly type: 'ReturnDisbursement'; readonly data: { readonly reason: string } }
  | {
      readonly type: 'RescheduleDisbursement';
      readonly data: { readonly channel: PaymentChannel; readonly account: PayeeAccount | null; readonly reason: string; readonly enrollment: ActivityInPeriod };
    }
  | { readonly type: 'CancelDisbursement'; readonly data: { readonly enrollment: ActivityInPeriod } }
  /** A later run takes over a disbursement its interrupted (abandoned) run never sent. */
  | { readonly type: 'TakeOverDisbursement'; readonly data: { readonly payrollRunId: string; readonly fromRun: string } }
  | { readonly type: 'FlagOverpayment'; readonly data: { readonly terminationEffectiveDate: string } }
  | { readonly type: 'WithdrawOverpayment'; readonly data: { readonly reason: string } }
  | { readonly type: 'RelocateDisbursement'; readonly data: { readonly toUnitCode: string } }
  | { readonly type: 'ReleaseFromRun'; readonly data: { readonly payrollRunId: string } }
  /**
   * A settlement presented for this disbursement under a provider reference that already paid another
   * one at the same paying agent (its reservation stream says which): refused, and recorded here.
   */
  | {
      readonly type: 'RecordDuplicateAttempt';
      readonly data: { readonly providerReference: string; readonly paidAt: Date; readonly amount: number; readonly usedByDisbursementId: string };
    };
