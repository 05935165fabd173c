import { unreachable } from '../decider.js';
import { comparePeriods, periodOfDate, type LocalDate, type Period } from '../shared/index.js';
import type { PaymentChannel } from '../disbursement/disbursement.events.js';
import { BeneficiaryEventType, type AccountStatus, type BeneficiaryEvent, type Gender, type TerminationReason } from './beneficiary.events.js';

export interface Suspension {
  readonly from: Period;
  readonly reason: string;
  /** The period payments resume in; absent while the suspension is open. */
  readonly resumedFrom?: Period;
}

export interface Enrollment {
  readonly program: string;
  readonly coefficient: number;
  readonly effectiveFrom: Period;
  readonly decision: { readonly number: string; readonly date: string };
  readonly suspensions: readonly Suspension[];
  readonly termination?: { readonly reason: TerminationReason; readonly effectiveDate: LocalDate };
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
});

export function evolveBeneficiary(state: BeneficiaryState, event: BeneficiaryEvent): BeneficiaryState {
  switch (event.type) {
    case BeneficiaryEventType.Registered:
      return { ...state, registered: true, ...event.data };
    case BeneficiaryEventType.EnrollmentStarted: {
      const { program, coefficient, effectiveFrom, decision } = event.data;
      return withEnrollment(state, { program, coefficient, effectiveFrom: effectiveFrom as Period, decision, suspensions: [] });
    }
    case BeneficiaryEventType.EnrollmentSuspended: {
      const enrollment = state.enrollments[event.data.program]!;
      const suspension = { from: event.data.effectiveFrom as Period, reason: event.data.reason };
      return withEnrollment(state, { ...enrollment, suspensions: [...enrollment.suspensions, suspension] });
    }
    case BeneficiaryEventType.EnrollmentResumed: {
      const enrollment = state.enrollments[event.data.program]!;
      const suspensions = enrollment.suspensions.map((suspension, index) =>
        index === enrollment.suspensions.length - 1 ? { ...suspension, resumedFrom: event.data.effectiveFrom as Period } : suspension,
      );
      return withEnrollment(state, { ...enrollment, suspensions });
    }
    case BeneficiaryEventType.EnrollmentTerminated: {
      const enrollment = state.enrollments[event.data.program]!;
      const termination = { reason: event.data.reason, effectiveDate: event.data.effectiveDate as LocalDate };
      return withEnrollment(state, { ...enrollment, termination });
    }
    case BeneficiaryEventType.Relocated:
      return { ...state, unitCode: event.data.toUnitCode };
    case BeneficiaryEventType.PaymentAccountOpened: {
      const { accountId, bankCode, accountNumber, holderName, openedOn, status } = event.data;
      const verified = status === 'VERIFIED';
      const verifications = state.verifications + (verified ? 1 : 0);
      const account: PaymentAccount = { accountId, bankCode, accountNumber, holderName, openedOn, status, ...(verified ? { verifiedSequence: verifications } : {}) };
      return { ...state, verifications, accounts: [...state.accounts, account] };
    }
    case BeneficiaryEventType.PaymentAccountVerified: {
      const verifications = state.verifications + 1;
      return {
        ...state,
        verifications,
        accounts: state.accounts.map((account) =>
          account.accountId === event.data.accountId ? { ...account, status: 'VERIFIED', verifiedSequence: verifications } : account,
        ),
      };
    }
    case BeneficiaryEventType.PaymentAccountClosed:
      return {
        ...state,
        accounts: state.accounts.map((account) => (account.accountId === event.data.accountId ? { ...account, status: 'CLOSED' } : account)),
      };
    default:
      return unreachable(event);
  }
}

function withEnrollment(state: BeneficiaryState, enrollment: Enrollment): BeneficiaryState {
  return { ...state, enrollments: { ...state.enrollments, [enrollment.program]: enrollment } };
}

export type Inactivity = 'NOT_ENROLLED' | 'NOT_STARTED' | 'SUSPENDED' | 'TERMINATED';
export type ActivityInPeriod = { readonly active: true } | { readonly active: false; readonly reason: Inactivity };

/**
 * An enrollment pays for period P when P is on or after its effective month, P is not inside a
 * suspension, and P is not after the month of its termination (the month someone dies in is
 * still paid; the months after it are not).
 */
export function enrollmentActivityIn(enrollment: Enrollment | undefined, period: Period): ActivityInPeriod {
  if (!enrollment) return { active: false, reason: 'NOT_ENROLLED' };
  if (comparePeriods(period, enrollment.effectiveFrom) < 0) return { active: false, reason: 'NOT_STARTED' };
  if (enrollment.termination && comparePeriods(period, periodOfDate(enrollment.termination.effectiveDate)) > 0) {
    return { active: false, reason: 'TERMINATED' };
  }
  const suspended = enrollment.suspensions.some(
    (suspension) => comparePeriods(period, suspension.from) >= 0 && (!suspension.resumedFrom || comparePeriods(period, suspension.resumedFrom) < 0),
  );
  return suspended ? { active: false, reason: 'SUSPENDED' } : { active: true };
}

/** The account a bank payment goes to: the most recently verified one that is still open. */
export function paymentAccountOf(state: BeneficiaryState): PaymentAccount | undefined {
  let chosen: PaymentAccount | undefined;
  for (const account of state.accounts) {
    if (account.status === 'VERIFIED' && (!chosen || account.verifiedSequence! > chosen.verifiedSequence!)) chosen = account;
  }
  return chosen;
}

/** BANK when the beneficiary has a verified open account at scheduling time, otherwise cash through the Post Office. */
export function paymentChannelOf(state: BeneficiaryState): { channel: PaymentChannel; account?: PaymentAccount } {
  const account = paymentAccountOf(state);
  return account ? { channel: 'BANK', account } : { channel: 'CASH' };
}
