import {
  beneficiaryDecider,
  beneficiaryStreamName,
  disbursementDecider,
  disbursementStreamName,
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

export async function loadDisbursement(store: EventStore, disbursementId: string): Promise<DisbursementState> {
  return fold(disbursementDecider, (await readDomainStream<DisbursementEvent>(store, disbursementStreamName(disbursementId))).events);
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
