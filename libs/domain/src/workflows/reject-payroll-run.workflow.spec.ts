import { describe, expect, it } from '@jest/globals';
import { initialPayrollRunState, type PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import { rejectPayrollRun } from './reject-payroll-run.workflow.js';

describe('rejecting a payroll run', () => {
  const run: PayrollRunState = { ...initialPayrollRunState(), exists: true, runId: 'run-1', status: 'SCHEDULED', createdBy: 'lan.operator', includedChunks: [['d-1', 'd-2']], disbursementCount: 2 };
  const rejection = { rejectedBy: 'minh.operator', reason: 'Wrong unit' };

  it('closes the run first, then releases each of its disbursements for the next run', () => {
    expect(rejectPayrollRun(run, rejection)).toEqual([
      { aggregate: 'payrollRun', id: 'run-1', command: { type: 'RejectPayrollRun', data: rejection } },
      { aggregate: 'disbursement', id: 'd-1', command: { type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } } },
      { aggregate: 'disbursement', id: 'd-2', command: { type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } } },
    ]);
  });

  it('asked again after an interruption, finishes the releases without rejecting twice', () => {
    expect(rejectPayrollRun({ ...run, status: 'REJECTED' }, rejection).map((command) => command.command.type)).toEqual(['ReleaseFromRun', 'ReleaseFromRun']);
  });
});
