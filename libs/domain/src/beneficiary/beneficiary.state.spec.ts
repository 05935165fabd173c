import { describe, expect, it } from '@jest/globals';
import type { Period } from '../shared/index.js';
import { BeneficiaryEventType as T, type BeneficiaryEvent } from './beneficiary.events.js';
import {
  decisionDateOwing,
  ENROLLMENT_STATUS,
  enrollmentActivityIn,
  enrollmentSpellIn,
  enrollmentStatusOn,
  evolveBeneficiary,
  firstOwedPeriodOf,
  initialBeneficiaryState,
  isOpenAndVerified,
  paymentAccountOf,
  paymentAccountOtherThan,
  payeeOf,
  terminationEndingBefore,
  type Enrollment,
} from './beneficiary.state.js';

const beneficiaryId = '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c';
const program = 'MERITORIOUS';
const period = (value: string) => value as Period;
const stateAfter = (events: BeneficiaryEvent[]) => events.reduce(evolveBeneficiary, initialBeneficiaryState());
const enrollmentAfter = (events: BeneficiaryEvent[]): Enrollment => stateAfter([registered, ...events]).enrollments[program]!;

const registered: BeneficiaryEvent = {
  type: T.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
const started = (effectiveFrom: string, decisionDate: string, coefficient = 1000): BeneficiaryEvent => ({
  type: T.EnrollmentStarted,
  data: { beneficiaryId, program, unitCode: '899', coefficient, effectiveFrom, decision: { number: `QĐ ${decisionDate}`, date: decisionDate } },
});
const terminated = (effectiveDate: string): BeneficiaryEvent => ({
  type: T.EnrollmentTerminated,
  data: { beneficiaryId, program, reason: 'DECEASED', effectiveDate, recordedOn: effectiveDate },
});
const corrected = (previousEffectiveDate: string, effectiveDate: string, recordedOn: string): BeneficiaryEvent => ({
  type: T.EnrollmentTerminationCorrected,
  data: { beneficiaryId, program, effectiveDate, previousEffectiveDate, reason: 'Wrong date', recordedOn },
});
const revoked = (revokedEffectiveDate: string, recordedOn: string): BeneficiaryEvent => ({
  type: T.EnrollmentTerminationRevoked,
  data: { beneficiaryId, program, reason: 'Never terminated', revokedEffectiveDate, recordedOn },
});
const suspended = (effectiveFrom: string): BeneficiaryEvent => ({ type: T.EnrollmentSuspended, data: { beneficiaryId, program, reason: 'Review', effectiveFrom } });
const resumed = (effectiveFrom: string): BeneficiaryEvent => ({ type: T.EnrollmentResumed, data: { beneficiaryId, program, effectiveFrom } });

/** Jan–Mar 2024 (decided 2023-12-20), terminated 15 March, enrolled again from July (decided 2024-06-25). */
const twoSpells = [started('2024-01', '2023-12-20'), terminated('2024-03-15'), started('2024-07', '2024-06-25', 1500)];

describe('enrollment spells', () => {
  describe('when a person was terminated and enrolled again', () => {
    it('pays the months of each spell and none between them', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(['2023-12', '2024-03', '2024-04', '2024-06', '2024-07'].map((p) => enrollmentActivityIn(enrollment, period(p)))).toEqual([
        { active: false, reason: 'NOT_STARTED' },
        { active: true },
        { active: false, reason: 'TERMINATED' },
        { active: false, reason: 'TERMINATED' },
        { active: true },
      ]);
    });

    it('does not carry a suspension left open by the earlier spell into the new one', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), suspended('2024-02'), terminated('2024-03-15'), started('2024-07', '2024-06-25')]);
      expect(enrollmentActivityIn(enrollment, period('2024-02'))).toEqual({ active: false, reason: 'SUSPENDED' });
      expect(enrollmentActivityIn(enrollment, period('2024-08'))).toEqual({ active: true });
    });

    it('reads as its latest spell and keeps every spell', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(enrollment).toMatchObject({ effectiveFrom: '2024-07', coefficient: 1500, decision: { date: '2024-06-25' } });
      expect(enrollment.termination).toBeUndefined();
      expect(enrollment.spells.map((spell) => spell.effectiveFrom)).toEqual(['2024-01', '2024-07']);
    });

    it('tells which spell, and so which coefficient, a month falls under', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(enrollmentSpellIn(enrollment, period('2024-02'))?.coefficient).toBe(1000);
      expect(enrollmentSpellIn(enrollment, period('2024-08'))?.coefficient).toBe(1500);
      expect(enrollmentSpellIn(enrollment, period('2023-12'))).toBeUndefined();
    });

    it('owes from the first month of the first spell', () => {
      expect(firstOwedPeriodOf(enrollmentAfter(twoSpells))).toBe('2024-01');
    });

    it('names the termination that ends a month, for an overpayment', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(terminationEndingBefore(enrollment, period('2024-05'))).toEqual({ reason: 'DECEASED', effectiveDate: '2024-03-15' });
      expect(terminationEndingBefore(enrollment, period('2024-03'))).toBeUndefined();
      expect(terminationEndingBefore(enrollment, period('2024-08'))).toBeUndefined();
    });
  });

  describe('when asking which decision made a month owed', () => {
    it('is the decision of the spell the month falls under', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(decisionDateOwing(enrollment, period('2024-02'))).toBe('2023-12-20');
      expect(decisionDateOwing(enrollment, period('2024-08'))).toBe('2024-06-25');
    });

    it('is the correction for the months a later termination date made owed again', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), terminated('2024-03-15'), corrected('2024-03-15', '2024-05-10', '2024-06-03')]);
      expect(['2024-03', '2024-04', '2024-05'].map((p) => decisionDateOwing(enrollment, period(p)))).toEqual(['2023-12-20', '2024-06-03', '2024-06-03']);
    });

    it('is the revocation for every month after the revoked termination', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), terminated('2024-03-15'), revoked('2024-03-15', '2024-06-03')]);
      expect(['2024-03', '2024-04', '2024-09'].map((p) => decisionDateOwing(enrollment, period(p)))).toEqual(['2023-12-20', '2024-06-03', '2024-06-03']);
    });

    it('is the latest decision that made the month owed again', () => {
      const enrollment = enrollmentAfter([
        started('2024-01', '2023-12-20'),
        terminated('2024-03-15'),
        corrected('2024-03-15', '2024-05-10', '2024-06-03'), // April and May owed again
        corrected('2024-05-10', '2024-04-02', '2024-07-01'), // May no longer owed
        corrected('2024-04-02', '2024-05-20', '2024-08-01'), // May owed again
      ]);
      expect(['2024-04', '2024-05'].map((p) => decisionDateOwing(enrollment, period(p)))).toEqual(['2024-06-03', '2024-08-01']);
    });

    it('keeps the enrollment decision when it is the later of the two', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2024-07-15'), terminated('2024-03-15'), revoked('2024-03-15', '2024-06-03')]);
      expect(decisionDateOwing(enrollment, period('2024-04'))).toBe('2024-07-15');
    });

    it('ignores a correction to an earlier date, which makes nothing owed', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), terminated('2024-03-15'), corrected('2024-03-15', '2024-02-10', '2024-06-03')]);
      expect(decisionDateOwing(enrollment, period('2024-02'))).toBe('2023-12-20');
      expect(enrollmentActivityIn(enrollment, period('2024-03'))).toEqual({ active: false, reason: 'TERMINATED' });
    });
  });

  describe('when asking the status of an enrollment in a month', () => {
    it('is ACTIVE before the first month and while paid', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20')]);
      expect(enrollmentStatusOn(enrollment, period('2023-11'))).toBe(ENROLLMENT_STATUS.ACTIVE);
      expect(enrollmentStatusOn(enrollment, period('2024-05'))).toBe(ENROLLMENT_STATUS.ACTIVE);
    });

    it('is SUSPENDED inside a suspension only', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), suspended('2024-05'), resumed('2024-07')]);
      expect(['2024-04', '2024-05', '2024-06', '2024-07'].map((p) => enrollmentStatusOn(enrollment, period(p)))).toEqual(['ACTIVE', 'SUSPENDED', 'SUSPENDED', 'ACTIVE']);
    });

    it('is TERMINATED from the month of the termination until a new spell starts', () => {
      const enrollment = enrollmentAfter(twoSpells);
      expect(['2024-02', '2024-03', '2024-06', '2024-07'].map((p) => enrollmentStatusOn(enrollment, period(p)))).toEqual(['ACTIVE', 'TERMINATED', 'TERMINATED', 'ACTIVE']);
    });

    it('is ACTIVE again once the termination is revoked', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), terminated('2024-03-15'), revoked('2024-03-15', '2024-06-03')]);
      expect(enrollmentStatusOn(enrollment, period('2024-06'))).toBe(ENROLLMENT_STATUS.ACTIVE);
    });

    it('follows a corrected termination date', () => {
      const enrollment = enrollmentAfter([started('2024-01', '2023-12-20'), terminated('2024-03-15'), corrected('2024-03-15', '2024-05-10', '2024-06-03')]);
      expect(['2024-04', '2024-05'].map((p) => enrollmentStatusOn(enrollment, period(p)))).toEqual(['ACTIVE', 'TERMINATED']);
    });
  });
});

