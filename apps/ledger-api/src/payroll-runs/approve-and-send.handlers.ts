import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  disbursementDecider,
  disbursementStreamName,
  enrollmentActivityIn,
  fold,
  payrollRunDecider,
  payrollRunStreamName,
  type Catalogues,
  type DisbursementEvent,
  type PaymentFileSummary,
  type Period,
} from '@ledger/domain';
import { handleCommand, readDomainStream, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { ApprovePayrollRunCommand, SendPayrollRunCommand } from './payroll-run.commands.js';
import { beneficiaryCache, loadPayrollRun } from './payroll-run-access.js';
import { assertMayRunPayrollFor } from './schedule-payroll.handler.js';

const SENDING_WAVE = 2_000;

@CommandHandler(ApprovePayrollRunCommand)
export class ApprovePayrollRunHandler implements ICommandHandler<ApprovePayrollRunCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, context }: ApprovePayrollRunCommand) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayRunPayrollFor(run.scope.unitCode, context, this.catalogues);
    const outcome = await handleCommand(this.store, payrollRunDecider, payrollRunStreamName(runId), { type: 'ApprovePayrollRun', data: { approvedBy: context.actor.userId } }, {
      metadata: metadataFor(context, 'ApprovePayrollRun'),
      eventIdSeed: eventIdSeedFor(context, 'ApprovePayrollRun', runId),
    });
    return { runId, status: outcome.state.status, approvedBy: outcome.state.approvedBy, position: outcome.position?.toString() ?? null };
  }
}

/**
 * Sending marks every disbursement of an approved run SENT — or CANCELLED when its enrollment no
 * longer covers its month — and records the payment files: one per bank, and the Post Office's
 * cash list. Re-sending after an interruption finishes the job without sending anything twice.
 */
@CommandHandler(SendPayrollRunCommand)
export class SendPayrollRunHandler implements ICommandHandler<SendPayrollRunCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, context }: SendPayrollRunCommand) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayRunPayrollFor(run.scope.unitCode, context, this.catalogues);
    if (run.status === 'SENT') return { runId, status: run.status, ...run.sent!, position: (await this.store.headPosition()).toString() };
    // The run's own rule (approved, not yet sent) is checked before any disbursement is touched.
    payrollRunDecider.decide({ type: 'RecordPayrollRunSent', data: { sentBy: context.actor.userId, sent: 0, cancelled: 0, paymentFiles: [] } }, run);

    const beneficiaryOf = beneficiaryCache(this.store);
    const metadata = metadataFor(context, 'SendPayrollRun');
    const seed = `${runId}/send`;
    const files = new Map<string, PaymentFileSummary>();
    let sent = 0;
    let cancelled = 0;
    for (let start = 0; start < run.disbursementIds.length; start += SENDING_WAVE) {
      await Promise.all(
        run.disbursementIds.slice(start, start + SENDING_WAVE).map(async (disbursementId) => {
          const streamName = disbursementStreamName(disbursementId);
          const read = await readDomainStream<DisbursementEvent>(this.store, streamName);
          const current = fold(disbursementDecider, read.events);
          if (current.payrollRunId !== runId) return; // taken over by a later run since
          const beneficiary = await beneficiaryOf(current.beneficiaryId);
          const enrollment = enrollmentActivityIn(beneficiary.enrollments[current.program], current.period as Period);
          const outcome = await handleCommand(this.store, disbursementDecider, streamName, { type: 'SendDisbursement', data: { payrollRunId: runId, enrollment } }, {
            metadata,
            eventIdSeed: seed,
            alreadyRead: read,
          });
          const state = outcome.state;
          if (state.status === 'CANCELLED') {
            cancelled++;
            return;
          }
          if (state.status === 'SCHEDULED') return;
          sent++;
          const paymentFile = state.channel === 'BANK' ? state.account!.bankCode : 'POST_OFFICE';
          const file = files.get(paymentFile) ?? { paymentFile, count: 0, totalAmount: 0 };
          files.set(paymentFile, { paymentFile, count: file.count + 1, totalAmount: file.totalAmount + state.amount });
        }),
      );
    }
    const paymentFiles = [...files.values()].sort((a, b) => a.paymentFile.localeCompare(b.paymentFile));
    const outcome = await handleCommand(this.store, payrollRunDecider, payrollRunStreamName(runId), { type: 'RecordPayrollRunSent', data: { sentBy: context.actor.userId, sent, cancelled, paymentFiles } }, {
      metadata,
      eventIdSeed: `${seed}/recorded`,
    });
    return { runId, status: outcome.state.status, ...outcome.state.sent!, position: outcome.position?.toString() ?? null };
  }
}
