import { describe, expect, it } from '@jest/globals';
import { DisbursementEventType } from '../disbursement/disbursement.events.js';
import { initialPayrollRunState, type PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import type { PlannedDisbursement } from '../payroll-run/payroll-plan.js';
import { DISBURSEMENT_IDS_PER_EVENT } from '../payroll-run/payroll-run.stream.js';
import type { Period } from '../shared/index.js';
import { beneficiaryId, disbursement, PROGRAM } from '../testing/workflow-fixtures.js';
import {
  completeScheduling,
  countAsExisting,
  countAsScheduled,
  decideForExistingDisbursement,
  emptySchedulingTally,
  mayStillBeWaiting,
  mayTakeOverFrom,
  schedulingSummaryOf,
} from './schedule-payroll.workflow.js';

const planned = (period: string, arrears = false, amount = 2_055_000): PlannedDisbursement => ({
  disbursementId: disbursement(period, []).disbursementId,
  beneficiaryId,
  program: PROGRAM,
  period: period as Period,
  unitCode: '899',
  amount,
  channel: 'CASH',
  account: null,
  dueDate: `${period}-10`,
  arrears,
});
const run = (status: PayrollRunState['status']): PayrollRunState => ({ ...initialPayrollRunState(), exists: true, runId: 'run-0', status });

describe('scheduling a payroll run', () => {
  describe('when a month already has its disbursement', () => {
    it('reads it only when its last event says it may still wait for a run', () => {
      expect([DisbursementEventType.Scheduled, DisbursementEventType.Rescheduled, DisbursementEventType.ReleasedFromRun, DisbursementEventType.Relocated].every(mayStillBeWaiting)).toBe(true);
      expect([DisbursementEventType.Sent, DisbursementEventType.Paid, DisbursementEventType.Cancelled].some(mayStillBeWaiting)).toBe(false);
    });

    it('counts one it scheduled itself (it is being resumed) without writing', () => {
      expect(decideForExistingDisbursement('run-1', planned('2024-04'), disbursement('2024-04', [], { runId: 'run-1' }))).toEqual({ kind: 'OURS' });
    });

    it('adopts one waiting for any run: a new attempt, or one released by a rejected run or a relocation', () => {
      const waiting = { ...disbursement('2024-04', []), payrollRunId: null };
      expect(decideForExistingDisbursement('run-1', planned('2024-04'), waiting)).toMatchObject({ kind: 'ADOPT', command: { type: 'ScheduleDisbursement' } });
    });

    it('asks about one waiting in another run, and leaves one on its way or done', () => {
      expect(decideForExistingDisbursement('run-1', planned('2024-04'), disbursement('2024-04', [], { runId: 'run-0' }))).toEqual({
        kind: 'IN_OTHER_RUN',
        otherRunId: 'run-0',
        command: { type: 'TakeOverDisbursement', data: { payrollRunId: 'run-1', fromRun: 'run-0' } },
      });
      expect(decideForExistingDisbursement('run-1', planned('2024-04'), disbursement('2024-04', ['sent']))).toEqual({ kind: 'NOT_OURS' });
    });
  });

  describe('when another run holds a disbursement unsent', () => {
    it('gives up a run interrupted while scheduling, then takes over', () => {
      expect(mayTakeOverFrom('run-1', run('SCHEDULING'))).toEqual({ decision: 'ABANDON_THEN_TAKE', command: { type: 'AbandonPayrollRun', data: { takenOverBy: 'run-1' } } });
    });
    it('takes over from a run abandoned or rejected already', () => {
      expect(mayTakeOverFrom('run-1', run('ABANDONED')).decision).toBe('TAKE');
      expect(mayTakeOverFrom('run-1', run('REJECTED')).decision).toBe('TAKE');
    });
    it('never from a run that finished scheduling: the checker approves those lists', () => {
      for (const status of ['SCHEDULED', 'APPROVED', 'SENT'] as const) expect(mayTakeOverFrom('run-1', run(status)).decision).toBe('KEEP');
    });
  });

  describe('what a run counts', () => {
    it('reports an arrears month already paid as nothing, and its own month already scheduled as such', () => {
      const tally = emptySchedulingTally();
      countAsExisting(tally, planned('2024-01', true));
      countAsExisting(tally, planned('2024-04'));
      expect(schedulingSummaryOf(tally)).toMatchObject({ scheduled: 0, alreadyScheduled: 1 });
    });

    it('lists a person owed more than twelve months of arrears for the checker', () => {
      const tally = emptySchedulingTally();
      for (let month = 1; month <= 13; month++) countAsScheduled(tally, planned(`2023-${String(month).padStart(2, '0')}`.replace('2023-13', '2024-01'), true, 1_000));
      countAsScheduled(tally, planned('2024-04'));
      expect(schedulingSummaryOf(tally)).toMatchObject({ scheduled: 14, arrears: 13, totalAmount: 13_000 + 2_055_000, largeArrears: [{ beneficiaryId, months: 13, totalAmount: 13_000 }] });
    });

    it('lists arrears over 50,000,000 VND even in fewer months, and not twelve ordinary months', () => {
      const large = emptySchedulingTally();
      countAsScheduled(large, planned('2024-01', true, 50_000_001));
      expect(schedulingSummaryOf(large).largeArrears).toEqual([{ beneficiaryId, months: 1, totalAmount: 50_000_001 }]);
      const ordinary = emptySchedulingTally();
      for (let month = 1; month <= 12; month++) countAsScheduled(ordinary, planned(`2023-${String(month).padStart(2, '0')}`, true));
      expect(schedulingSummaryOf(ordinary).largeArrears).toEqual([]);
    });
  });

  describe('closing the run', () => {
    it('records only the disbursements an interrupted attempt has not, in chunks, then the summary', () => {
      const ids = Array.from({ length: DISBURSEMENT_IDS_PER_EVENT + 2 }, (_, index) => `d-${index}`);
      const interrupted = { ...run('SCHEDULING'), includedChunks: [['d-0', 'd-1']], disbursementCount: 2 };
      const summary = schedulingSummaryOf(emptySchedulingTally());
      const commands = completeScheduling(interrupted, ids, summary);
      expect(commands.map((command) => command.part)).toEqual(['include/1', 'complete']);
      expect(commands[0]!.command).toEqual({ type: 'IncludeDisbursements', data: { disbursementIds: ids.slice(2) } });
    });

    it('numbers its chunks on from those an attempt interrupted between two closing writes recorded', () => {
      const ids = Array.from({ length: 2 * DISBURSEMENT_IDS_PER_EVENT + 3 }, (_, index) => `d-${index}`);
      const interrupted = { ...run('SCHEDULING'), includedChunks: [ids.slice(0, DISBURSEMENT_IDS_PER_EVENT), ids.slice(DISBURSEMENT_IDS_PER_EVENT, 2 * DISBURSEMENT_IDS_PER_EVENT)], disbursementCount: 2 * DISBURSEMENT_IDS_PER_EVENT };
      const commands = completeScheduling(interrupted, [...ids].reverse(), schedulingSummaryOf(emptySchedulingTally()));
      expect(commands.map((command) => command.part)).toEqual(['include/2', 'complete']);
      expect(commands[0]!.command).toEqual({ type: 'IncludeDisbursements', data: { disbursementIds: ids.slice(-3).reverse() } });
    });
  });
});
