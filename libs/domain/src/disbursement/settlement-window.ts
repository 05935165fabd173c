import { firstDayOf, previousPeriod, type LocalDate, type Period } from '../shared/index.js';

/** Asia/Ho_Chi_Minh has been UTC+07:00 all year since 1975, with no daylight saving. */
const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;
const MS_PER_DAY = 86_400_000;

/** The instant a calendar day begins in Vietnam (00:00 Asia/Ho_Chi_Minh). */
function startOfDayInVietnam(date: LocalDate): Date {
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) - VIETNAM_UTC_OFFSET_MS);
}

export interface SettlementWindow {
  readonly from: Date;
  readonly to: Date;
}

/**
 * When a payment for `period` can have been made, both ends included: from the first day of the
 * month before (the lists reach the paying agent in that month, and some pay ahead of the due day)
 * to one day after the settlement is recorded (room for a paying agent's clock, not for a typo).
 */
export function settlementWindowOf(period: Period, recordedAt: Date): SettlementWindow {
  return { from: startOfDayInVietnam(firstDayOf(previousPeriod(period))), to: new Date(recordedAt.getTime() + MS_PER_DAY) };
}

export function isWithinSettlementWindow(window: SettlementWindow, instant: Date): boolean {
  // Written so that an invalid Date (NaN) falls outside.
  return instant.getTime() >= window.from.getTime() && instant.getTime() <= window.to.getTime();
}
