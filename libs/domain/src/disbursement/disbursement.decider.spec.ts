import { describe, expect, it } from '@jest/globals';
import type { ActivityInPeriod } from '../beneficiary/beneficiary.state.js';
import { Conflict, NotFound, RuleViolation } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { disbursementDecider } from './disbursement.decider.js';
import { SCHEDULED_AFTER } from './disbursement.state.js';
import { DisbursementEventType as T, type DisbursementEvent, type DisbursementScheduled } from './disbursement.events.js';

const spec = deciderSpec(disbursementDecider);
const active: ActivityInPeriod = { active: true };
const suspended: ActivityInPeriod = { active: false, reason: 'SUSPENDED' };
const terminated: ActivityInPeriod = { active: false, reason: 'TERMINATED' };
const account = { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI' };

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
const settle = (providerReference: string, amount = 2_055_000, enrollment: ActivityInPeriod = active, daysLate = 0) =>
  ({ type: 'SettleDisbursement', data: { providerReference, paidAt, amount, daysLate, enrollment } }) as const;

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
      spec.given([scheduled]).when({ type: 'SendDisbursement', data: { payrollRunId: 'run-1', enrollment: active } }).then([sent]));

    it('is CANCELLED instead when the enrollment is suspended for that period (the freeze)', () =>
      spec
        .given([scheduled])
        .when({ type: 'SendDisbursement', data: { payrollRunId: 'run-1', enrollment: suspended } })
        .then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]));

    it('is not sent by a run it does not belong to', () =>
      spec.given([scheduled]).when({ type: 'SendDisbursement', data: { payrollRunId: 'run-2', enrollment: active } }).thenRefuses(Conflict, 'NOT_IN_RUN'));

    it('is not sent twice', () => spec.given([scheduled, sent]).when({ type: 'SendDisbursement', data: { payrollRunId: 'run-1', enrollment: active } }).then([]));
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

    it('treats the same provider reference again as a harmless repeat', () => spec.given([scheduled, sent, paid]).when(settle('FT24096000123')).then([]));

    it('rejects a different reference for a paid disbursement as a duplicate payment, and records the attempt', () =>
      spec.given([scheduled, sent, paid]).when(settle('FT24096999999')).thenRecordsAndRefuses(
        [
          {
            type: T.DuplicatePaymentRejected,
            data: { disbursementId: 'd-1', providerReference: 'FT24096999999', paidAt: paidAt.toISOString(), amount: 2_055_000, paidUnderReference: 'FT24096000123' },
          },
        ],
        Conflict,
        'DUPLICATE_PAYMENT',
      ));

    it('refuses a settlement for a period the enrollment no longer covers (the freeze)', () =>
      spec.given([scheduled, sent]).when(settle('FT24096000123', 2_055_000, terminated)).thenRefuses(RuleViolation, 'ENROLLMENT_NOT_ACTIVE'));

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
  });

  describe('when the enrollment is suspended or terminated for its period', () => {
    it('cancels a scheduled or sent disbursement', () => {
      spec.given([scheduled]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_TERMINATED' } }]);
      spec.given([scheduled, sent]).when({ type: 'CancelDisbursement', data: { enrollment: suspended } }).then([{ type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }]);
    });

    it('leaves a paid disbursement alone', () => spec.given([scheduled, sent, paid]).when({ type: 'CancelDisbursement', data: { enrollment: terminated } }).then([]));

    it('flags a paid disbursement for a later period as an overpayment to recover, once', () => {
      const flagged: DisbursementEvent = {
        type: T.OverpaymentFlagged,
        data: { amount: 2_055_000, reason: "Paid for 2024-04, after the enrollment's termination on 2024-03-15", terminationEffectiveDate: '2024-03-15' },
      };
      spec.given([scheduled, sent, paid]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([flagged]);
      spec.given([scheduled, sent, paid, flagged]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([]);
      spec.given([scheduled, sent]).when({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-15' } }).then([]);
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
  // Every event type, with a history it can follow: the set must name exactly those that leave the disbursement SCHEDULED.
  const histories: Record<string, DisbursementEvent[]> = {
    [T.Scheduled]: [scheduled],
    [T.AssignedToRun]: [scheduled, sent, failed, { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'BANK', account, reason: 'x' } }, { type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 2 } }],
    [T.Sent]: [scheduled, sent],
    [T.Paid]: [scheduled, sent, paid],
    [T.Failed]: [scheduled, sent, failed],
    [T.Returned]: [{ ...scheduled, data: { ...scheduledData, channel: 'CASH', account: null } }, sent, { type: T.Returned, data: { attempt: 1, reason: 'x' } }],
    [T.Rescheduled]: [scheduled, sent, failed, { type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'BANK', account, reason: 'x' } }],
    [T.Cancelled]: [scheduled, { type: T.Cancelled, data: { attempt: 1, reason: 'ENROLLMENT_SUSPENDED' } }],
    [T.DuplicatePaymentRejected]: [scheduled, sent, paid, { type: T.DuplicatePaymentRejected, data: { disbursementId: 'd-1', providerReference: 'FT2', paidAt: paidAt.toISOString(), amount: 2_055_000, paidUnderReference: 'FT24096000123' } }],
    [T.OverpaymentFlagged]: [scheduled, sent, paid, { type: T.OverpaymentFlagged, data: { amount: 2_055_000, reason: 'DECEASED', terminationEffectiveDate: '2024-03-28' } }],
  };

  it.each(Object.values(T))('tells from %s as last event whether the disbursement is SCHEDULED', (type) => {
    const history = histories[type]!;
    expect(history.at(-1)!.type).toBe(type);
    const state = history.reduce(disbursementDecider.evolve, disbursementDecider.initialState());
    expect(SCHEDULED_AFTER.has(type)).toBe(state.status === 'SCHEDULED');
  });
});
