import { MAX_VND, type Vnd } from '@ledger/domain';

/** An amount read from a file, or why it cannot be: a line-level problem, never a thrown error. */
export type AmountReading = { readonly amount: Vnd; readonly problem?: undefined } | { readonly amount?: undefined; readonly problem: string };

/**
 * Reads an amount of đồng written the way a format writes amounts: ISO 20022 and CSV with a decimal
 * point, MT940 with a decimal comma (`2055000,`). The đồng has no minor unit, so a fraction is
 * accepted only when it is all zeros (`2055000.00`, which some banks write out of habit); a real
 * fraction, a thousands separator or a sign is refused rather than guessed at — `2.055` could be two
 * đồng or two thousand.
 */
export function readVndAmount(raw: string | undefined, decimalMark: '.' | ','): AmountReading {
  const text = (raw ?? '').trim();
  const shown = text.length > 30 ? `${text.slice(0, 30)}…` : text;
  if (text === '') return { problem: 'the amount is missing' };
  const match = (decimalMark === '.' ? DECIMAL_POINT : DECIMAL_COMMA).exec(text);
  if (!match) return { problem: `the amount '${shown}' is not digits with an optional '${decimalMark}' decimal mark` };
  if (/[1-9]/.test(match[2] ?? '')) return { problem: `the amount '${shown}' is not a whole number of đồng` };
  const digits = match[1]!.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_VND).length || Number(digits) > MAX_VND) {
    return { problem: `the amount '${shown}' is above ${MAX_VND} đồng` };
  }
  return { amount: Number(digits) };
}

const DECIMAL_POINT = /^(\d+)(?:\.(\d*))?$/;
const DECIMAL_COMMA = /^(\d+)(?:,(\d*))?$/;
