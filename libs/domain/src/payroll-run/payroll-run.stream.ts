export const PAYROLL_RUN_CATEGORY = 'payroll-run';
export const payrollRunStreamName = (runId: string) => `${PAYROLL_RUN_CATEGORY}-${runId}`;
/** Disbursement ids per PayrollRunDisbursementsIncluded event. */
export const DISBURSEMENT_IDS_PER_EVENT = 5_000;
