import { describe, expect, it } from '@jest/globals';
import type { LocalDate, Period } from '../shared/index.js';
import { assertPayrollPeriodWithinHorizon, schedulingHorizon } from './scheduling-horizon.js';

const today = '2024-04-28' as LocalDate;

describe('the scheduling horizon', () => {
  it('lies two months after the current one, across a year end too', () => {
    expect(schedulingHorizon(today)).toBe('2024-06');
    expect(schedulingHorizon('2024-11-01' as LocalDate)).toBe('2025-01');
  });

  describe('when a payroll run is for a period up to the horizon', () => {
    it('is allowed, past periods included', () => {
      for (const period of ['2021-07', '2024-04', '2024-06']) expect(() => assertPayrollPeriodWithinHorizon(period as Period, today)).not.toThrow();
    });
  });

  describe('when a payroll run is for a period beyond the horizon', () => {
    it('is refused, naming the horizon', () => {
      expect(() => assertPayrollPeriodWithinHorizon('2024-07' as Period, today)).toThrow(expect.objectContaining({ code: 'PERIOD_BEYOND_SCHEDULING_HORIZON', details: { period: '2024-07', horizon: '2024-06' } }));
      expect(() => assertPayrollPeriodWithinHorizon('2999-12' as Period, today)).toThrow(expect.objectContaining({ code: 'PERIOD_BEYOND_SCHEDULING_HORIZON' }));
    });
  });
});
