import { Command } from '@nestjs/cqrs';
import type { BeneficiaryCommand } from '@ledger/domain';
import type { CommandContext } from '../platform/index.js';

export interface BeneficiaryChanged {
  readonly beneficiaryId: string;
  readonly position: string | null;
}

/** Enroll a person (registering them on first enrollment). The beneficiary id derives from the national id. */
export class EnrollBeneficiaryCommand extends Command<BeneficiaryChanged> {
  constructor(
    readonly enrollment: Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Any other change to an existing beneficiary. Suspensions and terminations also cancel the
 * disbursements of the months they stop, and a back-dated termination flags paid months as
 * overpayments; a resumption reinstates the cancelled disbursements of the months it covers again.
 */
export class ChangeBeneficiaryCommand extends Command<
  BeneficiaryChanged & { cancelledDisbursements?: number; overpayments?: number; reinstatedDisbursements?: number; accountId?: string; status?: string }
> {
  constructor(
    readonly beneficiaryId: string,
    readonly change: Exclude<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
