import { InvalidValue } from './domain-errors.js';

/**
 * A calendar date with no time and no zone, written `YYYY-MM-DD`: a date of birth, a decision
 * date, the day an account was opened, a due date. Years run 1900–2999, the same range as a
 * period, so every date falls in a period the ledger can name.
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;
const MS_PER_DAY = 86_400_000;
/** Asia/Ho_Chi_Minh has been UTC+07:00 all year since 1975, with no daylight saving. */
const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;

export function parseLocalDate(raw: unknown, field: string): LocalDate {
  if (typeof raw !== 'string') throw new InvalidValue(field, `${field} must be a date written YYYY-MM-DD`);
  const match = LOCAL_DATE.exec(raw);
  if (!match) throw new InvalidValue(field, `${field} must be a date written YYYY-MM-DD`);
  assertCalendarDate(field, Number(match[1]), Number(match[2]), Number(match[3]));
  return raw as LocalDate;
}

/** No one is older than this; a date of birth further back is a typing error (1924 typed as 1824…). */
const OLDEST_AGE_YEARS = 130;

/**
 * A date of birth: a calendar date that lies in the past — today counts, a birth on the day it is
 * recorded has already happened — and at most 130 years before `today` (Asia/Ho_Chi_Minh, supplied
 * by the caller). Refusals never repeat the date: it is personal data.
 */
export function parseDateOfBirth(raw: unknown, today: LocalDate): LocalDate {
  const field = 'dateOfBirth';
  const dateOfBirth = parseLocalDate(raw, field);
  if (compareLocalDates(dateOfBirth, today) > 0) throw new InvalidValue(field, `${field} lies in the future`);
  if (compareLocalDates(dateOfBirth, sameDayYearsBefore(today, OLDEST_AGE_YEARS)) < 0) {
    throw new InvalidValue(field, `${field} lies more than ${OLDEST_AGE_YEARS} years back`);
  }
  return dateOfBirth;
}

/** The same month and day `years` earlier; 29 February becomes the 28th in a common year. */
function sameDayYearsBefore(date: LocalDate, years: number): LocalDate {
  const year = Number(date.slice(0, 4)) - years;
  const month = Number(date.slice(5, 7));
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  // Compared as text only, so a year before 1900 is fine here.
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}` as LocalDate;
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  // The fixed-width format sorts like the calendar.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`addDays needs a whole number of days, not ${days}`);
  return localDateOfEpochDay(epochDayOf(date) + days);
}

/** `to − from` in whole days: positive when `to` is later. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDayOf(to) - epochDayOf(from);
}

/** The date a clock in Vietnam shows at `instant`; a fixed offset makes this plain arithmetic. */
export function localDateInVietnam(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('localDateInVietnam needs a valid instant');
  return localDateOfEpochDay(Math.floor((ms + VIETNAM_UTC_OFFSET_MS) / MS_PER_DAY));
}

/** Days in a month, February of leap years included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A point in time written in ISO-8601 (RFC 3339 profile) with an explicit `Z` or `±HH:MM`. A bare
 * local time is refused rather than guessed: a settlement file read on a UTC server would otherwise
 * shift every payment by seven hours, and with it the days late.
 */
export function parseInstant(raw: unknown, field: string): Date {
  const expected = `${field} must be an ISO-8601 timestamp with an offset, e.g. 2024-04-05T09:30:00+07:00`;
  if (typeof raw !== 'string') throw new InvalidValue(field, expected);
  const match = INSTANT.exec(raw);
  if (!match) throw new InvalidValue(field, expected);
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match;
  if (offset === undefined) {
    throw new InvalidValue(field, `${field} has no UTC offset; add Z or ±HH:MM (Vietnam is +07:00)`);
  }
  assertCalendarDate(field, Number(year), Number(month), Number(day));
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new InvalidValue(field, `${field} has a time of day outside 00:00:00–23:59:59`);
  }
  const offsetMinutes = offset === 'Z' ? 0 : offsetInMinutes(offset);
  if (offsetMinutes === undefined) throw new InvalidValue(field, `${field} has a UTC offset outside ±14:00`);

  // Computed here, not by Date.parse, which rolls 2023-02-30 over into March instead of refusing it.
  const ms =
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) +
    Number(fraction.padEnd(3, '0').slice(0, 3)) -
    offsetMinutes * 60_000;
  // An offset can carry an instant over a year edge: 2999-12-31T23:00-14:00 is already 3000 in Vietnam,
  // where every instant is dated (days late, periods), so the range is checked there too.
  const yearInVietnam = new Date(ms + VIETNAM_UTC_OFFSET_MS).getUTCFullYear();
  if (yearInVietnam < FIRST_YEAR || yearInVietnam > LAST_YEAR) {
    throw new InvalidValue(field, `${field} must lie in the years ${FIRST_YEAR}–${LAST_YEAR}, Vietnam time`);
  }
  return new Date(ms);
}

function offsetInMinutes(offset: string): number | undefined {
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 14 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function assertCalendarDate(field: string, year: number, month: number, day: number): void {
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new InvalidValue(field, `${field} must lie in the years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  if (month < 1 || month > 12) throw new InvalidValue(field, `${field} has a month outside 01–12`);
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw new InvalidValue(field, `${field} is not a calendar date: ${year}-${pad(month)} has ${lastDay} days`);
  }
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01; Date.UTC is exact for every year the ledger accepts. */
function epochDayOf(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

function localDateOfEpochDay(epochDay: number): LocalDate {
  const date = new Date(epochDay * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`Date arithmetic left the years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  return `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` as LocalDate;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
