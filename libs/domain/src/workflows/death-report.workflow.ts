import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { followEnrollmentChange } from './enrollment-change.workflow.js';
import type { StreamCommand } from './stream-command.js';

/**
 * A reported death, confirmed: the months of every program terminated for death follow that
 * termination exactly as any termination's do (`followEnrollmentChange`) — the months after the
 * month of death not paid yet are cancelled (a sent one too: money that left anyway is flagged when
 * it is settled), the months paid after it are flagged as overpayments to recover. The month of
 * death is still owed; a payment of it held back while the report waited is paid by the next run.
 *
 * Decided on the beneficiary as the confirmation left it, not on the confirmation's own events, so
 * that a request repeated after a crash finishes what the first one started. Give it every
 * disbursement of the person that exists in the months a run may have reached.
 *
 * A rejected report needs nothing on other streams: the months it held back wait, unassigned, and
 * the next run of their period (or a later run, as arrears) takes them like any other.
 */
export function followDeathConfirmation({ beneficiary, disbursements }: { readonly beneficiary: BeneficiaryState; readonly disbursements: readonly DisbursementState[] }): StreamCommand[] {
  return Object.values(beneficiary.enrollments)
    .filter((enrollment) => enrollment.termination?.reason === 'DECEASED')
    .flatMap((enrollment) =>
      followEnrollmentChange({
        beneficiary,
        program: enrollment.program,
        disbursements: disbursements.filter((disbursement) => disbursement.program === enrollment.program),
        reason: `Death confirmed, effective ${enrollment.termination!.effectiveDate}`,
      }),
    );
}
