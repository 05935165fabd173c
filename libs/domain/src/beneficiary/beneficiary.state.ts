import { unreachable } from '../decider.js';
import { comparePeriods, periodAfter, periodOfDate, type LocalDate, type Period } from '../shared/index.js';
import type { PayeeAccount, PaymentChannel } from '../disbursement/disbursement.events.js';
import {
  BeneficiaryEventType,
  type AccountStatus,
  type BeneficiaryEvent,
  type Gender,
  type TerminationReason,
  type UnverifiedReason,
} from './beneficiary.events.js';
import type { CrossProvinceFinding } from './cross-province-finding.js';
import { fingerprintOf, identityCheckSourceKey, type IdentityCheckAnswer, type IdentityCheckSource } from './identity-check.js';
import type { HeldForFinding, PaymentHolds } from './payment-hold.js';

export interface Suspension {
  readonly from: Period;
  readonly reason: string;
  /** The period payments resume in; absent while the suspension is open. */
  readonly resumedFrom?: Period;
}

export interface Termination {
  readonly reason: TerminationReason;
  /** The month of this date is still paid; the months after it are not. */
  readonly effectiveDate: LocalDate;
}

/**
 * Months a termination correction or revocation made owed again, and the day that was recorded:
 * their arrears are due from that decision, not from the enrollment's. `through` is absent for a
 * revocation (every later month).
 */
export interface Restoration {
  readonly from: Period;
  readonly through?: Period;
  readonly recordedOn: LocalDate;
}

/** One enrollment decision and what happened to it: from its first month to its termination, if any. */
export interface EnrollmentSpell {
  readonly coefficient: number;
  readonly effectiveFrom: Period;
  readonly decision: { readonly number: string; readonly date: LocalDate };
  readonly suspensions: readonly Suspension[];
  readonly termination?: Termination;
  readonly restorations: readonly Restoration[];
}

/**
 * A beneficiary's enrollment in one program. A person terminated and enrolled again has several
 * spells, in order and never overlapping; the enrollment reads as its latest spell (the one
 * suspend, resume, terminate, correct and revoke act on), while `spells` keeps them all for the
 * months owed by earlier ones.
 */
export interface Enrollment extends EnrollmentSpell {
  readonly program: string;
  readonly spells: readonly EnrollmentSpell[];
}

export interface PaymentAccount {
  readonly accountId: string;
  readonly bankCode: string;
  readonly accountNumber: string;
  readonly holderName: string;
  readonly openedOn: string;
  readonly status: AccountStatus;
  /** Order in which accounts became verified: the latest verified open account is the one paid into. */
  readonly verifiedSequence?: number;
  /** Why it was recorded UNVERIFIED; kept after verification, for the record. */
  readonly unverifiedReason?: UnverifiedReason;
  /** Absent for accounts opened before maker-checker: the opener is unknown. */
  readonly openedBy?: string;
  readonly verifiedBy?: string;
}

/** An answer of the population database as recorded: what it said, where it came from, and when. */
export interface IdentityCheck {
  readonly answer: IdentityCheckAnswer;
  readonly source: IdentityCheckSource;
  readonly recordedOn: LocalDate;
}

export interface BeneficiaryState {
  readonly registered: boolean;
  readonly beneficiaryId: string;
  readonly nationalId: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly gender: Gender;
  readonly unitCode: string;
  readonly enrollments: Readonly<Record<string, Enrollment>>;
  readonly accounts: readonly PaymentAccount[];
  readonly verifications: number;
  /** The population database's latest answer about the person, if it was ever asked. */
  readonly identityCheck?: IdentityCheck;
  /** Every answer recorded, by import and line (see `identityCheckSourceKey`): the same line again is a repeat. */
  readonly identityCheckAnswers: Readonly<Record<string, string>>;
  /** What holds the person's payments, by kind; empty while they are paid as usual. */
  readonly paymentHolds: PaymentHolds;
  /** Every finding the national hub sent about the person, open or resolved, by finding id: the same notice again is a repeat. */
  readonly crossProvinceFindings: Readonly<Record<string, CrossProvinceFinding>>;
}

