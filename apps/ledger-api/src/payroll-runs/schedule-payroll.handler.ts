import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertPayrollPeriodWithinHorizon,
  BENEFICIARY_CATEGORY,
  beneficiaryDecider,
  decideForDisbursement,
  DISBURSEMENT_IDS_PER_EVENT,
  disbursementDecider,
  disbursementStreamName,
  eventsToRecord,
  fold,
  initialDisbursementState,
  InvalidValue,
  localDateInVietnam,
  payrollRunDecider,
  payrollRunStreamName,
  planPayrollFor,
  upcast,
  uuidV5,
  type BeneficiaryEvent,
  type Catalogues,
  type DisbursementEvent,
  type PayrollRunEvent,
  type PlannedDisbursement,
  type SchedulingSummary,
} from '@ledger/domain';
import { eventIdFor, handleCommand, NO_STREAM, readDomainStream, storedMetadata, toEventToAppend, WrongExpectedRevision, type EventStore } from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayActIn, type CommandContext } from '../platform/index.js';
import { SchedulePayrollCommand, type PayrollRunScheduled } from './payroll-run.commands.js';

export const PAYROLL_RUN_NAMESPACE = '3e5a7c9b-1d2f-5a4b-8c6d-7e8f9a0b1c2d';
/** Appends in flight at once: each wave is group-committed into one transaction. */
const SCHEDULING_WAVE = 10_000;

/**
 * One command schedules a whole payroll. Eligibility comes from the beneficiary streams themselves;
 * uniqueness from the per-(beneficiary, program, period) disbursement stream, appended with "no
 * stream" expected. The run id and every event id derive from the idempotency key, so a run that
 * was interrupted is finished, not repeated, by sending the same request again.
 */
@CommandHandler(SchedulePayrollCommand)
export class SchedulePayrollHandler implements ICommandHandler<SchedulePayrollCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  async execute({ scope, context, onProgress }: SchedulePayrollCommand): Promise<PayrollRunScheduled> {
    assertMayRunPayrollFor(scope.unitCode, context, this.catalogues);
    if (scope.program) this.catalogues.programs.get(scope.program);
    assertPayrollPeriodWithinHorizon(scope.period, localDateInVietnam(context.receivedAt));
    const seed = eventIdSeedFor(context, 'SchedulePayroll');
    if (!seed) throw new InvalidValue('Idempotency-Key', 'A payroll run needs an Idempotency-Key');
    const runId = uuidV5(seed, PAYROLL_RUN_NAMESPACE);
    const runStream = payrollRunStreamName(runId);

    let run = fold(payrollRunDecider, (await readDomainStream<PayrollRunEvent>(this.store, runStream)).events);
    // A run that exists but never finished scheduling was interrupted: this request finishes it.
    const resuming = run.exists && run.status === 'SCHEDULING';
    if (!run.exists) {
      run = (
        await handleCommand(this.store, payrollRunDecider, runStream, { type: 'CreatePayrollRun', data: { runId, createdBy: context.actor.userId, ...scope } }, {
          metadata: metadataFor(context, 'SchedulePayroll'),
          eventIdSeed: `${seed}/create`,
        })
      ).state;
    }
    if (run.status !== 'SCHEDULING') return this.responseFor(runId, run.summary!, run.status, await this.store.headPosition());

    const planned: PlannedDisbursement[] = [];
    const skipped: Record<string, number> = {};
    let planningDone = 0;
    for await (const { events } of this.store.readCategory(BENEFICIARY_CATEGORY)) {
      const beneficiary = fold(beneficiaryDecider, events.map((event) => upcast(event) as BeneficiaryEvent));
      const plan = planPayrollFor(beneficiary, scope, this.catalogues);
      planned.push(...plan.planned);
      for (const reason of plan.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (++planningDone % 10_000 === 0) onProgress?.(planningDone, 'planning');
    }

    const outcome = await this.schedule(planned, { runId, seed, resuming }, context, onProgress);
    const alreadyIncluded = new Set(run.disbursementIds);
    const toInclude = outcome.included.filter((id) => !alreadyIncluded.has(id));
    let chunk = Math.ceil(run.disbursementIds.length / DISBURSEMENT_IDS_PER_EVENT);
    for (let start = 0; start < toInclude.length; start += DISBURSEMENT_IDS_PER_EVENT) {
      await handleCommand(this.store, payrollRunDecider, runStream, { type: 'IncludeDisbursements', data: { disbursementIds: toInclude.slice(start, start + DISBURSEMENT_IDS_PER_EVENT) } }, {
        metadata: metadataFor(context, 'SchedulePayroll'),
        eventIdSeed: `${seed}/include/${chunk++}`,
      });
    }
    const summary = { scheduled: outcome.scheduled, alreadyScheduled: outcome.alreadyScheduled, arrears: outcome.arrears, skipped, totalAmount: outcome.totalAmount };
    const completed = await handleCommand(this.store, payrollRunDecider, runStream, { type: 'CompleteScheduling', data: summary }, {
      metadata: metadataFor(context, 'SchedulePayroll'),
      eventIdSeed: `${seed}/complete`,
    });
    return this.responseFor(runId, completed.state.summary!, completed.state.status, completed.position);
  }

