import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { DisbursementEventType as D } from '../disbursement/disbursement.events.js';
import { payrollRunDecider } from './payroll-run.decider.js';
import { PayrollRunEventType as R, type PayrollRunEvent, type SchedulingSummary } from './payroll-run.events.js';
import { leavesOutcomesAsTheyWere, mayChangeTheOutcome, mayRerunFrom } from './payroll-rerun.js';

const scope = { period: '2024-04', program: null, unitCode: '899' };
const basis = { readFrom: '1200', cataloguesFingerprint: 'catalogues-1', beneficiaries: 812 };
const summary: SchedulingSummary = { scheduled: 812, alreadyScheduled: 0, arrears: 0, skipped: {}, totalAmount: 1_668_660_000, largeArrears: [], basis };
const created: PayrollRunEvent = { type: R.Created, data: { runId: 'run-1', createdBy: 'maker', ...scope } };
const completed: PayrollRunEvent = { type: R.Scheduled, data: summary };
const runOf = (...events: PayrollRunEvent[]) => fold(payrollRunDecider, events);

describe('which earlier run a rerun may trust', () => {
  it('one of the same scope that finished scheduling under the same catalogues, approved and sent too', () => {
    expect(mayRerunFrom(runOf(created, completed), scope, 'catalogues-1')).toBe(true);
    const approved: PayrollRunEvent = { type: R.Approved, data: { approvedBy: 'checker' } };
    expect(mayRerunFrom(runOf(created, completed, approved), scope, 'catalogues-1')).toBe(true);
    expect(mayRerunFrom(runOf(created, completed, approved, { type: R.Sent, data: { sentBy: 'maker', sent: 812, cancelled: 0, paymentFiles: [] } }), scope, 'catalogues-1')).toBe(true);
  });

  it('not one planned under other catalogues, of another scope, still scheduling, rejected, or scheduled before runs recorded where they began reading', () => {
    const run = runOf(created, completed);
    expect(mayRerunFrom(run, scope, 'catalogues-2')).toBe(false);
    expect(mayRerunFrom(run, { ...scope, unitCode: null }, 'catalogues-1')).toBe(false);
    expect(mayRerunFrom(run, { ...scope, program: 'SOCIAL_ASSISTANCE' }, 'catalogues-1')).toBe(false);
    expect(mayRerunFrom(run, { ...scope, period: '2024-05' }, 'catalogues-1')).toBe(false);
    expect(mayRerunFrom(runOf(created), scope, 'catalogues-1')).toBe(false);
    expect(mayRerunFrom(runOf(created, completed, { type: R.Rejected, data: { rejectedBy: 'checker', reason: 'Sai đơn vị' } }), scope, 'catalogues-1')).toBe(false);
    const { basis: _, ...withoutBasis } = summary;
    expect(mayRerunFrom(runOf(created, { type: R.Scheduled, data: withoutBasis }), scope, 'catalogues-1')).toBe(false);
  });
});

describe('whether another run written since leaves the earlier run’s outcomes as they were', () => {
  it('yes when it finished scheduling, was approved or sent, or was abandoned to the earlier run', () => {
    expect(leavesOutcomesAsTheyWere(completed, 'run-1')).toBe(true);
    expect(leavesOutcomesAsTheyWere({ type: R.Approved, data: { approvedBy: 'checker' } }, 'run-1')).toBe(true);
    expect(leavesOutcomesAsTheyWere({ type: R.Abandoned, data: { takenOverBy: 'run-1' } }, 'run-1')).toBe(true);
  });

  it('no when it is still scheduling, was rejected, or was abandoned to a third run: it may hold months a full run would take', () => {
    expect(leavesOutcomesAsTheyWere(created, 'run-1')).toBe(false);
    expect(leavesOutcomesAsTheyWere({ type: R.DisbursementsIncluded, data: { disbursementIds: ['d-1'] } }, 'run-1')).toBe(false);
    expect(leavesOutcomesAsTheyWere({ type: R.Rejected, data: { rejectedBy: 'checker', reason: 'Sai đơn vị' } }, 'run-1')).toBe(false);
    expect(leavesOutcomesAsTheyWere({ type: R.Abandoned, data: { takenOverBy: 'run-9' } }, 'run-1')).toBe(false);
  });
});

describe('whether a write to a month since the earlier run began reading may change its person’s outcome', () => {
  it('no for a month sent or paid, whoever holds it', () => {
    for (const held of [true, false]) {
      expect(mayChangeTheOutcome(D.Sent, held)).toBe(false);
      expect(mayChangeTheOutcome(D.Paid, held)).toBe(false);
    }
  });

  it('no for a month given to the earlier run, which holds it still; yes for one given to another run', () => {
    expect(mayChangeTheOutcome(D.Scheduled, true)).toBe(false);
    expect(mayChangeTheOutcome(D.AssignedToRun, true)).toBe(false);
    expect(mayChangeTheOutcome(D.Scheduled, false)).toBe(true);
    expect(mayChangeTheOutcome(D.AssignedToRun, false)).toBe(true);
  });

  it('yes for anything that may leave it waiting for a run, or that it does not know', () => {
    for (const type of [D.ReleasedFromRun, D.Failed, D.Returned, D.Rescheduled, D.Cancelled, D.Relocated, D.ChannelChanged, 'SomethingNew']) {
      expect(mayChangeTheOutcome(type, true)).toBe(true);
    }
  });
});
