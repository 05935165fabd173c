import { describe, expect, it } from '@jest/globals';
import { Conflict, InvalidValue, RuleViolation } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { fold } from '../decider.js';
import { includedDisbursementIds, payrollRunDecider } from './payroll-run.decider.js';
import { PayrollRunEventType as T, type PayrollRunEvent } from './payroll-run.events.js';

const spec = deciderSpec(payrollRunDecider);
const created: PayrollRunEvent = { type: T.Created, data: { runId: 'run-1', period: '2024-04', program: 'MERITORIOUS', unitCode: '899', createdBy: 'maker' } };
const summary = { scheduled: 2, alreadyScheduled: 0, arrears: 1, skipped: { SUSPENDED: 1 }, totalAmount: 4_110_000 };
const scheduled: PayrollRunEvent = { type: T.Scheduled, data: summary };
const approved: PayrollRunEvent = { type: T.Approved, data: { approvedBy: 'checker' } };
const approve = (approvedBy: string, acknowledgeLargeArrears = false) => ({ type: 'ApprovePayrollRun', data: { approvedBy, acknowledgeLargeArrears } }) as const;
const rejected: PayrollRunEvent = { type: T.Rejected, data: { rejectedBy: 'checker', reason: 'Wrong unit' } };
const reject = (rejectedBy: string, reason = 'Wrong unit') => ({ type: 'RejectPayrollRun', data: { rejectedBy, reason } }) as const;
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

    it('holds every id its events included, in their order, however many chunks a province takes', () => {
      const chunks = Array.from({ length: 7 }, (_, chunk) => Array.from({ length: chunk + 1 }, (_, index) => `d-${chunk}-${index}`));
      const run = fold(payrollRunDecider, [created, ...chunks.map((disbursementIds): PayrollRunEvent => ({ type: T.DisbursementsIncluded, data: { disbursementIds } }))]);
      expect(includedDisbursementIds(run)).toEqual(chunks.flat());
      expect(run.disbursementCount).toBe(28);
    });

    it('cannot be created twice', () =>
      spec.given([created]).when({ type: 'CreatePayrollRun', data: created.data as never }).thenRefuses(Conflict, 'PAYROLL_RUN_EXISTS'));
  });

  describe('when approved (maker-checker)', () => {
    it('is approved by another operator', () =>
      spec.given([created, scheduled]).when(approve('checker')).then([approved]));

    it('refuses approval by the operator who created it', () =>
      spec.given([created, scheduled]).when(approve('maker')).thenRefuses(RuleViolation, 'APPROVAL_BY_CREATOR'));

    it('cannot be approved before its scheduling completes', () =>
      spec.given([created]).when(approve('checker')).thenRefuses(RuleViolation, 'PAYROLL_RUN_SCHEDULING'));

    it('compares identities exactly: another spelling of the maker is another operator, and it is not trimmed away', () => {
      spec.given([created, scheduled]).when(approve('Maker')).then([{ type: T.Approved, data: { approvedBy: 'Maker' } }]);
      spec.given([created, scheduled]).when(approve('maker ')).then([{ type: T.Approved, data: { approvedBy: 'maker ' } }]);
    });

    it('cannot be approved twice', () =>
      spec.given([created, scheduled, approved]).when(approve('other')).thenRefuses(Conflict, 'PAYROLL_RUN_APPROVED'));
  });

  describe('when its scheduling listed large arrears', () => {
    const largeArrears = [{ beneficiaryId: 'b-1', months: 13, totalAmount: 26_715_000 }];
    const scheduledWithLargeArrears: PayrollRunEvent = { type: T.Scheduled, data: { ...summary, largeArrears } };

    it('records them with the summary', () =>
      spec.given([created]).when({ type: 'CompleteScheduling', data: { ...summary, largeArrears } }).then([scheduledWithLargeArrears]));

    it('refuses approval that does not acknowledge them', () =>
      spec.given([created, scheduledWithLargeArrears]).when(approve('checker')).thenRefuses(RuleViolation, 'LARGE_ARREARS_NOT_ACKNOWLEDGED'));

    it('is approved once the checker acknowledges them, recording the approver only', () =>
      spec.given([created, scheduledWithLargeArrears]).when(approve('checker', true)).then([approved]));

    it('still refuses the maker, acknowledged or not', () =>
      spec.given([created, scheduledWithLargeArrears]).when(approve('maker', true)).thenRefuses(RuleViolation, 'APPROVAL_BY_CREATOR'));
  });

  describe('when its scheduling listed no large arrears', () => {
    it('needs no acknowledgement, an empty list or a run scheduled before they were listed alike', () => {
      spec.given([created, scheduled]).when(approve('checker', false)).then([approved]);
      spec.given([created, { type: T.Scheduled, data: { ...summary, largeArrears: [] } }]).when(approve('checker', false)).then([approved]);
    });
  });

  describe('when rejected (maker-checker)', () => {
    it('is rejected by another operator, with the reason', () => spec.given([created, scheduled]).when(reject('checker')).then([rejected]));

    it('refuses rejection by the operator who created it', () =>
      spec.given([created, scheduled]).when(reject('maker')).thenRefuses(RuleViolation, 'REJECTION_BY_CREATOR'));

    it('refuses a rejection without a reason', () => {
      spec.given([created, scheduled]).when(reject('checker', '')).thenRefuses(InvalidValue, 'INVALID_VALUE');
      spec.given([created, scheduled]).when(reject('checker', '  ')).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });

    it('is rejected only once its scheduling completed and before it is approved', () => {
      spec.given([created]).when(reject('checker')).thenRefuses(RuleViolation, 'PAYROLL_RUN_SCHEDULING');
      spec.given([created, scheduled, approved]).when(reject('other')).thenRefuses(Conflict, 'PAYROLL_RUN_APPROVED');
      spec.given([created, scheduled, approved, { type: T.Sent, data: sentSummary }]).when(reject('other')).thenRefuses(Conflict, 'PAYROLL_RUN_SENT');
      spec.given([created, { type: T.Abandoned, data: { takenOverBy: 'run-2' } }]).when(reject('checker')).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
    });

    it('can then be neither rejected again, approved, sent, completed nor given up', () => {
      spec.given([created, scheduled, rejected]).when(reject('other')).thenRefuses(Conflict, 'PAYROLL_RUN_REJECTED');
      spec.given([created, scheduled, rejected]).when(approve('other', true)).thenRefuses(Conflict, 'PAYROLL_RUN_REJECTED');
      spec.given([created, scheduled, rejected]).when({ type: 'RecordPayrollRunSent', data: sentSummary }).thenRefuses(Conflict, 'PAYROLL_RUN_REJECTED');
      spec.given([created, scheduled, rejected]).when({ type: 'CompleteScheduling', data: summary }).thenRefuses(Conflict, 'PAYROLL_RUN_REJECTED');
      spec.given([created, scheduled, rejected]).when({ type: 'AbandonPayrollRun', data: { takenOverBy: 'run-2' } }).thenRefuses(Conflict, 'PAYROLL_RUN_REJECTED');
    });

    it('keeps who rejected it and why', () => {
      const state = [created, scheduled, rejected].reduce(payrollRunDecider.evolve, payrollRunDecider.initialState());
      expect(state).toMatchObject({ status: 'REJECTED', rejection: { rejectedBy: 'checker', reason: 'Wrong unit' } });
    });
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
      spec.given([created, abandoned]).when(approve('checker')).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
      spec.given([created, abandoned]).when({ type: 'RecordPayrollRunSent', data: sentSummary }).thenRefuses(Conflict, 'PAYROLL_RUN_ABANDONED');
    });
  });
});
