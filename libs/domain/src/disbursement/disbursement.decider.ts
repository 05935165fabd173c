import type { ActivityInPeriod, Inactivity } from '../beneficiary/beneficiary.state.js';
import { unreachable, type Decider, type Decision } from '../decider.js';
import { Conflict, NotFound, RuleViolation } from '../shared/index.js';
import type { DisbursementCommand } from './disbursement.commands.js';
import { DisbursementEventType, type CancellationReason, type DisbursementEvent } from './disbursement.events.js';
import { evolveDisbursement, initialDisbursementState, type DisbursementState, type DisbursementStatus } from './disbursement.state.js';

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
      return [{ type: DisbursementEventType.Sent, data: { payrollRunId: command.data.payrollRunId, attempt: state.attempt } }];
    }
    case 'SettleDisbursement': {
      const { providerReference, paidAt, amount, daysLate, enrollment } = command.data;
      if (state.status === 'PAID') {
        // The same reference again is the paying agent repeating itself; another one is a second payment.
        if (state.payment!.providerReference === providerReference) return [];
        return {
          record: [
            {
              type: DisbursementEventType.DuplicatePaymentRejected,
              data: {
                disbursementId: state.disbursementId,
                providerReference,
                paidAt: paidAt.toISOString(),
                amount,
                paidUnderReference: state.payment!.providerReference,
              },
            },
          ],
          thenRefuse: new Conflict('DUPLICATE_PAYMENT', 'The disbursement was already paid under another provider reference', {
            disbursementId: state.disbursementId,
            paidAt: state.payment!.paidAt,
          }),
        };
      }
      assertStatus(state, ['SENT'], 'settled');
      assertEnrollmentActive(enrollment, state);
      if (amount !== state.amount) {
        throw new RuleViolation('AMOUNT_MISMATCH', `The settlement amount ${amount} differs from the disbursement amount ${state.amount}`, {
          expectedAmount: state.amount,
          settledAmount: amount,
        });
      }
      return [{ type: DisbursementEventType.Paid, data: { attempt: state.attempt, providerReference, paidAt: paidAt.toISOString(), amount, daysLate } }];
    }
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
      if ((state.status !== 'SCHEDULED' && state.status !== 'SENT') || command.data.enrollment.active) return [];
      return [cancellation(state, command.data.enrollment.reason)];
    case 'FlagOverpayment':
      if (state.status !== 'PAID' || state.overpaymentFlagged) return [];
      return [
        {
          type: DisbursementEventType.OverpaymentFlagged,
          data: {
            amount: state.payment!.amount,
            reason: `Paid for ${state.period}, after the enrollment's termination on ${command.data.terminationEffectiveDate}`,
            terminationEffectiveDate: command.data.terminationEffectiveDate,
          },
        },
      ];
    default:
      return unreachable(command);
  }
}

export const disbursementDecider: Decider<DisbursementCommand, DisbursementEvent, DisbursementState> = {
  decide: decideForDisbursement,
  evolve: evolveDisbursement,
  initialState: initialDisbursementState,
};

function assertStatus(state: DisbursementState, allowed: readonly DisbursementStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw new RuleViolation(`DISBURSEMENT_${state.status}`, `A ${state.status} disbursement cannot be ${action}`, { status: state.status });
  }
}

/** Checked at scheduling, sending and settlement: no payment for a month the enrollment does not cover. */
function assertEnrollmentActive(enrollment: ActivityInPeriod, state: DisbursementState): void {
  if (!enrollment.active) {
    throw new RuleViolation('ENROLLMENT_NOT_ACTIVE', `The ${state.program} enrollment is not active in ${state.period} (${enrollment.reason})`, {
      reason: enrollment.reason,
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
