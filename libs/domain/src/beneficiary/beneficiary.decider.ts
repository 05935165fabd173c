import { unreachable, type Decider } from '../decider.js';
import {
  Conflict,
  InvalidValue,
  NotFound,
  RuleViolation,
  assertHolderNameCannotReadAsFormula,
  bankPrintedName,
  compareLocalDates,
  comparePeriods,
  firstDayOf,
  holderNameMatches,
  nextPeriod,
  periodOfDate,
  type LocalDate,
  type Period,
} from '../shared/index.js';
import type { BeneficiaryCommand } from './beneficiary.commands.js';
import { BeneficiaryEventType, type BeneficiaryEvent, type UnverifiedReason } from './beneficiary.events.js';
import {
  evolveBeneficiary,
  initialBeneficiaryState,
  type BeneficiaryState,
  type Enrollment,
  type PaymentAccount,
  type Termination,
  terminatedAsDeceased,
} from './beneficiary.state.js';
import { parseCrossProvinceFindingFacts, sameCrossProvinceFinding, type CrossProvinceFinding, type CrossProvinceFindingFacts } from './cross-province-finding.js';
import {
  fingerprintOf,
  identityCheckSourceKey,
  parseIdentityCheckAnswer,
  parseImportId,
  parseLineNumber,
  type IdentityCheckAnswer,
  type IdentityCheckSource,
} from './identity-check.js';
import type { DeathReportedHold } from './payment-hold.js';

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
        assertSamePersonInSameUnit(state, { fullName, dateOfBirth, gender, unitCode });
      }
      assertMayEnrollIn(state, program, effectiveFrom);
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
      const { program, reason, effectiveDate, recordedOn } = command.data;
      const enrollment = activeEnrollmentIn(state, program);
      assertTerminationNotInFuture(effectiveDate, recordedOn);
      assertTerminationNotBeforeEnrollment(enrollment, effectiveDate);
      return [{ type: BeneficiaryEventType.EnrollmentTerminated, data: { beneficiaryId: state.beneficiaryId, program, reason, effectiveDate, recordedOn } }];
    }
    case 'CorrectTermination': {
      const { program, effectiveDate, reason, recordedOn } = command.data;
      const { enrollment, termination } = terminatedEnrollmentIn(state, program);
      assertTerminationNotInFuture(effectiveDate, recordedOn);
      assertTerminationNotBeforeEnrollment(enrollment, effectiveDate);
      if (effectiveDate === termination.effectiveDate) {
        throw new RuleViolation('TERMINATION_UNCHANGED', `The ${program} termination already takes effect on ${effectiveDate}`, { effectiveDate });
      }
      return [
        {
          type: BeneficiaryEventType.EnrollmentTerminationCorrected,
          data: { beneficiaryId: state.beneficiaryId, program, effectiveDate, previousEffectiveDate: termination.effectiveDate, reason, recordedOn },
        },
      ];
    }
    case 'RevokeTermination': {
      const { program, reason, recordedOn } = command.data;
      const { termination } = terminatedEnrollmentIn(state, program);
      return [
        {
          type: BeneficiaryEventType.EnrollmentTerminationRevoked,
          data: { beneficiaryId: state.beneficiaryId, program, reason, revokedEffectiveDate: termination.effectiveDate, recordedOn },
        },
      ];
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
      const { accountId, bankCode, accountNumber, holderName, openedOn, openedBy, sharedWithAnotherBeneficiary } = command.data;
      assertHolderNameCannotReadAsFormula(holderName);
      const sameAccount = state.accounts.find((account) => account.bankCode === bankCode && account.accountNumber === accountNumber && account.status !== 'CLOSED');
      if (sameAccount) {
        throw new Conflict('ACCOUNT_ALREADY_OPEN', `This account is already recorded for the beneficiary`, { accountId: sameAccount.accountId });
      }
      const unverifiedReason = reasonToHoldUnverified(state, holderName, sharedWithAnotherBeneficiary);
      return [
        {
          type: BeneficiaryEventType.PaymentAccountOpened,
          data: {
            beneficiaryId: state.beneficiaryId,
            accountId,
            bankCode,
            accountNumber,
            holderName: bankPrintedName(holderName),
            openedOn,
            status: unverifiedReason ? 'UNVERIFIED' : 'VERIFIED',
            ...(unverifiedReason ? { unverifiedReason } : {}),
            openedBy,
          },
        },
      ];
    }
    case 'VerifyPaymentAccount': {
      const { accountId, reason, verifiedBy } = command.data;
      const account = openAccount(state, accountId);
      if (account.status === 'VERIFIED') throw new Conflict('ACCOUNT_ALREADY_VERIFIED', 'The account is already verified');
      assertVerifiedBySomeoneOtherThanTheOpener(account, verifiedBy);
      return [{ type: BeneficiaryEventType.PaymentAccountVerified, data: { beneficiaryId: state.beneficiaryId, accountId, reason, verifiedBy } }];
    }
    case 'ClosePaymentAccount': {
      openAccount(state, command.data.accountId);
      return [{ type: BeneficiaryEventType.PaymentAccountClosed, data: { beneficiaryId: state.beneficiaryId, ...command.data } }];
    }
    case 'RecordIdentityCheckAnswer': {
      assertRegistered(state);
      const source = { importId: parseImportId(command.data.importId), line: parseLineNumber(command.data.line) };
      const answer = parseIdentityCheckAnswer(command.data.answer);
      const { recordedOn, importedBy } = command.data;
      if (answer.outcome === 'DECEASED') assertPossibleDateOfDeath(state, answer.dateOfDeath, recordedOn);
      if (alreadyRecorded(state, source, answer)) return [];
      const recorded: BeneficiaryEvent = {
        type: BeneficiaryEventType.IdentityCheckAnswerRecorded,
        data: {
          beneficiaryId: state.beneficiaryId,
          ...source,
          outcome: answer.outcome,
          ...(answer.outcome === 'MISMATCHED' ? { mismatchedFields: [...answer.mismatchedFields] } : {}),
          ...(answer.outcome === 'DECEASED' ? { dateOfDeath: answer.dateOfDeath } : {}),
          recordedOn,
        },
      };
      if (answer.outcome !== 'DECEASED' || !deathReportHoldsPayments(state)) return [recorded];
      return [
        recorded,
        {
          type: BeneficiaryEventType.DeathReported,
          data: { beneficiaryId: state.beneficiaryId, unitCode: state.unitCode, dateOfDeath: answer.dateOfDeath, ...source, recordedOn, importedBy },
        },
      ];
    }
    case 'ConfirmDeathReport': {
      const report = openDeathReportOf(state);
      const { confirmedBy, recordedOn } = command.data;
      assertReviewedBySomeoneOtherThanTheImporter(report, confirmedBy, 'CONFIRMATION_BY_IMPORTER');
      // The termination's own rules decide each one: not after the day recorded, not before the enrollment's first month.
      const terminations = Object.values(state.enrollments)
        .filter((enrollment) => !enrollment.termination)
        .flatMap((enrollment) =>
          decideForBeneficiary({ type: 'TerminateEnrollment', data: { program: enrollment.program, reason: 'DECEASED', effectiveDate: report.dateOfDeath, recordedOn } }, state),
        );
      return [
        {
          type: BeneficiaryEventType.DeathReportConfirmed,
          data: { beneficiaryId: state.beneficiaryId, dateOfDeath: report.dateOfDeath, ...report.source, confirmedBy, recordedOn },
        },
        ...terminations,
      ];
    }
    case 'RejectDeathReport': {
      assertRegistered(state);
      const reason = command.data.reason.trim();
      if (reason.length === 0) throw new InvalidValue('reason', 'A death report is rejected with a reason');
      const report = openDeathReportOf(state);
      const { rejectedBy, recordedOn } = command.data;
      assertReviewedBySomeoneOtherThanTheImporter(report, rejectedBy, 'REJECTION_BY_IMPORTER');
      return [
        {
          type: BeneficiaryEventType.DeathReportRejected,
          data: { beneficiaryId: state.beneficiaryId, dateOfDeath: report.dateOfDeath, ...report.source, rejectedBy, reason, recordedOn },
        },
      ];
    }
    case 'RecordCrossProvinceFinding': {
      assertRegistered(state);
      const finding = parseCrossProvinceFindingFacts(command.data.finding);
      if (alreadyNoticed(state, finding)) return [];
      const { findingId, kind, program, period, otherProvinces, foundAt } = finding;
      return [
        {
          type: BeneficiaryEventType.CrossProvinceFindingRecorded,
          data: {
            beneficiaryId: state.beneficiaryId,
            unitCode: state.unitCode,
            findingId,
            kind,
            program,
            ...(period !== undefined ? { period } : {}),
            otherProvinces: [...otherProvinces],
            foundAt,
            recordedOn: command.data.recordedOn,
          },
        },
      ];
    }
    case 'ResolveCrossProvinceFinding': {
      assertRegistered(state);
      const { findingId, decision, effectiveDate, resolvedBy, recordedOn } = command.data;
      const reason = command.data.reason.trim();
      if (reason.length === 0) throw new InvalidValue('reason', 'A finding is resolved with a reason');
      assertEffectiveDateOnlyWhenTerminating(decision, effectiveDate);
      const finding = openFindingOf(state, findingId);
      const resolved: BeneficiaryEvent = {
        type: BeneficiaryEventType.CrossProvinceFindingResolved,
        data: {
          beneficiaryId: state.beneficiaryId,
          findingId: finding.findingId,
          program: finding.program,
          decision,
          reason,
          resolvedBy,
          recordedOn,
          ...(effectiveDate !== undefined ? { effectiveDate } : {}),
        },
      };
      if (decision === 'KEEP') return [resolved];
      // The termination's own rules decide it: an enrollment of the program not terminated yet, a date not after today nor before its first month.
      const termination = decideForBeneficiary(
        { type: 'TerminateEnrollment', data: { program: finding.program, reason: 'MOVED_OUT', effectiveDate: effectiveDate!, recordedOn } },
        state,
      );
      return [resolved, ...termination];
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

/**
 * One person is one beneficiary, in one place: a second enrollment must describe the same person
 * and come from the unit they are registered in (relocate them first). The refusal is the same
 * whichever part differs and names neither the other record's fields nor its unit: it may be
 * answered to an operator of another district, who must learn nothing about a person outside
 * their units, and a refusal that said which field differs would let them guess a date of birth.
 */
function assertSamePersonInSameUnit(state: BeneficiaryState, enrollment: { fullName: string; dateOfBirth: string; gender: string; unitCode: string }): void {
  const samePerson =
    bankPrintedName(enrollment.fullName) === bankPrintedName(state.fullName) && enrollment.dateOfBirth === state.dateOfBirth && enrollment.gender === state.gender;
  if (!samePerson || enrollment.unitCode !== state.unitCode) {
    throw new Conflict('IDENTITY_CONFLICT', 'This national id is already registered, with other details or in another unit.');
  }
}

/**
 * Never twice in the same program at once: a person whose enrollment was terminated may be enrolled
 * again by a new decision, from a month after the termination's, so no month is owed twice.
 */
function assertMayEnrollIn(state: BeneficiaryState, program: string, effectiveFrom: Period): void {
  const existing = state.enrollments[program];
  if (!existing) return;
  if (!existing.termination) {
    throw new Conflict('ALREADY_ENROLLED', `The beneficiary is already enrolled in ${program}`, { beneficiaryId: state.beneficiaryId, program });
  }
  const terminatedIn = periodOfDate(existing.termination.effectiveDate);
  if (comparePeriods(effectiveFrom, terminatedIn) <= 0) {
    throw new RuleViolation(
      'REENROLLMENT_OVERLAPS',
      `The ${program} enrollment was terminated in ${terminatedIn}, a month still paid: a new enrollment can start in ${nextPeriod(terminatedIn)} at the earliest`,
      { program, terminatedIn, earliest: nextPeriod(terminatedIn) },
    );
  }
}

/** A termination may be recorded late, never ahead of the day it is recorded (in Vietnam). */
function assertTerminationNotInFuture(effectiveDate: LocalDate, recordedOn: LocalDate): void {
  if (compareLocalDates(effectiveDate, recordedOn) > 0) {
    throw new RuleViolation('TERMINATION_IN_FUTURE', `A termination cannot take effect on ${effectiveDate}, after the day it is recorded (${recordedOn})`, {
      effectiveDate,
      recordedOn,
    });
  }
}

/** A termination cannot end the current spell before its first month. */
function assertTerminationNotBeforeEnrollment(enrollment: Enrollment, effectiveDate: LocalDate): void {
  const firstDay = firstDayOf(enrollment.effectiveFrom);
  if (compareLocalDates(effectiveDate, firstDay) < 0) {
    throw new RuleViolation('TERMINATION_BEFORE_ENROLLMENT', `The ${enrollment.program} enrollment takes effect on ${firstDay}; it cannot be terminated on ${effectiveDate}`, {
      effectiveFrom: enrollment.effectiveFrom,
      effectiveDate,
    });
  }
}

/**
 * Only the latest spell's termination can be corrected or revoked: once the person is enrolled
 * again, the earlier termination bounds the new spell and stays as recorded.
 */
function terminatedEnrollmentIn(state: BeneficiaryState, program: string): { enrollment: Enrollment; termination: Termination } {
  assertRegistered(state);
  const enrollment = state.enrollments[program];
  if (!enrollment) throw new NotFound('ENROLLMENT_NOT_FOUND', `The beneficiary is not enrolled in ${program}`, { program });
  if (!enrollment.termination) {
    const reenrolled = enrollment.spells.length > 1;
    throw new RuleViolation(
      'NOT_TERMINATED',
      reenrolled
        ? `The ${program} enrollment was re-enrolled from ${enrollment.effectiveFrom}; the earlier termination can no longer change`
        : `The ${program} enrollment is not terminated`,
      { program, ...(reenrolled ? { reenrolledFrom: enrollment.effectiveFrom } : {}) },
    );
  }
  return { enrollment, termination: enrollment.termination };
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

/**
 * A second operator must look at an account whose holder name does not match, or whose number is
 * already open for another beneficiary (whatever the name): either could point someone's payments
 * at another person. A shared number is the stronger reason and is the one recorded.
 */
function reasonToHoldUnverified(state: BeneficiaryState, holderName: string, sharedWithAnotherBeneficiary: boolean): UnverifiedReason | undefined {
  if (sharedWithAnotherBeneficiary) return 'SHARED_ACCOUNT';
  return holderNameMatches(holderName, state.fullName) ? undefined : 'NAME_MISMATCH';
}

/**
 * Maker-checker: one person alone never points a payment at an account. Identities are compared
 * exactly. An account opened before the rule has no recorded opener, so any operator may verify it.
 */
function assertVerifiedBySomeoneOtherThanTheOpener(account: PaymentAccount, verifiedBy: string): void {
  if (account.openedBy !== undefined && account.openedBy === verifiedBy) {
    throw new RuleViolation('VERIFICATION_BY_OPENER', 'The operator who opened the account cannot also verify it', { accountId: account.accountId });
  }
}

/**
 * A date of death the ledger can act on: not after the day it is recorded (in Vietnam), not before
 * the person was born. The refusal does not repeat the date of birth: it is personal data.
 */
function assertPossibleDateOfDeath(state: BeneficiaryState, dateOfDeath: LocalDate, recordedOn: LocalDate): void {
  if (compareLocalDates(dateOfDeath, recordedOn) > 0) {
    throw new RuleViolation('DATE_OF_DEATH_IN_FUTURE', `A date of death cannot lie after the day it is recorded (${recordedOn})`, { recordedOn });
  }
  if (compareLocalDates(dateOfDeath, state.dateOfBirth as LocalDate) < 0) {
    throw new RuleViolation('DATE_OF_DEATH_BEFORE_BIRTH', "The date of death lies before the person's date of birth");
  }
}

/**
 * The same answer from the same line of the same import is a repeat: nothing new. The same line
 * saying something else is not a repeat (an import id names one file's content).
 */
function alreadyRecorded(state: BeneficiaryState, source: IdentityCheckSource, answer: IdentityCheckAnswer): boolean {
  const recorded = state.identityCheckAnswers[identityCheckSourceKey(source)];
  if (recorded === undefined) return false;
  if (recorded === fingerprintOf(answer)) return true;
  throw new Conflict('IDENTITY_CHECK_LINE_ALREADY_ANSWERED', 'This line of the import already recorded another answer for the beneficiary', { ...source });
}

/**
 * DeathReportHoldsPayments: a reported death holds the person's payments and waits for an operator,
 * unless a report already waits (the later answer is recorded beside it) or every enrollment is
 * already terminated for death (recorded, nothing left to hold).
 */
function deathReportHoldsPayments(state: BeneficiaryState): boolean {
  return state.paymentHolds.DEATH_REPORTED === undefined && !terminatedAsDeceased(state);
}

/**
 * Maker-checker: one operator alone never decides what the population database said of a person.
 * Whoever imported the answer may neither confirm the death (it terminates every enrollment) nor
 * reject it (the person is paid again), as a payroll run is approved or rejected by someone other
 * than its creator. A report recorded before the rule names no importer: any operator may review it.
 */
function assertReviewedBySomeoneOtherThanTheImporter(report: DeathReportedHold, reviewer: string, code: 'CONFIRMATION_BY_IMPORTER' | 'REJECTION_BY_IMPORTER'): void {
  if (report.importedBy !== undefined && report.importedBy === reviewer) {
    const decision = code === 'CONFIRMATION_BY_IMPORTER' ? 'confirm' : 'reject';
    throw new RuleViolation(code, `The operator who imported the answer that reported the death cannot also ${decision} it`);
  }
}

function openDeathReportOf(state: BeneficiaryState): DeathReportedHold {
  assertRegistered(state);
  const report = state.paymentHolds.DEATH_REPORTED;
  if (!report) throw new NotFound('DEATH_REPORT_NOT_FOUND', 'No reported death of this beneficiary awaits review');
  return report;
}

/**
 * CrossProvinceFindingIsRecordedOnce: the hub sends a finding again until it hears it was received,
 * and may find it again later (with one more province). A finding already recorded, open or
 * resolved, is not recorded again, so a resolved one is never reopened by a repeated notice. One
 * that disagrees on what was found (kind, program, period) is not a repeat but a fault of the
 * sender: refused, and kept out of the person's record.
 */
function alreadyNoticed(state: BeneficiaryState, finding: CrossProvinceFindingFacts): boolean {
  const recorded = state.crossProvinceFindings[finding.findingId];
  if (!recorded) return false;
  if (sameCrossProvinceFinding(recorded, finding)) return true;
  throw new Conflict('FINDING_ALREADY_RECORDED_OTHERWISE', 'A finding with this id was recorded for the beneficiary with another kind, program or period', { findingId: finding.findingId });
}

/** A finding resolved by a termination says when it takes effect; one kept ends nothing, so it takes no date. */
function assertEffectiveDateOnlyWhenTerminating(decision: 'KEEP' | 'TERMINATE', effectiveDate: LocalDate | undefined): void {
  if (decision === 'TERMINATE' && effectiveDate === undefined) throw new InvalidValue('effectiveDate', 'A finding resolved by a termination needs the termination’s effectiveDate');
  if (decision === 'KEEP' && effectiveDate !== undefined) throw new InvalidValue('effectiveDate', 'A finding kept takes no effectiveDate: it terminates nothing');
}

/** The finding to resolve: recorded for this person, and not resolved yet. */
function openFindingOf(state: BeneficiaryState, findingId: string): CrossProvinceFinding {
  const finding = state.crossProvinceFindings[findingId.toLowerCase()];
  if (!finding) throw new NotFound('FINDING_NOT_FOUND', 'No cross-province finding with this id for the beneficiary', { findingId });
  if (finding.resolution) {
    throw new Conflict('FINDING_ALREADY_RESOLVED', `The finding was already resolved (${finding.resolution.decision})`, { findingId: finding.findingId, decision: finding.resolution.decision });
  }
  return finding;
}

function openAccount(state: BeneficiaryState, accountId: string): PaymentAccount {
  assertRegistered(state);
  const account = state.accounts.find((candidate) => candidate.accountId === accountId);
  if (!account) throw new NotFound('ACCOUNT_NOT_FOUND', 'No payment account with this id for the beneficiary', { accountId });
  if (account.status === 'CLOSED') throw new RuleViolation('ACCOUNT_CLOSED', 'The payment account is closed', { accountId });
  return account;
}
