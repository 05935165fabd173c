import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../testing/decider-spec.js';
import { Conflict, InvalidValue, NotFound, RuleViolation, type Coefficient, type LocalDate, type Period } from '../shared/index.js';
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
  data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-03-15', recordedOn: '2024-04-02' },
};
const accountOpened = (accountId: string, status: 'VERIFIED' | 'UNVERIFIED', accountNumber = '7700205123456'): BeneficiaryEvent => ({
  type: T.PaymentAccountOpened,
  data: {
    beneficiaryId,
    accountId,
    bankCode: 'VBA',
    accountNumber,
    holderName: 'BUI TRUNG TAI',
    openedOn: '2024-03-01',
    status,
    ...(status === 'UNVERIFIED' ? { unverifiedReason: 'NAME_MISMATCH' as const } : {}),
    openedBy: 'maker',
  },
});
const stateAfter = (events: BeneficiaryEvent[]) => events.reduce(evolveBeneficiary, initialBeneficiaryState());
const terminate = (effectiveDate: string, recordedOn = '2024-04-02'): BeneficiaryCommand => ({
  type: 'TerminateEnrollment',
  data: { program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: date(effectiveDate), recordedOn: date(recordedOn) },
});
const correct = (effectiveDate: string, recordedOn = '2024-06-03'): BeneficiaryCommand => ({
  type: 'CorrectTermination',
  data: { program: 'MERITORIOUS', effectiveDate: date(effectiveDate), reason: 'Death certificate says otherwise', recordedOn: date(recordedOn) },
});
const revoke = (recordedOn = '2024-06-03'): BeneficiaryCommand => ({
  type: 'RevokeTermination',
  data: { program: 'MERITORIOUS', reason: 'Reported dead by mistake', recordedOn: date(recordedOn) },
});
const correctedTo = (effectiveDate: string, previousEffectiveDate: string, recordedOn = '2024-06-03'): BeneficiaryEvent => ({
  type: T.EnrollmentTerminationCorrected,
  data: { beneficiaryId, program: 'MERITORIOUS', effectiveDate, previousEffectiveDate, reason: 'Death certificate says otherwise', recordedOn },
});
const revoked = (revokedEffectiveDate = '2024-03-15', recordedOn = '2024-06-03'): BeneficiaryEvent => ({
  type: T.EnrollmentTerminationRevoked,
  data: { beneficiaryId, program: 'MERITORIOUS', reason: 'Reported dead by mistake', revokedEffectiveDate, recordedOn },
});
const reenrollCommand = enroll({ effectiveFrom: period('2024-06'), coefficient: 1500 as Coefficient, decision: { number: '456/QĐ-UBND', date: date('2024-05-20') } });
const reenrolledInJune: BeneficiaryEvent = {
  type: T.EnrollmentStarted,
  data: { beneficiaryId, program: 'MERITORIOUS', unitCode: '899', coefficient: 1500, effectiveFrom: '2024-06', decision: { number: '456/QĐ-UBND', date: '2024-05-20' } },
};

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

    it('refuses an enrollment in the same program after a termination when it starts in a month already owed', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(enroll()).thenRefuses(RuleViolation, 'REENROLLMENT_OVERLAPS'));

    it('refuses an enrollment from another district (one person, one place)', () =>
      spec.given([registered, enrolledMeritorious]).when(enroll({ program: 'SOCIAL_ASSISTANCE', unitCode: '900' })).thenRefuses(Conflict, 'IDENTITY_CONFLICT'));

    it('refuses an enrollment that describes a different person under the same national id', () =>
      spec.given([registered]).when(enroll({ dateOfBirth: date('1953-03-14') })).thenRefuses(Conflict, 'IDENTITY_CONFLICT'));

    it('refuses alike whatever differs, naming neither the registered unit nor the fields that differ', () => {
      const state = [registered, enrolledMeritorious].reduce(evolveBeneficiary, initialBeneficiaryState());
      const refusalOf = (command: BeneficiaryCommand) => {
        try {
          beneficiaryDecider.decide(command, state);
        } catch (error) {
          const { code, message, details } = error as Conflict;
          return { code, message, details };
        }
        throw new Error('expected a refusal');
      };
      const refusals = [
        enroll({ program: 'SOCIAL_ASSISTANCE', unitCode: '900' }),
        enroll({ program: 'SOCIAL_ASSISTANCE', fullName: 'Bùi Trung Tâm' }),
        enroll({ program: 'SOCIAL_ASSISTANCE', dateOfBirth: date('1952-03-15') }),
        enroll({ program: 'SOCIAL_ASSISTANCE', gender: 'FEMALE' }),
        enroll({ program: 'SOCIAL_ASSISTANCE', unitCode: '900', dateOfBirth: date('1960-01-01') }),
      ].map(refusalOf);
      expect(new Set(refusals.map((refusal) => JSON.stringify(refusal))).size).toBe(1);
      expect(refusals[0]).toEqual({ code: 'IDENTITY_CONFLICT', message: expect.any(String), details: {} });
      expect(refusals[0]!.message).not.toMatch(/899|900|1952|fullName|dateOfBirth|gender|MALE/);
    });

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
        .when({ type: 'TerminateEnrollment', data: { program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: date('2024-03-15'), recordedOn: date('2024-04-02') } })
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
        .when({ type: 'TerminateEnrollment', data: { program: 'SOCIAL_ASSISTANCE', reason: 'MOVED_OUT', effectiveDate: date('2024-03-15'), recordedOn: date('2024-04-02') } })
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
      data: { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName, openedOn: date('2024-03-01'), openedBy: 'maker', sharedWithAnotherBeneficiary: false },
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
            data: {
              beneficiaryId,
              accountId: 'a-1',
              bankCode: 'VBA',
              accountNumber: '7700205123456',
              holderName: 'BUI TRUNG TAM',
              openedOn: '2024-03-01',
              status: 'UNVERIFIED',
              unverifiedReason: 'NAME_MISMATCH',
              openedBy: 'maker',
            },
          },
        ]));

    it.each(['=1+1', '+84912345678', '-x', '@SUM(A1:A9)', ' =1', 'BUI\tTRUNG TAI'])(
      'refuses a holder name %j that a spreadsheet could read as a formula: the bank file carries it as written',
      (holderName) => spec.given([registered]).when(open(holderName)).thenRefuses(InvalidValue, 'HOLDER_NAME_READS_AS_FORMULA'),
    );

    it('refuses the same open account twice', () =>
      spec.given([registered, accountOpened('a-1', 'VERIFIED')]).when(open('BUI TRUNG TAI')).thenRefuses(Conflict, 'ACCOUNT_ALREADY_OPEN'));

    it('is verified by an operator with a reason, and only once', () => {
      spec
        .given([registered, accountOpened('a-1', 'UNVERIFIED')])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'Checked the passbook', verifiedBy: 'checker' } })
        .then([{ type: T.PaymentAccountVerified, data: { beneficiaryId, accountId: 'a-1', reason: 'Checked the passbook', verifiedBy: 'checker' } }]);
      spec
        .given([registered, accountOpened('a-1', 'VERIFIED')])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'again', verifiedBy: 'checker' } })
        .thenRefuses(Conflict, 'ACCOUNT_ALREADY_VERIFIED');
    });

    it('is closed with a reason, after which it cannot be verified', () => {
      spec
        .given([registered, accountOpened('a-1', 'VERIFIED')])
        .when({ type: 'ClosePaymentAccount', data: { accountId: 'a-1', reason: 'Bank closed it' } })
        .then([{ type: T.PaymentAccountClosed, data: { beneficiaryId, accountId: 'a-1', reason: 'Bank closed it' } }]);
      spec
        .given([registered, accountOpened('a-1', 'UNVERIFIED'), { type: T.PaymentAccountClosed, data: { beneficiaryId, accountId: 'a-1', reason: 'x' } }])
        .when({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'late', verifiedBy: 'checker' } })
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

  describe('when a terminated person is enrolled again in the same program', () => {
    it('starts a new spell from a month after the termination', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(reenrollCommand).then([reenrolledInJune]));

    it('accepts the very next month', () =>
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch])
        .when(enroll({ effectiveFrom: period('2024-04') }))
        .then([{ ...enrolledMeritorious, data: { ...enrolledMeritorious.data, effectiveFrom: '2024-04' } }]));

    it('refuses a new spell starting in the month of the termination, which is still paid', () =>
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch])
        .when(enroll({ effectiveFrom: period('2024-03') }))
        .thenRefuses(RuleViolation, 'REENROLLMENT_OVERLAPS'));

    it('refuses a third enrollment while the second spell is active', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune]).when(reenrollCommand).thenRefuses(Conflict, 'ALREADY_ENROLLED'));

    it('suspends the new spell, never from a month before it starts', () => {
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: period('2024-07') } })
        .then([{ type: T.EnrollmentSuspended, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: '2024-07' } }]);
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: period('2024-05') } })
        .thenRefuses(RuleViolation, 'EFFECTIVE_PERIOD_TOO_EARLY');
    });

    it('terminates the new spell, never before its first day', () => {
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune])
        .when(terminate('2024-05-31', '2024-07-01'))
        .thenRefuses(RuleViolation, 'TERMINATION_BEFORE_ENROLLMENT');
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune])
        .when(terminate('2024-06-01', '2024-07-01'))
        .then([{ type: T.EnrollmentTerminated, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-06-01', recordedOn: '2024-07-01' } }]);
    });
  });

  describe('when a termination is recorded', () => {
    it('accepts an effective date on the day it is recorded', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when(terminate('2024-04-02', '2024-04-02'))
        .then([{ type: T.EnrollmentTerminated, data: { ...terminatedInMarch.data, effectiveDate: '2024-04-02' } } as BeneficiaryEvent]));

    it('refuses an effective date after the day it is recorded', () =>
      spec.given([registered, enrolledMeritorious]).when(terminate('2024-04-03', '2024-04-02')).thenRefuses(RuleViolation, 'TERMINATION_IN_FUTURE'));

    it('refuses an effective date before the first day of the enrollment', () =>
      spec.given([registered, enrolledMeritorious]).when(terminate('2023-12-31')).thenRefuses(RuleViolation, 'TERMINATION_BEFORE_ENROLLMENT'));

    it('accepts the first day of the enrollment', () =>
      spec
        .given([registered, enrolledMeritorious])
        .when(terminate('2024-01-01'))
        .then([{ type: T.EnrollmentTerminated, data: { ...terminatedInMarch.data, effectiveDate: '2024-01-01' } } as BeneficiaryEvent]));

    it('reads a termination stored before recordedOn was recorded', () => {
      const stored: BeneficiaryEvent = { type: T.EnrollmentTerminated, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'DECEASED', effectiveDate: '2024-03-15' } };
      const enrollment = stateAfter([registered, enrolledMeritorious, stored]).enrollments.MERITORIOUS!;
      expect(enrollment.termination).toEqual({ reason: 'DECEASED', effectiveDate: '2024-03-15' });
    });
  });

  describe('when a termination is corrected', () => {
    it('records the new and the previous effective date', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(correct('2024-05-10')).then([correctedTo('2024-05-10', '2024-03-15')]));

    it('keeps the termination reason and moves the last paid month', () => {
      const later = stateAfter([registered, enrolledMeritorious, terminatedInMarch, correctedTo('2024-05-10', '2024-03-15')]).enrollments.MERITORIOUS!;
      expect(later.termination).toEqual({ reason: 'DECEASED', effectiveDate: '2024-05-10' });
      expect(['2024-05', '2024-06'].map((p) => enrollmentActivityIn(later, period(p)).active)).toEqual([true, false]);
      const earlier = stateAfter([registered, enrolledMeritorious, terminatedInMarch, correctedTo('2024-02-20', '2024-03-15')]).enrollments.MERITORIOUS!;
      expect(['2024-02', '2024-03'].map((p) => enrollmentActivityIn(earlier, period(p)).active)).toEqual([true, false]);
    });

    it('refuses a date after the day it is recorded', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(correct('2024-06-04', '2024-06-03')).thenRefuses(RuleViolation, 'TERMINATION_IN_FUTURE'));

    it('refuses a date before the enrollment', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(correct('2023-12-31')).thenRefuses(RuleViolation, 'TERMINATION_BEFORE_ENROLLMENT'));

    it('refuses the date already recorded', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(correct('2024-03-15')).thenRefuses(RuleViolation, 'TERMINATION_UNCHANGED'));

    it('refuses to correct an enrollment that is not terminated', () =>
      spec.given([registered, enrolledMeritorious]).when(correct('2024-05-10')).thenRefuses(RuleViolation, 'NOT_TERMINATED'));

    it('refuses to correct an earlier spell once the person is enrolled again', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune]).when(correct('2024-02-10')).thenRefuses(RuleViolation, 'NOT_TERMINATED'));

    it('refuses a program the beneficiary is not enrolled in', () =>
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch])
        .when({ type: 'CorrectTermination', data: { program: 'SOCIAL_ASSISTANCE', effectiveDate: date('2024-05-10'), reason: 'x', recordedOn: date('2024-06-03') } })
        .thenRefuses(NotFound, 'ENROLLMENT_NOT_FOUND'));
  });

  describe('when a termination is revoked', () => {
    it('records the effective date it revokes', () => spec.given([registered, enrolledMeritorious, terminatedInMarch]).when(revoke()).then([revoked()]));

    it('makes the enrollment active again, as if never terminated', () => {
      const enrollment = stateAfter([registered, enrolledMeritorious, terminatedInMarch, revoked()]).enrollments.MERITORIOUS!;
      expect(enrollment.termination).toBeUndefined();
      expect(enrollmentActivityIn(enrollment, period('2024-04'))).toEqual({ active: true });
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, revoked()])
        .when({ type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: period('2024-07') } })
        .then([{ type: T.EnrollmentSuspended, data: { beneficiaryId, program: 'MERITORIOUS', reason: 'Under review', effectiveFrom: '2024-07' } }]);
    });

    it('revokes a corrected termination at its corrected date', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch, correctedTo('2024-05-10', '2024-03-15')]).when(revoke()).then([revoked('2024-05-10')]));

    it('refuses to revoke an enrollment that is not terminated', () =>
      spec.given([registered, enrolledMeritorious]).when(revoke()).thenRefuses(RuleViolation, 'NOT_TERMINATED'));

    it('refuses to revoke an earlier spell once the person is enrolled again', () =>
      spec.given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune]).when(revoke()).thenRefuses(RuleViolation, 'NOT_TERMINATED'));

    it('revokes the termination of the latest spell', () => {
      const terminatedInAugust: BeneficiaryEvent = {
        type: T.EnrollmentTerminated,
        data: { beneficiaryId, program: 'MERITORIOUS', reason: 'MOVED_OUT', effectiveDate: '2024-08-05', recordedOn: '2024-08-06' },
      };
      spec
        .given([registered, enrolledMeritorious, terminatedInMarch, reenrolledInJune, terminatedInAugust])
        .when(revoke('2024-09-01'))
        .then([revoked('2024-08-05', '2024-09-01')]);
    });
  });

  describe('when an account needs a second operator (maker-checker)', () => {
    const openAccount = (holderName: string, sharedWithAnotherBeneficiary: boolean): BeneficiaryCommand => ({
      type: 'OpenPaymentAccount',
      data: { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName, openedOn: date('2024-03-01'), openedBy: 'maker', sharedWithAnotherBeneficiary },
    });
    const sharedAccount = (holderName: string): BeneficiaryEvent => ({
      type: T.PaymentAccountOpened,
      data: {
        beneficiaryId,
        accountId: 'a-1',
        bankCode: 'VBA',
        accountNumber: '7700205123456',
        holderName,
        openedOn: '2024-03-01',
        status: 'UNVERIFIED',
        unverifiedReason: 'SHARED_ACCOUNT',
        openedBy: 'maker',
      },
    });
    const verify = (verifiedBy: string): BeneficiaryCommand => ({ type: 'VerifyPaymentAccount', data: { accountId: 'a-1', reason: 'Saw the passbook', verifiedBy } });

    it('records an account number open for another beneficiary UNVERIFIED, even when the name matches', () =>
      spec.given([registered]).when(openAccount('Bùi Trung Tài', true)).then([sharedAccount('BUI TRUNG TAI')]));

    it('records the shared account as the reason when the name does not match either', () =>
      spec.given([registered]).when(openAccount('BUI TRUNG TAM', true)).then([sharedAccount('BUI TRUNG TAM')]));

    it('records who opened a VERIFIED account, with no reason to wait', () =>
      spec.given([registered]).when(openAccount('BUI TRUNG TAI', false)).then([accountOpened('a-1', 'VERIFIED')]));

    it('refuses a verification by the operator who opened the account', () =>
      spec.given([registered, sharedAccount('BUI TRUNG TAI')]).when(verify('maker')).thenRefuses(RuleViolation, 'VERIFICATION_BY_OPENER'));

    it('compares operators exactly: another spelling is another operator', () =>
      spec
        .given([registered, sharedAccount('BUI TRUNG TAI')])
        .when(verify('Maker'))
        .then([{ type: T.PaymentAccountVerified, data: { beneficiaryId, accountId: 'a-1', reason: 'Saw the passbook', verifiedBy: 'Maker' } }]));

    it('lets any operator verify an account opened before the rule, whose opener is unknown', () => {
      const openedBeforeTheRule: BeneficiaryEvent = {
        type: T.PaymentAccountOpened,
        data: { beneficiaryId, accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAM', openedOn: '2024-03-01', status: 'UNVERIFIED', unverifiedReason: 'NAME_MISMATCH' },
      };
      spec
        .given([registered, openedBeforeTheRule])
        .when(verify('maker'))
        .then([{ type: T.PaymentAccountVerified, data: { beneficiaryId, accountId: 'a-1', reason: 'Saw the passbook', verifiedBy: 'maker' } }]);
    });

    it('matches a holder name written with a typographic apostrophe', () => {
      const hHen: BeneficiaryEvent = {
        type: T.Registered,
        data: { beneficiaryId, nationalId: '066190000123', fullName: 'H’Hen Niê', dateOfBirth: '1990-05-02', gender: 'FEMALE', unitCode: '899' },
      };
      spec
        .given([hHen])
        .when(openAccount("H'HEN NIE", false))
        .then([{ ...accountOpened('a-1', 'VERIFIED'), data: { ...accountOpened('a-1', 'VERIFIED').data, holderName: "H'HEN NIE" } } as BeneficiaryEvent]);
    });
  });
});
