import { enrollmentActivityIn, terminationEndingBefore, type BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { mayBeCancelled, type DisbursementState } from '../disbursement/disbursement.state.js';
import type { Period } from '../shared/index.js';
import { payeeChoiceFor } from './payee-choice.js';
import { to, type StreamCommand } from './stream-command.js';

/** What a change to an enrollment (suspend, resume, terminate, correct or revoke a termination) means for its months. */
export interface EnrollmentChange {
  /** The beneficiary as the change left them. */
  readonly beneficiary: BeneficiaryState;
  readonly program: string;
  /** Every disbursement of that program that exists in the months the change can reach. */
  readonly disbursements: readonly DisbursementState[];
  /** Why, in the words the new attempts and withdrawn flags carry. */
  readonly reason: string;
}

/**
 * The months follow the enrollment, whatever changed it and however late it was recorded:
 * - a month no longer owed is not paid: waiting, sent, failed or returned, it is cancelled (a month
 *   nobody owes is not late either); paid after a termination that reaches back over it, it is an
 *   overpayment to recover;
 * - a month owed again (a resumption, a termination corrected to a later date or revoked) is paid:
 *   cancelled, it gets a new attempt in the channel that applies today for the next run of its
 *   period; flagged as an overpayment by the termination that no longer stands, the flag is withdrawn.
 * Each command is decided again by the disbursement's own decider, so a month already in the right
 * state yields nothing.
 */
export function followEnrollmentChange({ beneficiary, program, disbursements, reason }: EnrollmentChange): StreamCommand[] {
  const enrollment = beneficiary.enrollments[program];
  const commands: StreamCommand[] = [];
  for (const disbursement of disbursements) {
    const activity = enrollmentActivityIn(enrollment, disbursement.period as Period);
    const { disbursementId } = disbursement;
    if (!activity.active) {
      if (mayBeCancelled(disbursement.status)) commands.push(to.disbursement(disbursementId, { type: 'CancelDisbursement', data: { enrollment: activity } }));
      const termination = terminationEndingBefore(enrollment, disbursement.period as Period);
      if (disbursement.status === 'PAID' && activity.reason === 'TERMINATED' && !disbursement.overpaymentFlagged && termination) {
        commands.push(to.disbursement(disbursementId, { type: 'FlagOverpayment', data: { terminationEffectiveDate: termination.effectiveDate } }));
      }
      continue;
    }
    if (disbursement.status === 'CANCELLED') {
      const payee = payeeChoiceFor(beneficiary, disbursement);
      commands.push(to.disbursement(disbursementId, { type: 'RescheduleDisbursement', data: { ...payee, reason, enrollment: activity } }));
    }
    if (disbursement.status === 'PAID' && disbursement.overpaymentFlagged && disbursement.overpaymentReasonCode === 'TERMINATED_BEFORE_PERIOD') {
      commands.push(to.disbursement(disbursementId, { type: 'WithdrawOverpayment', data: { reason } }));
    }
  }
  return commands;
}
