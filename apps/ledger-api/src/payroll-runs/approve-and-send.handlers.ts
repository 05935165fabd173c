import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  emptySendingTally,
  includedDisbursementIds,
  payrollRunDecider,
  recordRunSent,
  rejectPayrollRun,
  sendDisbursement,
  tallySent,
  to,
  type Catalogues,
  type DisbursementState,
} from '@ledger/domain';
import { executeStreamCommand, executeStreamCommands, readAggregates, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, latestPosition, metadataFor, metadataPerCommand, positionOf } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { ApprovePayrollRunCommand, RejectPayrollRunCommand, SendPayrollRunCommand } from './payroll-run.commands.js';
import { assertMayChangePayrollRun, loadPayrollRun } from './payroll-run-access.js';

const SENDING_WAVE = 2_000;

@CommandHandler(ApprovePayrollRunCommand)
export class ApprovePayrollRunHandler implements ICommandHandler<ApprovePayrollRunCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, context, acknowledgeLargeArrears }: ApprovePayrollRunCommand) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayChangePayrollRun(run, context, this.catalogues);
    const outcome = await executeStreamCommand(this.store, to.payrollRun(runId, { type: 'ApprovePayrollRun', data: { approvedBy: context.actor.userId, acknowledgeLargeArrears } }), {
      metadata: metadataFor(context, 'ApprovePayrollRun'),
      eventIdSeed: eventIdSeedFor(context, 'ApprovePayrollRun', runId),
    });
    return { runId, status: outcome.state.status, approvedBy: outcome.state.approvedBy, position: positionOf(outcome.position) };
  }
}

@CommandHandler(RejectPayrollRunCommand)
export class RejectPayrollRunHandler implements ICommandHandler<RejectPayrollRunCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, reason, context }: RejectPayrollRunCommand) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayChangePayrollRun(run, context, this.catalogues);
    const commands = rejectPayrollRun(run, { rejectedBy: context.actor.userId, reason });
    const outcomes = await executeStreamCommands(this.store, commands, { metadata: metadataPerCommand(context), eventIdSeed: eventIdSeedFor(context, 'RejectPayrollRun', runId) });
    const released = commands.filter((command, index) => command.command.type === 'ReleaseFromRun' && outcomes[index]!.newEvents.length > 0).length;
    const after = await loadPayrollRun(this.store, runId);
    return { runId, status: after.status, rejectedBy: after.rejection?.rejectedBy, released, position: positionOf(latestPosition(...outcomes.map((outcome) => outcome.position))) };
  }
}

/**
 * Sending marks every disbursement of an approved run SENT — or CANCELLED when its enrollment no
 * longer covers its month, or into the Post Office's list when its account was closed since — as the
 * send workflow decides, and records the payment files. Re-sending after an interruption finishes
 * the job without sending anything twice.
 */
@CommandHandler(SendPayrollRunCommand)
export class SendPayrollRunHandler implements ICommandHandler<SendPayrollRunCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ runId, context }: SendPayrollRunCommand) {
    const run = await loadPayrollRun(this.store, runId);
    assertMayChangePayrollRun(run, context, this.catalogues);
    if (run.status === 'SENT') return { runId, status: run.status, ...run.sent!, position: (await this.store.headPosition()).toString() };
    const closing = recordRunSent(run, context.actor.userId, emptySendingTally());
    // The run's own rule (approved, not yet sent) is checked before any disbursement is touched.
    payrollRunDecider.decide(closing.command, run);

    const options = { metadata: metadataPerCommand(context), eventIdSeed: `${runId}/send` };
    let tally = emptySendingTally();
    const disbursementIds = includedDisbursementIds(run);
    for (let start = 0; start < disbursementIds.length; start += SENDING_WAVE) {
      const wave = disbursementIds.slice(start, start + SENDING_WAVE);
      // A wave's payments, then their people, read in one call each rather than a read or two a
      // payment (most of a province's sending time). A payment written since is found by its
      // append, at the revision read here, and decided again.
      const payments = await readAggregates(this.store, 'disbursement', wave);
      const people = await readAggregates(this.store, 'beneficiary', new Set([...payments.values()].map(({ state }) => state.beneficiaryId)));
      const sentStates = await Promise.all(
        wave.map(async (disbursementId): Promise<DisbursementState | undefined> => {
          const { state: disbursement, read } = payments.get(disbursementId)!;
          const command = sendDisbursement(runId, disbursement, people.get(disbursement.beneficiaryId)!.state);
          if (!command) return undefined;
          return (await executeStreamCommand(this.store, command, { ...options, alreadyRead: read })).state;
        }),
      );
      for (const state of sentStates) if (state) tally = tallySent(tally, state);
    }
    const outcome = await executeStreamCommand(this.store, recordRunSent(run, context.actor.userId, tally), { ...options, eventIdSeed: `${runId}/send/recorded` });
    return { runId, status: outcome.state.status, ...outcome.state.sent!, position: positionOf(outcome.position) };
  }
}
