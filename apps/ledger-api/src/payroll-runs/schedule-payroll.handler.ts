import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertPayrollPeriodWithinHorizon,
  BENEFICIARY_CATEGORY,
  beneficiaryDecider,
  beneficiaryStreamName,
  completeScheduling,
  Conflict,
  countAsExisting,
  countAsScheduled,
  countSkipped,
  decideForDisbursement,
  decideForExistingDisbursement,
  DISBURSEMENT_CATEGORY,
  disbursementStreamName,
  emptySchedulingTally,
  eventsToRecord,
  fold,
  includedDisbursementIds,
  initialDisbursementState,
  isOneOfTheScope,
  InvalidValue,
  leavesOutcomesAsTheyWere,
  localDateInVietnam,
  mayChangeTheOutcome,
  mayRerunFrom,
  mayStillBeWaiting,
  mayStillKeepItsMonths,
  mayTakeOverFrom,
  PAYROLL_RUN_CATEGORY,
  payrollRunDecider,
  payrollRunStreamName,
  planPayrollFor,
  RuleViolation,
  scheduleNewDisbursement,
  schedulingSummaryOf,
  schemaVersionOf,
  to,
  upcast,
  uuidV5,
  waitingDisbursementFromLastEvent,
  type BeneficiaryEvent,
  type BeneficiaryPayrollPlan,
  type Catalogues,
  type DisbursementEvent,
  type PayrollRunEvent,
  type PayrollRunScope,
  type PayrollScope,
  type PayrollRunState,
  type PlannedDisbursement,
  type SchedulingBasis,
  type SchedulingSummary,
  type SchedulingTally,
  type UnchangedSince,
} from '@ledger/domain';
import {
  appendInBoundedParts,
  EventIdConflict,
  eventIdFor,
  executeStreamCommand,
  handleCommand,
  NO_STREAM,
  readAggregate,
  readDomainStream,
  storedMetadata,
  toEventToAppend,
  WrongExpectedRevision,
  type CategoryStream,
  type CategoryStreamHead,
  type CommandMetadata,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  type StreamAppend,
} from '@ledger/event-store';
import { eventIdSeedFor, metadataFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { SchedulePayrollCommand, type PayrollRunScheduled } from './payroll-run.commands.js';
import { assertMayRunPayrollFor, scheduledResponse } from './payroll-run-access.js';

export const PAYROLL_RUN_NAMESPACE = '3e5a7c9b-1d2f-5a4b-8c6d-7e8f9a0b1c2d';
/** Appends in flight at once: each wave is group-committed into one transaction. */
const SCHEDULING_WAVE = 10_000;
/** Streams read in one call when a rerun reads only the people who changed. */
const PEOPLE_PER_READ = 2_000;

interface RunInProgress {
  readonly runId: string;
  readonly seed: string;
  readonly metadata: CommandMetadata;
  /** The metadata as stored, made once for every event the run writes. */
  readonly storedMetadata: EventMetadata;
  /** Other runs met holding disbursements of this scope: may this run take theirs over? Asked once per run. */
  readonly takeOverFrom: Map<string, Promise<boolean>>;
}

/** An earlier run of the scope a rerun trusts for everyone it does not read again. */
interface EarlierRun {
  readonly run: PayrollRunState;
  readonly basis: Omit<SchedulingBasis, 'readFrom'> & { readonly readFrom: bigint };
  /** Where every payroll run stood when it was found. */
  readonly runs: readonly CategoryStreamHead[];
}

/** What scheduling found, for the run's closing records. */
interface RunOutcome {
  readonly tally: SchedulingTally;
  readonly basis: SchedulingBasis | undefined;
  readonly unchangedSince: UnchangedSince | undefined;
}

/**
 * One command schedules a whole payroll. The rules — what a run owes each beneficiary, what it may
 * adopt or take over, what it counts — are the domain's (`planPayrollFor` and the scheduling
 * workflow); this handler reads the beneficiaries one at a time and writes what those rules decide,
 * in waves. The run id and every event id derive from the idempotency key, so a run that was
 * interrupted is finished, not repeated, by sending the same request again.
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
    const metadata = metadataFor(context, 'SchedulePayroll');

    let run = (await readAggregate(this.store, 'payrollRun', runId)).state;
    // A run that exists but never finished scheduling was interrupted: this request finishes it.
    if (!run.exists) {
      run = (await executeStreamCommand(this.store, to.payrollRun(runId, { type: 'CreatePayrollRun', data: { runId, createdBy: context.actor.userId, ...scope } }), { metadata, eventIdSeed: `${seed}/create` }))
        .state;
    }
    if (run.status === 'ABANDONED') {
      throw new Conflict('PAYROLL_RUN_ABANDONED', 'This payroll run was interrupted and a later run took its disbursements over', { takenOverBy: run.takenOverBy });
    }
    if (run.status !== 'SCHEDULING') return scheduledResponse(runId, run.summary!, run.status, await this.store.headPosition());

    const inProgress: RunInProgress = { runId, seed, metadata, storedMetadata: storedMetadata(metadata), takeOverFrom: new Map() };
    // Taken before anyone is read: whatever is written after it, a later run of the scope reads again.
    const readFrom = await this.store.headPosition();
    const earlier = await this.earlierRunToTrust(scope, runId);
    const changed = earlier && (await this.peopleChangedSince(earlier, runId));
    const tally = emptySchedulingTally();
    let planningDone = 0;
    let scheduled = 0;
    /** People of the scope the earlier run stood for whom this one read again, and people of the scope by `readFrom` it read. */
    let readAgain = 0;
    let ofTheScopeByReadFrom = 0;
    // Each wave is scheduled as soon as it is planned, while the beneficiaries are still being read:
    // the next wave is planned while this one is written (on PostgreSQL the two overlap), so at most
    // two waves of plans are held at a time, never a province's.
    let wave: PlannedDisbursement[] = [];
    let waveBeingWritten: Promise<void> | undefined;
    const scheduleWave = async () => {
      const planned = wave;
      wave = [];
      await waveBeingWritten;
      waveBeingWritten = this.scheduleWave(planned, inProgress, tally).then(() => void onProgress?.((scheduled += planned.length), 'scheduling'));
      // Its failure is taken at the next wave, or before the run completes; never left unhandled meanwhile.
      waveBeingWritten.catch(() => undefined);
    };
    const people = changed ? this.readBeneficiaries(changed) : this.store.readCategory(BENEFICIARY_CATEGORY);
    for await (const { events } of people) {
      const beneficiary = fold(beneficiaryDecider, events.map((event) => upcast(event) as BeneficiaryEvent));
      const plan = planPayrollFor(beneficiary, scope, this.catalogues);
      if (this.wasOneOfTheScopeAt(readFrom, events, plan, scope)) ofTheScopeByReadFrom++;
      if (changed && this.wasOneOfTheScopeAt(earlier.basis.readFrom, events, plan, scope)) readAgain++;
      for (const disbursement of plan.planned) wave.push(disbursement);
      countSkipped(tally, plan.skipped);
      if (++planningDone % 10_000 === 0) onProgress?.(planningDone, 'planning');
      if (wave.length >= SCHEDULING_WAVE) await scheduleWave();
    }
    if (wave.length > 0) await scheduleWave();
    await waveBeingWritten;

    const unchanged = changed ? earlier.basis.beneficiaries - readAgain : 0;
    const outcome: RunOutcome = {
      tally,
      basis: this.catalogues.fingerprint ? { readFrom: readFrom.toString(), cataloguesFingerprint: this.catalogues.fingerprint, beneficiaries: unchanged + ofTheScopeByReadFrom } : undefined,
      unchangedSince: changed ? { runId: earlier.run.runId, beneficiaries: unchanged } : undefined,
    };
    const completed = await this.completeScheduling(payrollRunStreamName(runId), outcome, inProgress);
    return scheduledResponse(runId, completed.state.summary!, completed.state.status, completed.position);
  }

  /**
   * The latest run of the same scope a rerun may trust (see `mayRerunFrom`), found from where each
   * run's stream stands and a first event per candidate, latest first, rather than by reading every
   * run: a run's stream holds a province's disbursement ids. The heads are kept: they also tell which
   * runs were written since the earlier one began reading.
   */
  private async earlierRunToTrust(scope: PayrollRunScope, runId: string): Promise<EarlierRun | undefined> {
    const fingerprint = this.catalogues.fingerprint;
    if (!fingerprint) return undefined;
    const runs: CategoryStreamHead[] = [];
    for await (const page of this.store.streamHeadsOfCategory(PAYROLL_RUN_CATEGORY)) runs.push(...page);
    const candidates = runs
      .filter(({ streamName, lastEventType }) => streamName !== payrollRunStreamName(runId) && mayStillKeepItsMonths(lastEventType))
      .sort((a, b) => (a.lastPosition < b.lastPosition ? 1 : a.lastPosition > b.lastPosition ? -1 : 0));
    for (const { streamName } of candidates) {
      const [created] = await this.store.readStream(streamName, { maxCount: 1 });
      const runScope = created?.data as Partial<PayrollRunScope & { runId: string }> | undefined;
      if (runScope?.period !== scope.period || runScope.program !== scope.program || runScope.unitCode !== scope.unitCode) continue;
      const { state: run } = await readAggregate(this.store, 'payrollRun', runScope.runId!);
      if (mayRerunFrom(run, scope, fingerprint)) return { run, basis: { ...run.summary!.basis!, readFrom: BigInt(run.summary!.basis!.readFrom) }, runs };
    }
    return undefined;
  }

  /**
   * The beneficiary streams whose outcome may differ from the earlier run's, from what the store's
   * index says was written after it began reading; undefined when the rerun must read everyone.
   */
  private async peopleChangedSince({ run: earlier, basis, runs }: EarlierRun, runId: string): Promise<string[] | undefined> {
    const since = basis.readFrom;
    const ownStreams = new Set([payrollRunStreamName(runId), payrollRunStreamName(earlier.runId)]);
    const runsWrittenSince = runs.filter(({ streamName, lastPosition }) => lastPosition > since && !ownStreams.has(streamName));
    const lastEvents = await this.store.readLastEvents(runsWrittenSince.map(({ streamName }) => streamName));
    for (const lastEvent of lastEvents.values()) {
      if (!leavesOutcomesAsTheyWere(upcast(lastEvent) as PayrollRunEvent, earlier.runId)) return undefined;
    }

    const people = new Set<string>();
    const monthsChanged = new Set<string>();
    const heldByTheEarlierRun = new Set(includedDisbursementIds(earlier));
    const monthPrefix = `${DISBURSEMENT_CATEGORY}-`;
    for await (const page of this.store.streamChangesAfter([BENEFICIARY_CATEGORY, DISBURSEMENT_CATEGORY], since)) {
      for (const { streamName, type } of page) {
        if (!streamName.startsWith(monthPrefix)) people.add(streamName);
        else if (mayChangeTheOutcome(type, heldByTheEarlierRun.has(streamName.slice(monthPrefix.length)))) monthsChanged.add(streamName);
      }
    }
    // Whose months they are, from each month's first event (its scheduling names the person).
    const months = [...monthsChanged];
    for (let start = 0; start < months.length; start += PEOPLE_PER_READ) {
      for (const [first] of (await this.store.readStreams(months.slice(start, start + PEOPLE_PER_READ))).values()) {
        const { beneficiaryId } = (upcast(first!) as DisbursementEvent & { type: 'DisbursementScheduled' }).data;
        people.add(beneficiaryStreamName(beneficiaryId));
      }
    }
    return [...people];
  }

  /**
   * Whether the person was one of the scope as their stream stood at a position: as now, unless they
   * changed since (planned again from the events up to it; not at all if enrolled after it).
   */
  private wasOneOfTheScopeAt(position: bigint, events: readonly RecordedEvent[], planNow: BeneficiaryPayrollPlan, scope: PayrollScope): boolean {
    if (events.at(-1)!.globalPosition <= position) return isOneOfTheScope(planNow);
    const byThen = events.filter((event) => event.globalPosition <= position);
    if (byThen.length === 0) return false;
    return isOneOfTheScope(planPayrollFor(fold(beneficiaryDecider, byThen.map((event) => upcast(event) as BeneficiaryEvent)), scope, this.catalogues));
  }

  /** These beneficiaries' streams, a few thousand read at a time. */
  private async *readBeneficiaries(streamNames: readonly string[]): AsyncIterable<CategoryStream> {
    for (let start = 0; start < streamNames.length; start += PEOPLE_PER_READ) {
      for (const [streamName, events] of await this.store.readStreams(streamNames.slice(start, start + PEOPLE_PER_READ))) yield { streamName, events };
    }
  }

  private async scheduleWave(wave: PlannedDisbursement[], inProgress: RunInProgress, tally: SchedulingTally): Promise<void> {
    const { runId, seed, metadata, storedMetadata } = inProgress;
    const eventIdSeed = `${seed}/schedule`;

    // The appends are independent, so their order is free: in order of stream name, the new names
    // go into the store's name index page after page instead of at random (a fifth less insert time).
    wave.sort((a, b) => (a.disbursementId < b.disbursementId ? -1 : a.disbursementId > b.disbursementId ? 1 : 0));
    const streamNames = wave.map((disbursement) => disbursementStreamName(disbursement.disbursementId));
    const heads = await this.store.streamHeads(streamNames);
    const appended: PlannedDisbursement[] = [];
    const appends: StreamAppend[] = [];
    const existing: Array<{ planned: PlannedDisbursement; streamName: string; lastEventType: string }> = [];
    wave.forEach((planned, index) => {
      const streamName = streamNames[index]!;
      const head = heads.get(streamName);
      if (head !== undefined) return void existing.push({ planned, streamName, lastEventType: head.lastEventType });
      const events = eventsToRecord(decideForDisbursement(scheduleNewDisbursement(runId, planned), initialDisbursementState()));
      appended.push(planned);
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
      if (outcome.status === 'fulfilled') countAsScheduled(tally, appended[index]!);
      else if (outcome.reason instanceof WrongExpectedRevision) countAsExisting(tally, appended[index]!);
      else failure ??= outcome;
    });
    if (failure) throw failure.reason;

    // Months already sent, paid or cancelled are done with on their head alone. Of those still
    // waiting, the last event usually says whose they are: only the few it does not, and those this
    // run may take, are read in full — a rerun of a province reads none.
    const waiting: typeof existing = [];
    for (const month of existing) {
      if (mayStillBeWaiting(month.lastEventType)) waiting.push(month);
      else countAsExisting(tally, month.planned);
    }
    const lastEvents = waiting.length > 0 ? await this.store.readLastEvents(waiting.map(({ streamName }) => streamName)) : new Map<string, never>();
    await Promise.all(
      waiting.map(async ({ planned, streamName }) => {
        const lastEvent = lastEvents.get(streamName);
        const atAGlance = lastEvent && waitingDisbursementFromLastEvent(upcast(lastEvent) as DisbursementEvent);
        if (atAGlance?.payrollRunId === runId && atAGlance.recorded) return countAsScheduled(tally, { ...planned, ...atAGlance.recorded });
        if (atAGlance && atAGlance.payrollRunId !== runId && !(await this.mayTakeOverFrom(atAGlance.payrollRunId, inProgress))) return countAsExisting(tally, planned);
        const { state: current, read } = await readAggregate(this.store, 'disbursement', planned.disbursementId);
        // Counted as the disbursement itself says: a new attempt keeps its own amount and arrears flag.
        const asRecorded = { ...planned, amount: current.amount, arrears: current.arrears };
        const decision = decideForExistingDisbursement(runId, planned, current);
        switch (decision.kind) {
          case 'OURS':
            return countAsScheduled(tally, asRecorded);
          case 'ADOPT':
            await executeStreamCommand(this.store, to.disbursement(planned.disbursementId, decision.command), { metadata, eventIdSeed: `${seed}/adopt`, alreadyRead: read });
            return countAsScheduled(tally, asRecorded);
          case 'IN_OTHER_RUN': {
            if (!(await this.mayTakeOverFrom(decision.otherRunId, inProgress))) return countAsExisting(tally, planned);
            try {
              await executeStreamCommand(this.store, to.disbursement(planned.disbursementId, decision.command), { metadata, eventIdSeed: `${seed}/take-over`, alreadyRead: read });
              return countAsScheduled(tally, asRecorded);
            } catch (error) {
              // Another run took it over first: it waits there, not here.
              if (error instanceof Conflict && error.code === 'NOT_IN_RUN') return countAsExisting(tally, planned);
              throw error;
            }
          }
          case 'NOT_OURS':
            return countAsExisting(tally, planned);
        }
      }),
    );
  }

  /** Asks the workflow once per other run whether its disbursements may be taken over, abandoning it first where it says so. */
  private mayTakeOverFrom(otherRunId: string, { runId, seed, metadata, takeOverFrom }: RunInProgress): Promise<boolean> {
    let answer = takeOverFrom.get(otherRunId);
    if (!answer) {
      answer = (async () => {
        const { state: other, read } = await readAggregate(this.store, 'payrollRun', otherRunId);
        const decision = mayTakeOverFrom(runId, other);
        if (decision.decision !== 'ABANDON_THEN_TAKE') return decision.decision === 'TAKE';
        try {
          await executeStreamCommand(this.store, to.payrollRun(otherRunId, decision.command), { metadata, eventIdSeed: `${seed}/abandon`, alreadyRead: read });
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
   * Writes the closing records the workflow decides at the revision just read, without re-reading a
   * run stream that grows by 5,000 ids an event: in consecutive appends at exact revisions, each
   * within the store's maximum append size (about five chunks of ids), the summary last. A crash
   * between two leaves the run SCHEDULING with some of its chunks; the same request finishes it
   * (ADR 0003). Should the run have moved
   * on meanwhile (the same request sent twice at once), the commands are handled one by one instead,
   * each recognising what the other request already recorded.
   */
  private async completeScheduling(runStream: string, { tally, basis, unchangedSince }: RunOutcome, { seed, metadata, storedMetadata }: RunInProgress): Promise<{ state: PayrollRunState; position: bigint | null }> {
    const { events, recorded } = await readDomainStream<PayrollRunEvent>(this.store, runStream);
    const run = fold(payrollRunDecider, events);
    const summary: SchedulingSummary = { ...schedulingSummaryOf(tally), ...(basis ? { basis } : {}), ...(unchangedSince ? { unchangedSince } : {}) };
    const commands = completeScheduling(run, tally.included, summary);
    if (run.status === 'SCHEDULING') {
      let state = run;
      const toAppend: EventToAppend[] = [];
      for (const { part, command } of commands) {
        const decided = eventsToRecord(payrollRunDecider.decide(command, state));
        state = decided.reduce(payrollRunDecider.evolve, state);
        toAppend.push(...decided.map((event, index) => toEventToAppend(event, eventIdFor(`${seed}/${part}`, runStream, index), storedMetadata)));
      }
      try {
        const { position } = await appendInBoundedParts(this.store, runStream, toAppend, recorded.at(-1)!.streamRevision);
        return { state, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision || error instanceof EventIdConflict)) throw error;
      }
    }
    let outcome: { state: PayrollRunState; position: bigint | null } | undefined;
    // The same event ids as the appends above, so whatever either request wrote is recognised.
    for (const { part, command } of commands) outcome = await handleCommand(this.store, payrollRunDecider, runStream, command, { metadata, eventIdSeed: `${seed}/${part}` });
    return outcome!;
  }
}
