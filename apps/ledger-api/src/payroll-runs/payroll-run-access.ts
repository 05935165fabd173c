import {
  beneficiaryDecider,
  beneficiaryStreamName,
  disbursementDecider,
  disbursementStreamName,
  DisbursementEventType,
  fold,
  NotFound,
  payrollRunDecider,
  payrollRunStreamName,
  type BeneficiaryEvent,
  type BeneficiaryState,
  type DisbursementEvent,
  type DisbursementState,
  type PayrollRunEvent,
  type PayrollRunState,
} from '@ledger/domain';
import { readDomainStream, type EventStore } from '@ledger/event-store';

export async function loadPayrollRun(store: EventStore, runId: string): Promise<PayrollRunState> {
  const run = fold(payrollRunDecider, (await readDomainStream<PayrollRunEvent>(store, payrollRunStreamName(runId))).events);
  if (!run.exists) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
  return run;
}

/**
 * The disbursement as it stood when `runId` sent it — that attempt's channel, account and amount —
 * or undefined if the run never sent it. A payment file is a record of what went to the paying
 * agent: a later failure, reschedule or cancellation must not rewrite it.
 */
export async function disbursementAsSentBy(store: EventStore, disbursementId: string, runId: string): Promise<DisbursementState | undefined> {
  const { events } = await readDomainStream<DisbursementEvent>(store, disbursementStreamName(disbursementId));
  let state = disbursementDecider.initialState();
  let asSent: DisbursementState | undefined;
  for (const event of events) {
    state = disbursementDecider.evolve(state, event);
    if (event.type === DisbursementEventType.Sent && event.data.payrollRunId === runId) asSent = state;
  }
  return asSent;
}

/** Beneficiaries read once per run, however many of their disbursements it holds. */
export function beneficiaryCache(store: EventStore) {
  const cache = new Map<string, Promise<BeneficiaryState>>();
  return (beneficiaryId: string) => {
    let loaded = cache.get(beneficiaryId);
    if (!loaded) {
      loaded = readDomainStream<BeneficiaryEvent>(store, beneficiaryStreamName(beneficiaryId)).then(({ events }) => fold(beneficiaryDecider, events));
      cache.set(beneficiaryId, loaded);
    }
    return loaded;
  };
}