describe('payment accounts', () => {
  const opened = (accountId: string, status: 'VERIFIED' | 'UNVERIFIED'): BeneficiaryEvent => ({
    type: T.PaymentAccountOpened,
    data: {
      beneficiaryId,
      accountId,
      bankCode: 'VBA',
      accountNumber: `77002051${accountId.slice(2)}`,
      holderName: 'BUI TRUNG TAI',
      openedOn: '2024-03-01',
      status,
      ...(status === 'UNVERIFIED' ? { unverifiedReason: 'NAME_MISMATCH' as const } : {}),
      openedBy: 'maker',
    },
  });
  const verified = (accountId: string): BeneficiaryEvent => ({ type: T.PaymentAccountVerified, data: { beneficiaryId, accountId, reason: 'ok', verifiedBy: 'checker' } });
  const closed = (accountId: string): BeneficiaryEvent => ({ type: T.PaymentAccountClosed, data: { beneficiaryId, accountId, reason: 'x' } });

  it('finds another verified open account than the one that failed, the latest verified first', () => {
    const state = stateAfter([registered, opened('a-1', 'VERIFIED'), opened('a-2', 'UNVERIFIED'), opened('a-3', 'VERIFIED'), verified('a-2')]);
    expect(paymentAccountOf(state)?.accountId).toBe('a-2');
    expect(paymentAccountOtherThan(state, 'a-2')?.accountId).toBe('a-3');
    expect(paymentAccountOtherThan(state, 'a-3')?.accountId).toBe('a-2');
  });

  it('finds none when every other account is closed or unverified', () => {
    const state = stateAfter([registered, opened('a-1', 'VERIFIED'), opened('a-2', 'UNVERIFIED'), opened('a-3', 'VERIFIED'), closed('a-3')]);
    expect(paymentAccountOtherThan(state, 'a-1')).toBeUndefined();
  });

  it('tells whether an account is open and verified', () => {
    const state = stateAfter([registered, opened('a-1', 'VERIFIED'), opened('a-2', 'UNVERIFIED'), opened('a-3', 'VERIFIED'), closed('a-3')]);
    expect(['a-1', 'a-2', 'a-3', 'a-9'].map((id) => isOpenAndVerified(state, id))).toEqual([true, false, false, false]);
  });

  it('keeps who opened and who verified an account, and why it waited', () => {
    const account = stateAfter([registered, opened('a-2', 'UNVERIFIED'), verified('a-2')]).accounts[0];
    expect(account).toMatchObject({ status: 'VERIFIED', openedBy: 'maker', verifiedBy: 'checker', unverifiedReason: 'NAME_MISMATCH' });
  });

  it('maps an account to the payee a disbursement records, and no account to cash', () => {
    const account = paymentAccountOf(stateAfter([registered, opened('a-1', 'VERIFIED')]));
    expect(payeeOf(account)).toEqual({ accountId: 'a-1', bankCode: 'VBA', accountNumber: '770020511', holderName: 'BUI TRUNG TAI' });
    expect(payeeOf(undefined)).toBeNull();
    expect(payeeOf(null)).toBeNull();
  });
});
