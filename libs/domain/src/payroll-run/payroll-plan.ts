import { enrollmentActivityIn, paymentChannelOf, type BeneficiaryState, type Inactivity } from '../beneficiary/beneficiary.state.js';
import type { AdministrativeUnitCatalogue, ProgramCatalogue } from '../catalogue/index.js';
import type { PayeeAccount, PaymentChannel } from '../disbursement/disbursement.events.js';
import { disbursementIdFor } from '../disbursement/disbursement.stream.js';
import { comparePeriods, entitlementFor, periodsFromTo, previousPeriod, type Coefficient, type Period } from '../shared/index.js';

export interface PayrollScope {
  readonly period: Period;
  readonly program: string | null;
  readonly unitCode: string | null;
}

/** One disbursement a payroll run should schedule, unless its stream already exists. */
export interface PlannedDisbursement {
  readonly disbursementId: string;
  readonly beneficiaryId: string;
  readonly program: string;
  readonly period: Period;
  readonly unitCode: string;
  readonly amount: number;
  readonly channel: PaymentChannel;
  readonly account: PayeeAccount | null;
  readonly dueDate: string;
  readonly arrears: boolean;
}

export type SkipReason = Inactivity | 'NO_STANDARD_LEVEL' | 'ZERO_ENTITLEMENT';

export interface BeneficiaryPayrollPlan {
  readonly planned: readonly PlannedDisbursement[];
  readonly skipped: readonly SkipReason[];
}

export interface Catalogues {
  readonly programs: ProgramCatalogue;
  readonly units: AdministrativeUnitCatalogue;
}

/**
 * What a payroll run owes one beneficiary: for each enrollment in scope, the run's period if the
 * enrollment pays in it, and every earlier period since the enrollment took effect that it paid in
 * (arrears; those already disbursed are dropped by the uniqueness of their streams). The amount is
 * always the entitlement in force in that period — operators never type an amount.
 */
export function planPayrollFor(beneficiary: BeneficiaryState, scope: PayrollScope, { programs, units }: Catalogues): BeneficiaryPayrollPlan {
  if (!beneficiary.registered) return { planned: [], skipped: [] };
  if (scope.unitCode && !units.isWithinScope(beneficiary.unitCode, [scope.unitCode])) return { planned: [], skipped: [] };

  const { channel, account } = paymentChannelOf(beneficiary);
  const payee = account ? { accountId: account.accountId, bankCode: account.bankCode, accountNumber: account.accountNumber, holderName: account.holderName } : null;
  const planned: PlannedDisbursement[] = [];
  const skipped: SkipReason[] = [];

  for (const enrollment of Object.values(beneficiary.enrollments)) {
    if (scope.program && enrollment.program !== scope.program) continue;
    const disbursementFor = (period: Period, arrears: boolean): PlannedDisbursement | SkipReason => {
      const level = programs.standardLevelIn(enrollment.program, period);
      if (level === undefined) return 'NO_STANDARD_LEVEL';
      const amount = entitlementFor(enrollment.coefficient as Coefficient, level);
      if (amount === 0) return 'ZERO_ENTITLEMENT';
      return {
        disbursementId: disbursementIdFor(beneficiary.beneficiaryId, enrollment.program, period),
        beneficiaryId: beneficiary.beneficiaryId,
        program: enrollment.program,
        period,
        unitCode: beneficiary.unitCode,
        amount,
        channel,
        account: payee,
        dueDate: programs.dueDateOf(enrollment.program, period),
        arrears,
      };
    };

    const current = enrollmentActivityIn(enrollment, scope.period);
    if (!programs.paysIn(enrollment.program, scope.period)) continue;
    if (!current.active) {
      skipped.push(current.reason);
    } else {
      const outcome = disbursementFor(scope.period, false);
      if (typeof outcome === 'string') skipped.push(outcome);
      else planned.push(outcome);
    }

    if (comparePeriods(enrollment.effectiveFrom, scope.period) < 0) {
      for (const period of periodsFromTo(enrollment.effectiveFrom, previousPeriod(scope.period))) {
        if (!programs.paysIn(enrollment.program, period) || !enrollmentActivityIn(enrollment, period).active) continue;
        const outcome = disbursementFor(period, true);
        if (typeof outcome !== 'string') planned.push(outcome);
      }
    }
  }
  return { planned, skipped };
}
