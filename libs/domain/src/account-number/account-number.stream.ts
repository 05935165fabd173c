export const ACCOUNT_NUMBER_CATEGORY = 'account-number';

/** Digits only: what a bank account number looks like, and so never a stream key. */
const LOOKS_LIKE_AN_ACCOUNT_NUMBER = /^\d+$/;

/**
 * One stream per bank account number at one bank, named by an opaque key the application derives
 * under its secret key: stream names are seen in logs and metrics, account numbers never are. A
 * key of bare digits is refused, in case a caller passes the number itself.
 */
export function accountNumberStreamName(key: string): string {
  if (key.trim() === '' || LOOKS_LIKE_AN_ACCOUNT_NUMBER.test(key)) {
    throw new RangeError('accountNumberStreamName needs the opaque key derived from the bank code and account number, never the number');
  }
  return `${ACCOUNT_NUMBER_CATEGORY}-${key}`;
}
