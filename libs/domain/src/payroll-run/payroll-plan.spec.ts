import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { BeneficiaryEventType as B, type BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import { evolveBeneficiary, initialBeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { AdministrativeUnitCatalogue, ProgramCatalogue } from '../catalogue/index.js';
import { disbursementIdFor } from '../disbursement/disbursement.stream.js';
import type { Period } from '../shared/index.js';
import { isLargeArrears, largeArrearsOf, planPayrollFor, type PayrollScope, type PlannedDisbursement } from './payroll-plan.js';

const config = (file: string) => JSON.parse(readFileSync(new URL(`../../../../config/${file}`, import.meta.url), 'utf8'));
const catalogues = {
  programs: ProgramCatalogue.fromDefinitions(config('programs.json')),
  units: AdministrativeUnitCatalogue.fromUnits(config('administrative-units.json')),
};
const beneficiaryId = 'b-1';
const registered: BeneficiaryEvent = {
  type: B.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
const enrolled = (program: string, effectiveFrom: string, coefficient = 1000, decidedOn = '2023-12-20'): BeneficiaryEvent => ({
  type: B.EnrollmentStarted,
  data: { beneficiaryId, program, unitCode: '899', coefficient, effectiveFrom, decision: { number: '1/QĐ', date: decidedOn } },
});
const terminated = (program: string, effectiveDate: string): BeneficiaryEvent => ({
  type: B.EnrollmentTerminated,
  data: { beneficiaryId, program, reason: 'NO_LONGER_ELIGIBLE', effectiveDate },
});
const verifiedAccount: BeneficiaryEvent = {
  type: B.PaymentAccountOpened,
  data: { beneficiaryId, accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01', status: 'VERIFIED' },
};
const newYearGift = {
  code: 'NEW_YEAR_GIFT_2026',
  name: 'Lunar New Year gift 2026',
  recurrence: 'ONE_OFF',
  dueDay: 25,
  period: '2026-01',
  standardLevels: [{ effectiveFrom: '2026-01', amount: 400_000 }],
};
const withGift = { ...catalogues, programs: ProgramCatalogue.fromDefinitions([...config('programs.json'), newYearGift]) };
const beneficiary = (...events: BeneficiaryEvent[]) => [registered, ...events].reduce(evolveBeneficiary, initialBeneficiaryState());
const scope = (period: string, overrides: Partial<PayrollScope> = {}): PayrollScope => ({ period: period as Period, program: null, unitCode: null, ...overrides });

describe('payroll plan', () => {
  describe('when the enrollment is active in the period', () => {
    it('plans one disbursement of the entitlement in force, due on the due day, with its deterministic id', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-04')), scope('2024-04'), catalogues);
      expect(plan.planned).toEqual([
        {
          disbursementId: disbursementIdFor(beneficiaryId, 'MERITORIOUS', '2024-04'),
          beneficiaryId,
          program: 'MERITORIOUS',
          period: '2024-04',
          unitCode: '899',
          amount: 2_055_000,
          channel: 'CASH',
          account: null,
          dueDate: '2024-04-10',
          arrears: false,
        },
      ]);
    });

    it('multiplies the standard level by the coefficient, rounding half up', () => {
      const plan = planPayrollFor(beneficiary(enrolled('SOCIAL_ASSISTANCE', '2024-07', 1_333)), scope('2024-07'), catalogues);
      // 1.333 × 500,000 = 666,500 exactly; 1.5 × 360,000 in June would be 540,000.
      expect(plan.planned.map((d) => d.amount)).toEqual([666_500]);
      const rounded = planPayrollFor(beneficiary(enrolled('SOCIAL_ASSISTANCE', '2024-07', 1_001)), scope('2024-07'), catalogues);
      expect(rounded.planned.map((d) => d.amount)).toEqual([500_500]);
    });

    it('pays by bank into a verified account, else in cash', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-04'), verifiedAccount), scope('2024-04'), catalogues);
      expect(plan.planned[0]).toMatchObject({ channel: 'BANK', account: { accountId: 'a-1', bankCode: 'VBA' } });
    });

    it('plans every program the beneficiary is enrolled in, or only the one asked for', () => {
      const both = beneficiary(enrolled('MERITORIOUS', '2024-04'), enrolled('SOCIAL_ASSISTANCE', '2024-04'));
      expect(planPayrollFor(both, scope('2024-04'), catalogues).planned.map((d) => d.program)).toEqual(['MERITORIOUS', 'SOCIAL_ASSISTANCE']);
      expect(planPayrollFor(both, scope('2024-04', { program: 'SOCIAL_ASSISTANCE' }), catalogues).planned.map((d) => d.program)).toEqual(['SOCIAL_ASSISTANCE']);
    });

    it('plans only beneficiaries within the unit asked for, counting units below it', () => {
      const someone = beneficiary(enrolled('MERITORIOUS', '2024-04'));
      expect(planPayrollFor(someone, scope('2024-04', { unitCode: '900' }), catalogues).planned).toEqual([]);
      expect(planPayrollFor(someone, scope('2024-04', { unitCode: '91' }), catalogues).planned).toHaveLength(1);
    });
  });

  describe('when the enrollment took effect before the period (arrears)', () => {
    it('also plans each missed period as its own disbursement flagged arrears, at the level in force then', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-05')), scope('2024-08'), catalogues);
      expect(plan.planned.map((d) => [d.period, d.amount, d.arrears, d.dueDate])).toEqual([
        ['2024-08', 2_789_000, false, '2024-08-10'],
        ['2024-05', 2_055_000, true, '2024-05-10'],
        ['2024-06', 2_055_000, true, '2024-06-10'],
        ['2024-07', 2_789_000, true, '2024-07-10'],
      ]);
    });

    it('owes no arrears for months the enrollment was suspended in', () => {
      const plan = planPayrollFor(
        beneficiary(
          enrolled('MERITORIOUS', '2024-03'),
          { type: B.EnrollmentSuspended, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'r', effectiveFrom: '2024-04' } },
          { type: B.EnrollmentResumed, data: { beneficiaryId, program: 'MERITORIOUS', effectiveFrom: '2024-06' } },
        ),
        scope('2024-06'),
        catalogues,
      );
      expect(plan.planned.map((d) => d.period)).toEqual(['2024-06', '2024-03']);
    });
  });

  describe('when the enrollment is not active in the period', () => {
    it('skips it with the reason', () => {
      const suspended = beneficiary(enrolled('MERITORIOUS', '2024-01'), {
        type: B.EnrollmentSuspended,
        data: { beneficiaryId, program: 'MERITORIOUS', reason: 'r', effectiveFrom: '2024-04' },
      });
      expect(planPayrollFor(suspended, scope('2024-04'), catalogues)).toMatchObject({ skipped: ['SUSPENDED'] });
      const terminated = beneficiary(enrolled('MERITORIOUS', '2024-01'), {
        type: B.EnrollmentTerminated,
        data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-02-15' },
      });
      const plan = planPayrollFor(terminated, scope('2024-04'), catalogues);
      expect(plan.skipped).toEqual(['TERMINATED']);
      expect(plan.planned.map((d) => d.period)).toEqual(['2024-01', '2024-02']);
      expect(planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-05')), scope('2024-04'), catalogues).skipped).toEqual(['NOT_STARTED']);
    });
  });

  describe('when an arrears month was owed only from a later decision', () => {
    it('is due on the first due day on or after that decision, while the run’s own period keeps its due date', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-05', 1000, '2024-08-15')), scope('2024-09'), catalogues);
      expect(plan.planned.map((d) => [d.period, d.arrears, d.dueDate])).toEqual([
        ['2024-09', false, '2024-09-10'],
        ['2024-05', true, '2024-09-10'],
        ['2024-06', true, '2024-09-10'],
        ['2024-07', true, '2024-09-10'],
        ['2024-08', true, '2024-09-10'],
      ]);
    });

    it('is due that month when the decision came before its due day', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-05', 1000, '2024-08-05')), scope('2024-09'), catalogues);
      expect(plan.planned.filter((d) => d.arrears).map((d) => d.dueDate)).toEqual(['2024-08-10', '2024-08-10', '2024-08-10', '2024-08-10']);
    });

    it('is due from the day a revoked termination made the months owed again, earlier months from the enrollment', () => {
      const revoked: BeneficiaryEvent = {
        type: B.EnrollmentTerminationRevoked,
        data: { beneficiaryId, program: 'MERITORIOUS', reason: 'Never terminated', revokedEffectiveDate: '2024-02-15', recordedOn: '2024-05-20' },
      };
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-01'), terminated('MERITORIOUS', '2024-02-15'), revoked), scope('2024-06'), catalogues);
      expect(plan.planned.map((d) => [d.period, d.dueDate])).toEqual([
        ['2024-06', '2024-06-10'],
        ['2024-01', '2024-01-10'],
        ['2024-02', '2024-02-10'],
        ['2024-03', '2024-06-10'],
        ['2024-04', '2024-06-10'],
        ['2024-05', '2024-06-10'],
      ]);
    });

    it('is due from the day a corrected termination made the months owed again', () => {
      const corrected: BeneficiaryEvent = {
        type: B.EnrollmentTerminationCorrected,
        data: { beneficiaryId, program: 'MERITORIOUS', effectiveDate: '2024-04-30', previousEffectiveDate: '2024-02-15', reason: 'Wrong date', recordedOn: '2024-05-08' },
      };
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-01'), terminated('MERITORIOUS', '2024-02-15'), corrected), scope('2024-06'), catalogues);
      expect(plan.skipped).toEqual(['TERMINATED']);
      expect(plan.planned.map((d) => [d.period, d.dueDate])).toEqual([
        ['2024-01', '2024-01-10'],
        ['2024-02', '2024-02-10'],
        ['2024-03', '2024-05-10'],
        ['2024-04', '2024-05-10'],
      ]);
    });
  });

  describe('when the person was enrolled again after a termination', () => {
    it('owes the months of both enrollments, each at its own decision’s coefficient, and none in between', () => {
      const plan = planPayrollFor(
        beneficiary(enrolled('MERITORIOUS', '2024-01'), terminated('MERITORIOUS', '2024-02-15'), enrolled('MERITORIOUS', '2024-05', 1_500, '2024-04-20')),
        scope('2024-06'),
        catalogues,
      );
      expect(plan.planned.map((d) => [d.period, d.amount, d.arrears, d.dueDate])).toEqual([
        ['2024-06', 3_082_500, false, '2024-06-10'],
        ['2024-01', 2_055_000, true, '2024-01-10'],
        ['2024-02', 2_055_000, true, '2024-02-10'],
        ['2024-05', 3_082_500, true, '2024-05-10'],
      ]);
    });
  });

  describe('when a ONE_OFF program’s period passed without paying the person', () => {
    it('pays the gift in its own period as an ordinary payment', () => {
      const plan = planPayrollFor(beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-01', 1000, '2025-12-20')), scope('2026-01'), withGift);
      expect(plan.planned.map((d) => [d.program, d.period, d.amount, d.arrears, d.dueDate])).toEqual([['NEW_YEAR_GIFT_2026', '2026-01', 400_000, false, '2026-01-25']]);
    });

    it('pays the gift missed in its month as arrears in a later run, and reports nothing skipped for the later month', () => {
      const plan = planPayrollFor(beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-01', 1000, '2025-12-20')), scope('2026-03'), withGift);
      expect(plan.planned.map((d) => [d.program, d.period, d.amount, d.arrears, d.dueDate])).toEqual([['NEW_YEAR_GIFT_2026', '2026-01', 400_000, true, '2026-01-25']]);
      expect(plan.skipped).toEqual([]);
    });

    it('makes the gift due from the decision when the person was added after its month', () => {
      const plan = planPayrollFor(beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-01', 1000, '2026-02-26')), scope('2026-03'), withGift);
      expect(plan.planned.map((d) => [d.period, d.dueDate])).toEqual([['2026-01', '2026-03-25']]);
    });

    it('pays a gift only to a run that includes its program, and never before its month', () => {
      const person = beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-01', 1000, '2025-12-20'), enrolled('MERITORIOUS', '2026-03'));
      expect(planPayrollFor(person, scope('2026-03', { program: 'MERITORIOUS' }), withGift).planned.map((d) => d.program)).toEqual(['MERITORIOUS']);
      expect(planPayrollFor(beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-01')), scope('2025-12'), withGift)).toEqual({ planned: [], skipped: [] });
    });

    it('owes no gift to someone whose enrollment was not active in its month', () => {
      const lateStarter = beneficiary(enrolled('NEW_YEAR_GIFT_2026', '2026-02'));
      expect(planPayrollFor(lateStarter, scope('2026-03'), withGift).planned).toEqual([]);
    });
  });
});

describe('payroll plan of a person whose death was reported', () => {
  const reportedDead: BeneficiaryEvent[] = [
    {
      type: B.IdentityCheckAnswerRecorded,
      data: { beneficiaryId, importId: 'import-2024-06', line: 3, outcome: 'DECEASED', dateOfDeath: '2024-04-20', recordedOn: '2024-06-05' },
    },
    { type: B.DeathReported, data: { beneficiaryId, unitCode: '899', dateOfDeath: '2024-04-20', importId: 'import-2024-06', line: 3, recordedOn: '2024-06-05' } },
  ];
  const decided = (type: typeof B.DeathReportConfirmed | typeof B.DeathReportRejected): BeneficiaryEvent =>
    type === B.DeathReportConfirmed
      ? { type, data: { beneficiaryId, dateOfDeath: '2024-04-20', importId: 'import-2024-06', line: 3, confirmedBy: 'hoa', recordedOn: '2024-06-10' } }
      : { type, data: { beneficiaryId, dateOfDeath: '2024-04-20', importId: 'import-2024-06', line: 3, rejectedBy: 'hoa', reason: 'Alive', recordedOn: '2024-06-10' } };

  describe('while the report waits for review', () => {
    it('plans nothing for any program, arrears included, and skips each month it holds as DEATH_REPORTED', () => {
      const person = beneficiary(enrolled('MERITORIOUS', '2024-03'), enrolled('SOCIAL_ASSISTANCE', '2024-06'), ...reportedDead);
      expect(planPayrollFor(person, scope('2024-06'), catalogues)).toEqual({ planned: [], skipped: ['DEATH_REPORTED', 'DEATH_REPORTED'] });
    });

    it('skips a month the enrollment does not pay anyway for that reason, not the hold', () => {
      const suspended: BeneficiaryEvent = { type: B.EnrollmentSuspended, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'r', effectiveFrom: '2024-05' } };
      expect(planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-03'), suspended, ...reportedDead), scope('2024-06'), catalogues).skipped).toEqual(['SUSPENDED']);
    });
  });

  describe('when the report is rejected', () => {
    it('plans the person again, the months held back as arrears', () => {
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-05'), ...reportedDead, decided(B.DeathReportRejected)), scope('2024-07'), catalogues);
      expect(plan.planned.map((d) => [d.period, d.arrears])).toEqual([
        ['2024-07', false],
        ['2024-05', true],
        ['2024-06', true],
      ]);
    });
  });

  describe('when the death is confirmed', () => {
    it('owes the months up to the month of death and none after it', () => {
      const terminated: BeneficiaryEvent = { type: B.EnrollmentTerminated, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-04-20', recordedOn: '2024-06-10' } };
      const plan = planPayrollFor(beneficiary(enrolled('MERITORIOUS', '2024-03'), ...reportedDead, decided(B.DeathReportConfirmed), terminated), scope('2024-06'), catalogues);
      expect(plan).toMatchObject({ skipped: ['TERMINATED'] });
      expect(plan.planned.map((d) => d.period)).toEqual(['2024-03', '2024-04']);
    });
  });
});

describe('large arrears', () => {
  const month = (period: string, amount: number, arrears = true, who = beneficiaryId): PlannedDisbursement => ({
    disbursementId: `${who}/${period}`,
    beneficiaryId: who,
    program: 'MERITORIOUS',
    period: period as Period,
    unitCode: '899',
    amount,
    channel: 'CASH',
    account: null,
    dueDate: `${period}-10`,
    arrears,
  });
  const months = (count: number, amount: number) => Array.from({ length: count }, (_, index) => month(`2023-${String(index + 1).padStart(2, '0')}`, amount));

  describe('when one person is owed more than 12 arrears months in a run', () => {
    it('lists them with their months and total', () => {
      expect(largeArrearsOf(months(13, 1_000_000))).toEqual({ beneficiaryId, months: 13, totalAmount: 13_000_000 });
    });
  });

  describe('when one person is owed more than 50,000,000 VND of arrears in a run', () => {
    it('lists them, however few the months', () => {
      expect(largeArrearsOf([month('2024-01', 30_000_000), month('2024-02', 20_000_001)])).toEqual({ beneficiaryId, months: 2, totalAmount: 50_000_001 });
    });
  });

  describe('when the arrears stay within both bounds', () => {
    it('lists nothing at exactly 12 months or exactly 50,000,000 VND', () => {
      expect(largeArrearsOf(months(12, 4_000_000))).toBeUndefined();
      expect(largeArrearsOf([month('2024-01', 25_000_000), month('2024-02', 25_000_000)])).toBeUndefined();
      expect(isLargeArrears({ months: 12, totalAmount: 50_000_000 })).toBe(false);
      expect(isLargeArrears({ months: 13, totalAmount: 0 })).toBe(true);
      expect(isLargeArrears({ months: 1, totalAmount: 50_000_001 })).toBe(true);
    });

    it('does not count the run’s own period, which is no arrears', () => {
      expect(largeArrearsOf([...months(12, 1_000_000), month('2024-04', 1_000_000, false)])).toBeUndefined();
      expect(largeArrearsOf([month('2024-04', 60_000_000, false)])).toBeUndefined();
      expect(largeArrearsOf([])).toBeUndefined();
    });
  });

  it('counts a month owed by two programs twice, as it pays twice', () => {
    const twoPrograms = months(7, 1_000_000).flatMap((d) => [d, { ...d, program: 'SOCIAL_ASSISTANCE', disbursementId: `${d.disbursementId}/sa` }]);
    expect(largeArrearsOf(twoPrograms)).toEqual({ beneficiaryId, months: 14, totalAmount: 14_000_000 });
  });

  it('takes the disbursements of one person only', () => {
    expect(() => largeArrearsOf([month('2024-01', 1), month('2024-02', 1, true, 'b-2')])).toThrow(/one beneficiary/);
  });
});
