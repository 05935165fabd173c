import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  disbursementDecider,
  DisbursementEventType,
  disbursementStreamName,
  includedDisbursementIds,
  NotFound,
  parsePeriod,
  payingAgentOf,
  PayrollRunEventType,
  POST_OFFICE,
  type BeneficiaryState,
  type Catalogues,
  type DisbursementEvent,
  type DisbursementState,
  type PayrollRunState,
} from '@ledger/domain';
import { domainStreamOf, readAggregate, readAggregates, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from '../config/ledger-config.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../ledger.tokens.js';
import { mayReadUnit, type Actor } from '../platform/index.js';
import { loadPayrollRun, scheduledCounts, unitsOfRun } from './payroll-run-access.js';
import { bankFileCsv, bankFilePain001, cashListCsv, cashListPdf, type SentBankPayment, type SentCashPayment, type SentRun } from './payment-file-formats.js';
import { formatsOfPaymentFile, PAYMENT_FILE_FORMATS, type PaymentFileFormat } from './payment-file-negotiation.js';

/** Payments (and people) read at a time for a payment file: one call each, a few MiB of events held at once. */
const PAYMENTS_PER_READ = 2_000;

export class GetPayrollRunQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly runId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

/** A payment file ready to send: its bytes (or text), its media type and the name to save it under. */
export interface PaymentFileDownload {
  readonly contentType: string;
  readonly fileName: string;
  readonly content: string | Buffer;
}

export class GetPaymentFileQuery extends Query<PaymentFileDownload> {
  constructor(
    readonly runId: string,
    readonly paymentFile: string,
    /** As the Accept header chose it (see payment-file-negotiation): one the paying agent's file is served in. */
    readonly format: PaymentFileFormat,
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
      disbursements: run.disbursementCount,
      ...(run.summary ? scheduledCounts(run.summary) : {}),
      ...(run.sent ? { sent: run.sent.sent, cancelled: run.sent.cancelled, paymentFiles: run.sent.paymentFiles } : {}),
    };
  }
}

/**
 * The payment file for one bank, or the Post Office's cash list: the run's disbursements as it sent
 * them, in the format asked for — CSV for either; pain.001 for a bank's system; a printable PDF for
 * the Post Office's pay points. Every format is made from the same payments, so they agree.
 */
@QueryHandler(GetPaymentFileQuery)
export class GetPaymentFileHandler implements IQueryHandler<GetPaymentFileQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ runId, paymentFile, format, actor }: GetPaymentFileQuery): Promise<PaymentFileDownload> {
    if (!formatsOfPaymentFile(paymentFile).includes(format)) throw new Error(`A ${paymentFile} payment file is not served as ${format}`);
    const { state: run, read } = await readAggregate(this.store, 'payrollRun', runId);
    if (!run.exists) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
    assertMayReadRun(actor, run, this.catalogues);
    if (!run.sent) throw new NotFound('PAYMENT_FILE_NOT_FOUND', 'Payment files exist once the run is sent');
    if (!run.sent.paymentFiles.some((file) => file.paymentFile === paymentFile)) {
      throw new NotFound('PAYMENT_FILE_NOT_FOUND', `The run has no payment file ${paymentFile}`, { paymentFiles: run.sent.paymentFiles.map((file) => file.paymentFile) });
    }
    const sentRun: SentRun = {
      runId,
      period: parsePeriod(run.scope.period, 'period'),
      // The moment the run recorded it was sent: it dates every file of the run, the same on every download.
      sentAt: read.recorded.find((event) => event.type === PayrollRunEventType.Sent)!.recordedAt,
    };
    const payments: DisbursementState[] = [];
    // A province's payments read a few thousand to a call, not one a call.
    const disbursementIds = includedDisbursementIds(run);
    for (let start = 0; start < disbursementIds.length; start += PAYMENTS_PER_READ) {
      const wave = disbursementIds.slice(start, start + PAYMENTS_PER_READ);
      // Only folded up to the run's own sending (asSentBy): read, not folded whole as an aggregate first.
      const streams = await this.store.readStreams(wave.map(disbursementStreamName));
      for (const disbursementId of wave) {
        const asSent = asSentBy(domainStreamOf<DisbursementEvent>(streams.get(disbursementStreamName(disbursementId)) ?? []).events, runId);
        if (asSent && payingAgentOf(asSent.channel, asSent.account) === paymentFile) payments.push(asSent);
      }
    }
    const { contentType, extension } = PAYMENT_FILE_FORMATS[format];
    const fileName = `${sentRun.period}-${paymentFile}-${runId.slice(0, 8)}.${extension}`;
    return { contentType, fileName, content: await this.contentOf(format, payments, sentRun, paymentFile) };
  }

  private async contentOf(format: PaymentFileFormat, payments: readonly DisbursementState[], run: SentRun, paymentFile: string): Promise<string | Buffer> {
    if (paymentFile !== POST_OFFICE) {
      const bankPayments = payments as readonly SentBankPayment[];
      return format === 'pain001' ? bankFilePain001(bankPayments, run, paymentFile, this.config.payingAccount) : bankFileCsv(bankPayments);
    }
    // The people at the pay point, read as the payments were, a few thousand to a call; each once
    // per file, so a person paid for several months reads the same on every line of the list.
    const people = new Map<string, BeneficiaryState>();
    const cash: SentCashPayment[] = [];
    for (let start = 0; start < payments.length; start += PAYMENTS_PER_READ) {
      const wave = payments.slice(start, start + PAYMENTS_PER_READ);
      const unread = new Set(wave.map(({ beneficiaryId }) => beneficiaryId).filter((id) => !people.has(id)));
      for (const [id, { state }] of await readAggregates(this.store, 'beneficiary', unread)) people.set(id, state);
      for (const disbursement of wave) cash.push({ disbursement, beneficiary: people.get(disbursement.beneficiaryId)! });
    }
    return format === 'pdf' ? cashListPdf(cash, run, this.catalogues) : cashListCsv(cash);
  }
}

/**
 * The disbursement as it stood when `runId` sent it — that attempt's channel, account and amount —
 * or undefined if the run never sent it. A payment file is a record of what went to the paying
 * agent: a later failure, reschedule or cancellation must not rewrite it.
 */
function asSentBy(events: readonly DisbursementEvent[], runId: string): DisbursementState | undefined {
  let asSent: DisbursementState | undefined;
  let state = disbursementDecider.initialState();
  for (const event of events) {
    state = disbursementDecider.evolve(state, event);
    if (event.type === DisbursementEventType.Sent && event.data.payrollRunId === runId) asSent = state;
  }
  return asSent;
}

/** A run outside the caller's units (every unit, for a run of every unit) is answered as an unknown one: the refusal does not tell them it exists. */
function assertMayReadRun(actor: Actor, run: PayrollRunState, catalogues: Catalogues): void {
  if (!unitsOfRun(run, catalogues).every((code) => mayReadUnit(actor, code, catalogues.units))) throw new NotFound('PAYROLL_RUN_NOT_FOUND', 'No payroll run with this id');
}
