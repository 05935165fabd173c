/**
 * A disbursement id is a UUID, 36 characters with its hyphens; an ISO 20022 EndToEndId is at most
 * 35 (Max35Text). So a payment file carries the id without its hyphens — 32 hex digits, still the
 * whole id — and a result names it either way: compact from pain.002, camt and MT940, hyphenated
 * from the CSV files people fill in.
 */
export function endToEndIdOf(disbursementId: string): string {
  if (!UUID.test(disbursementId)) throw new RangeError('A disbursement id is a UUID');
  return disbursementId.replace(/-/g, '').toLowerCase();
}

/** The disbursement an end-to-end id names, in the ledger's lower-case UUID form; undefined if it names none. */
export function disbursementIdFromEndToEndId(endToEndId: string): string | undefined {
  const id = endToEndId.trim();
  if (UUID.test(id)) return id.toLowerCase();
  if (!COMPACT_UUID.test(id)) return undefined;
  const hex = id.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT_UUID = /^[0-9a-f]{32}$/i;
