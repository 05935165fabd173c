import { unreachable, type Decider } from '../decider.js';
import { Conflict, NotFound, RuleViolation, bankPrintedName, comparePeriods, holderNameMatches, type Period } from '../shared/index.js';
import type { BeneficiaryCommand } from './beneficiary.commands.js';
import { BeneficiaryEventType, type BeneficiaryEvent } from './beneficiary.events.js';
import { evolveBeneficiary, initialBeneficiaryState, type BeneficiaryState, type Enrollment, type PaymentAccount } from './beneficiary.state.js';

export function decideForBeneficiary(command: BeneficiaryCommand, state: BeneficiaryState): readonly BeneficiaryEvent[] {
  switch (command.type) {
    case 'EnrollBeneficiary': {
      const { beneficiaryId, nationalId, fullName, dateOfBirth, gender, unitCode, program, coefficient, effectiveFrom, decision } = command.data;
      const registration: BeneficiaryEvent[] = [];
      if (!state.registered) {
        registration.push({
          type: BeneficiaryEventType.Registered,
          data: { beneficiaryId, nationalId, fullName, dateOfBirth, gender, unitCode },
        });
      } else {
        assertSamePerson(state, { fullName, dateOfBirth, gender });
        assertRegisteredInUnit(state, unitCode);
      }
      assertNotAlreadyEnrolledIn(state, program);
      return [
        ...registration,
        { type: BeneficiaryEventType.EnrollmentStarted, data: { beneficiaryId, program, unitCode, coefficient, effectiveFrom, decision } },
      ];
    }
    case 'SuspendEnrollment': {
      const enrollment = activeEnrollmentIn(state, command.data.program);
      assertNotSuspended(enrollment);
      assertNotBefore(command.data.effectiveFrom, latestChangeOf(enrollment), 'suspension');
      return [{ type: BeneficiaryEventType.EnrollmentSuspended, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    case 'ResumeEnrollment': {
      const enrollment = activeEnrollmentIn(state, command.data.program);
      const suspension = openSuspensionOf(enrollment);
      if (!suspension) throw new RuleViolation('NOT_SUSPENDED', `The ${enrollment.program} enrollment is not suspended`);
      if (comparePeriods(command.data.effectiveFrom, suspension.from) <= 0) {
        throw new RuleViolation('RESUMPTION_BEFORE_SUSPENSION', `Payments cannot resume in ${command.data.effectiveFrom}: the suspension starts in ${suspension.from}`, {
          suspendedFrom: suspension.from,
        });
      }
      return [{ type: BeneficiaryEventType.EnrollmentResumed, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    case 'TerminateEnrollment': {
      activeEnrollmentIn(state, command.data.program);
      return [{ type: BeneficiaryEventType.EnrollmentTerminated, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    case 'RelocateBeneficiary': {
      assertRegistered(state);
      if (state.unitCode === command.data.unitCode) {
        throw new RuleViolation('ALREADY_IN_UNIT', `The beneficiary is already registered in unit ${command.data.unitCode}`);
      }
      return [
        { type: BeneficiaryEventType.Relocated, data: { beneficiaryId: state.beneficiaryId, fromUnitCode: state.unitCode, toUnitCode: command.data.unitCode } },
      ];
    }
    case 'OpenPaymentAccount': {
      assertRegistered(state);
      const { accountId, bankCode, accountNumber, holderName, openedOn } = command.data;
      const sameAccount = state.accounts.find((account) => account.bankCode === bankCode && account.accountNumber === accountNumber && account.status !== 'CLOSED');
      if (sameAccount) {
        throw new Conflict('ACCOUNT_ALREADY_OPEN', `This account is already recorded for the beneficiary`, { accountId: sameAccount.accountId });
      }
      const status = holderNameMatches(holderName, state.fullName) ? 'VERIFIED' : 'UNVERIFIED';
      return [
        {
          type: BeneficiaryEventType.PaymentAccountOpened,
          data: { beneficiaryId: state.beneficiaryId, accountId, bankCode, accountNumber, holderName: bankPrintedName(holderName), openedOn, status },
        },
      ];
    }
    case 'VerifyPaymentAccount': {
      const account = openAccount(state, command.data.accountId);
      if (account.status === 'VERIFIED') throw new Conflict('ACCOUNT_ALREADY_VERIFIED', 'The account is already verified');
      return [{ type: BeneficiaryEventType.PaymentAccountVerified, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    case 'ClosePaymentAccount': {
      openAccount(state, command.data.accountId);
      return [{ type: BeneficiaryEventType.PaymentAccountClosed, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    default:
      return unreachable(command);
  }
}

export const beneficiaryDecider: Decider<BeneficiaryCommand, BeneficiaryEvent, BeneficiaryState> = {
  decide: decideForBeneficiary,
  evolve: evolveBeneficiary,
  initialState: initialBeneficiaryState,
};

function assertRegistered(state: BeneficiaryState): void {
  if (!state.registered) throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
}

/** One person is one beneficiary: a second enrollment must describe the same person. */
function assertSamePerson(state: BeneficiaryState, person: { fullName: string; dateOfBirth: string; gender: string }): void {
  const differs = [
    bankPrintedName(person.fullName) !== bankPrintedName(state.fullName) && 'fullName',
    person.dateOfBirth !== state.dateOfBirth && 'dateOfBirth',
    person.gender !== state.gender && 'gender',
  ].filter(Boolean);
  if (differs.length > 0) {
    throw new Conflict('IDENTITY_MISMATCH', `This national id is registered with a different ${differs.join(', ')}`, { fields: differs });
  }
}

/** A person enrolled in one place cannot be enrolled again from another: relocate them first. */
function assertRegisteredInUnit(state: BeneficiaryState, unitCode: string): void {
  if (state.unitCode !== unitCode) {
    throw new Conflict('REGISTERED_IN_ANOTHER_UNIT', `The beneficiary is registered in unit ${state.unitCode}; relocate them before enrolling from ${unitCode}`, {
      registeredUnitCode: state.unitCode,
    });
  }
}

function assertNotAlreadyEnrolledIn(state: BeneficiaryState, program: string): void {
  const existing = state.enrollments[program];
  if (existing) {
    throw new Conflict('ALREADY_ENROLLED', `The beneficiary is already enrolled in ${program}`, {
      beneficiaryId: state.beneficiaryId,
      program,
      terminated: Boolean(existing.termination),
    });
  }
}

function activeEnrollmentIn(state: BeneficiaryState, program: string): Enrollment {
  assertRegistered(state);
  const enrollment = state.enrollments[program];
  if (!enrollment) throw new NotFound('ENROLLMENT_NOT_FOUND', `The beneficiary is not enrolled in ${program}`, { program });
  if (enrollment.termination) {
    throw new RuleViolation('ENROLLMENT_TERMINATED', `The ${program} enrollment was terminated (${enrollment.termination.reason})`, { program });
  }
  return enrollment;
}

function openSuspensionOf(enrollment: Enrollment) {
  const last = enrollment.suspensions.at(-1);
  return last && !last.resumedFrom ? last : undefined;
}

function assertNotSuspended(enrollment: Enrollment): void {
  const open = openSuspensionOf(enrollment);
  if (open) throw new RuleViolation('ALREADY_SUSPENDED', `The ${enrollment.program} enrollment is suspended since ${open.from}`, { suspendedFrom: open.from });
}

/** The last month the enrollment changed in: its start, or the end of its last suspension. */
function latestChangeOf(enrollment: Enrollment): Period {
  return enrollment.suspensions.at(-1)?.resumedFrom ?? enrollment.effectiveFrom;
}

function assertNotBefore(period: Period, earliest: Period, what: string): void {
  if (comparePeriods(period, earliest) < 0) {
    throw new RuleViolation('EFFECTIVE_PERIOD_TOO_EARLY', `A ${what} cannot take effect in ${period}, before ${earliest}`, { earliest });
  }
}

function openAccount(state: BeneficiaryState, accountId: string): PaymentAccount {
  assertRegistered(state);
  const account = state.accounts.find((candidate) => candidate.accountId === accountId);
  if (!account) throw new NotFound('ACCOUNT_NOT_FOUND', 'No payment account with this id for the beneficiary', { accountId });
  if (account.status === 'CLOSED') throw new RuleViolation('ACCOUNT_CLOSED', 'The payment account is closed', { accountId });
  return account;
}
