import { InvalidValue } from './domain-errors.js';

/** A bank account number, 6–19 digits. Kept as a string: leading zeros are part of it. */
export type AccountNumber = string & { readonly __brand: 'AccountNumber' };

/** A bank's short code as it appears in payment files: 'VBA', 'VCB', 'BIDV', 'AGRIBANK'. */
export type BankCode = string & { readonly __brand: 'BankCode' };

const ACCOUNT_NUMBER = /^\d{6,19}$/;
const BANK_CODE = /^[A-Z0-9]{2,12}$/;
/** The paying agent of every cash payment (its payment file, the issuer of its references); a bank account can never be "at" the Post Office. */
export const POST_OFFICE = 'POST_OFFICE';

export function parseAccountNumber(raw: unknown): AccountNumber {
  // The message names the rule only: an account number must never reach a log or a response.
  if (typeof raw !== 'string' || !ACCOUNT_NUMBER.test(raw)) {
    throw new InvalidValue('accountNumber', 'accountNumber must be 6 to 19 digits, with no spaces or separators');
  }
  return raw as AccountNumber;
}

/** All but the last four digits hidden: '7700205123456' → '*********3456'. */
export function maskAccountNumber(accountNumber: string): string {
  const visible = accountNumber.length > 4 ? 4 : 0;
  return '*'.repeat(accountNumber.length - visible) + accountNumber.slice(accountNumber.length - visible);
}

export function parseBankCode(raw: unknown): BankCode {
  if (raw === POST_OFFICE) {
    throw new InvalidValue('bankCode', 'POST_OFFICE pays cash and is not a bank; give the code of the bank');
  }
  if (typeof raw !== 'string' || !BANK_CODE.test(raw)) {
    throw new InvalidValue('bankCode', 'bankCode must be 2 to 12 upper-case letters or digits, e.g. VBA or BIDV');
  }
  return raw as BankCode;
}
