import { DisbursementEventType, type DisbursementEvent } from '../disbursement/disbursement.events.js';

/** What a waiting disbursement's last event alone says of it, when that is enough to decide on. */
export interface WaitingDisbursementAtAGlance {
  /** The run it waits in, unsent. */
  readonly payrollRunId: string;
  /** What it counts as in that run, when the last event carries it: the event that scheduled it does. */
  readonly recorded?: { readonly amount: number; readonly arrears: boolean };
}

/**
 * Where a disbursement waits, from its last event alone. Scheduling it and assigning it to a run are
 * both recorded only of an unsent attempt, and leave it waiting in the run they name, so a payroll
 * run can tell from them whose it is without reading the stream — for a province rerun, every one
 * of its months. Any other last event (a new attempt, a release, a relocation…) says too little:
 * undefined, and the stream is read.
 */
export function waitingDisbursementFromLastEvent(event: DisbursementEvent): WaitingDisbursementAtAGlance | undefined {
  switch (event.type) {
    case DisbursementEventType.Scheduled:
      return { payrollRunId: event.data.payrollRunId, recorded: { amount: event.data.amount, arrears: event.data.arrears } };
    case DisbursementEventType.AssignedToRun:
      return { payrollRunId: event.data.payrollRunId };
    default:
      return undefined;
  }
}
