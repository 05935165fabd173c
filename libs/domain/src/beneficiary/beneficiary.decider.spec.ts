import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../testing/decider-spec.js';
import { Conflict, NotFound, RuleViolation, type Coefficient, type LocalDate, type Period } from '../shared/index.js';
import type { BeneficiaryCommand } from './beneficiary.commands.js';
import { beneficiaryDecider } from './beneficiary.decider.js';
import { BeneficiaryEventType as T, type BeneficiaryEvent } from './beneficiary.events.js';
import { enrollmentActivityIn, evolveBeneficiary, initialBeneficiaryState, paymentChannelOf } from './beneficiary.state.js';

const spec = deciderSpec(beneficiaryDecider);
const beneficiaryId = '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c';
const period = (value: string) => value as Period;
const date = (value: string) => value as LocalDate;

const enroll = (overrides: Partial<Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>['data']> = {}): BeneficiaryCommand => ({
  type: 'EnrollBeneficiary',
  data: {
    beneficiaryId,
    nationalId: '091052000123',
    fullName: 'Bùi Trung Tài',
    dateOfBirth: date('1952-03-14'),
    gender: 'MALE',
    unitCode: '899',
    program: 'MERITORIOUS',
    coefficient: 1000 as Coefficient,
    effectiveFrom: period('2024-01'),
    decision: { number: '123/QĐ-UBND', date: date('2023-12-20') },
    ...overrides,
  },
});

