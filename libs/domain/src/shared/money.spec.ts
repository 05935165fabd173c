import { describe, expect, it } from '@jest/globals';
import { parseCoefficient } from './coefficient.js';
import { InvalidValue } from './domain-errors.js';
import { entitlementFor, formatVnd, MAX_VND, parseVnd } from './money.js';

const coefficient = (raw: number) => parseCoefficient(raw);

describe('when parsing an amount in đồng', () => {
  it('accepts a whole, non-negative number', () => {
    expect(parseVnd(2_055_000, 'amount')).toBe(2_055_000);
    expect(parseVnd(0, 'amount')).toBe(0);
    expect(parseVnd(MAX_VND, 'amount')).toBe(1_000_000_000_000);
  });

  it.each([-1, 0.5, 2_055_000.01, MAX_VND + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, '2055000', null])(
    'refuses %p',
    (raw) => {
      expect(() => parseVnd(raw, 'amount')).toThrow(InvalidValue);
    },
  );

  it('names the field', () => {
    expect(() => parseVnd(-1, 'amount')).toThrow(expect.objectContaining({ field: 'amount' }));
  });
});

describe('when computing an entitlement', () => {
  it('multiplies the standard level by the coefficient in thousandths', () => {
    expect(entitlementFor(coefficient(1500), 2_055_000)).toBe(3_082_500);
    expect(entitlementFor(coefficient(1000), 2_055_000)).toBe(2_055_000);
    expect(entitlementFor(coefficient(2000), 500_000)).toBe(1_000_000);
  });

  it('rounds half a đồng up', () => {
    expect(entitlementFor(coefficient(1), 500)).toBe(1);
    expect(entitlementFor(coefficient(1), 1_500)).toBe(2);
    expect(entitlementFor(coefficient(1235), 1_000_002)).toBe(1_235_002); // 1,235,002.47
    expect(entitlementFor(coefficient(1333), 1_500)).toBe(2_000); // 1,999.5
  });

  it('rounds less than half a đồng down', () => {
    expect(entitlementFor(coefficient(1), 499)).toBe(0);
    expect(entitlementFor(coefficient(1333), 1_499)).toBe(1_998); // 1,998.167
  });

  it('stays exact up to the largest amount', () => {
    expect(entitlementFor(coefficient(1000), MAX_VND)).toBe(MAX_VND);
    // 1999 × 500,250,124,500 / 1000 = 999,999,998,875.5, half a đồng rounded up.
    expect(entitlementFor(coefficient(1999), 500_250_124_500)).toBe(999_999_998_876);
  });

  it('refuses a standard level that is not a whole number of đồng', () => {
    expect(() => entitlementFor(coefficient(1000), 0.5)).toThrow(InvalidValue);
  });

  it('refuses a standard level above the largest amount', () => {
    expect(() => entitlementFor(coefficient(1000), MAX_VND + 1)).toThrow(InvalidValue);
  });

  it('refuses an entitlement above the largest amount', () => {
    // 100,000 × 10^12 passes 2^53 on the way: the product is exact, the result is refused.
    expect(() => entitlementFor(coefficient(100_000), MAX_VND)).toThrow(InvalidValue);
    expect(() => entitlementFor(coefficient(1001), MAX_VND)).toThrow(InvalidValue);
  });
});

describe('when formatting an amount', () => {
  it('groups thousands with dots and adds the đồng sign', () => {
    expect(formatVnd(2_055_000)).toBe('2.055.000 ₫');
    expect(formatVnd(500)).toBe('500 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(1_000)).toBe('1.000 ₫');
    expect(formatVnd(-360_000)).toBe('-360.000 ₫');
  });

  it('refuses a fraction of a đồng', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
  });
});
