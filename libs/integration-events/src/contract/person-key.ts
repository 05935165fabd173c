import { createHmac } from 'node:crypto';

/**
 * The national person key: HMAC-SHA256 of the twelve-digit national id under LEDGER_NATIONAL_KEY, in
 * lowercase hex. The provinces and the ministry share the key, so the same person has the same key
 * in every province's events and the hub joins them; without the key, nobody can go from a key back
 * to a national id by trying the ~10^12 possible ones.
 */
export function nationalPersonKey(nationalId: string, nationalKey: string): string {
  return createHmac('sha256', nationalKey).update(nationalId, 'utf8').digest('hex');
}
