import { includedDisbursementIds, type PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import { to, type StreamCommand } from './stream-command.js';

/**
 * A checker who rejects a run sends nothing: the run is closed REJECTED first (so it can no longer
 * be approved or sent), then each of its disbursements is released for the next run of its period.
 * Asked again after an interruption, the releases are finished without rejecting twice.
 */
export function rejectPayrollRun(run: PayrollRunState, rejection: { rejectedBy: string; reason: string }): StreamCommand[] {
  const releases = includedDisbursementIds(run).map((disbursementId) => to.disbursement(disbursementId, { type: 'ReleaseFromRun', data: { payrollRunId: run.runId } }));
  if (run.status === 'REJECTED') return releases;
  return [to.payrollRun(run.runId, { type: 'RejectPayrollRun', data: rejection }), ...releases];
}
