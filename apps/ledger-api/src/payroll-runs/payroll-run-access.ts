import { NotFound, type Catalogues, type PayrollRunState, type SchedulingSummary } from '@ledger/domain';
import { readAggregate, type EventStore } from '@ledger/event-store';
import { positionOf } from '../ledger/command-context.js';
import { assertActorMayActIn, assertActorMayChangeRecordIn, type CommandContext } from '../platform/index.js';
import type { PayrollRunScheduled } from './payroll-run.commands.js';

export async function loadPayrollRun(store: EventStore, runId: string): Promise<PayrollRunState> {
  const { state: run } = await readAggregate(store, 'payrollRun', runId);
  if (!run.exists) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
  return run;
}

/**
 * Approving, rejecting or sending a run needs its unit in scope (every unit, for a run of every
 * unit). A run outside the caller's units is refused as an unknown one is: the refusal does not
 * tell them it exists.
 */
export function assertMayChangePayrollRun(run: PayrollRunState, context: CommandContext, catalogues: Catalogues): void {
  const unknown = () => new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
  for (const code of unitsOfRun(run, catalogues)) assertActorMayChangeRecordIn(context.actor, code, catalogues.units, unknown);
}

/** The units a run pays: its own, or every unit of the catalogue for a run without one. */
export function unitsOfRun(run: PayrollRunState, catalogues: Catalogues): readonly string[] {
  return run.scope.unitCode ? [run.scope.unitCode] : catalogues.units.codes();
}

/** A run for one unit needs that unit in scope; a run for every unit needs every unit in scope. */
export function assertMayRunPayrollFor(unitCode: string | null, context: CommandContext, catalogues: Catalogues): void {
  if (unitCode) {
    catalogues.units.get(unitCode);
    return assertActorMayActIn(context.actor, unitCode, catalogues.units);
  }
  for (const code of catalogues.units.codes()) assertActorMayActIn(context.actor, code, catalogues.units);
}

export function scheduledResponse(runId: string, summary: SchedulingSummary, status: string, position: bigint | null): PayrollRunScheduled {
  return { runId, status, ...scheduledCounts(summary), position: positionOf(position) };
}

/** What a run's summary tells its callers; where it began reading is the ledger's own business. */
export function scheduledCounts(summary: SchedulingSummary) {
  return {
    scheduled: summary.scheduled,
    alreadyScheduled: summary.alreadyScheduled,
    arrears: summary.arrears,
    skipped: summary.skipped,
    totalAmount: summary.totalAmount,
    largeArrears: summary.largeArrears ?? [],
    unchangedSince: summary.unchangedSince ?? null,
  };
}
