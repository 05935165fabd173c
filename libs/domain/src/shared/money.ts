import type { Coefficient } from './coefficient.js';
import { InvalidValue } from './domain-errors.js';

/**
 * An amount in whole Vietnamese đồng. The đồng has no minor unit in use, so an amount is always
 * an integer; a fraction can only come from a calculation, and `entitlementFor` rounds it away.
 */
export type Vnd = number;

/**
 * 10^12 đồng: far above any allowance, any run's total or a province's budget, so a larger number
 * can only be a typo or an attack; and 9,000 times below 2^53, so totals over many amounts stay exact.
 */
export const MAX_VND = 1_000_000_000_000;

export function parseVnd(raw: unknown, field: string): Vnd {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0 || raw > MAX_VND) {
    throw new InvalidValue(field, `${field} must be a whole number of đồng from 0 to ${MAX_VND}`);
  }
  return raw;
}

/**
 * Monthly entitlement = coefficient × standard level / 1000, rounded half up. Done in BigInt: the
 * product of a coefficient and a level can pass 2^53 before the result is found too large, and
 * integer arithmetic leaves no doubt about which way half a đồng goes.
 */
export function entitlementFor(coefficient: Coefficient, standardLevel: Vnd): Vnd {
  if (!Number.isSafeInteger(coefficient) || coefficient < 0) {
    throw new InvalidValue('coefficient', 'coefficient must be a whole, non-negative number of thousandths');
  }
  const level = parseVnd(standardLevel, 'standardLevel');
  const thousandths = BigInt(coefficient) * BigInt(level);
  const whole = thousandths / 1000n;
  const remainder = thousandths % 1000n;
  const rounded = remainder * 2n >= 1000n ? whole + 1n : whole;
  if (rounded > BigInt(MAX_VND)) throw new InvalidValue('amount', `entitlement is above ${MAX_VND} đồng`);
  return Number(rounded);
}

/** `2.055.000 ₫`: Vietnamese grouping, without Intl so the output is the same on every runtime. */
export function formatVnd(amount: Vnd): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`formatVnd needs a whole number of đồng, not ${amount}`);
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+$)/g, '.');
  return `${amount < 0 ? '-' : ''}${digits} ₫`;
}
