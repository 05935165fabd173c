import { describe, expect, it } from '@jest/globals';
import { parseCoefficient } from './coefficient.js';
import { InvalidValue } from './domain-errors.js';

describe('when parsing a coefficient', () => {
  it('accepts whole thousandths from 1 to 100000', () => {
    expect(parseCoefficient(1500)).toBe(1500);
    expect(parseCoefficient(1)).toBe(1);
    expect(parseCoefficient(100_000)).toBe(100_000);
  });

  it.each([0, -1000, 100_001, 1.5, Number.NaN, '1500', null, undefined])('refuses %p', (raw) => {
    expect(() => parseCoefficient(raw)).toThrow(InvalidValue);
  });

  it('reports the field it was given, coefficient by default', () => {
    expect(() => parseCoefficient(0)).toThrow(expect.objectContaining({ field: 'coefficient' }));
    expect(() => parseCoefficient(0, 'newCoefficient')).toThrow(expect.objectContaining({ field: 'newCoefficient' }));
  });
});
