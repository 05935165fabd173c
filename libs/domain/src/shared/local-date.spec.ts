import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from './domain-errors.js';
import {
  addDays,
  compareLocalDates,
  daysBetween,
  daysInMonth,
  localDateInVietnam,
  parseDateOfBirth,
  parseInstant,
  parseLocalDate,
} from './local-date.js';

const date = (raw: string) => parseLocalDate(raw, 'date');

describe('when parsing a local date', () => {
  it('accepts a real calendar date, leap days included', () => {
    expect(parseLocalDate('2024-04-10', 'dueDate')).toBe('2024-04-10');
    expect(parseLocalDate('2024-02-29', 'dueDate')).toBe('2024-02-29');
    expect(parseLocalDate('2000-02-29', 'dueDate')).toBe('2000-02-29');
  });

  it.each(['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00'])(
    'refuses %s, which is not on the calendar',
    (raw) => {
      expect(() => parseLocalDate(raw, 'openedOn')).toThrow(InvalidValue);
    },
  );

  it.each(['2024-4-10', '20240410', '2024-04-10T00:00:00Z', ' 2024-04-10', '', 20240410, null, undefined])(
    'refuses %p, which is not written YYYY-MM-DD',
    (raw) => {
      expect(() => parseLocalDate(raw, 'openedOn')).toThrow(InvalidValue);
    },
  );

  it('refuses a year outside 1900–2999', () => {
    expect(() => parseLocalDate('1899-12-31', 'dateOfBirth')).toThrow(/1900–2999/);
    expect(() => parseLocalDate('3000-01-01', 'dateOfBirth')).toThrow(/1900–2999/);
  });

  it('names the field that was wrong', () => {
    expect(() => parseLocalDate('2023-02-29', 'dateOfBirth')).toThrow(
      expect.objectContaining({ field: 'dateOfBirth', message: expect.stringContaining('has 28 days') }),
    );
  });
});

describe('when parsing a date of birth', () => {
  const today = date('2024-04-02');

  it('accepts a date in the past, and today', () => {
    expect(parseDateOfBirth('1952-03-14', today)).toBe('1952-03-14');
    expect(parseDateOfBirth('2024-04-02', today)).toBe('2024-04-02');
  });

  it('refuses a date after today, without repeating it', () => {
    expect(() => parseDateOfBirth('2024-04-03', today)).toThrow(
      expect.objectContaining({ field: 'dateOfBirth', message: expect.stringMatching(/future/) }),
    );
    expect(() => parseDateOfBirth('2024-04-03', today)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('2024-04-03') }));
  });

  it('accepts exactly 130 years back and refuses a day more', () => {
    const later = date('2031-04-02');
    expect(parseDateOfBirth('1901-04-02', later)).toBe('1901-04-02');
    expect(() => parseDateOfBirth('1901-04-01', later)).toThrow(expect.objectContaining({ field: 'dateOfBirth', message: expect.stringMatching(/130 years/) }));
  });

  it('counts 130 years back from 29 February as the 28th', () => {
    const leapDay = date('2032-02-29');
    expect(parseDateOfBirth('1902-02-28', leapDay)).toBe('1902-02-28');
    expect(() => parseDateOfBirth('1902-02-27', leapDay)).toThrow(InvalidValue);
  });

  it('refuses what is not a calendar date, under its own field', () => {
    expect(() => parseDateOfBirth('1952-02-30', today)).toThrow(expect.objectContaining({ field: 'dateOfBirth' }));
    expect(() => parseDateOfBirth(19520314, today)).toThrow(InvalidValue);
  });
});

describe('when doing date arithmetic', () => {
  it('orders dates like the calendar', () => {
    expect(compareLocalDates(date('2024-04-09'), date('2024-04-10'))).toBeLessThan(0);
    expect(compareLocalDates(date('2024-04-10'), date('2024-04-10'))).toBe(0);
    expect(compareLocalDates(date('2025-01-01'), date('2024-12-31'))).toBeGreaterThan(0);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays(date('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(date('2023-02-28'), 1)).toBe('2023-03-01');
    expect(addDays(date('2024-12-31'), 1)).toBe('2025-01-01');
    expect(addDays(date('2024-03-01'), -1)).toBe('2024-02-29');
    expect(addDays(date('2024-04-10'), 0)).toBe('2024-04-10');
  });

  it('counts the days from one date to another, negative when going back', () => {
    expect(daysBetween(date('2024-04-10'), date('2024-04-11'))).toBe(1);
    expect(daysBetween(date('2024-02-01'), date('2024-03-01'))).toBe(29);
    expect(daysBetween(date('2023-02-01'), date('2023-03-01'))).toBe(28);
    expect(daysBetween(date('2024-01-01'), date('2025-01-01'))).toBe(366);
    expect(daysBetween(date('2024-04-11'), date('2024-04-10'))).toBe(-1);
  });

  it('knows the length of every month', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
  });
});

describe('when asking the date in Vietnam', () => {
  it('adds seven hours to UTC, all year round', () => {
    expect(localDateInVietnam(new Date('2024-04-10T16:59:59.999Z'))).toBe('2024-04-10');
    expect(localDateInVietnam(new Date('2024-04-10T17:00:00Z'))).toBe('2024-04-11');
    // No daylight saving: the boundary is the same in January as in July.
    expect(localDateInVietnam(new Date('2024-01-15T17:00:00Z'))).toBe('2024-01-16');
    expect(localDateInVietnam(new Date('2024-12-31T17:00:00Z'))).toBe('2025-01-01');
  });

  it('refuses an invalid Date', () => {
    expect(() => localDateInVietnam(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('when parsing an instant', () => {
  it('accepts a timestamp with a Vietnamese offset and keeps the exact instant', () => {
    expect(parseInstant('2024-04-05T09:30:00+07:00', 'paidAt').toISOString()).toBe('2024-04-05T02:30:00.000Z');
  });

  it('accepts Z, fractions of a second, a negative offset and a time without seconds', () => {
    expect(parseInstant('2024-04-05T02:30:00.123456Z', 'paidAt').toISOString()).toBe('2024-04-05T02:30:00.123Z');
    expect(parseInstant('2024-04-04T21:30:00-05:00', 'paidAt').toISOString()).toBe('2024-04-05T02:30:00.000Z');
    expect(parseInstant('2024-04-05T09:30+07:00', 'paidAt').toISOString()).toBe('2024-04-05T02:30:00.000Z');
  });

  it('refuses a bare local time, saying an offset is missing', () => {
    expect(() => parseInstant('2024-04-05T09:30:00', 'paidAt')).toThrow(
      expect.objectContaining({ field: 'paidAt', message: expect.stringContaining('no UTC offset') }),
    );
  });

  it.each([
    '2023-02-29T10:00:00Z',
    '2024-04-31T10:00:00+07:00',
    '2024-04-05T24:00:00Z',
    '2024-04-05T23:60:00Z',
    '2024-04-05T10:00:00+15:00',
    '2024-04-05',
    '2024-04-05 09:30:00+07:00',
    'yesterday',
    1712284200000,
    '2999-12-31T23:59:59.999999999-14:00', // already 3000 in Vietnam
    '1900-01-01T03:00:00+14:00', // still 1899 in Vietnam
  ])('refuses %p', (raw) => {
    expect(() => parseInstant(raw, 'paidAt')).toThrow(InvalidValue);
  });
});