export const initialBeneficiaryState = (): BeneficiaryState => ({
  registered: false,
  beneficiaryId: '',
  nationalId: '',
  fullName: '',
  dateOfBirth: '',
  gender: 'MALE',
  unitCode: '',
  enrollments: {},
  accounts: [],
  verifications: 0,
  identityCheckAnswers: {},
  paymentHolds: {},
  crossProvinceFindings: {},
});

export function evolveBeneficiary(state: BeneficiaryState, event: BeneficiaryEvent): BeneficiaryState {
  switch (event.type) {
    case BeneficiaryEventType.Registered:
      return { ...state, registered: true, ...event.data };
    case BeneficiaryEventType.EnrollmentStarted: {
      const { program, coefficient, effectiveFrom, decision } = event.data;
      const spell: EnrollmentSpell = {
        coefficient,
        effectiveFrom: effectiveFrom as Period,
        decision: { number: decision.number, date: decision.date as LocalDate },
        suspensions: [],
        restorations: [],
      };
      // A re-enrollment after a termination is a new spell of the same enrollment.
      const earlier = state.enrollments[program]?.spells ?? [];
      return withEnrollment(state, { program, ...spell, spells: [...earlier, spell] });
    }
    case BeneficiaryEventType.EnrollmentSuspended: {
      const suspension = { from: event.data.effectiveFrom as Period, reason: event.data.reason };
      return withLatestSpell(state, event.data.program, (spell) => ({ ...spell, suspensions: [...spell.suspensions, suspension] }));
    }
    case BeneficiaryEventType.EnrollmentResumed:
      return withLatestSpell(state, event.data.program, (spell) => ({
        ...spell,
        suspensions: spell.suspensions.map((suspension, index) =>
          index === spell.suspensions.length - 1 ? { ...suspension, resumedFrom: event.data.effectiveFrom as Period } : suspension,
        ),
      }));
    case BeneficiaryEventType.EnrollmentTerminated: {
      const termination: Termination = { reason: event.data.reason, effectiveDate: event.data.effectiveDate as LocalDate };
      return withLatestSpell(state, event.data.program, (spell) => ({ ...spell, termination }));
    }
    case BeneficiaryEventType.EnrollmentTerminationCorrected: {
      const { effectiveDate, previousEffectiveDate, recordedOn } = event.data;
      return withLatestSpell(state, event.data.program, (spell) => {
        const restored = monthsOwedAgain(previousEffectiveDate as LocalDate, periodOfDate(effectiveDate as LocalDate), recordedOn as LocalDate);
        return {
          ...spell,
          termination: { reason: spell.termination!.reason, effectiveDate: effectiveDate as LocalDate },
          restorations: [...spell.restorations, ...restored],
        };
      });
    }
    case BeneficiaryEventType.EnrollmentTerminationRevoked: {
      const { revokedEffectiveDate, recordedOn } = event.data;
      return withLatestSpell(state, event.data.program, ({ termination: _revoked, ...spell }) => ({
        ...spell,
        restorations: [...spell.restorations, ...monthsOwedAgain(revokedEffectiveDate as LocalDate, undefined, recordedOn as LocalDate)],
      }));
    }
    case BeneficiaryEventType.Relocated:
      return { ...state, unitCode: event.data.toUnitCode };
    case BeneficiaryEventType.PaymentAccountOpened: {
      const { accountId, bankCode, accountNumber, holderName, openedOn, status, unverifiedReason, openedBy } = event.data;
      const verified = status === 'VERIFIED';
      const verifications = state.verifications + (verified ? 1 : 0);
      const account: PaymentAccount = {
        accountId,
        bankCode,
        accountNumber,
        holderName,
        openedOn,
        status,
        ...(verified ? { verifiedSequence: verifications } : {}),
        ...(unverifiedReason ? { unverifiedReason } : {}),
        ...(openedBy !== undefined ? { openedBy } : {}),
      };
      return { ...state, verifications, accounts: [...state.accounts, account] };
    }
    case BeneficiaryEventType.PaymentAccountVerified: {
      const verifications = state.verifications + 1;
      const { accountId, verifiedBy } = event.data;
      return {
        ...state,
        verifications,
        accounts: state.accounts.map((account) =>
          account.accountId === accountId
            ? { ...account, status: 'VERIFIED', verifiedSequence: verifications, ...(verifiedBy !== undefined ? { verifiedBy } : {}) }
            : account,
        ),
      };
    }
    case BeneficiaryEventType.PaymentAccountClosed:
      return {
        ...state,
        accounts: state.accounts.map((account) => (account.accountId === event.data.accountId ? { ...account, status: 'CLOSED' } : account)),
      };
    case BeneficiaryEventType.IdentityCheckAnswerRecorded: {
      const { importId, line, recordedOn } = event.data;
      const answer = identityCheckAnswerOf(event.data);
      const source = { importId, line };
      return {
        ...state,
        identityCheck: { answer, source, recordedOn: recordedOn as LocalDate },
        identityCheckAnswers: { ...state.identityCheckAnswers, [identityCheckSourceKey(source)]: fingerprintOf(answer) },
      };
    }
    case BeneficiaryEventType.DeathReported: {
      const { dateOfDeath, importId, line, recordedOn, importedBy } = event.data;
      const hold = {
        kind: 'DEATH_REPORTED',
        dateOfDeath: dateOfDeath as LocalDate,
        source: { importId, line },
        since: recordedOn as LocalDate,
        ...(importedBy !== undefined ? { importedBy } : {}),
      } as const;
      return { ...state, paymentHolds: { ...state.paymentHolds, DEATH_REPORTED: hold } };
    }
    case BeneficiaryEventType.DeathReportConfirmed:
    case BeneficiaryEventType.DeathReportRejected: {
      const { DEATH_REPORTED: _lifted, ...otherHolds } = state.paymentHolds;
      return { ...state, paymentHolds: otherHolds };
    }
    case BeneficiaryEventType.CrossProvinceFindingRecorded: {
      const { findingId, kind, program, period, otherProvinces, foundAt, recordedOn } = event.data;
      const finding: CrossProvinceFinding = { findingId, kind, program, ...(period !== undefined ? { period: period as Period } : {}), otherProvinces, foundAt, recordedOn };
      const held = { ...state.paymentHolds.CROSS_PROVINCE_FINDING?.findings, [findingId]: { program, since: recordedOn as LocalDate } };
      return {
        ...state,
        crossProvinceFindings: { ...state.crossProvinceFindings, [findingId]: finding },
        paymentHolds: { ...state.paymentHolds, CROSS_PROVINCE_FINDING: { kind: 'CROSS_PROVINCE_FINDING', findings: held } },
      };
    }
    case BeneficiaryEventType.CrossProvinceFindingResolved: {
      const { findingId, decision, resolvedBy, recordedOn } = event.data;
      const finding = state.crossProvinceFindings[findingId]!;
      const { [findingId]: _resolved, ...stillOpen } = state.paymentHolds.CROSS_PROVINCE_FINDING?.findings ?? ({} as Record<string, HeldForFinding>);
      const { CROSS_PROVINCE_FINDING: _previous, ...otherHolds } = state.paymentHolds;
      return {
        ...state,
        crossProvinceFindings: { ...state.crossProvinceFindings, [findingId]: { ...finding, resolution: { decision, resolvedBy, recordedOn } } },
        // The hold lasts while one finding is open; with the last one resolved, it is lifted.
        paymentHolds: Object.keys(stillOpen).length > 0 ? { ...otherHolds, CROSS_PROVINCE_FINDING: { kind: 'CROSS_PROVINCE_FINDING', findings: stillOpen } } : otherHolds,
      };
    }
    default:
      return unreachable(event);
  }
}

