import type { DomainEvent } from '../decider.js';
import type { Gender } from '../shared/national-id.js';
import type { IdentityCheckField, IdentityCheckOutcome } from './identity-check.js';

export type { Gender };

/** Stored event types of the beneficiary stream. These strings are contracts: never rename them. */
export const BeneficiaryEventType = {
  Registered: 'BeneficiaryRegistered',
  EnrollmentStarted: 'EnrollmentStarted',
  EnrollmentSuspended: 'EnrollmentSuspended',
  EnrollmentResumed: 'EnrollmentResumed',
  EnrollmentTerminated: 'EnrollmentTerminated',
  EnrollmentTerminationCorrected: 'EnrollmentTerminationCorrected',
  EnrollmentTerminationRevoked: 'EnrollmentTerminationRevoked',
  Relocated: 'BeneficiaryRelocated',
  PaymentAccountOpened: 'PaymentAccountOpened',
  PaymentAccountVerified: 'PaymentAccountVerified',
  PaymentAccountClosed: 'PaymentAccountClosed',
  IdentityCheckAnswerRecorded: 'IdentityCheckAnswerRecorded',
  DeathReported: 'DeathReported',
  DeathReportConfirmed: 'DeathReportConfirmed',
  DeathReportRejected: 'DeathReportRejected',
  CrossProvinceFindingRecorded: 'CrossProvinceFindingRecorded',
  CrossProvinceFindingResolved: 'CrossProvinceFindingResolved',
} as const;

export type TerminationReason = 'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT';
export type AccountStatus = 'VERIFIED' | 'UNVERIFIED' | 'CLOSED';
/**
 * What the national hub found of the person in another province too: enrolled there in the same
 * program, or paid there for the same period.
 */
export const CROSS_PROVINCE_FINDING_KINDS = ['ENROLLED_IN_TWO_PROVINCES', 'PAID_IN_TWO_PROVINCES'] as const;
export type CrossProvinceFindingKind = (typeof CROSS_PROVINCE_FINDING_KINDS)[number];
/** An operator's answer to a finding: the person stays enrolled here (KEEP), or moved out (TERMINATE). */
export const CROSS_PROVINCE_FINDING_DECISIONS = ['KEEP', 'TERMINATE'] as const;
export type CrossProvinceFindingDecision = (typeof CROSS_PROVINCE_FINDING_DECISIONS)[number];
/** Why an account waits for a second operator: its holder name, or its number already open for another beneficiary. */
export type UnverifiedReason = 'NAME_MISMATCH' | 'SHARED_ACCOUNT';

export type BeneficiaryRegistered = DomainEvent<
  typeof BeneficiaryEventType.Registered,
  { beneficiaryId: string; nationalId: string; fullName: string; dateOfBirth: string; gender: Gender; unitCode: string }
>;
export type EnrollmentStarted = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentStarted,
  {
    beneficiaryId: string;
    program: string;
    /** The unit that enrolled them: always the unit the beneficiary is registered in. */
    unitCode: string;
    coefficient: number;
    effectiveFrom: string;
    decision: { number: string; date: string };
  }
>;
export type EnrollmentSuspended = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentSuspended,
  { beneficiaryId: string; program: string; reason: string; effectiveFrom: string }
>;
export type EnrollmentResumed = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentResumed,
  { beneficiaryId: string; program: string; effectiveFrom: string }
>;
/**
 * Ends the latest enrollment spell: the month of `effectiveDate` is still paid, none after it.
 * `recordedOn` is the day in Vietnam it was recorded; absent on terminations recorded before the
 * ledger bounded the effective date by it.
 */
export type EnrollmentTerminated = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentTerminated,
  { beneficiaryId: string; program: string; reason: TerminationReason; effectiveDate: string; recordedOn?: string }
>;
/**
 * A termination recorded with the wrong effective date, put right. The termination's own reason
 * (DECEASED…) stands; `reason` says why the date changed. Months between the two dates become owed
 * again (a later date) or stop being owed (an earlier one) as of `recordedOn`.
 */
export type EnrollmentTerminationCorrected = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentTerminationCorrected,
  { beneficiaryId: string; program: string; effectiveDate: string; previousEffectiveDate: string; reason: string; recordedOn: string }
>;
/** The person was never terminated: the latest spell is active again, every month after `revokedEffectiveDate` owed as of `recordedOn`. */
export type EnrollmentTerminationRevoked = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentTerminationRevoked,
  { beneficiaryId: string; program: string; reason: string; revokedEffectiveDate: string; recordedOn: string }
>;
export type BeneficiaryRelocated = DomainEvent<
  typeof BeneficiaryEventType.Relocated,
  { beneficiaryId: string; fromUnitCode: string; toUnitCode: string }