const registered: BeneficiaryEvent = {
  type: T.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
const enrolledMeritorious: BeneficiaryEvent = {
  type: T.EnrollmentStarted,
  data: { beneficiaryId, program: 'MERITORIOUS', unitCode: '899', coefficient: 1000, effectiveFrom: '2024-01', decision: { number: '123/QĐ-UBND', date: '2023-12-20' } },
};
const suspendedFromMay: BeneficiaryEvent = {
  type: T.EnrollmentSuspended,
  data: { beneficiaryId, program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: '2024-05' },
};
const resumedInJuly: BeneficiaryEvent = { type: T.EnrollmentResumed, data: { beneficiaryId, program: 'MERITORIOUS', effectiveFrom: '2024-07' } };
const terminatedInMarch: BeneficiaryEvent = {
  type: T.EnrollmentTerminated,
  data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-03-15' },
};
const accountOpened = (accountId: string, status: 'VERIFIED' | 'UNVERIFIED', accountNumber = '7700205123456'): BeneficiaryEvent => ({
  type: T.PaymentAccountOpened,
  data: { beneficiaryId, accountId, bankCode: 'VBA', accountNumber, holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01', status },
});
const stateAfter = (events: BeneficiaryEvent[]) => events.reduce(evolveBeneficiary, initialBeneficiaryState());

describe('beneficiary', () => {
  describe('when a person is enrolled for the first time', () => {
    it('registers the beneficiary and starts the enrollment', () =>
      spec.given([]).when(enroll()).then([registered, enrolledMeritorious]));
  });

  describe('when the person is already registered', () => {
    it('enrolls them in another program without registering them again', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when(enroll({ program: 'SOCIAL_ASSISTANCE' }))
        .then([{ ...enrolledMeritorious, data: { ...enrolledMeritorious.data, program: 'SOCIAL_ASSISTANCE' } }]));

    it('refuses a second enrollment in the same program', () =>
      spec.given([registered, enrolledMeritorious]).when(enroll()).thenRefuses(Conflict, 'ALREADY_ENROLLED'));

    it('refuses an enrollment in the same program even after a termination', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(enroll()).thenRefuses(Conflict, 'ALREADY_ENROLLED'));

    it('refuses an enrollment from another district (one person, one place)', () =>
      spec.given([registered, enrolledMeritorious]).when(enroll({ program: 'SOCIAL_ASSISTANCE', unitCode: '900' })).thenRefuses(Conflict, 'REGISTERED_IN_ANOTHER_UNIT'));

    it('refuses an enrollment that describes a different person under the same national id', () =>
      spec.given([registered]).when(enroll({ dateOfBirth: date('1953-03-14') })).thenRefuses(Conflict, 'IDENTITY_MISMATCH'));

    it('accepts the same name typed without diacritics', () =>
      spec.given([registered]).when(enroll({ fullName: 'BUI TRUNG TAI' })).then([enrolledMeritorious]));
  });

  describe('when an enrollment is suspended and resumed', () => {
    it('suspends from a month', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: period('2024-05') } })
        .then([suspendedFromMay]));

    it('refuses to suspend an enrollment twice', () =>
      spec
        .given([registered, enrolledMeritorious, suspendedFromMay])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Again', effectiveFrom: period('2024-06') } })
        .thenRefuses(RuleViolation, 'ALREADY_SUSPENDED'));

    it('refuses a suspension before the enrollment starts', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Typo', effectiveFrom: period('2023-11') } })
        .thenRefuses(RuleViolation, 'EFFECTIVE_PERIOD_TOO_EARLY'));

    it('resumes a suspended enrollment from a later month', () =>
      spec
        .given([registered, enrolledMeritorious, suspendedFromMay])
        .when({ type: 'ResumeEnrollment', data: { program: 'MERITORIOUS', effectiveFrom: period('2024-07') } })
        .then([resumedInJuly]));

    it('refuses to resume an enrollment that is not suspended', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when({ type: 'ResumeEnrollment', data: { program: 'MERITORIOUS', effectiveFrom: period('2024-07') } })
        .thenRefuses(RuleViolation, 'NOT_SUSPENDED'));

    it('refuses to resume in or before the month the suspension starts', () =>
      spec
        .given([registered, enrolledMeritorious, suspendedFromMay])
        .when({ type: 'ResumeEnrollment', data: { program: 'MERITORIOUS', effectiveFrom: period('2024-05') } })
        .thenRefuses(RuleViolation, 'RESUMPTION_BEFORE_SUSPENSION'));

    it('pays for no month inside the suspension and every month outside it', () => {
      const enrollment = stateAfter([registered, enrolledMeritorious, suspendedFromMay, resumedInJuly]).enrollments.MERITORIOUS;
      expect(['2024-04', '2024-05', '2024-06', '2024-07'].map((p) => enrollmentActivityIn(enrollment, period(p)))).toEqual([
        { active: true },
        { active: false, reason: 'SUSPENDED' },
        { active: false, reason: 'SUSPENDED' },
        { active: true },
      ]);
    });
  });

  describe('when an enrollment is terminated', () => {
    it('records the reason and the effective date, which may lie in the past', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when({ type: 'TerminateEnrollment', data: { program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: date('2024-03-15') } })
        .then([terminatedInMarch]));

    it('pays the month of the termination and none after it', () => {
      const enrollment = stateAfter([registered, enrolledMeritorious, terminatedInMarch]).enrollments.MERITORIOUS;
      expect(enrollmentActivityIn(enrollment, period('2024-03'))).toEqual({ active: true });
      expect(enrollmentActivityIn(enrollment, period('2024-04'))).toEqual({ active: false, reason: 'TERMINATED' });
    });

    it('pays no month before the enrollment takes effect', () => {
      const enrollment = stateAfter([registered, enrolledMeritorious]).enrollments.MERITORIOUS;
      expect(enrollmentActivityIn(enrollment, period('2023-12'))).toEqual({ active: false, reason: 'NOT_STARTED' });
    });

    it('refuses to change a terminated enrollment', () =>
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'x', effectiveFrom: period('2024-05') } })
        .thenRefuses(RuleViolation, 'ENROLLMENT_TERMINATED'));

    it('refuses to terminate an enrollment the beneficiary does not have', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when({ type: 'TerminateEnrollment', data: { program: 'SOCIAL_ASSISTANCE', reason: 'MOVED_OUT', effectiveDate: date('2024-03-15') } })
        .thenRefuses(NotFound, 'ENROLLMENT_NOT_FOUND'));
  });

  describe('when a beneficiary is relocated', () => {
    it('moves them to the new unit', () =>
      spec
        .given([registered])
        .when({ type: 'RelocateBeneficiary', data: { unitCode: '900' } })
        .then([{ type: T.Relocated, data: { beneficiaryId, fromUnitCode: '899', toUnitCode: '900' } }]));

    it('refuses a relocation to the unit they are in', () =>
      spec.given([registered]).when({ type: 'RelocateBeneficiary', data: { unitCode: '899' } }).thenRefuses(RuleViolation, 'ALREADY_IN_UNIT'));

    it('refuses to relocate someone never enrolled', () =>
      spec.given([]).when({ type: 'RelocateBeneficiary', data: { unitCode: '900' } }).thenRefuses(NotFound, 'BENEFICIARY_NOT_FOUND'));
  });

  describe('when a payment account is opened', () => {
    const open = (holderName: string): BeneficiaryCommand => ({
      type: 'OpenPaymentAccount',
      data: { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName, openedOn: date('2024-03-01') },
    });

    it('is VERIFIED when the holder name matches the name as banks print it', () =>
      spec.given([registered]).when(open('bui  trung tài')).then([accountOpened('a-1', 'VERIFIED')]));

    it('is UNVERIFIED when the holder name does not match', () =>
      spec
        .given([registered])
        .when(open('BUI TRUNG TAM'))
        .then([
          {
            type: T.PaymentAccountOpened,
            data: { beneficiaryId, accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAM', openedOn: '2024-03-01', status: 'UNVERIFIED' },
          },
        ]));

    it('refuses the same open account twice', () =>
      spec.given([registered, accountOpened('a-1', 'VERIFIED')]).when(open('BUI TRUNG TAI')).thenRefuses(Conflict, 'ACCOUNT_ALREADY_OPEN'));

    it('is verified by an operator with a reason, and only once', () => {
      spec
        .given([registered, accountOpened('a-1', 'UNVERIFIED')])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'Checked the passbook' } })
        .then([{ type: T.PaymentAccountVerified, data: { beneficiaryId, accountId: 'a-1', reason: 'Checked the passbook' } }]);
      spec
        .given([registered, accountOpened('a-1', 'VERIFIED')])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'again' } })
        .thenRefuses(Conflict, 'ACCOUNT_ALREADY_VERIFIED');
    });

    it('is closed with a reason, after which it cannot be verified', () => {
      spec
        .given([registered, accountOpened('a-1', 'VERIFIED')])
        .when({ type: 'ClosePaymentAccount', data: { accountId: 'a-1', reason: 'Bank closed it' } })
        .then([{ type: T.PaymentAccountClosed, data: { beneficiaryId, accountId: 'a-1', reason: 'Bank closed it' } }]);
      spec
        .given([registered, accountOpened('a-1', 'UNVERIFIED'), { type: T.PaymentAccountClosed, data: { beneficiaryId, accountId: 'a-1', reason: 'x' } }])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'late' } })
        .thenRefuses(RuleViolation, 'ACCOUNT_CLOSED');
    });
  });

  describe('when choosing the payment channel', () => {
    it('pays cash through the Post Office without a verified open account', () => {
      expect(paymentChannelOf(stateAfter([registered])).channel).toBe('CASH');
      expect(paymentChannelOf(stateAfter([registered, accountOpened('a-1', 'UNVERIFIED')])).channel).toBe('CASH');
    });

    it('pays by bank into the latest verified open account', () => {
      const state = stateAfter([
        registered,
        accountOpened('a-1', 'VERIFIED'),
        accountOpened('a-2', 'UNVERIFIED', '1234567890'),
        { type: T.PaymentAccountVerified, data: { beneficiaryId, accountId: 'a-2', reason: 'ok' } },
      ]);
      expect(paymentChannelOf(state)).toMatchObject({ channel: 'BANK', account: { accountId: 'a-2' } });
    });

    it('falls back to cash once the only verified account is closed', () => {
      const state = stateAfter([registered, accountOpened('a-1', 'VERIFIED'), { type: T.PaymentAccountClosed, data: { beneficiaryId, accountId: 'a-1', reason: 'x' } }]);
      expect(paymentChannelOf(state).channel).toBe('CASH');
    });
  });
});