function identityCheckAnswerOf(data: { outcome: IdentityCheckAnswer['outcome']; mismatchedFields?: readonly string[]; dateOfDeath?: string }): IdentityCheckAnswer {
  switch (data.outcome) {
    case 'MATCHED':
      return { outcome: 'MATCHED' };
    case 'MISMATCHED':
      return { outcome: 'MISMATCHED', mismatchedFields: (data.mismatchedFields ?? []) as Extract<IdentityCheckAnswer, { outcome: 'MISMATCHED' }>['mismatchedFields'] };
    case 'DECEASED':
      return { outcome: 'DECEASED', dateOfDeath: data.dateOfDeath as LocalDate };
  }
}

function withEnrollment(state: BeneficiaryState, enrollment: Enrollment): BeneficiaryState {
  return { ...state, enrollments: { ...state.enrollments, [enrollment.program]: enrollment } };
}

/** Suspend, resume, terminate, correct and revoke act on the latest spell. */
function withLatestSpell(state: BeneficiaryState, program: string, change: (spell: EnrollmentSpell) => EnrollmentSpell): BeneficiaryState {
  const { spells } = state.enrollments[program]!;
  const latest = change(spells.at(-1)!);
  return withEnrollment(state, { program, ...latest, spells: [...spells.slice(0, -1), latest] });
}

