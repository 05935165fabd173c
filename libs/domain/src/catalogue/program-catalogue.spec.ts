import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from '../shared/domain-errors.js';
import type { LocalDate } from '../shared/local-date.js';
import { parsePeriod } from '../shared/period.js';
import { DEFAULT_COEFFICIENT_RANGE, ProgramCatalogue } from './program-catalogue.js';

const shippedDefinitions: unknown = JSON.parse(readFileSync(new URL('../../../../config/programs.json', import.meta.url), 'utf8'));
const period = (raw: string) => parsePeriod(raw, 'period');

const monthly = {
  code: 'SOCIAL_ASSISTANCE',
  name: 'Social allowance',
  recurrence: 'MONTHLY',
  dueDay: 10,
  standardLevels: [{ effectiveFrom: '2021-07', amount: 360_000 }],
};
const newYearGift = {
  code: 'NEW_YEAR_GIFT_2026',
  name: 'Lunar New Year gift 2026',
  recurrence: 'ONE_OFF',
  dueDay: 25,
  period: '2026-01',
  standardLevels: [{ effectiveFrom: '2026-01', amount: 400_000, source: 'Resolution on the Tết gift' }],
};

describe('when the shipped program configuration is loaded', () => {
  const catalogue = ProgramCatalogue.fromDefinitions(shippedDefinitions);

  it('knows both programs', () => {
    expect(catalogue.codes()).toEqual(['SOCIAL_ASSISTANCE', 'MERITORIOUS']);
  });

  it('pays MERITORIOUS at the level of Decree 75/2021 until 2023-06', () => {
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2021-01'))).toBe(1_624_000);
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2023-06'))).toBe(1_624_000);
  });

  it('pays MERITORIOUS at the level of Decree 55/2023 from 2023-07', () => {
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2023-07'))).toBe(2_055_000);
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2024-04'))).toBe(2_055_000);
  });

  it('pays MERITORIOUS at the level of Decree 77/2024 from 2024-07', () => {
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2024-07'))).toBe(2_789_000);
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2026-01'))).toBe(2_789_000);
  });

  it('pays SOCIAL_ASSISTANCE 360,000 until 2024-06 and 500,000 from 2024-07', () => {
    expect(catalogue.standardLevelIn('SOCIAL_ASSISTANCE', period('2021-07'))).toBe(360_000);
    expect(catalogue.standardLevelIn('SOCIAL_ASSISTANCE', period('2024-06'))).toBe(360_000);
    expect(catalogue.standardLevelIn('SOCIAL_ASSISTANCE', period('2024-07'))).toBe(500_000);
  });

  it('pays nothing before a program’s first standard level', () => {
    expect(catalogue.standardLevelIn('SOCIAL_ASSISTANCE', period('2021-06'))).toBeUndefined();
    expect(catalogue.paysIn('SOCIAL_ASSISTANCE', period('2021-06'))).toBe(false);
    expect(catalogue.paysIn('SOCIAL_ASSISTANCE', period('2021-07'))).toBe(true);
  });

  it('makes a payment due on the 10th of its period', () => {
    expect(catalogue.dueDateOf('MERITORIOUS', period('2024-04'))).toBe('2024-04-10');
    expect(catalogue.dueDateOf('SOCIAL_ASSISTANCE', period('2024-02'))).toBe('2024-02-10');
  });

  it('keeps the source of each level for readers of the configuration', () => {
    expect(catalogue.get('MERITORIOUS').standardLevels.map((level) => level.source)).toEqual([
      'Decree 75/2021/NĐ-CP',
      'Decree 55/2023/NĐ-CP',
      'Decree 77/2024/NĐ-CP',
    ]);
  });

  it('cannot be changed through what it hands out', () => {
    const program = catalogue.get('MERITORIOUS');
    expect(() => (program.standardLevels as unknown as unknown[]).push({ effectiveFrom: '2025-01', amount: 1 })).toThrow(TypeError);
    expect(() => Object.assign(program, { dueDay: 1 })).toThrow(TypeError);
    expect(() => Object.assign(program.coefficientRange, { max: 100_000 })).toThrow(TypeError);
    expect(catalogue.standardLevelIn('MERITORIOUS', period('2024-07'))).toBe(2_789_000);
  });
});

