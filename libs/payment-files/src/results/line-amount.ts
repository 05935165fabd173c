import { readVndAmount, type AmountReading } from '../shared/vnd-amount.js';

/**
 * An amount on a result line in its stated currency. The ledger pays in đồng only, so a line in any
 * other currency is a problem to report, never converted and never taken for đồng.
 */
export function vndAmountOn(amount: string | undefined, currency: string | undefined, decimalMark: '.' | ','): AmountReading {
  if (!currency) return { problem: 'the amount has no currency' };
  if (currency !== 'VND') return { problem: `the currency is ${currency.slice(0, 3)}, not VND` };
  return readVndAmount(amount, decimalMark);
}
