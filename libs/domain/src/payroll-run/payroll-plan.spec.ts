import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { BeneficiaryEventType as B, type BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import { evolveBeneficiary, initialBeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { AdministrativeUnitCatalogue, ProgramCatalogue } from '../catalogue/index.js';
import { disbursementIdFor } from '../disbursement/disbursement.stream.js';
import type { Period } from '../shared/index.js';
import { planPayrollFor, type PayrollScope } from './payroll-plan.js';

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
const enrolled = (program: string, effectiveFrom: string, coefficient = 1000): BeneficiaryEvent => ({
  type: B.EnrollmentStarted,
  data: { beneficiaryId, program, unitCode: '899', coefficient, effectiveFrom, decision: { number: '1/QĐ', date: '2023-12-20' } },
});
const verifiedAccount: BeneficiaryEvent = {
  type: B.PaymentAccountOpened,
  data: { beneficiaryId, accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01', status: 'VERIFIED' },
};
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
});