describe('when a coefficient is given for a program', () => {
  const catalogue = ProgramCatalogue.fromDefinitions([{ ...monthly, coefficientRange: { min: 1_000, max: 2_500 } }, newYearGift]);

  it('ships 500–5000 (0.5–5.0) for both programs', () => {
    const shipped = ProgramCatalogue.fromDefinitions(shippedDefinitions);
    expect(shipped.get('SOCIAL_ASSISTANCE').coefficientRange).toEqual({ min: 500, max: 5_000 });
    expect(shipped.get('MERITORIOUS').coefficientRange).toEqual({ min: 500, max: 5_000 });
  });

  it('accepts one within the program’s range, bounds included', () => {
    for (const raw of [1_000, 1_500, 2_500]) expect(catalogue.parseCoefficientFor('SOCIAL_ASSISTANCE', raw)).toBe(raw);
  });

  it('refuses one outside the program’s range as an invalid coefficient, naming the range', () => {
    for (const raw of [999, 2_501, 15_000]) {
      expect(() => catalogue.parseCoefficientFor('SOCIAL_ASSISTANCE', raw)).toThrow(InvalidValue);
      expect(() => catalogue.parseCoefficientFor('SOCIAL_ASSISTANCE', raw)).toThrow(
        expect.objectContaining({ field: 'coefficient', message: expect.stringContaining('from 1000 to 2500') }),
      );
    }
    expect(() => catalogue.parseCoefficientFor('SOCIAL_ASSISTANCE', 3_000, 'newCoefficient')).toThrow(expect.objectContaining({ field: 'newCoefficient' }));
  });

  it('uses 500–5000 for a program whose configuration names no range', () => {
    expect(catalogue.get('NEW_YEAR_GIFT_2026').coefficientRange).toEqual(DEFAULT_COEFFICIENT_RANGE);
    expect(DEFAULT_COEFFICIENT_RANGE).toEqual({ min: 500, max: 5_000 });
    expect(catalogue.parseCoefficientFor('NEW_YEAR_GIFT_2026', 500)).toBe(500);
    expect(() => catalogue.parseCoefficientFor('NEW_YEAR_GIFT_2026', 499)).toThrow(InvalidValue);
    expect(() => catalogue.parseCoefficientFor('NEW_YEAR_GIFT_2026', 5_001)).toThrow(InvalidValue);
  });

  it('still refuses what is not a coefficient at all', () => {
    for (const raw of ['1500', 1_500.5, null]) expect(() => catalogue.parseCoefficientFor('SOCIAL_ASSISTANCE', raw)).toThrow(InvalidValue);
  });

  it('refuses an unknown program as an invalid program', () => {
    expect(() => catalogue.parseCoefficientFor('PENSION', 1_500)).toThrow(expect.objectContaining({ field: 'program' }));
  });
});

describe('when a month is paid late as arrears', () => {
  const catalogue = ProgramCatalogue.fromDefinitions([monthly]);
  const arrearsDue = (period: string, decidedOn: string) => catalogue.arrearsDueDateOf('SOCIAL_ASSISTANCE', parsePeriod(period, 'period'), decidedOn as LocalDate);

  it('is due on the first due day on or after the decision that made it owed', () => {
    expect(arrearsDue('2024-05', '2024-08-15')).toBe('2024-09-10');
    expect(arrearsDue('2024-05', '2024-08-05')).toBe('2024-08-10');
    expect(arrearsDue('2024-05', '2024-08-10')).toBe('2024-08-10');
    expect(arrearsDue('2024-05', '2024-12-11')).toBe('2025-01-10');
  });

  it('is never due before its own period’s due date, for a decision taken in advance', () => {
    expect(arrearsDue('2024-05', '2023-12-20')).toBe('2024-05-10');
    expect(arrearsDue('2024-05', '2024-05-10')).toBe('2024-05-10');
  });
});

describe('when a program is unknown', () => {
  const catalogue = ProgramCatalogue.fromDefinitions([monthly]);

  it('refuses it as an invalid program, listing the known ones', () => {
    expect(() => catalogue.get('PENSION')).toThrow(InvalidValue);
    expect(() => catalogue.get('PENSION')).toThrow(
      expect.objectContaining({ field: 'program', message: 'Unknown program PENSION; known: SOCIAL_ASSISTANCE' }),
    );
    expect(() => catalogue.standardLevelIn('PENSION', period('2024-04'))).toThrow(InvalidValue);
  });

  it('does not echo input that is not even a program code', () => {
    expect(() => catalogue.get('091052000123')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('091052000123') }));
  });
});

describe('when a program is ONE_OFF', () => {
  const catalogue = ProgramCatalogue.fromDefinitions([monthly, newYearGift]);

  it('pays only in its own period', () => {
    expect(catalogue.paysIn('NEW_YEAR_GIFT_2026', period('2026-01'))).toBe(true);
    expect(catalogue.standardLevelIn('NEW_YEAR_GIFT_2026', period('2026-01'))).toBe(400_000);
    expect(catalogue.dueDateOf('NEW_YEAR_GIFT_2026', period('2026-01'))).toBe('2026-01-25');
  });

  it('pays nothing in any other period, even after its level took effect', () => {
    expect(catalogue.paysIn('NEW_YEAR_GIFT_2026', period('2026-02'))).toBe(false);
    expect(catalogue.standardLevelIn('NEW_YEAR_GIFT_2026', period('2026-02'))).toBeUndefined();
    expect(catalogue.paysIn('NEW_YEAR_GIFT_2026', period('2025-12'))).toBe(false);
  });
});

