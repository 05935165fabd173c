import { describe, expect, it } from '@jest/globals';
import { formatDate, formatInstant, formatPeriod, formatShare, formatVnd, parseDate, parseInstantInVietnam, parsePeriod } from './format.js';

describe('how the console writes amounts, dates and months', () => {
  it('writes đồng grouped by dots, the sign after a no-break space', () => {
    expect(formatVnd(2_055_000)).toBe('2.055.000\u00a0₫');
    expect(formatVnd(0)).toBe('0\u00a0₫');
    expect(formatVnd(-360_000)).toBe('-360.000\u00a0₫');
    expect(formatVnd(null)).toBe('—');
  });

  it('writes a date dd/MM/yyyy and a month MM/yyyy, from the text, whatever the time zone', () => {
    expect(formatDate('1952-03-14')).toBe('14/03/1952');
    expect(formatPeriod('2024-04')).toBe('04/2024');
    expect(formatShare(0.985)).toBe('98,5\u00a0%');
  });

  it('shows an instant in Vietnam’s time', () => {
    expect(formatInstant('2024-04-05T02:30:00.000Z')).toBe('05/04/2024 09:30:00');
    expect(formatInstant('2024-01-31T17:00:00.000Z')).toBe('01/02/2024 00:00:00');
  });
});

describe('what the console reads from a person', () => {
  it('reads a real date dd/mm/yyyy, and nothing else', () => {
    expect(parseDate('14/03/1952')).toBe('1952-03-14');
    expect(parseDate('1/2/2024')).toBe('2024-02-01');
    expect(parseDate('31/02/2024')).toBeUndefined();
    expect(parseDate('2024-03-14')).toBeUndefined();
  });

  it('reads a month mm/yyyy', () => {
    expect(parsePeriod('04/2024')).toBe('2024-04');
    expect(parsePeriod('13/2024')).toBeUndefined();
  });

  it('reads an instant in Vietnam’s time: a day alone is its end, a minute its last millisecond', () => {
    expect(parseInstantInVietnam('31/01/2024')).toBe('2024-01-31T23:59:59.999+07:00');
    expect(parseInstantInVietnam('31/01/2024 08:05')).toBe('2024-01-31T08:05:59.999+07:00');
    expect(parseInstantInVietnam('31/01/2024 08:05:07')).toBe('2024-01-31T08:05:07.999+07:00');
    expect(parseInstantInVietnam('31/01/2024 24:00')).toBeUndefined();
  });
});
