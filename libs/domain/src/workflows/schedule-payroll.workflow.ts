import type { DisbursementCommand } from '../disbursement/disbursement.commands.js';
import { SCHEDULED_AFTER, type DisbursementState } from '../disbursement/disbursement.state.js';
import { isLargeArrears, type LargeArrears } from '../payroll-run/payroll-plan.js';
import type { PlannedDisbursement, SkipReason } from '../payroll-run/payroll-plan.js';
import { DISBURSEMENT_IDS_PER_EVENT } from '../payroll-run/payroll-run.stream.js';
import { includedDisbursementIds, type PayrollRunCommand, type PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import type { SchedulingSummary } from '../payroll-run/payroll-run.events.js';

/**
 * Scheduling a payroll run, as rules. The handler reads the beneficiaries of the run's scope one at a
 * time, plans each (`planPayrollFor`), and asks these functions what to do with each planned month:
 * it writes what they decide, and counts what they count.
 */

/** A month no disbursement exists for yet: its stream is created with "no stream" expected, the uniqueness check. */
export function scheduleNewDisbursement(runId: string, planned: PlannedDisbursement): DisbursementCommand {
  return { type: 'ScheduleDisbursement', data: { ...planned, payrollRunId: runId, attempt: 1 } };
}

/**
 * Whether a month whose disbursement exists could still be this run's business, from the last
 * event type alone: only one still waiting to be sent can be. Months already sent, paid, failed or
 * cancelled — every arrears month of a long enrollment — are never read.
 */
export function mayStillBeWaiting(lastEventType: string): boolean {
  return SCHEDULED_AFTER.has(lastEventType);
}

export type ExistingDisbursementDecision =
  /** Scheduled by this very run (it is being resumed): counted, nothing written. */
  | { readonly kind: 'OURS' }
  /** Waiting for a run (a new attempt, or released by a rejected run or a relocation): this run adopts it. */
  | { readonly kind: 'ADOPT'; readonly command: DisbursementCommand }
  /** Waiting, unsent, in another run: taken over only if that run gives it up (see `mayTakeOverFrom`). */
  | { readonly kind: 'IN_OTHER_RUN'; readonly otherRunId: string; readonly command: DisbursementCommand }
  /** Somebody else's, or already on its way: not this run's. */
  | { readonly kind: 'NOT_OURS' };

export function decideForExistingDisbursement(runId: string, planned: PlannedDisbursement, current: DisbursementState): ExistingDisbursementDecision {
  if (current.status !== 'SCHEDULED') return { kind: 'NOT_OURS' };
  if (current.payrollRunId === runId) return { kind: 'OURS' };
  if (current.payrollRunId === null) return { kind: 'ADOPT', command: scheduleNewDisbursement(runId, planned) };
  return { kind: 'IN_OTHER_RUN', otherRunId: current.payrollRunId, command: { type: 'TakeOverDisbursement', data: { payrollRunId: runId, fromRun: current.payrollRunId } } };
}

/**
 * May this run take over the disbursements another run holds unsent? A run interrupted while
 * scheduling (still SCHEDULING when a new request for its period arrives under another key) would
 * otherwise keep them from every payroll: it is given up — recorded ABANDONED at the revision just
 * read, so a run still working wins that race and keeps its own. A run abandoned or rejected
 * already left its disbursements to whichever run comes next. A run that finished scheduling keeps
 * its own: the checker approved those lists.
 */
export function mayTakeOverFrom(runId: string, other: PayrollRunState): { readonly decision: 'TAKE' | 'KEEP' } | { readonly decision: 'ABANDON_THEN_TAKE'; readonly command: PayrollRunCommand } {
  if (other.status === 'ABANDONED' || other.status === 'REJECTED') return { decision: 'TAKE' };
  if (other.status === 'SCHEDULING') return { decision: 'ABANDON_THEN_TAKE', command: { type: 'AbandonPayrollRun', data: { takenOverBy: runId } } };
  return { decision: 'KEEP' };
}

/** What a run counts as it goes; its summary is made from this when scheduling completes. */
export interface SchedulingTally {
  scheduled: number;
  alreadyScheduled: number;
  arrears: number;
  totalAmount: number;
  readonly skipped: Record<string, number>;
  /** The run's disbursement ids, in the order they were counted. */
  readonly included: string[];
  /** Arrears per beneficiary, for the checker's list of large arrears. */
  readonly arrearsByBeneficiary: Map<string, { months: number; totalAmount: number }>;
}

export const emptySchedulingTally = (): SchedulingTally => ({
  scheduled: 0,
  alreadyScheduled: 0,
  arrears: 0,
  totalAmount: 0,
  skipped: {},
  included: [],
  arrearsByBeneficiary: new Map(),
});

/** A disbursement this run holds, counted as the disbursement itself says (a new attempt keeps its own amount and arrears flag). */
export function countAsScheduled(tally: SchedulingTally, disbursement: Pick<PlannedDisbursement, 'disbursementId' | 'beneficiaryId' | 'amount' | 'arrears'>): void {
  tally.scheduled++;
  tally.totalAmount += disbursement.amount;
  tally.included.push(disbursement.disbursementId);
  if (!disbursement.arrears) return;
  tally.arrears++;
  const owed = tally.arrearsByBeneficiary.get(disbursement.beneficiaryId) ?? { months: 0, totalAmount: 0 };
  tally.arrearsByBeneficiary.set(disbursement.beneficiaryId, { months: owed.months + 1, totalAmount: owed.totalAmount + disbursement.amount });
}

/** A planned month another disbursement already covers. An arrears month already paid is simply not owed: only the run's own period counts as already scheduled. */
export function countAsExisting(tally: SchedulingTally, planned: PlannedDisbursement): void {
  if (!planned.arrears) tally.alreadyScheduled++;
}

export function countSkipped(tally: SchedulingTally, reasons: readonly SkipReason[]): void {
  for (const reason of reasons) tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
}

export function schedulingSummaryOf(tally: SchedulingTally): SchedulingSummary {
  const largeArrears: LargeArrears[] = [];
  for (const [beneficiaryId, owed] of tally.arrearsByBeneficiary) {
    if (isLargeArrears(owed)) largeArrears.push({ beneficiaryId, ...owed });
  }
  largeArrears.sort((a, b) => b.totalAmount - a.totalAmount || a.beneficiaryId.localeCompare(b.beneficiaryId));
  return { scheduled: tally.scheduled, alreadyScheduled: tally.alreadyScheduled, arrears: tally.arrears, skipped: tally.skipped, totalAmount: tally.totalAmount, largeArrears };
}

/**
 * The run's closing records: the disbursements it took that an interrupted attempt has not recorded
 * yet, in chunks so no event grows with the province, then its summary. Each command names the
 * part of the run it records (its event-id seed), so a repeat recognises what is already there.
 * Chunks are numbered on from those already recorded: a run interrupted between two of its closing
 * writes (a province's records take several) carries on where it stopped, the summary always last.
 */
export function completeScheduling(run: PayrollRunState, included: readonly string[], summary: SchedulingSummary): Array<{ readonly part: string; readonly command: PayrollRunCommand }> {
  const alreadyIncluded = new Set(includedDisbursementIds(run));
  const toInclude = included.filter((id) => !alreadyIncluded.has(id));
  const commands: Array<{ part: string; command: PayrollRunCommand }> = [];
  let chunk = Math.ceil(run.disbursementCount / DISBURSEMENT_IDS_PER_EVENT);
  for (let start = 0; start < toInclude.length; start += DISBURSEMENT_IDS_PER_EVENT) {
    commands.push({ part: `include/${chunk++}`, command: { type: 'IncludeDisbursements', data: { disbursementIds: toInclude.slice(start, start + DISBURSEMENT_IDS_PER_EVENT) } } });
  }
  commands.push({ part: 'complete', command: { type: 'CompleteScheduling', data: summary } });
  return commands;
}
