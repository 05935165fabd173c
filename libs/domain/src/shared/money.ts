import type { Coefficient } from './coefficient.js';
import { InvalidValue } from './domain-errors.js';

/**
 * An amount in whole Vietnamese đồng. The đồng has no minor unit in use, so an amount is always
 * an integer; a fraction can only come from a calculation, and `entitlementFor` rounds it away.
 */
export type Vnd = number;

export function parseVnd(raw: unknown, field: string): Vnd {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    throw new InvalidValue(field, `${field} must be a whole, non-negative number of đồng`);
  }
  return raw;
}

/**
 * Monthly entitlement = coefficient × standard level / 1000, rounded half up. Done in BigInt: the
 * product of a coefficient and a level can pass 2^53, and a float would round 0.5 the wrong way.
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
  const amount = Number(rounded);
  if (!Number.isSafeInteger(amount)) throw new InvalidValue('amount', 'entitlement is too large to record exactly');
  return amount;
}

/** `2.055.000 ₫`: Vietnamese grouping, without Intl so the output is the same on every runtime. */
export function formatVnd(amount: Vnd): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`formatVnd needs a whole number of đồng, not ${amount}`);
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+$)/g, '.');
  return `${amount < 0 ? '-' : ''}${digits} ₫`;
}
