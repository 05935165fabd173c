import { InvalidValue } from './domain-errors.js';
import { daysBetween, daysInMonth, localDateInVietnam, type LocalDate } from './local-date.js';

/** A calendar month `YYYY-MM`, the unit every allowance is paid for. */
export type Period = string & { readonly __brand: 'Period' };

const PERIOD = /^(\d{4})-(\d{2})$/;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

export function parsePeriod(raw: unknown, field: string): Period {
  if (typeof raw !== 'string' || !PERIOD.test(raw)) {
    throw new InvalidValue(field, `${field} must be a month written YYYY-MM`);
  }
  const { year, month } = partsOf(raw as Period);
  if (month < 1 || month > 12) throw new InvalidValue(field, `${field} has a month outside 01–12`);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new InvalidValue(field, `${field} must lie in the years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  return raw as Period;
}

export function comparePeriods(a: Period, b: Period): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function addMonths(period: Period, months: number): Period {
  if (!Number.isSafeInteger(months)) throw new RangeError(`addMonths needs a whole number of months, not ${months}`);
  const { year, month } = partsOf(period);
  const monthIndex = year * 12 + (month - 1) + months;
  const nextYear = Math.floor(monthIndex / 12);
  if (nextYear < FIRST_YEAR || nextYear > LAST_YEAR) {
    throw new RangeError(`Period arithmetic left the years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  return `${nextYear}-${pad((monthIndex % 12) + 1)}` as Period;
}

export function nextPeriod(period: Period): Period {
  return addMonths(period, 1);
}

/** The period after `period`, or undefined after the calendar's last (2999-12), which nothing follows. */
export function periodAfter(period: Period): Period | undefined {
  return partsOf(period).year === LAST_YEAR && partsOf(period).month === 12 ? undefined : nextPeriod(period);
}

export function previousPeriod(period: Period): Period {
  return addMonths(period, -1);
}

/** Every period from `from` to `toInclusive`, in order; empty when `from` is later. */
export function periodsFromTo(from: Period, toInclusive: Period): Period[] {
  const periods: Period[] = [];
  for (let period = from; comparePeriods(period, toInclusive) <= 0; period = nextPeriod(period)) {
    periods.push(period);
    if (period === toInclusive) break; // never step past the last representable period
  }
  return periods;
}

export function periodOfDate(date: LocalDate): Period {
  return date.slice(0, 7) as Period;
}

export function firstDayOf(period: Period): LocalDate {
  return `${period}-01` as LocalDate;
}

export function lastDayOf(period: Period): LocalDate {
  const { year, month } = partsOf(period);
  return `${period}-${pad(daysInMonth(year, month))}` as LocalDate;
}

/**
 * The day the payment for `period` is due. A due day the month does not have (31 in April,
 * 30 in February) means the month's last day, so a program configured with 31 pays at month end.
 * The payment is due until the end of that day in Vietnam.
 */
export function dueDate(period: Period, dueDay: number): LocalDate {
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 31) {
    throw new InvalidValue('dueDay', 'dueDay must be a whole day of the month, 1–31');
  }
  const { year, month } = partsOf(period);
  return `${period}-${pad(Math.min(dueDay, daysInMonth(year, month)))}` as LocalDate;
}

/**
 * Whole days a payment was late, counted between calendar dates in Vietnam whatever the server's
 * zone: paid at 23:59 on the due day (Vietnam time) is on time, at 00:30 the next morning a day late.
 */
export function daysLate(due: LocalDate, paidAt: Date): number {
  return daysLateOnDate(due, localDateInVietnam(paidAt));
}

/** Days late of a payment still unpaid on `today`; 0 up to and including the due date. */
export function daysLateOnDate(due: LocalDate, today: LocalDate): number {
  return Math.max(0, daysBetween(due, today));
}

function partsOf(period: Period): { year: number; month: number } {
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
