import { paymentAccountOf, paymentAccountOtherThan, payeeOf, type BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import type { PayeeAccount, PaymentChannel } from '../disbursement/disbursement.events.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';

export interface PayeeChoice {
  readonly channel: PaymentChannel;
  readonly account: PayeeAccount | null;
}

/**
 * Where a new attempt of a payment goes: the beneficiary's latest verified open account, except the
 * one a failed transfer bounced from (sending it there again would fail again) — then another
 * verified open account, else cash through the Post Office.
 */
export function payeeChoiceFor(beneficiary: BeneficiaryState, disbursement?: Pick<DisbursementState, 'failedAccountId'>): PayeeChoice {
  const failedAccount = disbursement?.failedAccountId;
  const account = failedAccount ? paymentAccountOtherThan(beneficiary, failedAccount) : paymentAccountOf(beneficiary);
  return account ? { channel: 'BANK', account: payeeOf(account) } : { channel: 'CASH', account: null };
}
