import type { Coefficient, LocalDate, Period } from '../shared/index.js';
import type { CrossProvinceFindingDecision, Gender, TerminationReason } from './beneficiary.events.js';
import type { CrossProvinceFindingFacts } from './cross-province-finding.js';
import type { IdentityCheckAnswer } from './identity-check.js';

export type { CrossProvinceFindingFacts } from './cross-province-finding.js';

/** Commands arrive already parsed: every value object is valid by construction. */
export type BeneficiaryCommand =
  | {
      readonly type: 'EnrollBeneficiary';
      readonly data: {
        readonly beneficiaryId: string;
        readonly nationalId: string;
        readonly fullName: string;
        readonly dateOfBirth: LocalDate;
        readonly gender: Gender;
        readonly unitCode: string;
        readonly program: string;
        readonly coefficient: Coefficient;
        readonly effectiveFrom: Period;
        readonly decision: { readonly number: string; readonly date: LocalDate };
      };
    }
  | { readonly type: 'SuspendEnrollment'; readonly data: { readonly program: string; readonly reason: string; readonly effectiveFrom: Period } }
  | { readonly type: 'ResumeEnrollment'; readonly data: { readonly program: string; readonly effectiveFrom: Period } }
  | {
      readonly type: 'TerminateEnrollment';
      readonly data: {
        readonly program: string;
        readonly reason: TerminationReason;
        readonly effectiveDate: LocalDate;
        /** Today in Asia/Ho_Chi_Minh, supplied by the caller: the domain reads no clock. */
        readonly recordedOn: LocalDate;
      };
    }
  | {
      readonly type: 'CorrectTermination';
      readonly data: { readonly program: string; readonly effectiveDate: LocalDate; readonly reason: string; readonly recordedOn: LocalDate };
    }
  | { readonly type: 'RevokeTermination'; readonly data: { readonly program: string; readonly reason: string; readonly recordedOn: LocalDate } }
  | { readonly type: 'RelocateBeneficiary'; readonly data: { readonly unitCode: string } }
  | {
      readonly type: 'OpenPaymentAccount';
      readonly data: {
        readonly accountId: string;
        readonly bankCode: string;
        readonly accountNumber: string;
        readonly holderName: string;
        readonly openedOn: LocalDate;
        /** The operator opening it: whoever verifies it later must be someone else. */
        readonly openedBy: string;
        /** Whether this bank and number are already open for another beneficiary (the caller reads the reservation stream). */
        readonly sharedWithAnotherBeneficiary: boolean;
      };
    }
  | { readonly type: 'VerifyPaymentAccount'; readonly data: { readonly accountId: string; readonly reason: string; readonly verifiedBy: string } }
  | { readonly type: 'ClosePaymentAccount'; readonly data: { readonly accountId: string; readonly reason: string } }
  | {
      readonly type: 'RecordIdentityCheckAnswer';
      readonly data: {
        /** The import of the population database's answer file (its id or hash) and the line the answer is on. */
        readonly importId: string;
        readonly line: number;
        readonly answer: IdentityCheckAnswer;
        /** Today in Asia/Ho_Chi_Minh, supplied by the caller: a date of death cannot lie after it. */
        readonly recordedOn: LocalDate;
        /** The operator importing the answer file: whoever reviews a death it reports must be someone else. */
        readonly importedBy: string;
      };
    }
  /** By an operator other than the one who imported the answer that reported the death (maker-checker). */
  | { readonly type: 'ConfirmDeathReport'; readonly data: { readonly confirmedBy: string; readonly recordedOn: LocalDate } }
  | { readonly type: 'RejectDeathReport'; readonly data: { readonly reason: string; readonly rejectedBy: string; readonly recordedOn: LocalDate } }
  /** A notice of the national hub about the person, read again by the decider: it came over the network. */
  | {
      readonly type: 'RecordCrossProvinceFinding';
      readonly data: {
        readonly finding: CrossProvinceFindingFacts;
        /** Today in Asia/Ho_Chi_Minh, supplied by the caller. */
        readonly recordedOn: LocalDate;
      };
    }
  /** `effectiveDate` with TERMINATE (the termination's date), never with KEEP. */
  | {
      readonly type: 'ResolveCrossProvinceFinding';
      readonly data: {
        readonly findingId: string;
        readonly decision: CrossProvinceFindingDecision;
        readonly reason: string;
        readonly effectiveDate?: LocalDate;
        readonly resolvedBy: string;
        readonly recordedOn: LocalDate;
      };
    };

/**
 * The population database's answers and their review: each has its own follow-ups (a confirmed
 * death terminates and flags what was paid after it), so they are not plain changes of a beneficiary.
 */
export type IdentityCheckCommand = Extract<BeneficiaryCommand, { type: 'RecordIdentityCheckAnswer' | 'ConfirmDeathReport' | 'RejectDeathReport' }>;

/** The national hub's findings about the person and their resolution: a termination has its follow-ups, like a confirmed death's. */
export type CrossProvinceFindingCommand = Extract<BeneficiaryCommand, { type: 'RecordCrossProvinceFinding' | 'ResolveCrossProvinceFinding' }>;
