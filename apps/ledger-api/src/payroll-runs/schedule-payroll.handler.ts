import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertPayrollPeriodWithinHorizon,
  BENEFICIARY_CATEGORY,
  beneficiaryDecider,
  Conflict,
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
  RuleViolation,
  SCHEDULED_AFTER,
  schemaVersionOf,
  upcast,
  uuidV5,
  type BeneficiaryEvent,
  type Catalogues,
  type DisbursementEvent,
  type PayrollRunCommand,
  type PayrollRunEvent,
  type PayrollRunState,
  type PlannedDisbursement,
  type SchedulingSummary,
} from '@ledger/domain';
import {
  EventIdConflict,
  eventIdFor,
  handleCommand,
  NO_STREAM,
  readDomainStream,
  storedMetadata,
  toEventToAppend,
  WrongExpectedRevision,
  type CommandMetadata,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type StreamAppend,
} from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { assertActorMayActIn, type CommandContext } from '../platform/index.js';
import { SchedulePayrollCommand, type PayrollRunScheduled } from './payroll-run.commands.js';

export const PAYROLL_RUN_NAMESPACE = '3e5a7c9b-1d2f-5a4b-8c6d-7e8f9a0b1c2d';
/** Appends in flight at once: each wave is group-committed into one transaction. */
const SCHEDULING_WAVE = 10_000;

interface RunInProgress {
  readonly runId: string;
  readonly seed: string;
  readonly metadata: CommandMetadata;
  /** The metadata as stored, made once for every event the run writes. */
  readonly storedMetadata: EventMetadata;
  /** Other runs met holding disbursements of this scope: may this run take theirs over? Asked once per run. */
  readonly takeOverFrom: Map<string, Promise<boolean>>;
}

