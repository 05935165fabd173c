import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { disbursementDecider, DisbursementEventType, NotFound, payingAgentOf, POST_OFFICE, type Catalogues, type DisbursementState, type PayrollRunState } from '@ledger/domain';
import { readAggregate, type EventStore } from '@ledger/event-store';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { csvForBanks, csvForPeople } from '@ledger/payment-files';
import { EVENT_STORE } from '../ledger.tokens.js';
import { mayReadUnit, type Actor } from '../platform/index.js';
import { beneficiaryCache, loadPayrollRun, unitsOfRun } from './payroll-run-access.js';

export class GetPayrollRunQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly runId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

export class GetPaymentFileQuery extends Query<string> {
  constructor(
    readonly runId: string,
    readonly paymentFile: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

@QueryHandler(GetPayrollRunQuery)
export class GetPayrollRunHandler implements IQueryHandler<GetPayrollRunQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, actor }: GetPayrollRunQuery) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayReadRun(actor, run, this.catalogues);
    return {
      runId,
      ...run.scope,
      status: run.status,
      createdBy: run.createdBy,
      approvedBy: run.approvedBy ?? null,
      ...(run.rejection ? { rejectedBy: run.rejection.rejectedBy, rejectionReason: run.rejection.reason } : {}),
      disbursements: run.disbursementIds.length,
      ...(run.summary ? { ...run.summary, largeArrears: run.summary.largeArrears ?? [] } : {}),
      ...(run.sent ? { sent: run.sent.sent, cancelled: run.sent.cancelled, paymentFiles: run.sent.paymentFiles } : {}),
    };
  }
}

const BANK_FILE_COLUMNS = ['disbursement_id', 'beneficiary_id', 'program', 'period', 'amount_vnd', 'bank_code', 'account_number', 'holder_name', 'payment_reference'] as const;
const CASH_LIST_COLUMNS = ['disbursement_id', 'beneficiary_id', 'full_name', 'national_id', 'unit_code', 'program', 'period', 'amount_vnd'] as const;

/**
 * The payment file for one bank, or the Post Office's cash list: the run's disbursements as it sent
 * them. A bank file is read by the bank's system, which matches the holder name character for
 * character: no byte-order mark, every value as recorded. The cash list is read by people, in a
 * spreadsheet: byte-order mark, formulas defused (see write-csv).
 */
@QueryHandler(GetPaymentFileQuery)
export class GetPaymentFileHandler implements IQueryHandler<GetPaymentFileQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, paymentFile, actor }: GetPaymentFileQuery): Promise<string> {
    const run = await loadPayrollRun(this.store, runId);
    assertMayReadRun(actor, run, this.catalogues);
    if (!run.sent) throw new NotFound('PAYMENT_FILE_NOT_FOUND', 'Payment files exist once the run is sent');
    if (!run.sent.paymentFiles.some((file) => file.paymentFile === paymentFile)) {
      throw new NotFound('PAYMENT_FILE_NOT_FOUND', `The run has no payment file ${paymentFile}`, { paymentFiles: run.sent.paymentFiles.map((file) => file.paymentFile) });
    }
    const cash = paymentFile === POST_OFFICE;
    const beneficiaryOf = beneficiaryCache(this.store);
    const records: Array<Record<string, string | number>> = [];
    for (const disbursementId of run.disbursementIds) {
      const d = await this.asSentBy(disbursementId, runId);
      if (!d || payingAgentOf(d.channel, d.account) !== paymentFile) continue;
      const sent = { disbursement_id: d.disbursementId, beneficiary_id: d.beneficiaryId, program: d.program, period: d.period, amount_vnd: d.amount };
      if (cash) {
        const beneficiary = await beneficiaryOf(d.beneficiaryId);
        records.push({ ...sent, full_name: beneficiary.fullName, national_id: beneficiary.nationalId, unit_code: d.unitCode });
      } else {
        const { bankCode, accountNumber, holderName } = d.account!;
        records.push({ ...sent, bank_code: bankCode, account_number: accountNumber, holder_name: holderName, payment_reference: `${d.program} ${d.period}` });
      }
    }
    return cash ? csvForPeople(CASH_LIST_COLUMNS, records) : csvForBanks(BANK_FILE_COLUMNS, records);
  }

  /**
   * The disbursement as it stood when `runId` sent it — that attempt's channel, account and amount —
   * or undefined if the run never sent it. A payment file is a record of what went to the paying
   * agent: a later failure, reschedule or cancellation must not rewrite it.
   */
  private async asSentBy(disbursementId: string, runId: string): Promise<DisbursementState | undefined> {
    const { read } = await readAggregate(this.store, 'disbursement', disbursementId);
    let asSent: DisbursementState | undefined;
    let state = disbursementDecider.initialState();
    for (const event of read.events) {
      state = disbursementDecider.evolve(state, event);
      if (event.type === DisbursementEventType.Sent && event.data.payrollRunId === runId) asSent = state;
    }
    return asSent;
  }
}

/** A run outside the caller's units (every unit, for a run of every unit) is answered as an unknown one: the refusal does not tell them it exists. */
function assertMayReadRun(actor: Actor, run: PayrollRunState, catalogues: Catalogues): void {
  if (!unitsOfRun(run, catalogues).every((code) => mayReadUnit(actor, code, catalogues.units))) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
}
