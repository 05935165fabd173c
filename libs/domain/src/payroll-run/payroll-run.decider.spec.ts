import { describe, it } from '@jest/globals';
import { Conflict, RuleViolation } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { payrollRunDecider } from './payroll-run.decider.js';
import { PayrollRunEventType as T, type PayrollRunEvent } from './payroll-run.events.js';

const spec = deciderSpec(payrollRunDecider);
const created: PayrollRunEvent = { type: T.Created, data: { runId: 'run-1', period: '2024-04', program: 'MERITORIOUS', unitCode: '899', createdBy: 'maker' } };
const summary = { scheduled: 2, alreadyScheduled: 0, arrears: 1, skipped: { SUSPENDED: 1 }, totalAmount: 4_110_000 };
const scheduled: PayrollRunEvent = { type: T.Scheduled, data: summary };
const approved: PayrollRunEvent = { type: T.Approved, data: { approvedBy: 'checker' } };
const sentSummary = { sentBy: 'checker', sent: 2, cancelled: 0, paymentFiles: [{ paymentFile: 'VBA', count: 2, totalAmount: 4_110_000 }] };

describe('payroll run', () => {
  describe('when created', () => {
    it('records its scope and its maker', () =>
      spec.given([]).when({ type: 'CreatePayrollRun', data: created.data as never }).then([created]));

    it('includes disbursements and completes its scheduling', () => {
      spec.given([created]).when({ type: 'IncludeDisbursements', data: { disbursementIds: ['d-1', 'd-2'] } }).then([
        { type: T.DisbursementsIncluded, data: { disbursementIds: ['d-1', 'd-2'] } },
      ]);
      spec.given([created]).when({ type: 'CompleteScheduling', data: summary }).then([scheduled]);
    });

    it('cannot be created twice', () =>
      spec.given([created]).when({ type: 'CreatePayrollRun', data: created.data as never }).thenRefuses(Conflict, 'PAYROLL_RUN_EXISTS'));
  });

  describe('when approved (maker-checker)', () => {
    it('is approved by another operator', () =>
      spec.given([created, scheduled]).when({ type: 'ApprovePayrollRun', data: { approvedBy: 'checker' } }).then([approved]));

    it('refuses approval by the operator who created it', () =>
      spec.given([created, scheduled]).when({ type: 'ApprovePayrollRun', data: { approvedBy: 'maker' } }).thenRefuses(RuleViolation, 'APPROVAL_BY_CREATOR'));

    it('cannot be approved before its scheduling completes', () =>
      spec.given([created]).when({ type: 'ApprovePayrollRun', data: { approvedBy: 'checker' } }).thenRefuses(RuleViolation, 'PAYROLL_RUN_SCHEDULING'));

    it('cannot be approved twice', () =>
      spec.given([created, scheduled, approved]).when({ type: 'ApprovePayrollRun', data: { approvedBy: 'other' } }).thenRefuses(Conflict, 'PAYROLL_RUN_APPROVED'));
  });

  describe('when sent', () => {
    it('is sent only once approved', () => {
      spec.given([created, scheduled]).when({ type: 'RecordPayrollRunSent', data: sentSummary }).thenRefuses(RuleViolation, 'PAYROLL_RUN_SCHEDULED');
      spec.given([created, scheduled, approved]).when({ type: 'RecordPayrollRunSent', data: sentSummary }).then([{ type: T.Sent, data: sentSummary }]);
    });

    it('cannot be sent twice', () =>
      spec
        .given([created, scheduled, approved, { type: T.Sent, data: sentSummary }])
        .when({ type: 'RecordPayrollRunSent', data: sentSummary })
        .thenRefuses(Conflict, 'PAYROLL_RUN_SENT'));
  });

  describe('when interrupted while scheduling and asked for again under another key', () => {
    const abandoned: PayrollRunEvent = { type: T.Abandoned, data: { takenOverBy: 'run-2' } };

    it('is given up for the later run', () => spec.given([created]).when({ type: 'AbandonPayrollRun', data: { takenOverBy: 'run-2' } }).then([abandoned]));

    it('is given up once: the same later run asking again changes nothing', () =>
      spec.given([created, abandoned]).when({ type: 'AbandonPayrollRun', data: { takenOverBy: 'run-2' } }).then([]));

    it('is not given up for a third run', () =>
      spec.given([created, abandoned]).when({ type: 'AbandonPayrollRun', data: { takenOverBy: 'run-3' } }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED'));

    it('is never given up once its scheduling completed', () =>
      spec.given([created, scheduled]).when({ type: 'AbandonPayrollRun', data: { takenOverBy: 'run-2' } }).thenRefuses(RuleViolation, 'PAYROLL_RUN_SCHEDULED'));

    it('can then be neither completed, approved nor sent', () => {
      spec.given([created, abandoned]).when({ type: 'IncludeDisbursements', data: { disbursementIds: ['d-1'] } }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
      spec.given([created, abandoned]).when({ type: 'CompleteScheduling', data: summary }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
      spec.given([created, abandoned]).when({ type: 'ApprovePayrollRun', data: { approvedBy: 'checker' } }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
      spec.given([created, abandoned]).when({ type: 'RecordPayrollRunSent', data: sentSummary }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
    });
  });
});
