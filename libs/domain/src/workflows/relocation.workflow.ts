import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { movesWithTheBeneficiary, type DisbursementState } from '../disbursement/disbursement.state.js';
import { to, type StreamCommand } from './stream-command.js';

export interface Relocation {
  /** The beneficiary as the relocation left them: `unitCode` is the new unit. */
  readonly beneficiary: BeneficiaryState;
  /** Every disbursement of the beneficiary that exists in the months a payment can still be owed for. */
  readonly disbursements: readonly DisbursementState[];
}

/**
 * Unpaid payments move with the person: one waiting to be sent, or failed or returned and waiting
 * for a new attempt, belongs to the new unit, whose operators and payroll runs must be able to act
 * on it. A payment already sent stays with the run that sent it (either unit may record its
 * outcome); a paid or cancelled one is history.
 */
export function followRelocation({ beneficiary, disbursements }: Relocation): StreamCommand[] {
  return disbursements
    .filter((disbursement) => movesWithTheBeneficiary(disbursement.status) && disbursement.unitCode !== beneficiary.unitCode)
    .map((disbursement) => to.disbursement(disbursement.disbursementId, { type: 'RelocateDisbursement', data: { toUnitCode: beneficiary.unitCode } }));
}
