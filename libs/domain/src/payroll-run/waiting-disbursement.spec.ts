import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { disbursementDecider } from '../disbursement/disbursement.decider.js';
import { DisbursementEventType as T, type DisbursementEvent } from '../disbursement/disbursement.events.js';
import { waitingDisbursementFromLastEvent } from './waiting-disbursement.js';

const scheduled: DisbursementEvent = {
  type: T.Scheduled,
  data: {
    disbursementId: 'd-1',
    beneficiaryId: 'b-1',
    program: 'MERITORIOUS',
    period: '2024-04',
    unitCode: '899',
    amount: 2_055_000,
    channel: 'CASH',
    account: null,
    dueDate: '2024-04-10',
    arrears: true,
    payrollRunId: 'run-1',
    attempt: 1,
  },
};
const released: DisbursementEvent = { type: T.ReleasedFromRun, data: { payrollRunId: 'run-1', attempt: 1 } };
const assigned: DisbursementEvent = { type: T.AssignedToRun, data: { payrollRunId: 'run-2', attempt: 1 } };
const takenOver: DisbursementEvent = { type: T.AssignedToRun, data: { payrollRunId: 'run-3', attempt: 1 } };

describe('a waiting disbursement at a glance', () => {
  describe('when its last event scheduled it', () => {
    it('waits in the run that scheduled it, counted at the amount and arrears flag recorded, as the whole stream says', () => {
      const state = fold(disbursementDecider, [scheduled]);
      expect(waitingDisbursementFromLastEvent(scheduled)).toEqual({ payrollRunId: state.payrollRunId, recorded: { amount: state.amount, arrears: state.arrears } });
      expect(state.status).toBe('SCHEDULED');
    });
  });

  describe('when its last event assigned it to a run', () => {
    it('waits in that run, as the whole stream says', () => {
      for (const history of [
        [scheduled, released, assigned],
        [scheduled, takenOver],
        [scheduled, released, assigned, takenOver],
      ]) {
        const state = fold(disbursementDecider, history);
        expect(state.status).toBe('SCHEDULED');
        expect(waitingDisbursementFromLastEvent(history.at(-1)!)).toEqual({ payrollRunId: state.payrollRunId });
      }
    });
  });

  describe('when its last event says too little (released, a new attempt…)', () => {
    it('says nothing, and the stream is read', () => {
      expect(waitingDisbursementFromLastEvent(released)).toBeUndefined();
      expect(waitingDisbursementFromLastEvent({ type: T.Rescheduled, data: { attempt: 2, previousAttempt: 1, channel: 'CASH', account: null, reason: 'returned' } })).toBeUndefined();
    });
  });
});
