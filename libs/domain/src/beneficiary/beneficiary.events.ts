import type { DomainEvent } from '../decider.js';
import type { Gender } from '../shared/national-id.js';

export type { Gender };

/** Stored event types of the beneficiary stream. These strings are contracts: never rename them. */
export const BeneficiaryEventType = {
  Registered: 'BeneficiaryRegistered',
  EnrollmentStarted: 'EnrollmentStarted',
  EnrollmentSuspended: 'EnrollmentSuspended',
  EnrollmentResumed: 'EnrollmentResumed',
  EnrollmentTerminated: 'EnrollmentTerminated',
  Relocated: 'BeneficiaryRelocated',
  PaymentAccountOpened: 'PaymentAccountOpened',
  PaymentAccountVerified: 'PaymentAccountVerified',
  PaymentAccountClosed: 'PaymentAccountClosed',
} as const;

export type TerminationReason = 'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT';
export type AccountStatus = 'VERIFIED' | 'UNVERIFIED' | 'CLOSED';

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
export type EnrollmentTerminated = DomainEvent<
  typeof BeneficiaryEventType.EnrollmentTerminated,
  { beneficiaryId: string; program: string; reason: TerminationReason; effectiveDate: string }
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
    /** VERIFIED when the holder name matches the beneficiary's name as banks print it. */
    status: 'VERIFIED' | 'UNVERIFIED';
  }
>;
export type PaymentAccountVerified = DomainEvent<
  typeof BeneficiaryEventType.PaymentAccountVerified,
  { beneficiaryId: string; accountId: string; reason: string }
>;
export type PaymentAccountClosed = DomainEvent<
  typeof BeneficiaryEventType.PaymentAccountClosed,
  { beneficiaryId: string; accountId: string; reason: string }
>;

export type BeneficiaryEvent =
  | BeneficiaryRegistered
  | EnrollmentStarted
  | EnrollmentSuspended
  | EnrollmentResumed
  | EnrollmentTerminated
  | BeneficiaryRelocated
  | PaymentAccountOpened
  | PaymentAccountVerified
  | PaymentAccountClosed;
