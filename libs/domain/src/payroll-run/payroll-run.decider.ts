import { unreachable, type Decider } from '../decider.js';
import { Conflict, InvalidValue, NotFound, RuleViolation } from '../shared/index.js';
import {
  PayrollRunEventType,
  type PaymentFileSummary,
  type PayrollRunEvent,
  type PayrollRunScope,
  type SchedulingSummary,
} from './payroll-run.events.js';

export type PayrollRunStatus = 'SCHEDULING' | 'SCHEDULED' | 'APPROVED' | 'SENT' | 'ABANDONED' | 'REJECTED';

export interface PayrollRunState {
  readonly exists: boolean;
  readonly runId: string;
  readonly scope: PayrollRunScope;
  readonly createdBy: string;
  readonly status: PayrollRunStatus;
  /**
   * The run's disbursement ids, one chunk per event that included them (read them with
   * includedDisbursementIds). Kept as chunks so that folding a run does not copy every id before a
   * chunk at each chunk: a province's run of a million has 200, and copying made its fold quadratic
   * (about 9 s a fold).
   */
  readonly includedChunks: readonly (readonly string[])[];
  /** How many disbursements the run includes. */
  readonly disbursementCount: number;
  readonly summary?: SchedulingSummary;
  readonly approvedBy?: string;
  /** The run that took over the disbursements of this one, abandoned while scheduling. */
  readonly takenOverBy?: string;
  readonly rejection?: { readonly rejectedBy: string; readonly reason: string };
  readonly sent?: { readonly sentBy: string; readonly sent: number; readonly cancelled: number; readonly paymentFiles: readonly PaymentFileSummary[] };
}

export type PayrollRunCommand =
  | { readonly type: 'CreatePayrollRun'; readonly data: PayrollRunScope & { readonly runId: string; readonly createdBy: string } }
  | { readonly type: 'IncludeDisbursements'; readonly data: { readonly disbursementIds: readonly string[] } }
  | { readonly type: 'CompleteScheduling'; readonly data: SchedulingSummary }
  | {
      readonly type: 'ApprovePayrollRun';
      /** acknowledgeLargeArrears: the checker has seen the run's large arrears; needed when it lists any. */
      readonly data: { readonly approvedBy: string; readonly acknowledgeLargeArrears: boolean };
    }
  | { readonly type: 'RejectPayrollRun'; readonly data: { readonly rejectedBy: string; readonly reason: string } }
  | { readonly type: 'AbandonPayrollRun'; readonly data: { readonly takenOverBy: string } }
  | {
      readonly type: 'RecordPayrollRunSent';
      readonly data: { readonly sentBy: string; readonly sent: number; readonly cancelled: number; readonly paymentFiles: readonly PaymentFileSummary[] };
    };

export const initialPayrollRunState = (): PayrollRunState => ({
  exists: false,
  runId: '',
  scope: { period: '', program: null, unitCode: null },
  createdBy: '',
  status: 'SCHEDULING',
  includedChunks: [],
  disbursementCount: 0,
});

/** Every disbursement id the run includes, in the order they were included. */
export function includedDisbursementIds(run: PayrollRunState): readonly string[] {
  return run.includedChunks.flat();
}

export function evolvePayrollRun(state: PayrollRunState, event: PayrollRunEvent): PayrollRunState {
  switch (event.type) {
    case PayrollRunEventType.Created: {
      const { runId, createdBy, period, program, unitCode } = event.data;
      return { ...state, exists: true, runId, createdBy, scope: { period, program, unitCode }, status: 'SCHEDULING' };
    }
    case PayrollRunEventType.DisbursementsIncluded:
      return { ...state, includedChunks: [...state.includedChunks, event.data.disbursementIds], disbursementCount: state.disbursementCount + event.data.disbursementIds.length };
    case PayrollRunEventType.Scheduled:
      return { ...state, status: 'SCHEDULED', summary: event.data };
    case PayrollRunEventType.Approved:
      return { ...state, status: 'APPROVED', approvedBy: event.data.approvedBy };
    case PayrollRunEventType.Sent:
      return { ...state, status: 'SENT', sent: event.data };
    case PayrollRunEventType.Abandoned:
      return { ...state, status: 'ABANDONED', takenOverBy: event.data.takenOverBy };
    case PayrollRunEventType.Rejected:
      return { ...state, status: 'REJECTED', rejection: { rejectedBy: event.data.rejectedBy, reason: event.data.reason } };
    default:
      return unreachable(event);
  }
}

