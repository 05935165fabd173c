import { describe, expect, it } from '@jest/globals';
import { parsePeriod } from '../shared/index.js';
import { isWithinSettlementWindow, settlementWindowOf } from './settlement-window.js';

describe('the window a payment for a period can have been made in', () => {
  const recordedAt = new Date('2024-04-06T03:00:00.000Z');

  it('opens on the first day of the month before, at midnight in Vietnam', () =>
    expect(settlementWindowOf(parsePeriod('2024-04', 'period'), recordedAt).from.toISOString()).toBe('2024-02-29T17:00:00.000Z'));

  it('opens across a year edge', () =>
    expect(settlementWindowOf(parsePeriod('2024-01', 'period'), recordedAt).from.toISOString()).toBe('2023-11-30T17:00:00.000Z'));

  it('closes one day after the settlement is recorded', () =>
    expect(settlementWindowOf(parsePeriod('2024-04', 'period'), recordedAt).to.toISOString()).toBe('2024-04-07T03:00:00.000Z'));

  it('includes both ends and nothing outside them', () => {
    const window = settlementWindowOf(parsePeriod('2024-04', 'period'), recordedAt);
    expect(isWithinSettlementWindow(window, window.from)).toBe(true);
    expect(isWithinSettlementWindow(window, window.to)).toBe(true);
    expect(isWithinSettlementWindow(window, new Date(window.from.getTime() - 1))).toBe(false);
    expect(isWithinSettlementWindow(window, new Date(window.to.getTime() + 1))).toBe(false);
    expect(isWithinSettlementWindow(window, new Date(Number.NaN))).toBe(false);
  });
});
