import { enrollmentActivityIn, type BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import type { Period } from '../shared/index.js';
import { payeeChoiceFor } from './payee-choice.js';
import { to, type StreamCommand } from './stream-command.js';

/**
 * A failed or returned payment tried again: in the channel that applies today, never into the
 * account that failed, and only for a month the enrollment still covers (the decider refuses
 * otherwise).
 */
export function reschedulePayment(beneficiary: BeneficiaryState, disbursement: DisbursementState, reason: string): StreamCommand<'disbursement'> {
  const enrollment = enrollmentActivityIn(beneficiary.enrollments[disbursement.program], disbursement.period as Period);
  return to.disbursement(disbursement.disbursementId, { type: 'RescheduleDisbursement', data: { ...payeeChoiceFor(beneficiary, disbursement), reason, enrollment } });
}
