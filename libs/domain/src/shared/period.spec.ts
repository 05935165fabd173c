import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from './domain-errors.js';
import { parseInstant, parseLocalDate } from './local-date.js';
import {
  addMonths,
  comparePeriods,
  daysLate,
  daysLateOnDate,
  dueDate,
  firstDayOf,
  lastDayOf,
  nextPeriod,
  parsePeriod,
  periodAfter,
  periodOfDate,
  periodsFromTo,
  previousPeriod,
} from './period.js';

const period = (raw: string) => parsePeriod(raw, 'period');
const date = (raw: string) => parseLocalDate(raw, 'date');
const instant = (raw: string) => parseInstant(raw, 'paidAt');

describe('when parsing a period', () => {
  it('accepts a calendar month YYYY-MM', () => {
    expect(parsePeriod('2024-04', 'period')).toBe('2024-04');
    expect(parsePeriod('1900-01', 'period')).toBe('1900-01');
    expect(parsePeriod('2999-12', 'period')).toBe('2999-12');
  });

  it.each(['2024-13', '2024-00', '1899-12', '3000-01', '2024-4', '2024-04-01', '202404', '', 202404, null])(
    'refuses %p',
    (raw) => {
      expect(() => parsePeriod(raw, 'effectiveFrom')).toThrow(InvalidValue);
    },
  );

  it('names the field that was wrong and the rule', () => {
    expect(() => parsePeriod('2024-13', 'effectiveFrom')).toThrow(
      expect.objectContaining({ field: 'effectiveFrom', message: expect.stringContaining('01–12') }),
    );
  });
});

describe('when stepping through periods', () => {
  it('orders periods like the calendar', () => {
    expect(comparePeriods(period('2023-12'), period('2024-01'))).toBeLessThan(0);
    expect(comparePeriods(period('2024-01'), period('2024-01'))).toBe(0);
    expect(comparePeriods(period('2024-10'), period('2024-09'))).toBeGreaterThan(0);
  });

  it('moves to the next and previous month across a year boundary', () => {
    expect(nextPeriod(period('2024-12'))).toBe('2025-01');
    expect(nextPeriod(period('2024-04'))).toBe('2024-05');
    expect(previousPeriod(period('2024-01'))).toBe('2023-12');
  });

  it('adds any number of months, forwards or back', () => {
    expect(addMonths(period('2024-04'), 12)).toBe('2025-04');
    expect(addMonths(period('2024-04'), -16)).toBe('2022-12');
    expect(addMonths(period('2024-04'), 0)).toBe('2024-04');
  });

  it('refuses to step outside the years it can name', () => {
    expect(() => nextPeriod(period('2999-12'))).toThrow(RangeError);
    expect(() => previousPeriod(period('1900-01'))).toThrow(RangeError);
  });

  it('names the period after another, and none after the last one it can name', () => {
    expect(periodAfter(period('2024-12'))).toBe('2025-01');
    expect(periodAfter(period('2999-11'))).toBe('2999-12');
    expect(periodAfter(period('2999-12'))).toBeUndefined();
  });

  it('lists every period from one to another inclusive', () => {
    expect(periodsFromTo(period('2023-11'), period('2024-02'))).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodsFromTo(period('2024-04'), period('2024-04'))).toEqual(['2024-04']);
    expect(periodsFromTo(period('2999-11'), period('2999-12'))).toEqual(['2999-11', '2999-12']);
  });

  it('lists nothing when the start is after the end', () => {
    expect(periodsFromTo(period('2024-05'), period('2024-04'))).toEqual([]);
  });
});

describe('when relating periods and dates', () => {
  it('finds the period a date falls in', () => {
    expect(periodOfDate(date('2024-03-15'))).toBe('2024-03');
  });

  it('knows the first and last day of a month', () => {
    expect(firstDayOf(period('2024-02'))).toBe('2024-02-01');
    expect(lastDayOf(period('2024-02'))).toBe('2024-02-29');
    expect(lastDayOf(period('2023-02'))).toBe('2023-02-28');
    expect(lastDayOf(period('2024-04'))).toBe('2024-04-30');
    expect(lastDayOf(period('2024-12'))).toBe('2024-12-31');
  });
});

describe('when a payment falls due', () => {
  it('is due on the due day of the period', () => {
    expect(dueDate(period('2024-04'), 10)).toBe('2024-04-10');
  });

  it('is due on the last day of a month shorter than the due day', () => {
    expect(dueDate(period('2024-02'), 31)).toBe('2024-02-29');
    expect(dueDate(period('2023-02'), 31)).toBe('2023-02-28');
    expect(dueDate(period('2024-04'), 31)).toBe('2024-04-30');
    expect(dueDate(period('2024-01'), 31)).toBe('2024-01-31');
  });

  it.each([0, 32, 10.5, Number.NaN])('refuses a due day of %p', (dueDay) => {
    expect(() => dueDate(period('2024-04'), dueDay)).toThrow(InvalidValue);
  });
});

describe('when a payment is paid', () => {
  const due = date('2024-04-10');

  it('is not late when paid before or on the due date', () => {
    expect(daysLate(due, instant('2024-04-05T09:30:00+07:00'))).toBe(0);
    expect(daysLate(due, instant('2024-04-10T00:00:00+07:00'))).toBe(0);
  });

  it('is on time until the end of the due day in Vietnam, whatever zone the instant is written in', () => {
    expect(daysLate(due, instant('2024-04-10T23:59:59+07:00'))).toBe(0);
    expect(daysLate(due, instant('2024-04-10T16:59:59Z'))).toBe(0);
  });

  it('is a day late from midnight in Vietnam, even while it is still the due day in UTC', () => {
    expect(daysLate(due, instant('2024-04-11T00:00:00+07:00'))).toBe(1);
    expect(daysLate(due, instant('2024-04-10T17:30:00Z'))).toBe(1);
  });

  it('counts whole calendar days late', () => {
    expect(daysLate(due, instant('2024-04-25T08:00:00+07:00'))).toBe(15);
    expect(daysLate(date('2024-02-10'), instant('2024-03-01T08:00:00+07:00'))).toBe(20);
  });
});

describe('when a payment is still unpaid', () => {
  const due = date('2024-04-10');

  it('is not late up to and including the due date', () => {
    expect(daysLateOnDate(due, date('2024-04-01'))).toBe(0);
    expect(daysLateOnDate(due, date('2024-04-10'))).toBe(0);
  });

  it('is late by the days since the due date', () => {
    expect(daysLateOnDate(due, date('2024-04-11'))).toBe(1);
    expect(daysLateOnDate(due, date('2024-05-10'))).toBe(30);
  });
});
