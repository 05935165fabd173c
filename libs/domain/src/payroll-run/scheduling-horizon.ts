import { addMonths, comparePeriods, periodOfDate, RuleViolation, type LocalDate, type Period } from '../shared/index.js';

/** Runs for the next month are made during the current one; two months ahead is the furthest a run may be for. */
export const SCHEDULING_HORIZON_MONTHS = 2;

/** The latest period a payroll run may be for on `today` (a date in Vietnam); no disbursement exists beyond it. */
export function schedulingHorizon(today: LocalDate): Period {
  return addMonths(periodOfDate(today), SCHEDULING_HORIZON_MONTHS);
}

/**
 * PayrollRunMustNotRunAheadOfTheHorizon. A mistyped year ("2204-05") would otherwise schedule every
 * month up to it as arrears, for everyone, and a later suspension (which looks no further than the
 * horizon for payments to cancel) would never find them.
 */
export function assertPayrollPeriodWithinHorizon(period: Period, today: LocalDate): void {
  const horizon = schedulingHorizon(today);
  if (comparePeriods(period, horizon) > 0) {
    throw new RuleViolation('PERIOD_BEYOND_SCHEDULING_HORIZON', `A payroll run may be for ${horizon} at the latest, not ${period}`, { period, horizon });
  }
}
