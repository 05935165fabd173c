import { describe, expect, it } from '@jest/globals';
import { readVndAmount } from './vnd-amount.js';

describe('readVndAmount', () => {
  it('reads whole đồng, with or without a zero fraction', () => {
    expect(readVndAmount('2055000', '.')).toEqual({ amount: 2055000 });
    expect(readVndAmount(' 2055000.00 ', '.')).toEqual({ amount: 2055000 });
    expect(readVndAmount('2055000,', ',')).toEqual({ amount: 2055000 });
    expect(readVndAmount('0002055000,0', ',')).toEqual({ amount: 2055000 });
    expect(readVndAmount('0', '.')).toEqual({ amount: 0 });
  });

  it('refuses a fraction of a đồng', () => {
    expect(readVndAmount('2055000.50', '.').problem).toMatch(/not a whole number of đồng/);
    expect(readVndAmount('2055000,5', ',').problem).toMatch(/not a whole number of đồng/);
  });

  it('refuses what it would have to guess at', () => {
    for (const text of ['2.055.000', '2,055,000', '-2055000', '+2055000', '2055000đ', '2 055 000', '1e6', 'abc']) {
      expect(readVndAmount(text, '.').problem).toMatch(/is not digits/);
    }
    expect(readVndAmount('2055000.00', ',').problem).toMatch(/is not digits/);
  });

  it('says when the amount is missing or absurdly large', () => {
    expect(readVndAmount('', '.').problem).toBe('the amount is missing');
    expect(readVndAmount(undefined, '.').problem).toBe('the amount is missing');
    expect(readVndAmount('1000000000001', '.').problem).toMatch(/above/);
    expect(readVndAmount('99999999999999999999999', '.').problem).toMatch(/above/);
    expect(readVndAmount('1000000000000', '.')).toEqual({ amount: 1_000_000_000_000 });
  });
});