/** The months after the month of `endedOn` up to `through` (every later month when absent), owed again as of `recordedOn`. */
function monthsOwedAgain(endedOn: LocalDate, through: Period | undefined, recordedOn: LocalDate): Restoration[] {
  const from = periodAfter(periodOfDate(endedOn));
  if (!from || (through && comparePeriods(from, through) > 0)) return [];
  return [{ from, ...(through ? { through } : {}), recordedOn }];
}

export type Inactivity = 'NOT_ENROLLED' | 'NOT_STARTED' | 'SUSPENDED' | 'TERMINATED';
export type ActivityInPeriod = { readonly active: true } | { readonly active: false; readonly reason: Inactivity };

/** The spell in force in `period`: the latest one started by then; undefined before the first. */
export function enrollmentSpellIn(enrollment: Enrollment, period: Period): EnrollmentSpell | undefined {
  return enrollment.spells.findLast((spell) => comparePeriods(spell.effectiveFrom, period) <= 0);
}

function terminatedBefore(spell: EnrollmentSpell, period: Period): boolean {
  return spell.termination !== undefined && comparePeriods(period, periodOfDate(spell.termination.effectiveDate)) > 0;
}

function suspendedIn(spell: EnrollmentSpell, period: Period): boolean {
  return spell.suspensions.some(
    (suspension) => comparePeriods(period, suspension.from) >= 0 && (!suspension.resumedFrom || comparePeriods(period, suspension.resumedFrom) < 0),
  );
}

/**
 * An enrollment pays for period P when P falls in one of its spells: on or after that spell's
 * effective month, not inside one of its suspensions, and not after the month of its termination
 * (the month someone dies in is still paid; the months after it are not). The months between a
 * termination and a re-enrollment are not paid.
 */
export function enrollmentActivityIn(enrollment: Enrollment | undefined, period: Period): ActivityInPeriod {
  if (!enrollment) return { active: false, reason: 'NOT_ENROLLED' };
  const spell = enrollmentSpellIn(enrollment, period);
  if (!spell) return { active: false, reason: 'NOT_STARTED' };
  if (terminatedBefore(spell, period)) return { active: false, reason: 'TERMINATED' };
  return suspendedIn(spell, period) ? { active: false, reason: 'SUSPENDED' } : { active: true };
}

/**
 * The termination that stops `period` being owed, if that is why it is not: what an overpayment
 * for that month is flagged against.
 */
export function terminationEndingBefore(enrollment: Enrollment | undefined, period: Period): Termination | undefined {
  const spell = enrollment && enrollmentSpellIn(enrollment, period);
  return spell && terminatedBefore(spell, period) ? spell.termination : undefined;
}

/** The first month any spell of the enrollment owes: where a search for arrears starts. */
export function firstOwedPeriodOf(enrollment: Enrollment): Period {
  return enrollment.spells.reduce((first, spell) => (comparePeriods(spell.effectiveFrom, first) < 0 ? spell.effectiveFrom : first), enrollment.spells[0]!.effectiveFrom);
}