>;
export type PaymentAccountOpened = DomainEvent<
  typeof BeneficiaryEventType.PaymentAccountOpened,
  {
    beneficiaryId: string;
    accountId: string;
    bankCode: string;
    accountNumber: string;
    holderName: string;
    openedOn: string;
    /**
     * VERIFIED when the holder name matches the beneficiary's name as banks print it and the number
     * is not open for another beneficiary at the same bank.
     */
    status: 'VERIFIED' | 'UNVERIFIED';
    /** Present exactly when UNVERIFIED (schema v2; v1 events are upcast to NAME_MISMATCH, the only reason then). */
    unverifiedReason?: UnverifiedReason;
    /** The operator who opened it. Absent on accounts opened before maker-checker: unknown, so any operator may verify them. */
    openedBy?: string;
  }
>;
/** `verifiedBy` is absent on verifications recorded before maker-checker. */
export type PaymentAccountVerified = DomainEvent<
  typeof BeneficiaryEventType.PaymentAccountVerified,
  { beneficiaryId: string; accountId: string; reason: string; verifiedBy?: string }
>;
export type PaymentAccountClosed = DomainEvent<
  typeof BeneficiaryEventType.PaymentAccountClosed,
  { beneficiaryId: string; accountId: string; reason: string }
>;

/**
 * The population database's answer about the person, from one line of an imported answer file.
 * `importId` and `line` say where it came from; nothing else of the line is kept.
 */
export type IdentityCheckAnswerRecorded = DomainEvent<
  typeof BeneficiaryEventType.IdentityCheckAnswerRecorded,
  {
    beneficiaryId: string;
    importId: string;
    line: number;
    outcome: IdentityCheckOutcome;
    /** Present exactly when MISMATCHED: the fields the population database holds otherwise, in request-file order. */
    mismatchedFields?: IdentityCheckField[];
    /** Present exactly when DECEASED. */
    dateOfDeath?: string;
    /** The day in Vietnam it was recorded. */
    recordedOn: string;
  }
>;
/**
 * A DECEASED answer put the person's payments on hold (kind DEATH_REPORTED) and on the review list
 * of `unitCode`, the unit they are registered in, until an operator confirms or rejects it.
 */
export type DeathReported = DomainEvent<
  typeof BeneficiaryEventType.DeathReported,
  {
    beneficiaryId: string;
    unitCode: string;
    dateOfDeath: string;
    importId: string;
    line: number;
    recordedOn: string;
    /** The operator who imported the answer, who may not review it. Absent on reports recorded before maker-checker: any operator may review them. */
    importedBy?: string;
  }
>;
/**
 * An operator confirmed the reported death: the hold is lifted, and the same decision terminates
 * every enrollment not terminated yet (DECEASED, effective the date of death).
 */
export type DeathReportConfirmed = DomainEvent<
  typeof BeneficiaryEventType.DeathReportConfirmed,
  { beneficiaryId: string; dateOfDeath: string; importId: string; line: number; confirmedBy: string; recordedOn: string }
>;
/** An operator found the report wrong: the hold is lifted and the person is paid again, nothing else changes. */
export type DeathReportRejected = DomainEvent<
  typeof BeneficiaryEventType.DeathReportRejected,
  { beneficiaryId: string; dateOfDeath: string; importId: string; line: number; rejectedBy: string; reason: string; recordedOn: string }
>;

/**
 * The national hub found the person (by their national person key) in another province too, in
 * `program`: the person's payments of that program are held (kind CROSS_PROVINCE_FINDING) and the
 * finding waits on the list of `unitCode`, the unit they are registered in, until an operator
 * resolves it. `period` is the month paid twice (PAID_IN_TWO_PROVINCES only); `otherProvinces` the
 * provinces' codes, nothing of their records; `foundAt` the hub's instant (UTC).
 */
export type CrossProvinceFindingRecorded = DomainEvent<
  typeof BeneficiaryEventType.CrossProvinceFindingRecorded,
  {
    beneficiaryId: string;
    /** The unit the person is registered in: whose operators resolve it. */
    unitCode: string;
    findingId: string;
    kind: CrossProvinceFindingKind;
    program: string;
    period?: string;
    otherProvinces: string[];
    foundAt: string;
    recordedOn: string;
  }
>;
/**
 * An operator resolved a finding: KEEP lifts its hold and nothing else; TERMINATE lifts it and, in
 * the same decision, terminates the enrollment in `program` (MOVED_OUT, effective `effectiveDate`,
 * present exactly then).
 */
export type CrossProvinceFindingResolved = DomainEvent<
  typeof BeneficiaryEventType.CrossProvinceFindingResolved,
  {
    beneficiaryId: string;
    findingId: string;
    program: string;
    decision: CrossProvinceFindingDecision;
    reason: string;
    resolvedBy: string;
    recordedOn: string;
    effectiveDate?: string;
  }
>;

export type BeneficiaryEvent =
  | BeneficiaryRegistered
  | EnrollmentStarted
  | EnrollmentSuspended
  | EnrollmentResumed
  | EnrollmentTerminated
  | EnrollmentTerminationCorrected
  | EnrollmentTerminationRevoked
  | BeneficiaryRelocated
  | PaymentAccountOpened
  | PaymentAccountVerified
  | PaymentAccountClosed
  | IdentityCheckAnswerRecorded
  | DeathReported
  | DeathReportConfirmed
  | DeathReportRejected
  | CrossProvinceFindingRecorded
  | CrossProvinceFindingResolved;
