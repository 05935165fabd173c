/**
 * An amount of đồng in Vietnamese words, as a cash list, a receipt or an invoice writes it under
 * "Số tiền bằng chữ": 2055000 → "Hai triệu không trăm năm mươi lăm nghìn đồng".
 *
 * The reading follows the convention of administrative and accounting documents, which must read
 * one way only:
 * - every group of three digits after the first is read in full, so a zero hundred is said:
 *   1 005 000 → "một triệu không trăm linh năm nghìn"; a group that is all zeros is left out;
 * - a zero ten before a unit is "linh" (the standard and northern form; the south says "lẻ");
 * - 1 after a ten of twenty or more is "mốt" (hai mươi mốt), after "mười" it stays "một";
 * - 5 after any ten is "lăm" (mười lăm, hai mươi lăm); elsewhere "năm" (một trăm linh năm);
 * - 4 is always "bốn": "tư" after a ten (hai mươi tư) is common in speech but regional and optional,
 *   and "bốn" cannot be misread;
 * - 10³ is "nghìn" (not the southern "ngàn"), 10⁶ "triệu", 10⁹ "tỷ"; above that the count of tỷ is
 *   read the same way: 10¹² → "một nghìn tỷ".
 */
export function amountInVietnameseWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`An amount in words is a whole, non-negative number of đồng, not ${amount}`);
  const words = amount === 0 ? ['không'] : numberWords(amount, true);
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} đồng`;
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const BILLION = 1_000_000_000;

/** `leading`: the number starts the amount, so its first group is read as short as it is. */
function numberWords(n: number, leading: boolean): string[] {
  if (n >= BILLION) {
    const below = n % BILLION;
    return [...numberWords(Math.floor(n / BILLION), leading), 'tỷ', ...(below ? numberWords(below, false) : [])];
  }
  const groups: Array<[number, string | undefined]> = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor(n / 1_000) % 1_000, 'nghìn'],
    [n % 1_000, undefined],
  ];
  const words: string[] = [];
  let first = leading;
  for (const [value, unit] of groups) {
    if (value === 0) continue;
    words.push(...groupWords(value, !first));
    if (unit) words.push(unit);
    first = false;
  }
  return words;
}

/** Three digits; `full` reads a zero hundred ("không trăm") as groups after the first do. */
function groupWords(n: number, full: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor(n / 10) % 10;
  const units = n % 10;
  const words: string[] = [];
  if (full || hundreds > 0) words.push(DIGITS[hundreds]!, 'trăm');
  if (tens === 0) {
    if (units > 0) words.push(...(words.length ? ['linh'] : []), DIGITS[units]!);
  } else if (tens === 1) {
    words.push('mười', ...(units === 5 ? ['lăm'] : units > 0 ? [DIGITS[units]!] : []));
  } else {
    words.push(DIGITS[tens]!, 'mươi', ...(units === 1 ? ['mốt'] : units === 5 ? ['lăm'] : units > 0 ? [DIGITS[units]!] : []));
  }
  return words;
}
