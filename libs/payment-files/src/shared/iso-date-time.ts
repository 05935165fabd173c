import { localDateInVietnam, parseLocalDate, type LocalDate } from '@ledger/domain';

/**
 * An instant as an ISO 8601 date-time on the clock of Vietnam (UTC+07:00 all year), seconds
 * precision: what the province's office saw when it made the file.
 */
export function isoDateTimeInVietnam(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('isoDateTimeInVietnam needs a valid instant');
  const local = new Date(ms + VIETNAM_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+07:00`;
}

/**
 * The date in Vietnam of an ISO date or date-time from a file: `2025-03-15`, `2025-03-15T10:00:00`
 * (a bank's local time), `2025-03-14T20:00:00Z` (the 15th in Vietnam). Undefined when unreadable.
 */
export function localDateOf(text: string | undefined): LocalDate | undefined {
  const value = (text ?? '').trim();
  try {
    if (DATE.test(value)) return parseLocalDate(value, 'date');
    const match = DATE_TIME.exec(value);
    if (!match) return undefined;
    if (!match[2]) return parseLocalDate(match[1], 'date');
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? undefined : localDateInVietnam(instant);
  } catch {
    return undefined;
  }
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
