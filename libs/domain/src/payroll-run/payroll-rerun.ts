import { DisbursementEventType } from '../disbursement/disbursement.events.js';
import type { BeneficiaryPayrollPlan } from './payroll-plan.js';
import type { PayrollRunState } from './payroll-run.decider.js';
import { PayrollRunEventType, type PayrollRunEvent, type PayrollRunScope } from './payroll-run.events.js';

/**
 * A payroll rerun that reads only the people whose outcome may have changed (docs/adr/0015).
 *
 * A person's outcome in a run is a pure function of their beneficiary stream, the catalogues, the
 * run's scope, the streams of the months planned for them and the status of the runs holding those
 * months. An earlier run of the same scope records the head of the log before it read anyone; a
 * later run asks the store what was written after it and reads again only the people those writes
 * touch. Everyone else stands as the earlier run left them: each month it planned for them exists
 * (it wrote it, or found it) and is held by a run that finished scheduling or was sent, or they are
 * skipped for the same reason. Should any of that be in doubt the rerun reads everyone, as a first
 * run does. A wrong "unchanged" could only leave a month for the next full run; a month is still
 * scheduled at most once, by its stream's "no stream" append.
 */

/** Where a run began reading the beneficiaries, and under which catalogues: what a later run of its scope may trust it from. */
export interface SchedulingBasis {
  /** The head of the log before the first beneficiary was read (a global position, in decimal). */
  readonly readFrom: string;
  /** The catalogues the run planned with: outcomes planned under other ones are not trusted. */
  readonly cataloguesFingerprint: string;
  /** People of the scope (see `isOneOfTheScope`) as the log stood at `readFrom`: the people whose outcome the run stands for. */
  readonly beneficiaries: number;
}

/** A person a run plans something for or skips for a reason: one of its scope, whom its counts are about. Others are passed over. */
export function isOneOfTheScope(plan: BeneficiaryPayrollPlan): boolean {
  return plan.planned.length > 0 || plan.skipped.length > 0;
}

/** A rerun's earlier run, and how many people of the scope stand as it left them: not read again, so not counted again. */
export interface UnchangedSince {
  readonly runId: string;
  readonly beneficiaries: number;
}

/** Statuses of a run whose months stay its own: it finished scheduling, and no checker rejected it. */
const KEEPS_ITS_MONTHS: ReadonlySet<string> = new Set([PayrollRunEventType.Scheduled, PayrollRunEventType.Approved, PayrollRunEventType.Sent]);

/** From a run's last event type alone: has it finished scheduling and not been rejected, so that it may stand for a rerun? */
export function mayStillKeepItsMonths(lastEventType: string): boolean {
  return KEEPS_ITS_MONTHS.has(lastEventType);
}

/** May this run stand for a rerun of `scope` under these catalogues? Only a run that keeps its months, of the same scope, planned under the same catalogues. */
export function mayRerunFrom(earlier: PayrollRunState, scope: PayrollRunScope, cataloguesFingerprint: string): boolean {
  const basis = earlier.summary?.basis;
  return (
    (earlier.status === 'SCHEDULED' || earlier.status === 'APPROVED' || earlier.status === 'SENT') &&
    basis !== undefined &&
    basis.cataloguesFingerprint === cataloguesFingerprint &&
    earlier.scope.period === scope.period &&
    earlier.scope.program === scope.program &&
    earlier.scope.unitCode === scope.unitCode
  );
}

/**
 * Whether a run whose stream was written after the earlier run's `readFrom` lets a rerun trust the
 * earlier run's outcomes, from its last event. One still scheduling, rejected or abandoned to
 * another run may hold months a full run would take over without any write to those months to tell
 * it so: the rerun then reads everyone. One that finished scheduling keeps its months (the checker
 * saw those lists), as does one the earlier run itself abandoned, whose months it took over.
 */
export function leavesOutcomesAsTheyWere(lastEvent: PayrollRunEvent, earlierRunId: string): boolean {
  if (KEEPS_ITS_MONTHS.has(lastEvent.type)) return true;
  return lastEvent.type === PayrollRunEventType.Abandoned && lastEvent.data.takenOverBy === earlierRunId;
}

/** Writes that leave the month where a rerun would leave it: sent and paid months are done with, whoever holds them. */
const DONE_WITH: ReadonlySet<string> = new Set([DisbursementEventType.Sent, DisbursementEventType.Paid]);
/** Writes that give the month to a run: the earlier run's own scheduling, adoption and taking over, or another run's. */
const GIVEN_TO_A_RUN: ReadonlySet<string> = new Set([DisbursementEventType.Scheduled, DisbursementEventType.AssignedToRun]);

/**
 * Whether a write to a month's stream after the earlier run's `readFrom` may change its person's
 * outcome. A month given to a run is as the earlier run left it only when that run holds it now:
 * no other run can take a month from a run that finished scheduling. Every other write — a release,
 * a failure and new attempt, a cancellation, a move — may leave the month waiting for a run, so its
 * person is read again.
 */
export function mayChangeTheOutcome(eventType: string, heldByTheEarlierRun: boolean): boolean {
  if (DONE_WITH.has(eventType)) return false;
  if (GIVEN_TO_A_RUN.has(eventType)) return !heldByTheEarlierRun;
  return true;
}
