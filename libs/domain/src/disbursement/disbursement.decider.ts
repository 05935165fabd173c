import type { ActivityInPeriod, Inactivity } from '../beneficiary/beneficiary.state.js';
import { unreachable, type Decider, type Decision } from '../decider.js';
import { Conflict, InvalidValue, NotFound, parseVnd, RuleViolation, type Period } from '../shared/index.js';
import type { DisbursementCommand } from './disbursement.commands.js';
import { DisbursementEventType, type CancellationReason, type DisbursementEvent, type PayeeAccount, type PaymentChannel } from './disbursement.events.js';
import { evolveDisbursement, initialDisbursementState, mayBeCancelled, movesWithTheBeneficiary, type DisbursementState, type DisbursementStatus } from './disbursement.state.js';
import { isWithinSettlementWindow, settlementWindowOf } from './settlement-window.js';

type Command<Type extends DisbursementCommand['type']> = Extract<DisbursementCommand, { type: Type }>;

export function decideForDisbursement(command: DisbursementCommand, state: DisbursementState): Decision<DisbursementEvent> {
  if (command.type === 'ScheduleDisbursement') {
    if (!state.exists) return [{ type: DisbursementEventType.Scheduled, data: command.data }];
    if (state.status === 'SCHEDULED' && state.payrollRunId === null) {
      return [{ type: DisbursementEventType.AssignedToRun, data: { payrollRunId: command.data.payrollRunId, attempt: state.attempt } }];
    }
    throw new Conflict('ALREADY_SCHEDULED', `A disbursement for ${state.program} ${state.period} already exists`, { disbursementId: state.disbursementId });
  }
  if (!state.exists) throw new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');

  switch (command.type) {
    case 'SendDisbursement': {
      if (state.payrollRunId !== command.data.payrollRunId) {
        throw new Conflict('NOT_IN_RUN', 'The disbursement is not part of this payroll run', { payrollRunId: state.payrollRunId });
      }
      if (state.status !== 'SCHEDULED') return [];
      // The freeze: a month the enrollment is suspended or terminated for is never sent.
      if (!command.data.enrollment.active) return [cancellation(state, command.data.enrollment.reason)];
      const sent: DisbursementEvent = { type: DisbursementEventType.Sent, data: { payrollRunId: command.data.payrollRunId, attempt: state.attempt } };
      if (state.channel === 'BANK' && !command.data.scheduledAccountOpen) return [toThePostOfficeInstead(state), sent];
      return [sent];
    }
    case 'SettleDisbursement':
      return settle(command, state);
    case 'FailDisbursement':
      assertStatus(state, ['SENT'], 'failed');
      if (state.channel !== 'BANK') throw new RuleViolation('NOT_A_BANK_PAYMENT', 'Only a bank transfer can fail; cash that was not collected is returned');
      return [{ type: DisbursementEventType.Failed, data: { attempt: state.attempt, reason: command.data.reason } }];
    case 'ReturnDisbursement':
      assertStatus(state, ['SENT'], 'returned');
      if (state.channel !== 'CASH') throw new RuleViolation('NOT_A_CASH_PAYMENT', 'Only cash through the Post Office is returned; a bank transfer fails');
      return [{ type: DisbursementEventType.Returned, data: { attempt: state.attempt, reason: command.data.reason } }];
    case 'RescheduleDisbursement': {
      // A CANCELLED one too, once its month is covered again (a resumption): it is that month's one stream.
      assertStatus(state, ['FAILED', 'RETURNED', 'CANCELLED'], 'rescheduled');
      assertEnrollmentActive(command.data.enrollment, state);
      const { channel, account, reason } = command.data;
      assertNotBackToTheFailedAccount(state, channel, account);
      return [
        { type: DisbursementEventType.Rescheduled, data: { attempt: state.attempt + 1, previousAttempt: state.attempt, channel, account, reason } },
      ];
    }
    case 'TakeOverDisbursement':
      if (state.status === 'SCHEDULED' && state.payrollRunId === command.data.payrollRunId) return [];
      // Only while it waits, unsent, in the run that is given up: never from a run that carries on.
      if (state.status !== 'SCHEDULED' || state.payrollRunId !== command.data.fromRun) {
        throw new Conflict('NOT_IN_RUN', 'The disbursement is no longer waiting in the run it would be taken from', { payrollRunId: state.payrollRunId });
      }
      return [{ type: DisbursementEventType.AssignedToRun, data: { payrollRunId: command.data.payrollRunId, attempt: state.attempt } }];
    case 'CancelDisbursement':
      // A month no longer owed is not owed late either: a failed or returned payment is cancelled too.
      if (!mayBeCancelled(state.status) || command.data.enrollment.active) return [];
      return [cancellation(state, command.data.enrollment.reason)];
    case 'FlagOverpayment':
      if (state.status !== 'PAID' || state.overpaymentFlagged) return [];
      return [
        {
          type: DisbursementEventType.OverpaymentFlagged,
          data: {
            amount: state.payment!.amount,
            reason: `Paid for ${state.period}, after the enrollment's termination on ${command.data.terminationEffectiveDate}`,
            reasonCode: 'TERMINATED_BEFORE_PERIOD',
            terminationEffectiveDate: command.data.terminationEffectiveDate,
          },
        },
      ];
    case 'WithdrawOverpayment':
      // Only the termination's flag falls with the termination: money paid after a cancellation left
      // against the ledger's own instruction, and is settled with the paying agent, not by a correction.
      if (!state.overpaymentFlagged || state.overpaymentReasonCode !== 'TERMINATED_BEFORE_PERIOD') return [];
      return [{ type: DisbursementEventType.OverpaymentWithdrawn, data: { amount: state.payment!.amount, reason: command.data.reason } }];
    case 'RelocateDisbursement':
      // Unpaid ones move with the beneficiary; one that is out with the paying agent stays with the run that sent it.
      if (!movesWithTheBeneficiary(state.status) || state.unitCode === command.data.toUnitCode) return [];
      return [{ type: DisbursementEventType.Relocated, data: { attempt: state.attempt, fromUnitCode: state.unitCode, toUnitCode: command.data.toUnitCode } }];
    case 'ReleaseFromRun':
      if (state.status !== 'SCHEDULED' || state.payrollRunId !== command.data.payrollRunId) return [];
      return [{ type: DisbursementEventType.ReleasedFromRun, data: { payrollRunId: command.data.payrollRunId, attempt: state.attempt } }];
    case 'RecordDuplicateAttempt': {
      const { providerReference, paidAt, usedByDisbursementId } = command.data;
      // A refused attempt is recorded, so its numbers obey the same bounds as a payment's.
      const amount = parseVnd(command.data.amount, 'amount');
      if (Number.isNaN(paidAt.getTime())) throw new InvalidValue('paidAt', 'paidAt must be a point in time');
      return {
        record: [duplicateAttempt(state, { providerReference, paidAt, amount }, { reason: 'PROVIDER_REFERENCE_IN_USE', usedByDisbursementId })],
        // Whose payment the reference settled is not this caller's business: the refusal does not say.
        thenRefuse: new Conflict('PROVIDER_REFERENCE_IN_USE', 'The provider reference already paid another disbursement at this paying agent', {
          disbursementId: state.disbursementId,
          providerReference,
        }),
      };
    }
    default:
      return unreachable(command);
  }
}

