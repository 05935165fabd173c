import { Command } from '@nestjs/cqrs';
import type { BeneficiaryCommand, CrossProvinceFindingCommand, IdentityCheckCommand } from '@ledger/domain';
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

/** What the ledger itself knows of a request and adds to its command: who made it, on which day. */
type CallerFacts = 'recordedOn' | 'openedBy' | 'verifiedBy' | 'sharedWithAnotherBeneficiary';
type WithoutCallerFacts<C> = C extends { readonly type: infer T; readonly data: infer D } ? { readonly type: T; readonly data: Omit<D, CallerFacts> } : never;

/** Any change to an existing beneficiary, as a caller asks for it (identity checks, death reports and cross-province findings have handlers of their own). */
export type BeneficiaryChange = WithoutCallerFacts<Exclude<BeneficiaryCommand, { type: 'EnrollBeneficiary' } | IdentityCheckCommand | CrossProvinceFindingCommand>>;

/**
 * Any other change to an existing beneficiary, with what follows from it on other streams: a
 * suspension, termination or its correction or revocation cancels, reinstates or flags the months
 * it reaches; a relocation takes the unpaid payments along; an account opening is checked against
 * every other beneficiary paid into the same account.
 */
export class ChangeBeneficiaryCommand extends Command<
  BeneficiaryChanged & {
    cancelledDisbursements?: number;
    overpayments?: number;
    reinstatedDisbursements?: number;
    withdrawnOverpayments?: number;
    movedDisbursements?: number;
    accountId?: string;
    status?: string;
    unverifiedReason?: string;
  }
> {
  constructor(
    readonly beneficiaryId: string,
    readonly change: BeneficiaryChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}
