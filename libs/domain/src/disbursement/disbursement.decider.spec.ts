import { describe, expect, it } from '@jest/globals';
import type { ActivityInPeriod } from '../beneficiary/beneficiary.state.js';
import { fold, refusalOf } from '../decider.js';
import { Conflict, InvalidValue, MAX_VND, NotFound, RuleViolation } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { disbursementDecider } from './disbursement.decider.js';
import { SCHEDULED_AFTER } from './disbursement.state.js';
import { POST_OFFICE } from '../shared/account-number.js';
import { DisbursementEventType as T, payingAgentOf, type DisbursementEvent, type DisbursementScheduled } from './disbursement.events.js';

const spec = deciderSpec(disbursementDecider);
const active: ActivityInPeriod = { active: true };
const suspended: ActivityInPeriod = { active: false, reason: 'SUSPENDED' };
const terminated: ActivityInPeriod = { active: false, reason: 'TERMINATED' };
const account = { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI' };
const otherAccount = { accountId: 'a-2', bankCode: 'BIDV', accountNumber: '31410001234567', holderName: 'BUI TRUNG TAI' };

const scheduledData: DisbursementScheduled['data'] = {
  disbursementId: 'd-1',
  beneficiaryId: 'b-1',
  program: 'MERITORIOUS',
  period: '2024-04',
  unitCode: '899',
  amount: 2_055_000,
  channel: 'BANK',
  account,
  dueDate: '2024-04-10',
  arrears: false,
  payrollRunId: 'run-1',
  attempt: 1,
};
const scheduled: DisbursementEvent = { type: T.Scheduled, data: scheduledData };
const sent: DisbursementEvent = { type: T.Sent, data: { payrollRunId: 'run-1', attempt: 1 } };
const paidAt = new Date('2024-04-05T02:30:00.000Z');
const paid: DisbursementEvent = {
  type: T.Paid,
  data: { attempt: 1, providerReference: 'FT24096000123', paidAt: paidAt.toISOString(), amount: 2_055_000, daysLate: 0 },
};
const failed: DisbursementEvent = { type: T.Failed, data: { attempt: 1, reason: 'Account frozen' } };
const recordedAt = new Date('2024-04-06T03:00:00.000Z');
const settle = (providerReference: string, amount = 2_055_000, enrollment: ActivityInPeriod = active, daysLate = 0, at = paidAt) =>
  ({ type: 'SettleDisbursement', data: { providerReference, paidAt: at, amount, daysLate, enrollment, recordedAt } }) as const;
const send = (enrollment: ActivityInPeriod = active, scheduledAccountOpen = true, payrollRunId = 'run-1') =>
  ({ type: 'SendDisbursement', data: { payrollRunId, enrollment, scheduledAccountOpen } }) as const;

describe('disbursement', () => {
  describe('when scheduled', () => {
    it('is written once for its beneficiary, program and period', () =>
      spec.given([]).when({ type: 'ScheduleDisbursement', data: scheduledData }).then([scheduled]));

    it('refuses a second disbursement for the same beneficiary, program and period', () =>
      spec.given([scheduled]).when({ type: 'ScheduleDisbursement', data: { ...scheduledData, payrollRunId: 'run-2' } }).thenRefuses(Conflict, 'ALREADY_SCHEDULED'));

    it('cannot be acted on before it exists', () => spec.given([]).when(settle('FT1')).thenRefuses(NotFound, 'DISBURSEMENT_NOT_FOUND'));
  });

  describe('when its payroll run is sent', () => {
    it('is SENT when the enrollment is active in its period', () =>
      spec.given([scheduled]).when(send()).then([sent]));

    it('is CANCELLED instead when the enrollment is suspended for that period (the freeze)', () =>
      spec
        .given([scheduled])
        .when(send(suspended))
        .then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]));

    it('is not sent by a run it does not belong to', () =>
      spec.given([scheduled]).when(send(active, true, 'run-2')).thenRefuses(Conflict, 'NOT_IN_RUN'));

    it('is not sent twice', () => spec.given([scheduled, sent]).when(send()).then([]));

    it('goes to the Post Office instead when the account it was scheduled into is no longer open and verified', () =>
      spec
        .given([scheduled])
        .when(send(active, false))
        .then([{ type: T.ChannelChanged, data: { attempt: 1, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' } }, sent]));

    it('is paid in cash by the Post Office once its channel changed', () => {
      const state = fold(disbursementDecider, [scheduled, { type: T.ChannelChanged, data: { attempt: 1, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' } }, sent]);
      expect({ channel: state.channel, account: state.account, status: state.status }).toEqual({ channel: 'CASH', account: null, status: 'SENT' });
      expect(payingAgentOf(state.channel, state.account)).toBe(POST_OFFICE);
    });

    it('keeps a cash payment as it is whatever the account', () => {
      const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
      spec.given([cash]).when(send(active, false)).then([sent]);
    });

    it('is cancelled, not moved to cash, when the enrollment no longer covers its period', () =>
      spec.given([scheduled]).when(send(terminated, false)).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_TERMINATED' } }]));
  });

  describe('when a settlement arrives', () => {
    it('is PAID with the provider reference, time, amount and days late', () =>
      spec.given([scheduled, sent]).when(settle('FT24096000123')).then([paid]));

    it('records the days late it was paid', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24096000123', 2_055_000, active, 3))
        .then([{ ...paid, data: { ...paid.data, daysLate: 3 } } as DisbursementEvent]));

    it('refuses an amount that differs from the disbursement amount', () =>
      spec.given([scheduled, sent]).when(settle('FT24096000123', 2_055_001)).thenRefuses(RuleViolation, 'AMOUNT_MISMATCH'));

    it('treats the same provider reference, amount and time again as a harmless repeat', () =>
      spec.given([scheduled, sent, paid]).when(settle('FT24096000123', 2_055_000, active, 0, new Date('2024-04-05T09:30:00+07:00'))).then([]));

    it('refuses the same provider reference with another amount', () =>
      spec.given([scheduled, sent, paid]).when(settle('FT24096000123', 2_055_001)).thenRefuses(Conflict, 'SETTLEMENT_MISMATCH'));

    it('refuses the same provider reference with another time', () =>
      spec
        .given([scheduled, sent, paid])
        .when(settle('FT24096000123', 2_055_000, active, 0, new Date('2024-04-05T02:30:01.000Z')))
        .thenRefuses(Conflict, 'SETTLEMENT_MISMATCH'));

    it('rejects a different reference for a paid disbursement as a duplicate payment, and records the attempt', () =>
      spec.given([scheduled, sent, paid]).when(settle('FT24096999999')).thenRecordsAndRefuses(
        [
          {
            type: T.DuplicatePaymentRejected,
            data: {
              disbursementId: 'd-1',
              providerReference: 'FT24096999999',
              paidAt: paidAt.toISOString(),
              amount: 2_055_000,
              reason: 'PAID_UNDER_ANOTHER_REFERENCE',
              paidUnderReference: 'FT24096000123',
            },
          },
        ],
        Conflict,
        'DUPLICATE_PAYMENT',
      ));

    it('accepts money that left for a period the enrollment no longer covers, and flags it to recover', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24096000123', 2_055_000, terminated))
        .then([
          paid,
          {
            type: T.OverpaymentFlagged,
            data: { amount: 2_055_000, reason: 'Paid for 2024-04, a month the enrollment no longer covers (TERMINATED)', reasonCode: 'PAID_AFTER_CANCELLATION' },
          },
        ]));

    it('refuses a settlement of a disbursement that was never sent', () =>
      spec.given([scheduled]).when(settle('FT24096000123')).thenRefuses(RuleViolation, 'DISBURSEMENT_SCHEDULED'));
  });

  describe('when the paying agent could not pay', () => {
    it('is FAILED when the bank rejects it', () =>
      spec.given([scheduled, sent]).when({ type: 'FailDisbursement', data: { reason: 'Account frozen' } }).then([failed]));

    it('is RETURNED when the cash was not collected, and only for cash', () => {
      const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
      spec.given([cash, sent]).when({ type: 'ReturnDisbursement', data: { reason: 'Not collected' } }).then([{ type: T.Returned, data: { attempt: 1, reason: 'Not collected' } }]);
      spec.given([scheduled, sent]).when({ type: 'ReturnDisbursement', data: { reason: 'x' } }).thenRefuses(RuleViolation, 'NOT_A_CASH_PAYMENT');
      spec.given([cash, sent]).when({ type: 'FailDisbursement', data: { reason: 'x' } }).thenRefuses(RuleViolation, 'NOT_A_BANK_PAYMENT');
    });

    it('is rescheduled as a new attempt linked to the old one, in the channel chosen now', () =>
      spec
        .given([scheduled, sent, failed])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'Pay at the post office', enrollment: active } })
        .then([{ type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'Pay at the post office' } }]));

    it('is picked up by the next payroll run once rescheduled', () =>
      spec
        .given([scheduled, sent, failed, { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'r' } }])
        .when({ type: 'ScheduleDisbursement', data: { ...scheduledData, payrollRunId: 'run-2' } })
        .then([{ type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 2 } }]));

    it('is rescheduled after a cancellation once the enrollment covers its period again', () => {
      const cancelled: DisbursementEvent = { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } };
      spec
        .given([scheduled, cancelled])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'Resumed', enrollment: active } })
        .then([{ type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'Resumed' } }]);
      spec
        .given([scheduled, cancelled])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'r', enrollment: suspended } })
        .thenRefuses(RuleViolation, 'ENROLLMENT_NOT_ACTIVE');
    });

    it('cannot be rescheduled unless it failed, was returned or was cancelled', () =>
      spec
        .given([scheduled, sent, paid])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'r', enrollment: active } })
        .thenRefuses(RuleViolation, 'DISBURSEMENT_PAID'));

    it('cannot be rescheduled for a period the enrollment no longer covers', () =>
      spec
        .given([scheduled, sent, failed])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'CASH', account: null, reason: 'r', enrollment: suspended } })
        .thenRefuses(RuleViolation, 'ENROLLMENT_NOT_ACTIVE'));

    it('is never rescheduled by bank into the account the transfer failed into', () =>
      spec
        .given([scheduled, sent, failed])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'BANK', account, reason: 'Try again', enrollment: active } })
        .thenRefuses(RuleViolation, 'RESCHEDULE_TO_FAILED_ACCOUNT'));

    it('is rescheduled by bank into another account', () =>
      spec
        .given([scheduled, sent, failed])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'BANK', account: otherAccount, reason: 'New account', enrollment: active } })
        .then([{ type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'BANK', account: otherAccount, reason: 'New account' } }]));

    it('is not rescheduled into the failed account after a cancellation either', () =>
      spec
        .given([scheduled, sent, failed, { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'BANK', account, reason: 'Resumed', enrollment: active } })
        .thenRefuses(RuleViolation, 'RESCHEDULE_TO_FAILED_ACCOUNT'));

    it('judges the account by the attempt that just failed, not by older attempts', () => {
      // A failed, then cash was not collected: A is open and verified again, and the workflow may choose it.
      const toCash: DisbursementEvent = { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'Cash' } };
      spec
        .given([scheduled, sent, failed, toCash, { type: T.Sent, data: { payrollRunId: 'run-2', attempt: 2 } }, { type: T.Returned, data: { attempt: 2, reason: 'Not collected' } }])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'BANK', account, reason: 'Account unfrozen', enrollment: active } })
        .then([{ type: T.Rescheduled, data: { attempt: 3, previousAttempt: 2, channel: 'BANK', account, reason: 'Account unfrozen' } }]);
    });

    it('is rescheduled by bank into an account that only a returned cash payment preceded', () => {
      const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
      spec
        .given([cash, sent, { type: T.Returned, data: { attempt: 1, reason: 'Not collected' } }])
        .when({ type: 'RescheduleDisbursement', data: { channel: 'BANK', account, reason: 'Has an account now', enrollment: active } })
        .then([{ type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'BANK', account, reason: 'Has an account now' } }]);
    });
  });

  describe('when the enrollment is suspended or terminated for its period', () => {
    it('cancels a scheduled or sent disbursement', () => {
      spec.given([scheduled]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_TERMINATED' } }]);
      spec.given([scheduled, sent]).when({ type: 'CancelDisbursement', data: { enrollment: suspended } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]);
    });

    it('cancels a failed or returned disbursement: a month no longer owed is not late', () => {
      const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
      const returned: DisbursementEvent = { type: T.Returned, data: { attempt: 1, reason: 'Not collected' } };
      spec.given([scheduled, sent, failed]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_TERMINATED' } }]);
      spec.given([cash, sent, returned]).when({ type: 'CancelDisbursement', data: { enrollment: suspended } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]);
    });

    it('leaves a disbursement alone while the enrollment covers its period', () =>
      spec.given([scheduled, sent, failed]).when({ type: 'CancelDisbursement', data: { enrollment: active } }).then([]));

    it('leaves a paid disbursement alone', () => spec.given([scheduled, sent, paid]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([]));

    it('cancels once', () =>
      spec.given([scheduled, { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([]));

    it('flags a paid disbursement for a later period as an overpayment to recover, once', () => {
      const flagged: DisbursementEvent = {
        type: T.OverpaymentFlagged,
        data: {
          amount: 2_055_000,
          reason: "Paid for 2024-04, after the enrollment's termination on 2024-03-15",
          reasonCode: 'TERMINATED_BEFORE_PERIOD',
          terminationEffectiveDate: '2024-03-15',
        },
      };
      spec.given([scheduled, sent, paid]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([flagged]);
      spec.given([scheduled, sent, paid, flagged]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([]);
      spec.given([scheduled, sent]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([]);
    });
  });

  describe('when a settlement is out of bounds', () => {
    // The window of 2024-04 opens on 2024-03-01 at 00:00 in Vietnam, 2024-02-29T17:00Z.
    const windowOpens = new Date('2024-03-01T00:00:00+07:00');

    it('refuses an amount above the largest amount in đồng before anything else', () => {
      spec.given([scheduled, sent]).when(settle('FT24096000123', MAX_VND + 1)).thenRefuses(InvalidValue, 'INVALID_VALUE');
      // Not even recorded as a duplicate attempt: such a number never reaches an event.
      spec.given([scheduled, sent, paid]).when(settle('FT24096999999', MAX_VND + 1)).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });

    it('refuses an amount that is not a whole number of đồng', () =>
      spec.given([scheduled, sent]).when(settle('FT24096000123', 2_055_000.5)).thenRefuses(InvalidValue, 'INVALID_VALUE'));

    it('accepts a payment made from the first day of the month before its period, Vietnam time', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24061000001', 2_055_000, active, 0, windowOpens))
        .then([{ type: T.Paid, data: { attempt: 1, providerReference: 'FT24061000001', paidAt: '2024-02-29T17:00:00.000Z', amount: 2_055_000, daysLate: 0 } }]));

    it('refuses a payment dated before the month before its period', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24061000001', 2_055_000, active, 0, new Date(windowOpens.getTime() - 1)))
        .thenRefuses(RuleViolation, 'PAID_AT_OUT_OF_RANGE'));

    it('accepts a payment dated up to a day after it is recorded', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24097000001', 2_055_000, active, 0, new Date('2024-04-07T03:00:00.000Z')))
        .then([{ type: T.Paid, data: { attempt: 1, providerReference: 'FT24097000001', paidAt: '2024-04-07T03:00:00.000Z', amount: 2_055_000, daysLate: 0 } }]));

    it('refuses a payment dated more than a day after it is recorded', () =>
      spec
        .given([scheduled, sent])
        .when(settle('FT24097000001', 2_055_000, active, 0, new Date('2024-04-07T03:00:00.001Z')))
        .thenRefuses(RuleViolation, 'PAID_AT_OUT_OF_RANGE'));

    it('refuses a time that is no time', () =>
      spec.given([scheduled, sent]).when(settle('FT24097000001', 2_055_000, active, 0, new Date(Number.NaN))).thenRefuses(RuleViolation, 'PAID_AT_OUT_OF_RANGE'));
  });

  describe('when money left for a disbursement cancelled after it was sent', () => {
    const cancelledAfterSending: DisbursementEvent = { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_TERMINATED' } };
    const flaggedAfterCancellation: DisbursementEvent = {
      type: T.OverpaymentFlagged,
      data: { amount: 2_055_000, reason: 'Paid for 2024-04 after the disbursement was cancelled', reasonCode: 'PAID_AFTER_CANCELLATION' },
    };

    it('accepts the settlement: PAID, and flagged as an overpayment to recover', () =>
      spec.given([scheduled, sent, cancelledAfterSending]).when(settle('FT24096000123', 2_055_000, terminated)).then([paid, flaggedAfterCancellation]));

    it('still refuses a settlement of a cancelled disbursement that was never sent', () =>
      spec.given([scheduled, cancelledAfterSending]).when(settle('FT24096000123', 2_055_000, terminated)).thenRefuses(RuleViolation, 'DISBURSEMENT_CANCELLED'));

    it('still refuses another amount than the disbursement amount', () =>
      spec.given([scheduled, sent, cancelledAfterSending]).when(settle('FT24096000123', 2_000_000, terminated)).thenRefuses(RuleViolation, 'AMOUNT_MISMATCH'));

    it('treats the same settlement again as a harmless repeat', () =>
      spec.given([scheduled, sent, cancelledAfterSending, paid, flaggedAfterCancellation]).when(settle('FT24096000123', 2_055_000, terminated)).then([]));

    it('is not flagged a second time by a termination', () =>
      spec.given([scheduled, sent, cancelledAfterSending, paid, flaggedAfterCancellation]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([]));

    it('keeps its flag when the month is owed again', () =>
      spec.given([scheduled, sent, cancelledAfterSending, paid, flaggedAfterCancellation]).when({ type: 'WithdrawOverpayment', data: { reason: 'Termination revoked' } }).then([]));
  });

  describe('when the termination behind an overpayment no longer stands', () => {
    const flagged: DisbursementEvent = {
      type: T.OverpaymentFlagged,
      data: { amount: 2_055_000, reason: 'terminated', reasonCode: 'TERMINATED_BEFORE_PERIOD', terminationEffectiveDate: '2024-03-15' },
    };
    const withdrawn: DisbursementEvent = { type: T.OverpaymentWithdrawn, data: { amount: 2_055_000, reason: 'Termination revoked' } };
    const withdraw = { type: 'WithdrawOverpayment', data: { reason: 'Termination revoked' } } as const;

    it('withdraws the flag', () => spec.given([scheduled, sent, paid, flagged]).when(withdraw).then([withdrawn]));

    it('withdraws a flag written before flags had reason codes', () =>
      spec
        .given([scheduled, sent, paid, { type: T.OverpaymentFlagged, data: { amount: 2_055_000, reason: 'DECEASED', terminationEffectiveDate: '2024-03-28' } }])
        .when(withdraw)
        .then([withdrawn]));

    it('withdraws nothing that was not flagged, and once', () => {
      spec.given([scheduled, sent, paid]).when(withdraw).then([]);
      spec.given([scheduled, sent, paid, flagged, withdrawn]).when(withdraw).then([]);
    });

    it('is flagged again by a later termination that reaches back over the month', () =>
      spec
        .given([scheduled, sent, paid, flagged, withdrawn])
        .when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-20' } })
        .then([
          {
            type: T.OverpaymentFlagged,
            data: {
              amount: 2_055_000,
              reason: "Paid for 2024-04, after the enrollment's termination on 2024-03-20",
              reasonCode: 'TERMINATED_BEFORE_PERIOD',
              terminationEffectiveDate: '2024-03-20',
            },
          },
        ]));
  });

  describe('when the beneficiary moves to another unit', () => {
    const relocate = { type: 'RelocateDisbursement', data: { toUnitCode: '911' } } as const;
    const relocated: DisbursementEvent = { type: T.Relocated, data: { attempt: 1, fromUnitCode: '899', toUnitCode: '911' } };

    it('moves an unsent disbursement out of its run, for the next run of the new unit', () => {
      spec.given([scheduled]).when(relocate).then([relocated]);
      spec.given([scheduled, relocated]).when(send()).thenRefuses(Conflict, 'NOT_IN_RUN');
      spec
        .given([scheduled, relocated])
        .when({ type: 'ScheduleDisbursement', data: { ...scheduledData, unitCode: '911', payrollRunId: 'run-911' } })
        .then([{ type: T.AssignedToRun, data: { payrollRunId: 'run-911', attempt: 1 } }]);
      expect(fold(disbursementDecider, [scheduled, relocated])).toMatchObject({ unitCode: '911', payrollRunId: null, status: 'SCHEDULED' });
    });

    it('moves a failed or returned disbursement', () => {
      const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
      spec.given([scheduled, sent, failed]).when(relocate).then([relocated]);
      spec.given([cash, sent, { type: T.Returned, data: { attempt: 1, reason: 'Not collected' } }]).when(relocate).then([relocated]);
      expect(fold(disbursementDecider, [scheduled, sent, failed, relocated])).toMatchObject({ unitCode: '911', status: 'FAILED' });
    });

    it('leaves a sent, paid or cancelled disbursement where it is', () => {
      spec.given([scheduled, sent]).when(relocate).then([]);
      spec.given([scheduled, sent, paid]).when(relocate).then([]);
      spec.given([scheduled, { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]).when(relocate).then([]);
    });

    it('moves once', () => spec.given([scheduled, relocated]).when(relocate).then([]));
  });

  describe('when its payroll run will not send it', () => {
    const released: DisbursementEvent = { type: T.ReleasedFromRun, data: { payrollRunId: 'run-1', attempt: 1 } };

    it('is released from the run, for the next run of its period to adopt', () => {
      spec.given([scheduled]).when({ type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } }).then([released]);
      spec
        .given([scheduled, released])
        .when({ type: 'ScheduleDisbursement', data: { ...scheduledData, payrollRunId: 'run-2' } })
        .then([{ type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 1 } }]);
    });

    it('is not released from a run it does not wait in, nor once sent', () => {
      spec.given([scheduled]).when({ type: 'ReleaseFromRun', data: { payrollRunId: 'run-9' } }).then([]);
      spec.given([scheduled, sent]).when({ type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } }).then([]);
      spec.given([scheduled, released]).when({ type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } }).then([]);
    });
  });

  describe('when its provider reference already paid another disbursement', () => {
    const attempt = (amount = 2_055_000) =>
      ({ type: 'RecordDuplicateAttempt', data: { providerReference: 'FT24096000123', paidAt, amount, usedByDisbursementId: 'd-2' } }) as const;

    it('records the attempt and refuses it', () =>
      spec.given([scheduled, sent]).when(attempt()).thenRecordsAndRefuses(
        [
          {
            type: T.DuplicatePaymentRejected,
            data: {
              disbursementId: 'd-1',
              providerReference: 'FT24096000123',
              paidAt: paidAt.toISOString(),
              amount: 2_055_000,
              reason: 'PROVIDER_REFERENCE_IN_USE',
              usedByDisbursementId: 'd-2',
            },
          },
        ],
        Conflict,
        'PROVIDER_REFERENCE_IN_USE',
      ));

    it('does not tell the caller which disbursement the reference paid', () => {
      const refusal = refusalOf(disbursementDecider.decide(attempt(), fold(disbursementDecider, [scheduled, sent])));
      expect(refusal?.details).toEqual({ disbursementId: 'd-1', providerReference: 'FT24096000123' });
    });

    it('refuses an amount above the largest amount in đồng', () => spec.given([scheduled, sent]).when(attempt(MAX_VND + 1)).thenRefuses(InvalidValue, 'INVALID_VALUE'));

    it('refuses a time that is no time', () =>
      spec
        .given([scheduled, sent])
        .when({ type: 'RecordDuplicateAttempt', data: { providerReference: 'FT1', paidAt: new Date(Number.NaN), amount: 2_055_000, usedByDisbursementId: 'd-2' } })
        .thenRefuses(InvalidValue, 'INVALID_VALUE'));
  });

  describe('whether money may have left', () => {
    const wasSent = (events: DisbursementEvent[]) => fold(disbursementDecider, events).wasSent;

    it('is not so before any attempt is sent', () => expect(wasSent([scheduled])).toBe(false));

    it('is so once an attempt is sent, whatever follows', () => {
      expect(wasSent([scheduled, sent])).toBe(true);
      expect(wasSent([scheduled, sent, failed, { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'r' } }])).toBe(true);
    });
  });
});

describe('a disbursement taken over from a payroll run given up while scheduling', () => {
  const takeOver = (fromRun: string) => ({ type: 'TakeOverDisbursement', data: { payrollRunId: 'run-2', fromRun } }) as const;
  const assigned: DisbursementEvent = { type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 1 } };

  it('moves, unsent, to the run that took it over', () => spec.given([scheduled]).when(takeOver('run-1')).then([assigned]));

  it('moves once', () => spec.given([scheduled, assigned]).when(takeOver('run-1')).then([]));

  it('is not taken from a run it no longer waits in', () => spec.given([scheduled]).when(takeOver('run-9')).thenRefuses(Conflict, 'NOT_IN_RUN'));

  it('is never taken over once sent', () => spec.given([scheduled, sent]).when(takeOver('run-1')).thenRefuses(Conflict, 'NOT_IN_RUN'));
});

describe('SCHEDULED_AFTER', () => {
  // Every event type, with the histories it can end: the set must name exactly those after which the disbursement may be SCHEDULED.
  const rescheduled: DisbursementEvent = { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'BANK', account: otherAccount, reason: 'x' } };
  const cash: DisbursementEvent = { type: T.Scheduled, data: { ...scheduledData, channel: 'CASH', account: null } };
  const returned: DisbursementEvent = { type: T.Returned, data: { attempt: 1, reason: 'x' } };
  const relocated: DisbursementEvent = { type: T.Relocated, data: { attempt: 1, fromUnitCode: '899', toUnitCode: '911' } };
  const histories: Record<string, DisbursementEvent[][]> = {
    [T.Scheduled]: [[scheduled]],
    [T.AssignedToRun]: [[scheduled, sent, failed, rescheduled, { type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 2 } }]],
    [T.Sent]: [[scheduled, sent]],
    [T.Paid]: [[scheduled, sent, paid]],
    [T.Failed]: [[scheduled, sent, failed]],
    [T.Returned]: [[cash, sent, returned]],
    [T.Rescheduled]: [[scheduled, sent, failed, rescheduled]],
    [T.Cancelled]: [[scheduled, { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]],
    [T.DuplicatePaymentRejected]: [
      [
        scheduled,
        sent,
        paid,
        { type: T.DuplicatePaymentRejected, data: { disbursementId: 'd-1', providerReference: 'FT2', paidAt: paidAt.toISOString(), amount: 2_055_000, paidUnderReference: 'FT24096000123' } },
      ],
      [
        scheduled,
        sent,
        { type: T.DuplicatePaymentRejected, data: { disbursementId: 'd-1', providerReference: 'FT2', paidAt: paidAt.toISOString(), amount: 2_055_000, reason: 'PROVIDER_REFERENCE_IN_USE', usedByDisbursementId: 'd-2' } },
      ],
    ],
    [T.OverpaymentFlagged]: [[scheduled, sent, paid, { type: T.OverpaymentFlagged, data: { amount: 2_055_000, reason: 'DECEASED', terminationEffectiveDate: '2024-03-28' } }]],
    [T.OverpaymentWithdrawn]: [
      [
        scheduled,
        sent,
        paid,
        { type: T.OverpaymentFlagged, data: { amount: 2_055_000, reason: 'DECEASED', terminationEffectiveDate: '2024-03-28' } },
        { type: T.OverpaymentWithdrawn, data: { amount: 2_055_000, reason: 'revoked' } },
      ],
    ],
    [T.ChannelChanged]: [[scheduled, { type: T.ChannelChanged, data: { attempt: 1, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' } }]],
    [T.Relocated]: [[scheduled, relocated], [scheduled, sent, failed, relocated], [cash, sent, returned, relocated]],
    [T.ReleasedFromRun]: [[scheduled, { type: T.ReleasedFromRun, data: { payrollRunId: 'run-1', attempt: 1 } }]],
  };

  it.each(Object.values(T))('tells from %s as last event whether the disbursement may be SCHEDULED', (type) => {
    const endings = histories[type]!;
    for (const history of endings) expect(history.at(-1)!.type).toBe(type);
    const mayBeScheduled = endings.some((history) => fold(disbursementDecider, history).status === 'SCHEDULED');
    expect(SCHEDULED_AFTER.has(type)).toBe(mayBeScheduled);
  });
});