/**
 * The date of the decision that made `period` owed: the enrollment decision of its spell, or the
 * day a termination correction or revocation made the month owed again, whichever is later. Arrears
 * are due from it, so that a late decision is not counted as the payment system's lateness. For a
 * month before the first spell, the first spell's decision.
 */
export function decisionDateOwing(enrollment: Enrollment, period: Period): LocalDate {
  const spell = enrollmentSpellIn(enrollment, period) ?? enrollment.spells[0]!;
  let decided = spell.decision.date;
  for (const restoration of spell.restorations) {
    const covers = comparePeriods(period, restoration.from) >= 0 && (!restoration.through || comparePeriods(period, restoration.through) <= 0);
    if (covers && restoration.recordedOn > decided) decided = restoration.recordedOn;
  }
  return decided;
}

export const ENROLLMENT_STATUS = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED', TERMINATED: 'TERMINATED' } as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUS)[keyof typeof ENROLLMENT_STATUS];

/**
 * The enrollment's status in `period`, the one place it is computed. TERMINATED from the month its
 * termination takes effect (that month is still paid) until a re-enrollment starts; SUSPENDED in a
 * month inside a suspension; otherwise ACTIVE, including before the first month (enrolled, not yet paid).
 */
export function enrollmentStatusOn(enrollment: Enrollment, period: Period): EnrollmentStatus {
  const spell = enrollmentSpellIn(enrollment, period) ?? enrollment.spells[0]!;
  if (spell.termination && comparePeriods(periodOfDate(spell.termination.effectiveDate), period) <= 0) return ENROLLMENT_STATUS.TERMINATED;
  return suspendedIn(spell, period) ? ENROLLMENT_STATUS.SUSPENDED : ENROLLMENT_STATUS.ACTIVE;
}

/**
 * Whether the ledger already records the person dead: enrolled, and every enrollment's latest spell
 * terminated for death. A death reported again then has nothing left to hold.
 */
export function terminatedAsDeceased(state: BeneficiaryState): boolean {
  const enrollments = Object.values(state.enrollments);
  return enrollments.length > 0 && enrollments.every((enrollment) => enrollment.termination?.reason === 'DECEASED');
}

/** The account a bank payment goes to: the most recently verified one that is still open. */
export function paymentAccountOf(state: BeneficiaryState): PaymentAccount | undefined {
  return latestVerifiedOpenAccount(state.accounts);
}

/** Where a payment that failed into `accountId` may go by bank instead: the latest other verified open account. */
export function paymentAccountOtherThan(state: BeneficiaryState, accountId: string): PaymentAccount | undefined {
  return latestVerifiedOpenAccount(state.accounts.filter((account) => account.accountId !== accountId));
}

/** Whether a payment may still go into `accountId`: it is open and verified. */
export function isOpenAndVerified(state: BeneficiaryState, accountId: string): boolean {
  return state.accounts.some((account) => account.accountId === accountId && account.status === 'VERIFIED');
}

function latestVerifiedOpenAccount(accounts: readonly PaymentAccount[]): PaymentAccount | undefined {
  let chosen: PaymentAccount | undefined;
  for (const account of accounts) {
    if (account.status === 'VERIFIED' && (!chosen || account.verifiedSequence! > chosen.verifiedSequence!)) chosen = account;
  }
  return chosen;
}

/** BANK when the beneficiary has a verified open account at scheduling time, otherwise cash through the Post Office. */
export function paymentChannelOf(state: BeneficiaryState): { channel: PaymentChannel; account?: PaymentAccount } {
  const account = paymentAccountOf(state);
  return account ? { channel: 'BANK', account } : { channel: 'CASH' };
}

/** What a disbursement records of the account it pays into; null for cash. */
export function payeeOf(account: PaymentAccount | null | undefined): PayeeAccount | null {
  return account ? { accountId: account.accountId, bankCode: account.bankCode, accountNumber: account.accountNumber, holderName: account.holderName } : null;
}