describe('when the configuration is bad', () => {
  const refused = (definitions: unknown, reason: RegExp) => {
    expect(() => ProgramCatalogue.fromDefinitions(definitions)).toThrow(reason);
    expect(() => ProgramCatalogue.fromDefinitions(definitions)).not.toThrow(InvalidValue);
  };
  const withMonthly = (change: Record<string, unknown>) => [{ ...monthly, ...change }];

  it('refuses anything but a non-empty array', () => {
    refused([], /non-empty array/);
    refused({ programs: [monthly] }, /non-empty array/);
  });

  it('refuses two programs with one code', () => {
    refused([monthly, { ...monthly, name: 'Again' }], /repeats the code SOCIAL_ASSISTANCE/);
  });

  it.each(['social_assistance', 'S', '1ST', 'SOCIAL-ASSISTANCE', 'A'.repeat(41), 42])('refuses the code %p', (code) => {
    refused(withMonthly({ code }), /code must be/);
  });

  it('refuses an empty name', () => {
    refused(withMonthly({ name: '  ' }), /name must be/);
  });

  it('refuses an unknown recurrence', () => {
    refused(withMonthly({ recurrence: 'YEARLY' }), /recurrence must be MONTHLY or ONE_OFF/);
  });

  it.each([0, 32, 10.5, '10'])('refuses the due day %p', (dueDay) => {
    refused(withMonthly({ dueDay }), /dueDay must be a whole day of the month, 1–31/);
  });

  it('refuses an empty or missing schedule', () => {
    refused(withMonthly({ standardLevels: [] }), /standardLevels must be a non-empty array/);
    refused(withMonthly({ standardLevels: undefined }), /standardLevels must be a non-empty array/);
  });

  it('refuses a schedule out of order or with two levels in one month', () => {
    const levels = (...months: string[]) => months.map((effectiveFrom) => ({ effectiveFrom, amount: 360_000 }));
    refused(withMonthly({ standardLevels: levels('2024-07', '2021-07') }), /strictly ascending/);
    refused(withMonthly({ standardLevels: levels('2021-07', '2021-07') }), /strictly ascending/);
  });

  it.each([0, -360_000, 360_000.5, '360000'])('refuses the amount %p', (amount) => {
    refused(withMonthly({ standardLevels: [{ effectiveFrom: '2021-07', amount }] }), /amount must be a positive whole number/);
  });

  it('refuses an effectiveFrom that is not a period', () => {
    refused(withMonthly({ standardLevels: [{ effectiveFrom: '2021-13', amount: 1 }] }), /standardLevels\[0\]\.effectiveFrom/);
  });

  it('refuses a source that is not text', () => {
    refused(withMonthly({ standardLevels: [{ effectiveFrom: '2021-07', amount: 1, source: 20 }] }), /source must be a string/);
  });

  it('refuses unknown fields, which are usually misspelt ones', () => {
    refused(withMonthly({ due_day: 10 }), /unknown field "due_day"/);
    refused(withMonthly({ standardLevels: [{ effectiveFrom: '2021-07', ammount: 1 }] }), /unknown field "ammount"/);
  });

  it('refuses a ONE_OFF program without its period, or with no level in force then', () => {
    const { period: _omitted, ...withoutPeriod } = newYearGift;
    refused([withoutPeriod], /ONE_OFF program must name the period/);
    refused([{ ...newYearGift, period: '2025-12' }], /no standard level is in force/);
    refused([{ ...newYearGift, period: '2026-1' }], /period/);
  });

  it('refuses a coefficient range that is not one', () => {
    refused(withMonthly({ coefficientRange: [500, 5_000] }), /coefficientRange must be an object/);
    refused(withMonthly({ coefficientRange: { min: 500 } }), /coefficientRange\.max/);
    refused(withMonthly({ coefficientRange: { min: 0, max: 5_000 } }), /coefficientRange\.min/);
    refused(withMonthly({ coefficientRange: { min: 500, max: 100_001 } }), /coefficientRange\.max/);
    refused(withMonthly({ coefficientRange: { min: 500.5, max: 5_000 } }), /coefficientRange\.min/);
    refused(withMonthly({ coefficientRange: { min: 5_000, max: 500 } }), /must not exceed/);
    refused(withMonthly({ coefficientRange: { min: 500, max: 5_000, step: 1 } }), /unknown field "step"/);
  });

  it('refuses a MONTHLY program that names a single period', () => {
    refused(withMonthly({ period: '2024-04' }), /only a ONE_OFF program has a period/);
  });

  it('says which program is wrong', () => {
    refused([monthly, { ...newYearGift, dueDay: 0 }], /programs\[1\] \(NEW_YEAR_GIFT_2026\)/);
  });
});
