import { enrollmentActivityIn, isOpenAndVerified, type BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { paymentHoldOn } from '../beneficiary/payment-hold.js';
import { payingAgentOf } from '../disbursement/disbursement.events.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import type { PayrollRunCommand, PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import type { PaymentFileSummary } from '../payroll-run/payroll-run.events.js';
import type { Period } from '../shared/index.js';
import { to, type StreamCommand } from './stream-command.js';

/**
 * Sending one disbursement of an approved run. Nothing is sent that the run no longer holds (taken
 * over by a later run, released, or moved with its beneficiary to another unit since). The
 * enrollment is checked again (a month suspended or terminated since approval is cancelled, not
 * sent), and so is the account: a transfer approved into an account closed since goes into the
 * Post Office's cash list instead — never into another account the checker did not see. A month
 * still owed whose payments are held since approval (a reported death…) is not sent either: it
 * leaves the run, unsent and uncancelled, and waits for whichever run comes after the hold is lifted
 * (confirmed, its months after the death are cancelled then; rejected, it is paid as usual).
 */
export function sendDisbursement(runId: string, disbursement: DisbursementState, beneficiary: BeneficiaryState): StreamCommand<'disbursement'> | undefined {
  if (disbursement.payrollRunId !== runId) return undefined;
  const enrollment = enrollmentActivityIn(beneficiary.enrollments[disbursement.program], disbursement.period as Period);
  if (enrollment.active && disbursement.status === 'SCHEDULED' && paymentHoldOn(beneficiary, disbursement.program)) {
    return to.disbursement(disbursement.disbursementId, { type: 'ReleaseFromRun', data: { payrollRunId: runId } });
  }
  const scheduledAccountOpen = disbursement.channel !== 'BANK' || (disbursement.account !== null && isOpenAndVerified(beneficiary, disbursement.account.accountId));
  return to.disbursement(disbursement.disbursementId, { type: 'SendDisbursement', data: { payrollRunId: runId, enrollment, scheduledAccountOpen } });
}

export interface SendingTally {
  readonly sent: number;
  readonly cancelled: number;
  /** One payment file per paying agent: each bank, and the Post Office's cash list. */
  readonly paymentFiles: ReadonlyMap<string, PaymentFileSummary>;
}

export const emptySendingTally = (): SendingTally => ({ sent: 0, cancelled: 0, paymentFiles: new Map() });

/** Counts one disbursement as sending left it; one still SCHEDULED was not this run's to send. */
export function tallySent(tally: SendingTally, disbursement: DisbursementState): SendingTally {
  if (disbursement.status === 'CANCELLED') return { ...tally, cancelled: tally.cancelled + 1 };
  if (disbursement.status !== 'SENT') return tally;
  const paymentFile = payingAgentOf(disbursement.channel, disbursement.account);
  const file = tally.paymentFiles.get(paymentFile) ?? { paymentFile, count: 0, totalAmount: 0 };
  const paymentFiles = new Map(tally.paymentFiles).set(paymentFile, { paymentFile, count: file.count + 1, totalAmount: file.totalAmount + disbursement.amount });
  return { ...tally, sent: tally.sent + 1, paymentFiles };
}

/** The run's closing record: what was sent, what was cancelled, and the payment files in a stable order. */
export function recordRunSent(run: PayrollRunState, sentBy: string, tally: SendingTally): StreamCommand<'payrollRun'> {
  const paymentFiles = [...tally.paymentFiles.values()].sort((a, b) => a.paymentFile.localeCompare(b.paymentFile));
  const command: PayrollRunCommand = { type: 'RecordPayrollRunSent', data: { sentBy, sent: tally.sent, cancelled: tally.cancelled, paymentFiles } };
  return to.payrollRun(run.runId, command);
}