export function decideForPayrollRun(command: PayrollRunCommand, state: PayrollRunState): readonly PayrollRunEvent[] {
  if (command.type === 'CreatePayrollRun') {
    if (state.exists) throw new Conflict('PAYROLL_RUN_EXISTS', 'This payroll run already exists', { runId: state.runId });
    return [{ type: PayrollRunEventType.Created, data: { ...command.data } }];
  }
  if (!state.exists) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
  switch (command.type) {
    case 'IncludeDisbursements':
      assertRunStatus(state, 'SCHEDULING', 'take more disbursements');
      return [{ type: PayrollRunEventType.DisbursementsIncluded, data: { disbursementIds: [...command.data.disbursementIds] } }];
    case 'CompleteScheduling':
      assertRunStatus(state, 'SCHEDULING', 'complete its scheduling');
      return [{ type: PayrollRunEventType.Scheduled, data: command.data }];
    case 'ApprovePayrollRun':
      assertRunStatus(state, 'SCHEDULED', 'be approved');
      assertApprovedByAnotherOperator(state, command.data.approvedBy);
      assertLargeArrearsAcknowledged(state, command.data.acknowledgeLargeArrears);
      return [{ type: PayrollRunEventType.Approved, data: { approvedBy: command.data.approvedBy } }];
    case 'RejectPayrollRun':
      assertRunStatus(state, 'SCHEDULED', 'be rejected');
      assertRejectedByAnotherOperator(state, command.data.rejectedBy);
      assertRejectionReasonGiven(command.data.reason);
      return [{ type: PayrollRunEventType.Rejected, data: { rejectedBy: command.data.rejectedBy, reason: command.data.reason } }];
    case 'AbandonPayrollRun':
      // Only a run that never finished scheduling (interrupted) is given up; asked again by the same run, nothing more happens.
      if (state.status === 'ABANDONED' && state.takenOverBy === command.data.takenOverBy) return [];
      assertRunStatus(state, 'SCHEDULING', 'be taken over by another run');
      return [{ type: PayrollRunEventType.Abandoned, data: { takenOverBy: command.data.takenOverBy } }];
    case 'RecordPayrollRunSent':
      assertRunStatus(state, 'APPROVED', 'be sent');
      return [{ type: PayrollRunEventType.Sent, data: { ...command.data, paymentFiles: [...command.data.paymentFiles] } }];
    default:
      return unreachable(command);
  }
}

export const payrollRunDecider: Decider<PayrollRunCommand, PayrollRunEvent, PayrollRunState> = {
  decide: decideForPayrollRun,
  evolve: evolvePayrollRun,
  initialState: initialPayrollRunState,
};

/** Maker-checker: the operator who created a run cannot approve it. */
function assertApprovedByAnotherOperator(state: PayrollRunState, approvedBy: string): void {
  if (approvedBy === state.createdBy) {
    throw new RuleViolation('APPROVAL_BY_CREATOR', 'A payroll run must be approved by an operator other than the one who created it', {
      createdBy: state.createdBy,
    });
  }
}

/**
 * Maker-checker decides a run's fate either way: approving or rejecting it is the second
 * operator's call. A maker who finds a mistake in their own run asks a checker to reject it.
 */
function assertRejectedByAnotherOperator(state: PayrollRunState, rejectedBy: string): void {
  if (rejectedBy === state.createdBy) {
    throw new RuleViolation('REJECTION_BY_CREATOR', 'A payroll run must be rejected by an operator other than the one who created it', {
      createdBy: state.createdBy,
    });
  }
}

/** The reason is what the maker reads to put the run right; a rejection without one tells nobody anything. */
function assertRejectionReasonGiven(reason: string): void {
  if (reason.trim().length === 0) throw new InvalidValue('reason', 'A rejection needs a reason');
}

/**
 * LargeArrearsMustBeAcknowledgedOnApproval. A year or more of back pay, or tens of millions of
 * đồng, for one person is where a wrong effective month or coefficient costs most; the checker
 * says they saw the list before the money leaves.
 */
function assertLargeArrearsAcknowledged(state: PayrollRunState, acknowledged: boolean): void {
  const listed = state.summary?.largeArrears?.length ?? 0;
  if (listed > 0 && acknowledged !== true) {
    throw new RuleViolation('LARGE_ARREARS_NOT_ACKNOWLEDGED', `This payroll run lists large arrears for ${listed} beneficiar${listed === 1 ? 'y' : 'ies'}; approving it needs acknowledgeLargeArrears`, {
      largeArrears: listed,
    });
  }
}

function assertRunStatus(state: PayrollRunState, expected: PayrollRunStatus, action: string): void {
  if (state.status !== expected) {
    const settled = state.status === 'SENT' || state.status === 'ABANDONED' || state.status === 'REJECTED';
    const error = settled || (state.status === 'APPROVED' && expected === 'SCHEDULED') ? Conflict : RuleViolation;
    throw new error(`PAYROLL_RUN_${state.status}`, `A payroll run that is ${state.status} cannot ${action}`, { status: state.status });
  }
}
