import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { followEnrollmentChange } from './enrollment-change.workflow.js';
import type { StreamCommand } from './stream-command.js';

/**
 * A cross-province finding, resolved. TERMINATE ended the enrollment in the finding's program
 * (MOVED_OUT): its months follow that termination exactly as any termination's do
 * (`followEnrollmentChange`) — the later months not paid yet are cancelled, those paid after it are
 * flagged as overpayments to recover. The month of the effective date is still owed; a payment of it
 * held back while the finding was open is paid by the next run.
 *
 * KEEP needs nothing on other streams: the months the finding held back wait, unassigned, and the
 * next run of their period (or a later run, as arrears) takes them like any other — unless another
 * finding of the same program is still open.
 *
 * Decided on the beneficiary as the resolution left it, not on the resolution's own events, so that a
 * request repeated after a crash finishes what the first one started. Give it every disbursement of
 * the finding's program that exists in the months a run may have reached.
 */
export function followCrossProvinceFindingResolution({
  beneficiary,
  findingId,
  disbursements,
}: {
  readonly beneficiary: BeneficiaryState;
  readonly findingId: string;
  readonly disbursements: readonly DisbursementState[];
}): StreamCommand[] {
  const finding = beneficiary.crossProvinceFindings[findingId];
  if (finding?.resolution?.decision !== 'TERMINATE') return [];
  const termination = beneficiary.enrollments[finding.program]?.termination;
  if (!termination) return [];
  return followEnrollmentChange({
    beneficiary,
    program: finding.program,
    disbursements: disbursements.filter((disbursement) => disbursement.program === finding.program),
    reason: `Moved out after a cross-province finding, effective ${termination.effectiveDate}`,
  });
}