export const disbursementDecider: Decider<DisbursementCommand, DisbursementEvent, DisbursementState> = {
  decide: decideForDisbursement,
  evolve: evolveDisbursement,
  initialState: initialDisbursementState,
};


function settle(command: Command<'SettleDisbursement'>, state: DisbursementState): Decision<DisbursementEvent> {
  const { providerReference, paidAt, daysLate, enrollment, recordedAt } = command.data;
  const amount = parseVnd(command.data.amount, 'amount');
  assertPaidAtWithinSettlementWindow(state, paidAt, recordedAt);

  if (state.status === 'PAID') {
    const payment = state.payment!;
    if (payment.providerReference === providerReference) {
      // The paying agent repeating itself says the same thing; the same reference saying something else is not a repeat.
      if (payment.amount === amount && Date.parse(payment.paidAt) === paidAt.getTime()) return [];
      throw new Conflict('SETTLEMENT_MISMATCH', 'The provider reference was already settled with another amount or time', {
        providerReference,
        amount: payment.amount,
        paidAt: payment.paidAt,
      });
    }
    return {
      record: [duplicateAttempt(state, { providerReference, paidAt, amount }, { reason: 'PAID_UNDER_ANOTHER_REFERENCE', paidUnderReference: payment.providerReference })],
      thenRefuse: new Conflict('DUPLICATE_PAYMENT', 'The disbursement was already paid under another provider reference', {
        disbursementId: state.disbursementId,
        paidAt: payment.paidAt,
      }),
    };
  }

  // Money that left is never refused: a cancellation that came after sending may not have reached the paying agent.
  const paidAfterCancellation = state.status === 'CANCELLED' && state.wasSent;
  if (!paidAfterCancellation) assertStatus(state, ['SENT'], 'settled');
  assertSettledAmountIsTheDisbursementAmount(state, amount);
  const paid: DisbursementEvent = {
    type: DisbursementEventType.Paid,
    data: { attempt: state.attempt, providerReference, paidAt: paidAt.toISOString(), amount, daysLate },
  };
  if (paidAfterCancellation) return [paid, paidAfterCancellationFlag(amount, `Paid for ${state.period} after the disbursement was cancelled`)];
  if (!enrollment.active) {
    return [paid, paidAfterCancellationFlag(amount, `Paid for ${state.period}, a month the enrollment no longer covers (${enrollment.reason})`)];
  }
  return [paid];
}

