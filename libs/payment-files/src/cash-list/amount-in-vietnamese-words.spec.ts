import { describe, expect, it } from '@jest/globals';
import { amountInVietnameseWords } from './amount-in-vietnamese-words.js';

const words = (amount: number) => amountInVietnameseWords(amount);

describe('amountInVietnameseWords', () => {
  it('reads an allowance as a cash list writes it', () => {
    expect(words(2_055_000)).toBe('Hai triệu không trăm năm mươi lăm nghìn đồng');
    expect(words(1_500_000)).toBe('Một triệu năm trăm nghìn đồng');
    expect(words(750_000)).toBe('Bảy trăm năm mươi nghìn đồng');
    expect(words(3_465_500)).toBe('Ba triệu bốn trăm sáu mươi lăm nghìn năm trăm đồng');
  });

  it.each([
    [0, 'Không đồng'],
    [1, 'Một đồng'],
    [5, 'Năm đồng'],
    [10, 'Mười đồng'],
    [11, 'Mười một đồng'],
    [14, 'Mười bốn đồng'],
    [15, 'Mười lăm đồng'],
    [20, 'Hai mươi đồng'],
    [21, 'Hai mươi mốt đồng'],
    [24, 'Hai mươi bốn đồng'],
    [25, 'Hai mươi lăm đồng'],
    [91, 'Chín mươi mốt đồng'],
    [99, 'Chín mươi chín đồng'],
  ])('reads the tens and units of %i: %s', (amount, expected) => {
    expect(words(amount)).toBe(expected);
  });

  it.each([
    [100, 'Một trăm đồng'],
    [101, 'Một trăm linh một đồng'],
    [105, 'Một trăm linh năm đồng'],
    [110, 'Một trăm mười đồng'],
    [111, 'Một trăm mười một đồng'],
    [115, 'Một trăm mười lăm đồng'],
    [121, 'Một trăm hai mươi mốt đồng'],
    [999, 'Chín trăm chín mươi chín đồng'],
  ])('reads hundreds, with "linh" for a zero ten: %i', (amount, expected) => {
    expect(words(amount)).toBe(expected);
  });

  it.each([
    [1_000, 'Một nghìn đồng'],
    [1_001, 'Một nghìn không trăm linh một đồng'],
    [1_010, 'Một nghìn không trăm mười đồng'],
    [1_015, 'Một nghìn không trăm mười lăm đồng'],
    [1_100, 'Một nghìn một trăm đồng'],
    [10_000, 'Mười nghìn đồng'],
    [15_000, 'Mười lăm nghìn đồng'],
    [21_000, 'Hai mươi mốt nghìn đồng'],
    [105_000, 'Một trăm linh năm nghìn đồng'],
    [1_000_000, 'Một triệu đồng'],
    [1_000_500, 'Một triệu năm trăm đồng'],
    [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
    [1_000_050, 'Một triệu không trăm năm mươi đồng'],
    [20_000_001, 'Hai mươi triệu không trăm linh một đồng'],
  ])('reads every group after the first in full and leaves out groups of zeros: %i', (amount, expected) => {
    expect(words(amount)).toBe(expected);
  });

  it.each([
    [1_000_000_000, 'Một tỷ đồng'],
    [1_000_000_001, 'Một tỷ không trăm linh một đồng'],
    [3_005_000_000, 'Ba tỷ không trăm linh năm triệu đồng'],
    [25_125_000_000, 'Hai mươi lăm tỷ một trăm hai mươi lăm triệu đồng'],
    [1_000_000_000_000, 'Một nghìn tỷ đồng'],
    [1_234_567_891_011, 'Một nghìn hai trăm ba mươi bốn tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi mốt nghìn không trăm mười một đồng'],
  ])('reads tỷ, and counts of tỷ the same way: %i', (amount, expected) => {
    expect(words(amount)).toBe(expected);
  });

  it('refuses what is not a whole, non-negative number of đồng', () => {
    for (const amount of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) expect(() => words(amount)).toThrow(RangeError);
  });
});
