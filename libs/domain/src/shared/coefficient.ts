import { InvalidValue } from './domain-errors.js';

/**
 * An enrollment's coefficient in thousandths (1500 = 1.5): the multiple of the standard level a
 * person receives. Thousandths keep entitlement arithmetic in integers.
 */
export type Coefficient = number & { readonly __brand: 'Coefficient' };

const SMALLEST = 1;
/** 100.0 times the standard level; far above any coefficient in the decrees, low enough to catch a typo. */
const LARGEST = 100_000;

export function parseCoefficient(raw: unknown, field = 'coefficient'): Coefficient {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < SMALLEST || raw > LARGEST) {
    throw new InvalidValue(
      field,
      `${field} must be a whole number of thousandths from ${SMALLEST} to ${LARGEST} (1000 means 1.0)`,
    );
  }
  return raw as Coefficient;
}