  private async schedule(
    planned: PlannedDisbursement[],
    { runId, seed, resuming }: { runId: string; seed: string; resuming: boolean },
    context: CommandContext,
    onProgress?: SchedulePayrollCommand['onProgress'],
  ) {
    const metadata = storedMetadata(metadataFor(context, 'SchedulePayroll'));
    const tally = { scheduled: 0, alreadyScheduled: 0, arrears: 0, totalAmount: 0, included: [] as string[] };
    const count = (disbursement: PlannedDisbursement) => {
      tally.scheduled++;
      tally.totalAmount += disbursement.amount;
      if (disbursement.arrears) tally.arrears++;
      tally.included.push(disbursement.disbursementId);
    };
    // A month owed as arrears that was already paid is simply not owed; only the run's own period is reported as already scheduled.
    const countExisting = (disbursement: PlannedDisbursement) => {
      if (!disbursement.arrears) tally.alreadyScheduled++;
    };

    for (let start = 0; start < planned.length; start += SCHEDULING_WAVE) {
      const wave = planned.slice(start, start + SCHEDULING_WAVE);
      const revisions = await this.store.streamRevisions(wave.map((disbursement) => disbursementStreamName(disbursement.disbursementId)));
      await Promise.all(
        wave.map(async (disbursement) => {
          const streamName = disbursementStreamName(disbursement.disbursementId);
          const command = { type: 'ScheduleDisbursement', data: { ...disbursement, payrollRunId: runId, attempt: 1 } } as const;
          const revision = revisions.get(streamName);
          if (revision === undefined) {
            const events = eventsToRecord(decideForDisbursement(command, initialDisbursementState()));
            try {
              // "No stream" is the uniqueness check; the existence look-up above only spares the common case a failed append.
              await this.store.appendToStream(
                streamName,
                events.map((event, index) => toEventToAppend(event, eventIdFor(`${seed}/schedule`, streamName, index), metadata)),
                NO_STREAM,
              );
              return count(disbursement);
            } catch (error) {
              if (error instanceof WrongExpectedRevision) return countExisting(disbursement);
              throw error;
            }
          }
          // Read an existing disbursement only when it may belong to this run: the run is being resumed
          // after an interruption, or it is a rescheduled attempt waiting for a run — three events at
          // least: scheduled, then cancelled (reinstated by a resumption) or sent and failed, rescheduled.
          if (!resuming && revision < 2n) return countExisting(disbursement);
          const current = fold(disbursementDecider, (await readDomainStream<DisbursementEvent>(this.store, streamName)).events);
          // Counted as the disbursement itself says: a rescheduled attempt keeps its own amount and arrears flag.
          const asRecorded = { ...disbursement, amount: current.amount, arrears: current.arrears };
          if (current.status === 'SCHEDULED' && current.payrollRunId === runId) return count(asRecorded);
          if (current.status === 'SCHEDULED' && current.payrollRunId === null) {
            await handleCommand(this.store, disbursementDecider, streamName, command, { metadata: metadataFor(context, 'SchedulePayroll'), eventIdSeed: `${seed}/adopt` });
            return count(asRecorded);
          }
          return countExisting(disbursement);
        }),
      );
      onProgress?.(Math.min(start + SCHEDULING_WAVE, planned.length), 'scheduling');
    }
    return tally;
  }

  private responseFor(runId: string, summary: SchedulingSummary, status: string, position: bigint | null): PayrollRunScheduled {
    return {
      runId,
      status,
      scheduled: summary.scheduled,
      alreadyScheduled: summary.alreadyScheduled,
      arrears: summary.arrears,
      skipped: summary.skipped,
      totalAmount: summary.totalAmount,
      position: position === null ? null : position.toString(),
    };
  }
}

/** A run for one unit needs that unit in scope; a run for every unit needs every unit in scope. */
export function assertMayRunPayrollFor(unitCode: string | null, context: CommandContext, catalogues: Catalogues): void {
  if (unitCode) {
    catalogues.units.get(unitCode);
    return assertActorMayActIn(context.actor, unitCode, catalogues.units);
  }
  for (const code of catalogues.units.codes()) assertActorMayActIn(context.actor, code, catalogues.units);
}