/** A payment that was not one, kept for the duplicate-attempts report: what was presented, and why it was refused. */
function duplicateAttempt(
  state: DisbursementState,
  attempt: { providerReference: string; paidAt: Date; amount: number },
  why: { reason: 'PROVIDER_REFERENCE_IN_USE'; usedByDisbursementId: string } | { reason: 'PAID_UNDER_ANOTHER_REFERENCE'; paidUnderReference: string },
): DisbursementEvent {
  return {
    type: DisbursementEventType.DuplicatePaymentRejected,
    data: { disbursementId: state.disbursementId, providerReference: attempt.providerReference, paidAt: attempt.paidAt.toISOString(), amount: attempt.amount, ...why },
  };
}

function paidAfterCancellationFlag(amount: number, reason: string): DisbursementEvent {
  return { type: DisbursementEventType.OverpaymentFlagged, data: { amount, reason, reasonCode: 'PAID_AFTER_CANCELLATION' } };
}

function toThePostOfficeInstead(state: DisbursementState): DisbursementEvent {
  return { type: DisbursementEventType.ChannelChanged, data: { attempt: state.attempt, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' } };
}

function assertStatus(state: DisbursementState, allowed: readonly DisbursementStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw new RuleViolation(`DISBURSEMENT_${state.status}`, `A ${state.status} disbursement cannot be ${action}`, { status: state.status });
  }
}

/** Checked at scheduling, sending and rescheduling: no new payment for a month the enrollment does not cover. */
function assertEnrollmentActive(enrollment: ActivityInPeriod, state: DisbursementState): void {
  if (!enrollment.active) {
    throw new RuleViolation('ENROLLMENT_NOT_ACTIVE', `The ${state.program} enrollment is not active in ${state.period} (${enrollment.reason})`, {
      reason: enrollment.reason,
    });
  }
}

function assertSettledAmountIsTheDisbursementAmount(state: DisbursementState, amount: number): void {
  if (amount !== state.amount) {
    throw new RuleViolation('AMOUNT_MISMATCH', `The settlement amount ${amount} differs from the disbursement amount ${state.amount}`, {
      expectedAmount: state.amount,
      settledAmount: amount,
    });
  }
}

/** A payment is not made before the lists for its month go out, nor reported from further ahead than a clock can drift. */
function assertPaidAtWithinSettlementWindow(state: DisbursementState, paidAt: Date, recordedAt: Date): void {
  const window = settlementWindowOf(state.period as Period, recordedAt);
  if (!isWithinSettlementWindow(window, paidAt)) {
    throw new RuleViolation('PAID_AT_OUT_OF_RANGE', `paidAt must lie between ${window.from.toISOString()} and ${window.to.toISOString()}`, {
      earliest: window.from.toISOString(),
      latest: window.to.toISOString(),
    });
  }
}

/** A transfer that bounced off an account would bounce again: the new attempt goes elsewhere. */
function assertNotBackToTheFailedAccount(state: DisbursementState, channel: PaymentChannel, account: PayeeAccount | null): void {
  if (channel === 'BANK' && state.failedAccountId !== null && account?.accountId === state.failedAccountId) {
    throw new RuleViolation('RESCHEDULE_TO_FAILED_ACCOUNT', 'A bank transfer failed into this account; reschedule into another verified open account or in cash', {
      accountId: state.failedAccountId,
    });
  }
}

const cancellationReasons: Record<Inactivity, CancellationReason> = {
  SUSPENDED: 'ENROLLMENT_SUSPENDED',
  TERMINATED: 'ENROLLMENT_TERMINATED',
  NOT_STARTED: 'ENROLLMENT_NOT_STARTED',
  NOT_ENROLLED: 'NOT_ENROLLED',
};

function cancellation(state: DisbursementState, reason: Inactivity): DisbursementEvent {
  return { type: DisbursementEventType.Cancelled, data: { attempt: state.attempt, reason: cancellationReasons[reason] } };
}
