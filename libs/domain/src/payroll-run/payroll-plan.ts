import {
  decisionDateOwing,
  enrollmentActivityIn,
  enrollmentSpellIn,
  firstOwedPeriodOf,
  payeeOf,
  paymentChannelOf,
  type BeneficiaryState,
  type Inactivity,
} from '../beneficiary/beneficiary.state.js';
import { paymentHoldOn, type PaymentHoldKind } from '../beneficiary/payment-hold.js';
import type { AdministrativeUnitCatalogue, ProgramCatalogue } from '../catalogue/index.js';
import type { PayeeAccount, PaymentChannel } from '../disbursement/disbursement.events.js';
import { disbursementIdFor } from '../disbursement/disbursement.stream.js';
import { comparePeriods, entitlementFor, periodsFromTo, previousPeriod, type Coefficient, type Period } from '../shared/index.js';
import type { LargeArrears } from './payroll-run.events.js';

export type { LargeArrears } from './payroll-run.events.js';

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

/** Why a run does not pay a person's month: the enrollment does not cover it, nothing is owed, or a hold (DEATH_REPORTED…) stops it. */
export type SkipReason = Inactivity | 'NO_STANDARD_LEVEL' | 'ZERO_ENTITLEMENT' | PaymentHoldKind;

export interface BeneficiaryPayrollPlan {
  readonly planned: readonly PlannedDisbursement[];
  readonly skipped: readonly SkipReason[];
}

export interface Catalogues {
  readonly programs: ProgramCatalogue;
  readonly units: AdministrativeUnitCatalogue;
  /**
   * Names the configuration the catalogues were loaded from. A payroll rerun trusts an earlier run's
   * outcomes only under the same one; without it every run reads everyone.
   */
  readonly fingerprint?: string;
}

/**
 * What a payroll run owes one beneficiary: for each enrollment in scope, the run's period if the
 * enrollment pays in it, and every earlier period since the enrollment first took effect that it
 * paid in (arrears; those already disbursed are dropped by the uniqueness of their streams) — a
 * ONE_OFF program's single period too, when the run for it came and went without this person. The
 * amount is always the entitlement in force in that period, at the coefficient of the enrollment
 * decision covering it — operators never type an amount. The run's own period is due on its due
 * date; an arrears month from the decision that made it owed. A program whose payments are held
 * (a reported death…) is planned nothing, arrears included: its own period, if the enrollment
 * would have paid it, is skipped with the hold's kind as the reason.
 */
export function planPayrollFor(beneficiary: BeneficiaryState, scope: PayrollScope, { programs, units }: Catalogues): BeneficiaryPayrollPlan {
  if (!beneficiary.registered) return { planned: [], skipped: [] };
  if (scope.unitCode && !units.isWithinScope(beneficiary.unitCode, [scope.unitCode])) return { planned: [], skipped: [] };

  const { channel, account } = paymentChannelOf(beneficiary);
  const payee = payeeOf(account);
  const planned: PlannedDisbursement[] = [];
  const skipped: SkipReason[] = [];

  for (const enrollment of Object.values(beneficiary.enrollments)) {
    if (scope.program && enrollment.program !== scope.program) continue;
    const disbursementFor = (period: Period, arrears: boolean): PlannedDisbursement | SkipReason => {
      const level = programs.standardLevelIn(enrollment.program, period);
      if (level === undefined) return 'NO_STANDARD_LEVEL';
      const coefficient = (enrollmentSpellIn(enrollment, period) ?? enrollment).coefficient;
      const amount = entitlementFor(coefficient as Coefficient, level);
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
        dueDate: arrears
          ? programs.arrearsDueDateOf(enrollment.program, period, decisionDateOwing(enrollment, period))
          : programs.dueDateOf(enrollment.program, period),
        arrears,
      };
    };

    const hold = paymentHoldOn(beneficiary, enrollment.program);
    if (hold) {
      if (programs.paysIn(enrollment.program, scope.period)) {
        const current = enrollmentActivityIn(enrollment, scope.period);
        // A month the enrollment does not pay anyway is skipped for that reason; the hold counts only what it stops.
        skipped.push(current.active ? hold : current.reason);
      }
      continue;
    }

    // A ONE_OFF program pays in one period only: a run for any other period has nothing current to
    // pay (and nothing to report as skipped), though it may still owe that period as arrears.
    if (programs.paysIn(enrollment.program, scope.period)) {
      const current = enrollmentActivityIn(enrollment, scope.period);
      if (!current.active) {
        skipped.push(current.reason);
      } else {
        const outcome = disbursementFor(scope.period, false);
        if (typeof outcome === 'string') skipped.push(outcome);
        else planned.push(outcome);
      }
    }

    const firstOwed = firstOwedPeriodOf(enrollment);
    if (comparePeriods(firstOwed, scope.period) < 0) {
      for (const period of periodsFromTo(firstOwed, previousPeriod(scope.period))) {
        if (!programs.paysIn(enrollment.program, period) || !enrollmentActivityIn(enrollment, period).active) continue;
        const outcome = disbursementFor(period, true);
        if (typeof outcome !== 'string') planned.push(outcome);
      }
    }
  }
  return { planned, skipped };
}

/** More arrears months than this, for one person in one run, are large. */
export const LARGE_ARREARS_MONTHS = 12;
/** More arrears than this (VND), for one person in one run, are large. */
export const LARGE_ARREARS_AMOUNT = 50_000_000;

/**
 * LargeArrearsAreListedForTheChecker: more than 12 arrears months, or more than 50,000,000 VND, for
 * one person in one run. A year or more of back pay is where a wrong effective month or coefficient
 * costs most, so the run lists them and its approval must acknowledge them. `months` counts arrears
 * disbursements: a month owed by two programs counts twice, as it pays twice.
 */
export function isLargeArrears({ months, totalAmount }: { readonly months: number; readonly totalAmount: number }): boolean {
  return months > LARGE_ARREARS_MONTHS || totalAmount > LARGE_ARREARS_AMOUNT;
}

/**
 * One person's arrears among `planned`, when they are large. Only arrears count — the run's own
 * period is the ordinary payment. Give it what the run actually schedules for the person: an
 * arrears month already paid is not owed again and is no part of the back pay.
 */
export function largeArrearsOf(planned: readonly PlannedDisbursement[]): LargeArrears | undefined {
  const arrears = planned.filter((disbursement) => disbursement.arrears);
  if (arrears.length === 0) return undefined;
  const { beneficiaryId } = arrears[0]!;
  if (arrears.some((disbursement) => disbursement.beneficiaryId !== beneficiaryId)) {
    throw new Error('largeArrearsOf takes the disbursements of one beneficiary');
  }
  const owed = { months: arrears.length, totalAmount: arrears.reduce((sum, disbursement) => sum + disbursement.amount, 0) };
  return isLargeArrears(owed) ? { beneficiaryId, ...owed } : undefined;
}