interface Tally {
  scheduled: number;
  alreadyScheduled: number;
  arrears: number;
  totalAmount: number;
  readonly included: string[];
}

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
    if (!run.exists) {
      run = (
        await handleCommand(this.store, payrollRunDecider, runStream, { type: 'CreatePayrollRun', data: { runId, createdBy: context.actor.userId, ...scope } }, {
          metadata: metadataFor(context, 'SchedulePayroll'),
          eventIdSeed: `${seed}/create`,
        })
      ).state;
    }
    if (run.status === 'ABANDONED') {
      throw new Conflict('PAYROLL_RUN_ABANDONED', 'This payroll run was interrupted and a later run took its disbursements over', { takenOverBy: run.takenOverBy });
    }
    if (run.status !== 'SCHEDULING') return this.responseFor(runId, run.summary!, run.status, await this.store.headPosition());

    const metadata = metadataFor(context, 'SchedulePayroll');
    const inProgress: RunInProgress = { runId, seed, metadata, storedMetadata: storedMetadata(metadata), takeOverFrom: new Map() };
    const tally: Tally = { scheduled: 0, alreadyScheduled: 0, arrears: 0, totalAmount: 0, included: [] };
    const skipped: Record<string, number> = {};
    let planningDone = 0;
    let scheduled = 0;
    // Each wave is scheduled as soon as it is planned, while the beneficiaries are still being read:
    // only one wave of plans is held at a time, not a province's.
    let wave: PlannedDisbursement[] = [];
    const scheduleWave = async () => {
      await this.scheduleWave(wave, inProgress, tally);
      onProgress?.((scheduled += wave.length), 'scheduling');
      wave = [];
    };
    for await (const { events } of this.store.readCategory(BENEFICIARY_CATEGORY)) {
      const beneficiary = fold(beneficiaryDecider, events.map((event) => upcast(event) as BeneficiaryEvent));
      const plan = planPayrollFor(beneficiary, scope, this.catalogues);
      for (const disbursement of plan.planned) wave.push(disbursement);
      for (const reason of plan.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (++planningDone % 10_000 === 0) onProgress?.(planningDone, 'planning');
      if (wave.length >= SCHEDULING_WAVE) await scheduleWave();
    }
    if (wave.length > 0) await scheduleWave();

    const summary = { scheduled: tally.scheduled, alreadyScheduled: tally.alreadyScheduled, arrears: tally.arrears, skipped, totalAmount: tally.totalAmount };
    const completed = await this.completeScheduling(runStream, tally.included, summary, inProgress);
    return this.responseFor(runId, completed.state.summary!, completed.state.status, completed.position);
  }

  private async scheduleWave(wave: PlannedDisbursement[], inProgress: RunInProgress, tally: Tally): Promise<void> {
    const { runId, seed, metadata, storedMetadata } = inProgress;
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
    const commandFor = (disbursement: PlannedDisbursement) => ({ type: 'ScheduleDisbursement', data: { ...disbursement, payrollRunId: runId, attempt: 1 } }) as const;
    const eventIdSeed = `${seed}/schedule`;

    // The appends are independent, so their order is free: in order of stream name, the new names
    // go into the store's name index page after page instead of at random (a fifth less insert time).
    wave.sort((a, b) => (a.disbursementId < b.disbursementId ? -1 : a.disbursementId > b.disbursementId ? 1 : 0));
    const streamNames = wave.map((disbursement) => disbursementStreamName(disbursement.disbursementId));
    const heads = await this.store.streamHeads(streamNames);
    const appended: PlannedDisbursement[] = [];
    const appends: StreamAppend[] = [];
    const existing: Array<{ disbursement: PlannedDisbursement; streamName: string; lastEventType: string }> = [];
    wave.forEach((disbursement, index) => {
      const streamName = streamNames[index]!;
      const head = heads.get(streamName);
      if (head !== undefined) return void existing.push({ disbursement, streamName, lastEventType: head.lastEventType });
      const events = eventsToRecord(decideForDisbursement(commandFor(disbursement), initialDisbursementState()));
      appended.push(disbursement);
      appends.push({
        streamName,
        // Built here rather than by toEventToAppend, which would copy the same metadata again for each of a province's events.
        events: events.map((event, eventIndex): EventToAppend => ({
          id: eventIdFor(eventIdSeed, streamName, eventIndex),
          type: event.type,
          schemaVersion: schemaVersionOf(event.type),
          data: event.data as EventToAppend['data'],
          metadata: storedMetadata,
        })),
        // "No stream" is the uniqueness check; the existence look-up above only spares the common case a failed append.
        expectedRevision: NO_STREAM,
      });
    });

    const outcomes = await this.store.appendToStreams(appends);
    let failure: { reason: unknown } | undefined;
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') count(appended[index]!);
      else if (outcome.reason instanceof WrongExpectedRevision) countExisting(appended[index]!);
      else failure ??= outcome;
    });
    if (failure) throw failure.reason;

    await Promise.all(
      existing.map(async ({ disbursement, streamName, lastEventType }) => {
        // Read an existing disbursement only when its last event says it is still waiting to be sent:
        // scheduled by this run (being resumed), by a run that was interrupted, or a rescheduled
        // attempt waiting for a run. Months already sent or paid — every arrears month of a long
        // enrollment — are not read.
        if (!SCHEDULED_AFTER.has(lastEventType)) return countExisting(disbursement);
        const read = await readDomainStream<DisbursementEvent>(this.store, streamName);
        const current = fold(disbursementDecider, read.events);
        // Counted as the disbursement itself says: a rescheduled attempt keeps its own amount and arrears flag.
        const asRecorded = { ...disbursement, amount: current.amount, arrears: current.arrears };
        if (current.status === 'SCHEDULED' && current.payrollRunId === runId) return count(asRecorded);
        if (current.status === 'SCHEDULED' && current.payrollRunId === null) {
          await handleCommand(this.store, disbursementDecider, streamName, commandFor(disbursement), { metadata, eventIdSeed: `${seed}/adopt`, alreadyRead: read });
          return count(asRecorded);
        }
        if (current.status === 'SCHEDULED' && current.payrollRunId !== null && (await this.mayTakeOverFrom(current.payrollRunId, inProgress))) {
          const fromRun = current.payrollRunId;
          try {
            await handleCommand(this.store, disbursementDecider, streamName, { type: 'TakeOverDisbursement', data: { payrollRunId: runId, fromRun } }, { metadata, eventIdSeed: `${seed}/take-over`, alreadyRead: read });
            return count(asRecorded);
          } catch (error) {
            // Another run took it over first: it waits there, not here.
            if (error instanceof Conflict && error.code === 'NOT_IN_RUN') return countExisting(disbursement);
            throw error;
          }
        }
        return countExisting(disbursement);
      }),
    );
  }

  /**
   * A run found holding disbursements of this scope that it never sent is given up for this one when
   * it was interrupted while scheduling (retried under another Idempotency-Key, it would otherwise
   * keep them from every payroll): it is recorded as abandoned — at its current revision, so a run
   * still working loses that race and fails its own closing records — and this run takes its
   * disbursements over. A run abandoned earlier leaves its disbursements to whichever run comes next.
   * A run that finished scheduling keeps its own.
   */
  private mayTakeOverFrom(otherRunId: string, { runId, seed, metadata, takeOverFrom }: RunInProgress): Promise<boolean> {
    let answer = takeOverFrom.get(otherRunId);
    if (!answer) {
      answer = (async () => {
        const stream = payrollRunStreamName(otherRunId);
        const other = fold(payrollRunDecider, (await readDomainStream<PayrollRunEvent>(this.store, stream)).events);
        if (other.status === 'ABANDONED') return true;
        if (other.status !== 'SCHEDULING') return false;
        try {
          await handleCommand(this.store, payrollRunDecider, stream, { type: 'AbandonPayrollRun', data: { takenOverBy: runId } }, {
            metadata,
            eventIdSeed: `${seed}/abandon`,
          });
          return true;
        } catch (error) {
          // It moved meanwhile: it finished scheduling (it keeps its disbursements) or is still writing.
          if (error instanceof WrongExpectedRevision || error instanceof Conflict || error instanceof RuleViolation) return false;
          throw error;
        }
      })();
      takeOverFrom.set(otherRunId, answer);
    }
    return answer;
  }

  /**
   * Records the disbursements the run took (those an interrupted attempt already recorded are not
   * repeated) and its summary, in one append at the revision just read: one commit, and no re-read
   * of a run stream growing by 5,000 ids an event. Event ids are those of one command at a time, so
   * should the run have moved on meanwhile (the same request sent twice at once), the commands are
   * handled one by one instead, each recognising what the other request already recorded.
   */
  private async completeScheduling(
    runStream: string,
    included: readonly string[],
    summary: SchedulingSummary,
    { seed, metadata, storedMetadata }: RunInProgress,
  ): Promise<{ state: PayrollRunState; position: bigint | null }> {
    const { events, recorded } = await readDomainStream<PayrollRunEvent>(this.store, runStream);
    const run = fold(payrollRunDecider, events);
    const alreadyIncluded = new Set(run.disbursementIds);
    const toInclude = included.filter((id) => !alreadyIncluded.has(id));
    const commands: Array<{ command: PayrollRunCommand; eventIdSeed: string }> = [];
    let chunk = Math.ceil(run.disbursementIds.length / DISBURSEMENT_IDS_PER_EVENT);
    for (let start = 0; start < toInclude.length; start += DISBURSEMENT_IDS_PER_EVENT) {
      const disbursementIds = toInclude.slice(start, start + DISBURSEMENT_IDS_PER_EVENT);
      commands.push({ command: { type: 'IncludeDisbursements', data: { disbursementIds } }, eventIdSeed: `${seed}/include/${chunk++}` });
    }
    commands.push({ command: { type: 'CompleteScheduling', data: summary }, eventIdSeed: `${seed}/complete` });

    if (run.status === 'SCHEDULING') {
      let state = run;
      const toAppend: EventToAppend[] = [];
      for (const { command, eventIdSeed } of commands) {
        const decided = eventsToRecord(payrollRunDecider.decide(command, state));
        state = decided.reduce(payrollRunDecider.evolve, state);
        toAppend.push(...decided.map((event, index) => toEventToAppend(event, eventIdFor(eventIdSeed, runStream, index), storedMetadata)));
      }
      try {
        const { position } = await this.store.appendToStream(runStream, toAppend, recorded.at(-1)!.streamRevision);
        return { state, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision || error instanceof EventIdConflict)) throw error;
      }
    }
    let outcome: { state: PayrollRunState; position: bigint | null } | undefined;
    for (const { command, eventIdSeed } of commands) outcome = await handleCommand(this.store, payrollRunDecider, runStream, command, { metadata, eventIdSeed });
    return outcome!;
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
