/**
 * How the console writes amounts, dates and months: as Vietnamese offices write them, in either
 * language — `2.055.000 ₫`, `14/03/1952`, `04/2024`. Business dates travel as YYYY-MM-DD and are
 * rewritten as text, never through a Date, so no time zone can shift them by a day; instants are
 * shown in Vietnam's time.
 */

/** Whole đồng, grouped by dots, the sign after a no-break space. */
export function formatVnd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${digits}\u00a0₫`;
}

/** A count, grouped by dots. */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '—';
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** A share between 0 and 1 as a percentage with a decimal comma: `98,5 %`. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(1).replace('.', ',')}\u00a0%`;
}

/** `2024-03-14` → `14/03/2024`. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : date;
}

/** `2024-04` → `04/2024`. */
export function formatPeriod(period: string | null | undefined): string {
  if (!period) return '—';
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  return match ? `${match[2]}/${match[1]}` : period;
}

const VIETNAM_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant, in Vietnam's time: `05/04/2024 09:30:00`. */
export function formatInstant(instant: string | null | undefined): string {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const parts = Object.fromEntries(VIETNAM_TIME.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** What a person types as a date, `dd/MM/yyyy` (or `d/M/yyyy`), as the API's `YYYY-MM-DD`; undefined when it is not a real date. */
export function parseDate(text: string): string | undefined {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!match) return undefined;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** What a person types as a month, `MM/yyyy`, as the API's period `YYYY-MM`; undefined when it is not one. */
export function parsePeriod(text: string): string | undefined {
  const match = /^\s*(\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!match) return undefined;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return undefined;
  return `${match[2]}-${String(month).padStart(2, '0')}`;
}

/**
 * An instant typed in Vietnam's time, `dd/MM/yyyy` or `dd/MM/yyyy HH:mm[:ss]`, as ISO 8601: a day
 * alone means its end ("as of 31/01/2024" includes what was recorded that day), a time without
 * seconds the end of that minute.
 */
export function parseInstantInVietnam(text: string): string | undefined {
  const match = /^\s*(\S+)(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/.exec(text);
  const date = match ? parseDate(match[1]!) : undefined;
  if (!match || !date) return undefined;
  if (match[2] === undefined) return `${date}T23:59:59.999+07:00`;
  const [hour, minute] = [Number(match[2]), Number(match[3])];
  const second = match[4] === undefined ? undefined : Number(match[4]);
  if (hour > 23 || minute > 59 || (second !== undefined && second > 59)) return undefined;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date}T${pad(hour)}:${pad(minute)}:${second === undefined ? '59.999' : `${pad(second)}.999`}+07:00`;
}
