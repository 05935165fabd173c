import { createHash, randomUUID } from 'node:crypto';
import {
  addDays,
  addMonths,
  AGGREGATES,
  bankPrintedName,
  beneficiaryIdFor,
  claimAccountNumber,
  comparePeriods,
  completeScheduling,
  countAsExisting,
  countAsScheduled,
  countSkipped,
  daysInMonth,
  decideForExistingDisbursement,
  DomainError,
  emptySchedulingTally,
  emptySendingTally,
  eventsToRecord,
  followCrossProvinceFindingResolution,
  followDeathConfirmation,
  followEnrollmentChange,
  followRelocation,
  mayTakeOverFrom,
  nextPeriod,
  openAccountAfterClaim,
  payingAgentOfPayment,
  periodOfDate,
  planPayrollFor,
  providerReferenceIdFor,
  recordRunSent,
  rejectPayrollRun,
  releaseAccountNumber,
  reschedulePayment,
  scheduleNewDisbursement,
  schedulingSummaryOf,
  sendDisbursement,
  settlePayment,
  streamNameOf,
  tallySent,
  terminatedAsDeceased,
  to,
  uuidV5,
  type AccountNumberState,
  type AggregateName,
  type BeneficiaryCommand,
  type BeneficiaryState,
  type ReconciledLine,
  type Catalogues,
  type Coefficient,
  type Decider,
  type DisbursementState,
  type DomainEvent,
  type IdentityCheckAnswer,
  type LocalDate,
  type NationalId,
  type Period,
  type PayrollRunState,
  type ProviderReferenceState,
  type StateOf,
  type StreamCommand,
} from '@ledger/domain';
import { NO_STREAM, toEventToAppend, type CommandMetadata, type EventToAppend, type ExpectedRevision } from '@ledger/event-store';
import { seededRandom } from './seeded-random.js';

/**
 * A province's payment history made the way the ledger makes it: every event is decided by the
 * real deciders, and every process across streams by the ledger's own workflows, from the state of
 * the streams involved. It holds enrollments and re-enrollments, accounts (some shared between two
 * people), payroll runs with arrears, rejected runs whose payments the next run adopts, sending with
 * the freeze and with accounts closed since approval, settlements on time and late (the references
 * claimed), failures, returns, reschedules, duplicate settlements of both kinds, suspensions (some
 * taking effect a month after they are recorded), back-dated terminations with overpayments, their
 * corrections and revocations, relocations that move unpaid payments, and months paid after they
 * were cancelled; and the population database's answers: mismatches, deaths reported (some while
 * a run waits to be sent, whose payments it then leaves out), confirmed with their follow-ups,
 * rejected, or still waiting for review; and the national hub's cross-province findings (some sent
 * twice), kept or resolved by a termination, or still open. Deterministic for a seed, apart from
 * event ids. For read-model tests and the rebuild benchmark.
 */
export interface LedgerHistoryOptions {
  readonly catalogues: Catalogues;
  /** People enrolled over the history; most in the first months, the rest later. */
  readonly beneficiaries: number;
  readonly firstPeriod: Period;
  readonly periods: number;
  readonly seed?: number;
  /** Stop at the end of the first month that reaches this many events. */
  readonly stopAfterEvents?: number;
  /** Units people are registered in; defaults to every unit below the province. */
  readonly units?: readonly string[];
}

export interface HistoryAppend {
  readonly streamName: string;
  readonly events: EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

/** Appends that happen at one moment. They must be appended in order (a stream may appear twice). */
export interface HistoryWave {
  readonly at: Date;
  readonly appends: HistoryAppend[];
}

interface Tracked<State> {
  readonly streamName: string;
  revision: bigint;
  state: State;
}

interface BeneficiaryRecord {
  readonly number: number;
  readonly id: string;
  /** Disbursement ids of the months not yet forgotten, so workflows can be given them. */
  readonly disbursements: Set<string>;
}

const PROGRAMS = ['SOCIAL_ASSISTANCE', 'MERITORIOUS'] as const;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hạnh', 'Hoa', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phúc', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Yến', 'Ánh'];
const BANKS = ['VBA', 'BIDV', 'VCB', 'ICB'];
const LEDGER_NAMESPACE = '0f6f3a0e-6a41-5c5e-9d55-3b1f1b6de0a1';
/** Makers open and schedule, checkers verify and approve: never the same person. */
const MAKER = 'officer-1';
const CHECKER = 'officer-2';
/** Who records the national hub's findings: the ledger's receiver of its notices. */
const NATIONAL_HUB = 'national-hub';
const OTHER_PROVINCES = ['01', '48', '79', '92'];

/** An instant at `hour`:`minute` on `date`, Vietnam time (UTC+7). */
const vietnamTime = (date: LocalDate, hour: number, minute = 0) =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000+07:00`);
const dayOf = (period: Period, day: number) => `${period}-${String(Math.min(day, daysInMonth(Number(period.slice(0, 4)), Number(period.slice(5, 7))))).padStart(2, '0')}` as LocalDate;

export function* ledgerHistory(options: LedgerHistoryOptions): Generator<HistoryWave> {
  const { catalogues, firstPeriod } = options;
  const random = seededRandom(options.seed ?? 1);
  const chance = (p: number) => random() < p;
  // The identity checks draw from a stream of their own, so that the rest of a seed's history keeps its draws.
  const checkRandom = seededRandom((options.seed ?? 1) + 7_919);
  // So do the national hub's findings.
  const findingRandom = seededRandom((options.seed ?? 1) + 104_729);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const units = options.units ?? catalogues.units.codes().filter((code) => catalogues.units.get(code).parentCode !== null);

  const beneficiaries: BeneficiaryRecord[] = [];
  const beneficiaryById = new Map<string, BeneficiaryRecord>();
  const streams = new Map<string, Tracked<unknown>>();
  let events = 0;
  let references = 0;
  let wave: HistoryAppend[] = [];

  const metadata = (command: string, actorId = MAKER, actorRole = 'operator'): CommandMetadata => ({
    actorId,
    actorRole,
    command,
    correlationId: randomUUID(),
    causationId: randomUUID(),
  });

  function tracked<Name extends AggregateName>(aggregate: Name, id: string): Tracked<StateOf<Name>> {
    const streamName = streamNameOf({ aggregate, id });
    let found = streams.get(streamName);
    if (!found) streams.set(streamName, (found = { streamName, revision: -1n, state: AGGREGATES[aggregate].decider.initialState() }));
    return found as Tracked<StateOf<Name>>;
  }
  const stateOf = <Name extends AggregateName>(aggregate: Name, id: string) => tracked(aggregate, id).state;
  const beneficiaryState = (id: string) => stateOf('beneficiary', id) as BeneficiaryState;
  const disbursementState = (id: string) => stateOf('disbursement', id) as DisbursementState;

  /**
   * Runs a workflow's commands in order, each decided on its stream's state as the ledger's
   * executor would; stops at the first refusal. A refusal the domain records (a duplicate
   * payment) is recorded too. True when every command was accepted.
   */
  function run(commands: readonly StreamCommand[], actor = MAKER): boolean {
    for (const { aggregate, id, command } of commands) {
      const stream = tracked(aggregate, id) as Tracked<unknown>;
      const decider = AGGREGATES[aggregate].decider as unknown as Decider<unknown, DomainEvent, unknown>;
      let recorded: readonly DomainEvent[];
      let refused = false;
      try {
        const decision = decider.decide(command, stream.state);
        recorded = eventsToRecord(decision);
        refused = 'thenRefuse' in decision;
      } catch (error) {
        if (error instanceof DomainError) return false;
        throw error;
      }
      if (recorded.length > 0) {
        const meta = metadata(command.type, actor);
        wave.push({
          streamName: stream.streamName,
          events: recorded.map((event) => toEventToAppend(event, randomUUID(), meta)),
          expectedRevision: stream.revision < 0n ? NO_STREAM : stream.revision,
        });
        stream.state = recorded.reduce(decider.evolve, stream.state);
        stream.revision += BigInt(recorded.length);
        events += recorded.length;
      }
      if (refused) return false;
    }
    return true;
  }
  const onBeneficiary = (record: BeneficiaryRecord, command: BeneficiaryCommand, actor = MAKER) => run([{ aggregate: 'beneficiary', id: record.id, command }], actor);

  function* flush(at: Date): Generator<HistoryWave> {
    if (wave.length === 0) return;
    const appends = wave;
    wave = [];
    yield { at, appends };
  }

  /** The disbursements of a beneficiary (one program, or all) still remembered. */
  const disbursementsOf = (record: BeneficiaryRecord, program?: string) =>
    [...record.disbursements].map(disbursementState).filter((d) => d.exists && (!program || d.program === program));

  /** After any change to an enrollment: its months follow it (cancelled, flagged, owed again, withdrawn). */
  function followChange(record: BeneficiaryRecord, program: string, reason: string): void {
    for (const command of followEnrollmentChange({ beneficiary: beneficiaryState(record.id), program, disbursements: disbursementsOf(record, program), reason })) run([command]);
  }

  function enroll(number: number, period: Period): void {
    const female = chance(0.55);
    const year = 1935 + Math.floor(random() * 50);
    const dateOfBirth = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` as LocalDate;
    const nationalId = `091${female ? 1 : 0}${String(year % 100).padStart(2, '0')}${String(number).padStart(6, '0')}`;
    const id = beneficiaryIdFor(nationalId as NationalId);
    const fullName = `${pick(FAMILY)} ${female ? 'Thị' : pick(MIDDLE)} ${pick(GIVEN)}`;
    const record: BeneficiaryRecord = { number, id, disbursements: new Set() };
    beneficiaries.push(record);
    beneficiaryById.set(id, record);
    const unitCode = pick(units);
    // Some decisions take effect a month or two back: the next run pays them as arrears.
    const effectiveFrom = chance(0.2) ? addMonths(period, -1 - Math.floor(random() * 2)) : period;
    const programs = chance(0.2) ? [...PROGRAMS] : [chance(0.7) ? PROGRAMS[0] : PROGRAMS[1]];
    for (const program of programs) {
      onBeneficiary(record, {
        type: 'EnrollBeneficiary',
        data: {
          beneficiaryId: id,
          nationalId,
          fullName,
          dateOfBirth,
          gender: female ? 'FEMALE' : 'MALE',
          unitCode,
          program,
          coefficient: (program === 'MERITORIOUS' ? 1000 + Math.floor(random() * 4) * 250 : 1000 + Math.floor(random() * 3) * 500) as Coefficient,
          effectiveFrom,
          decision: { number: `${number}/QĐ-UBND`, date: addDays(`${effectiveFrom}-01` as LocalDate, -10) },
        },
      });
    }
    // Two in five are paid by bank; a few accounts are opened under a name that does not match.
    if (chance(0.4)) openAccount(record, addDays(`${period}-01` as LocalDate, -5), chance(0.85));
  }

  /** Account numbers open now, by bank and number, with who holds them: a few people are paid into a relative's account. */
  const openNumbers = new Map<string, { bankCode: string; accountNumber: string }>();
  const accountKey = (bankCode: string, accountNumber: string) => uuidV5(`${bankCode}/${accountNumber}`, LEDGER_NAMESPACE);

  function openAccount(record: BeneficiaryRecord, openedOn: LocalDate, matchingName: boolean): void {
    const state = beneficiaryState(record.id);
    const shared = openNumbers.size > 0 && chance(0.04) ? pick([...openNumbers.values()]) : undefined;
    const bankCode = shared?.bankCode ?? pick(BANKS);
    const accountNumber = shared?.accountNumber ?? `7700${String(record.number).padStart(8, '0')}${state.accounts.length}`;
    const holderName = matchingName ? bankPrintedName(state.fullName) : `${bankPrintedName(state.fullName)} ${pick(['A', 'B', 'C'])}`;
    const opening = { accountId: uuidV5(`account/${record.number}/${state.accounts.length}`, LEDGER_NAMESPACE), bankCode, accountNumber, holderName, openedOn, openedBy: MAKER };
    const key = accountKey(bankCode, accountNumber);
    if (!run([claimAccountNumber(record.id, key, opening)])) return;
    run([openAccountAfterClaim(record.id, stateOf('accountNumber', key) as AccountNumberState, opening)]);
    openNumbers.set(key, { bankCode, accountNumber });
  }

  function closeAccount(record: BeneficiaryRecord, accountId: string, reason: string): void {
    const account = beneficiaryState(record.id).accounts.find((candidate) => candidate.accountId === accountId)!;
    if (!onBeneficiary(record, { type: 'ClosePaymentAccount', data: { accountId, reason } })) return;
    const key = accountKey(account.bankCode, account.accountNumber);
    run([releaseAccountNumber(record.id, key, accountId)]);
    if ((stateOf('accountNumber', key) as AccountNumberState).holders.length === 0) openNumbers.delete(key);
  }

  function suspend(record: BeneficiaryRecord, program: string, effectiveFrom: Period, reason: string): void {
    if (onBeneficiary(record, { type: 'SuspendEnrollment', data: { program, reason, effectiveFrom } })) followChange(record, program, reason);
  }

  /** A move: the person's unpaid payments move with them. */
  function relocate(record: BeneficiaryRecord, unitCode: string): void {
    if (unitCode === beneficiaryState(record.id).unitCode || !onBeneficiary(record, { type: 'RelocateBeneficiary', data: { unitCode } })) return;
    for (const command of followRelocation({ beneficiary: beneficiaryState(record.id), disbursements: disbursementsOf(record) })) run([command]);
  }

  /** A DECEASED answer, or another, from line `line` of import `importId`; an impossible one is refused, as the import would report it. */
  function answerIdentityCheck(record: BeneficiaryRecord, importId: string, line: number, answer: IdentityCheckAnswer, today: LocalDate): void {
    onBeneficiary(record, { type: 'RecordIdentityCheckAnswer', data: { importId, line, answer, recordedOn: today, importedBy: MAKER } });
  }

  /** A day of death in the month before `period` or early in it, by the population database's answer. */
  const dayOfDeath = (period: Period) => dayOf(addMonths(period, -Math.floor(checkRandom() * 2)), 1 + Math.floor(checkRandom() * 3));

  /**
   * The answers to the request file sent last month, imported on `today`: most people as registered,
   * some with a field the population database holds otherwise, a few dead (those already terminated
   * for death are answered dead as well). Now and then the same file is imported twice: nothing new.
   */
  function identityChecks(period: Period, today: LocalDate): void {
    const importId = `answers-${period}`;
    const reconciled: ReconciledLine[] = [];
    let line = 0;
    for (const record of beneficiaries) {
      if (checkRandom() >= 0.15) continue;
      line++;
      const state = beneficiaryState(record.id);
      const roll = checkRandom();
      const answer: IdentityCheckAnswer = terminatedAsDeceased(state)
        ? { outcome: 'DECEASED', dateOfDeath: Object.values(state.enrollments)[0]!.termination!.effectiveDate }
        : roll < 0.04
          ? { outcome: 'DECEASED', dateOfDeath: dayOfDeath(period) }
          : roll < 0.16
            ? { outcome: 'MISMATCHED', mismatchedFields: checkRandom() < 0.5 ? ['fullName'] : ['dateOfBirth', 'gender'] }
            : { outcome: 'MATCHED' };
      answerIdentityCheck(record, importId, line, answer, today);
      if (checkRandom() < 0.05) answerIdentityCheck(record, importId, line, answer, today);
      reconciled.push({ line, outcome: 'APPLIED', reported: answer.outcome, beneficiaryId: record.id });
    }
    if (line === 0) return;
    // The import as the ledger records it: begun, its lines, and — except now and then, an import interrupted — completed.
    const sha256 = createHash('sha256').update(importId).digest('hex');
    run([to.fileImport(importId, { type: 'StartFileImport', data: { importId, kind: 'IDENTITY_CHECK_ANSWERS', format: 'IDENTITY_CHECK_ANSWERS_CSV', sha256, byteLength: 40 * line, lineCount: line, importedBy: MAKER, units: ['*'], startedAt: `${today}T02:00:00.000Z` } })]);
    run([to.fileImport(importId, { type: 'RecordReconciledLines', data: { chunk: 0, lines: reconciled } })]);
    if (Number(period.slice(5)) % 3 !== 0) run([to.fileImport(importId, { type: 'CompleteFileImport', data: { completedAt: `${today}T02:05:00.000Z` } })]);
  }

  /**
   * The review list: most deaths reported before `today` are decided, by the checker — confirmed (the
   * enrollments terminated as of the date of death, and their months following) or rejected with a
   * reason; a confirmation the ledger refuses (a death before an enrollment began) is rejected
   * instead, for the office to look into. The rest wait for another day.
   */
  function reviewDeathReports(today: LocalDate): void {
    for (const record of beneficiaries) {
      const report = beneficiaryState(record.id).paymentHolds.DEATH_REPORTED;
      if (!report || report.since >= today || checkRandom() < 0.2) continue;
      const confirmed = checkRandom() < 0.7 && onBeneficiary(record, { type: 'ConfirmDeathReport', data: { confirmedBy: CHECKER, recordedOn: today } }, CHECKER);
      if (confirmed) {
        for (const command of followDeathConfirmation({ beneficiary: beneficiaryState(record.id), disbursements: disbursementsOf(record) })) run([command], CHECKER);
      } else {
        onBeneficiary(record, { type: 'RejectDeathReport', data: { reason: 'Seen alive at the commune office', rejectedBy: CHECKER, recordedOn: today } }, CHECKER);
      }
    }
  }

  /**
   * The national hub's findings of the month, received on `today`: a few people found enrolled in
   * one of their programs in another province too, or paid there for last month; now and then a
   * notice comes twice (nothing new).
   */
  function crossProvinceFindings(period: Period, today: LocalDate): void {
    for (const record of beneficiaries) {
      if (findingRandom() >= 0.012) continue;
      const programs = Object.keys(beneficiaryState(record.id).enrollments);
      if (programs.length === 0) continue;
      const program = programs[Math.floor(findingRandom() * programs.length)]!;
      const paidTwice = findingRandom() < 0.4;
      const kind = paidTwice ? 'PAID_IN_TWO_PROVINCES' : 'ENROLLED_IN_TWO_PROVINCES';
      const findingPeriod = paidTwice ? addMonths(period, -1) : undefined;
      const finding = {
        findingId: uuidV5(`finding/${kind}/${record.number}/${program}/${findingPeriod ?? ''}`, LEDGER_NAMESPACE),
        kind,
        program,
        ...(findingPeriod ? { period: findingPeriod } : {}),
        otherProvinces: findingRandom() < 0.2 ? OTHER_PROVINCES.slice(0, 2) : [OTHER_PROVINCES[Math.floor(findingRandom() * OTHER_PROVINCES.length)]!],
        foundAt: `${today}T01:00:00.000Z`,
      } as const;
      const notice: BeneficiaryCommand = { type: 'RecordCrossProvinceFinding', data: { finding, recordedOn: today } };
      onBeneficiary(record, notice, NATIONAL_HUB);
      if (findingRandom() < 0.1) onBeneficiary(record, notice, NATIONAL_HUB);
    }
  }

  /**
   * Most findings received before `today` are resolved by the checker: the person kept, or moved out
   * (the enrollment terminated at the end of last month, its months following); a termination the
   * ledger refuses (the enrollment ended already, or began after it) is kept instead. The rest wait.
   */
  function resolveCrossProvinceFindings(period: Period, today: LocalDate): void {
    for (const record of beneficiaries) {
      for (const finding of Object.values(beneficiaryState(record.id).crossProvinceFindings)) {
        if (finding.resolution || finding.recordedOn >= today || findingRandom() < 0.25) continue;
        const resolve = (decision: 'KEEP' | 'TERMINATE', reason: string) =>
          onBeneficiary(
            record,
            {
              type: 'ResolveCrossProvinceFinding',
              data: { findingId: finding.findingId, decision, reason, ...(decision === 'TERMINATE' ? { effectiveDate: dayOf(addMonths(period, -1), 28) } : {}), resolvedBy: CHECKER, recordedOn: today },
            },
            CHECKER,
          );
        if (findingRandom() < 0.4 && resolve('TERMINATE', 'Lives in the other province')) {
          const disbursements = disbursementsOf(record, finding.program);
          for (const command of followCrossProvinceFindingResolution({ beneficiary: beneficiaryState(record.id), findingId: finding.findingId, disbursements })) run([command], CHECKER);
        } else {
          resolve('KEEP', 'Lives here; the other province was told');
        }
      }
    }
  }

  function changeBeneficiaries(period: Period, today: LocalDate): void {
    for (const record of beneficiaries) {
      const state = beneficiaryState(record.id);
      for (const program of Object.keys(state.enrollments)) {
        const enrollment = beneficiaryState(record.id).enrollments[program]!;
        const termination = enrollment.termination;
        if (termination) {
          const terminatedIn = periodOfDate(termination.effectiveDate);
          const roll = random();
          if (roll < 0.1 && comparePeriods(period, terminatedIn) > 0) {
            // Eligible again: a new decision, a new spell from this month.
            const person = beneficiaryState(record.id);
            onBeneficiary(record, {
              type: 'EnrollBeneficiary',
              data: {
                beneficiaryId: record.id,
                nationalId: person.nationalId,
                fullName: person.fullName,
                dateOfBirth: person.dateOfBirth as LocalDate,
                gender: person.gender,
                unitCode: person.unitCode,
                program,
                coefficient: enrollment.coefficient as Coefficient,
                effectiveFrom: period,
                decision: { number: `${record.number}/QĐ-TL`, date: addDays(today, -2) },
              },
            });
          } else if (roll < 0.25) {
            // The date was wrong: a month later, or a month earlier when the spell allows it.
            const later = addDays(termination.effectiveDate, 31);
            const earlier = addDays(termination.effectiveDate, -31);
            const effectiveDate = later <= today && chance(0.6) ? later : earlier;
            if (onBeneficiary(record, { type: 'CorrectTermination', data: { program, effectiveDate, reason: 'Date on the death certificate', recordedOn: today } })) {
              followChange(record, program, 'Termination date corrected');
            }
          } else if (roll < 0.35) {
            if (onBeneficiary(record, { type: 'RevokeTermination', data: { program, reason: 'Recorded for the wrong person', recordedOn: today } })) {
              followChange(record, program, 'Termination revoked');
            }
          }
          continue;
        }
        const open = enrollment.suspensions.at(-1);
        if (open && !open.resumedFrom) {
          if (chance(0.5) && comparePeriods(addMonths(period, 1), open.from) > 0) {
            if (onBeneficiary(record, { type: 'ResumeEnrollment', data: { program, effectiveFrom: addMonths(period, 1) } })) followChange(record, program, 'Resumed');
          }
          continue;
        }
        if (chance(0.006)) {
          // Back-dated: the death or move is learnt of weeks later, after months were paid.
          const terminatedIn = addMonths(period, -1 - Math.floor(random() * 2));
          const effectiveDate = dayOf(terminatedIn, 1 + Math.floor(random() * 28));
          const data = { program, reason: pick(['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT'] as const), effectiveDate, recordedOn: today };
          if (onBeneficiary(record, { type: 'TerminateEnrollment', data })) followChange(record, program, 'Terminated');
        } else if (chance(0.008)) {
          // Most suspensions take effect at once; some are decided now for next month, and count only from then.
          suspend(record, program, chance(0.4) ? addMonths(period, 1) : period, 'Under review');
        }
      }
      if (chance(0.004)) relocate(record, pick(units));
      const accounts = beneficiaryState(record.id).accounts;
      const unverified = accounts.find((account) => account.status === 'UNVERIFIED');
      if (unverified && chance(0.3)) {
        onBeneficiary(record, { type: 'VerifyPaymentAccount', data: { accountId: unverified.accountId, reason: 'Holder confirmed at the commune office', verifiedBy: CHECKER } }, CHECKER);
      } else if (accounts.length === 0 && chance(0.02)) {
        openAccount(record, today, chance(0.85));
      } else if (accounts.some((account) => account.status === 'VERIFIED') && chance(0.004)) {
        closeAccount(record, accounts.find((account) => account.status === 'VERIFIED')!.accountId, 'Closed by the bank');
        if (chance(0.5)) openAccount(record, today, true);
      }
    }
  }

  /**
   * One payroll run: scheduling (arrears, adopted new attempts and released payments included),
   * then either a rejection by the checker (its payments are released for the next run of the
   * period) or approval and sending, with the freeze and accounts closed since approval.
   */
  function payrollRun(period: Period, program: string | null, runNumber: number, rejected: boolean): string[] {
    const runId = uuidV5(`run/${period}/${program ?? 'ALL'}/${runNumber}`, LEDGER_NAMESPACE);
    const onRun = (command: StreamCommand<'payrollRun'>['command'], actor = MAKER) => run([{ aggregate: 'payrollRun', id: runId, command }], actor);
    onRun({ type: 'CreatePayrollRun', data: { runId, period, program, unitCode: null, createdBy: MAKER } });

    const tally = emptySchedulingTally();
    for (const record of beneficiaries) {
      const plan = planPayrollFor(beneficiaryState(record.id), { period, program, unitCode: null }, catalogues);
      countSkipped(tally, plan.skipped);
      for (const planned of plan.planned) {
        if (forgotten.has(planned.disbursementId)) {
          countAsExisting(tally, planned);
          continue;
        }
        const current = disbursementState(planned.disbursementId);
        if (!current.exists) {
          if (run([{ aggregate: 'disbursement', id: planned.disbursementId, command: scheduleNewDisbursement(runId, planned) }])) {
            record.disbursements.add(planned.disbursementId);
            countAsScheduled(tally, planned);
          }
          continue;
        }
        const decision = decideForExistingDisbursement(runId, planned, current);
        if (decision.kind === 'ADOPT' && run([{ aggregate: 'disbursement', id: planned.disbursementId, command: decision.command }])) {
          countAsScheduled(tally, disbursementState(planned.disbursementId));
        } else if (decision.kind === 'IN_OTHER_RUN' && mayTakeOverFrom(runId, stateOf('payrollRun', decision.otherRunId) as PayrollRunState).decision === 'TAKE') {
          if (run([{ aggregate: 'disbursement', id: planned.disbursementId, command: decision.command }])) countAsScheduled(tally, disbursementState(planned.disbursementId));
        } else if (decision.kind !== 'OURS') {
          countAsExisting(tally, planned);
        }
      }
    }
    for (const { command } of completeScheduling(stateOf('payrollRun', runId) as PayrollRunState, tally.included, schedulingSummaryOf(tally))) onRun(command);

    if (rejected) {
      run(rejectPayrollRun(stateOf('payrollRun', runId) as PayrollRunState, { rejectedBy: CHECKER, reason: 'Amounts to be checked again' }), CHECKER);
      return [];
    }
    onRun({ type: 'ApprovePayrollRun', data: { approvedBy: CHECKER, acknowledgeLargeArrears: true } }, CHECKER);

    // Between approval and sending a few enrollments are suspended, a few accounts closed (those
    // payments go to the Post Office), a few people move (their unsent payments leave the run) and
    // a few are reported dead (their payments are held: sending leaves them out of the run).
    const sendingDay = dayOf(period, 3);
    let lateAnswers = 0;
    for (const disbursementId of tally.included) {
      const disbursement = disbursementState(disbursementId);
      const record = beneficiaryById.get(disbursement.beneficiaryId)!;
      const enrollment = beneficiaryState(record.id).enrollments[disbursement.program]!;
      const open = enrollment.suspensions.at(-1);
      const roll = random();
      if (roll < 0.004 && !enrollment.termination && !(open && !open.resumedFrom) && comparePeriods(period, (open?.resumedFrom ?? enrollment.effectiveFrom) as Period) >= 0) {
        suspend(record, disbursement.program, period, 'Reported missing');
      } else if (roll < 0.014 && disbursement.channel === 'BANK' && disbursement.account) {
        const account = beneficiaryState(record.id).accounts.find((candidate) => candidate.accountId === disbursement.account!.accountId);
        if (account?.status === 'VERIFIED') closeAccount(record, account.accountId, 'Closed at the holder’s request');
      } else if (roll < 0.017) {
        relocate(record, pick(units));
      }
      if (checkRandom() < 0.006) answerIdentityCheck(record, `answers-${runId}`, ++lateAnswers, { outcome: 'DECEASED', dateOfDeath: dayOfDeath(period) }, sendingDay);
    }
    let sending = emptySendingTally();
    const sent: string[] = [];
    for (const disbursementId of tally.included) {
      const disbursement = disbursementState(disbursementId);
      const command = sendDisbursement(runId, disbursement, beneficiaryState(disbursement.beneficiaryId));
      if (command) run([command], CHECKER);
      sending = tallySent(sending, disbursementState(disbursementId));
      if (disbursementState(disbursementId).status === 'SENT') sent.push(disbursementId);
    }
    run([recordRunSent(stateOf('payrollRun', runId) as PayrollRunState, CHECKER, sending)], CHECKER);
    return sent;
  }

  /** References paid, per paying agent: a bank now and then presents one again for another payment. */
  const paidReferences: Array<{ payingAgent: string; providerReference: string }> = [];

  function settle(disbursementId: string, settlement: { providerReference: string; paidAt: Date; amount: number; recordedAt: Date }): boolean {
    const disbursement = disbursementState(disbursementId);
    const payingAgent = payingAgentOfPayment(disbursement);
    const referenceId = providerReferenceIdFor(payingAgent, settlement.providerReference);
    const claimedBy = (stateOf('providerReference', referenceId) as ProviderReferenceState).claimedBy;
    return run(settlePayment(settlement, disbursement, beneficiaryState(disbursement.beneficiaryId), referenceId, claimedBy), 'bank-file');
  }

  /** The paying agents report back: most on time, some late, some failed or returned, a few twice. */
  function settlements(sent: readonly string[], last: boolean): Array<{ at: Date; work: () => void }> {
    const work: Array<{ at: Date; work: () => void }> = [];
    for (const disbursementId of sent) {
      const state = disbursementState(disbursementId);
      const due = state.dueDate as LocalDate;
      const roll = random();
      // In the last month some are still out when the history ends: unpaid, and late for the reports.
      if (last && roll >= 0.05 && roll < 0.2) continue;
      if (roll < 0.05) {
        work.push({
          at: vietnamTime(addDays(due, 3), 9),
          work: () =>
            run([
              {
                aggregate: 'disbursement',
                id: disbursementId,
                command: state.channel === 'BANK' ? { type: 'FailDisbursement', data: { reason: 'Account frozen' } } : { type: 'ReturnDisbursement', data: { reason: 'Not collected' } },
              },
            ]),
        });
        continue;
      }
      const late = roll < 0.13;
      const paidOn = late ? addDays(due, 1 + Math.floor(random() * 20)) : addDays(due, -Math.floor(random() * 6));
      const paidAt = vietnamTime(paidOn, 8 + Math.floor(random() * 14), Math.floor(random() * 60));
      const providerReference = `FT${paidOn.replaceAll('-', '').slice(2)}${String(++references).padStart(8, '0')}`;
      const second = random();
      work.push({
        at: paidAt,
        work: () => {
          const settlement = { providerReference, paidAt, amount: disbursementState(disbursementId).amount, recordedAt: paidAt };
          if (second < 0.006 && paidReferences.length > 0) {
            // A reference that already paid somebody else at the same paying agent: refused, recorded.
            const payingAgent = payingAgentOfPayment(disbursementState(disbursementId));
            const used = paidReferences.findLast((reference) => reference.payingAgent === payingAgent);
            if (used) settle(disbursementId, { ...settlement, providerReference: used.providerReference });
          }
          if (!settle(disbursementId, settlement)) return;
          if (disbursementState(disbursementId).status === 'PAID') paidReferences.push({ payingAgent: payingAgentOfPayment(disbursementState(disbursementId)), providerReference });
          // The agent's file sent twice (same reference: nothing new), or a second payment (refused and kept).
          if (second > 0.99) settle(disbursementId, settlement);
          else if (second > 0.978) settle(disbursementId, { ...settlement, providerReference: `${providerReference}R` });
        },
      });
    }
    return work.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  function rescheduleFailed(period: Period, share = 1): void {
    for (const record of beneficiaries) {
      for (const disbursement of disbursementsOf(record)) {
        if ((disbursement.status !== 'FAILED' && disbursement.status !== 'RETURNED') || !chance(share)) continue;
        run([reschedulePayment(beneficiaryState(record.id), disbursement, `Retry in ${period}`)]);
      }
    }
  }

  /** Finished disbursements of old months are no longer needed to decide anything here; a run must never schedule them again. */
  const forgotten = new Set<string>();
  function forget(before: Period): void {
    for (const record of beneficiaries) {
      for (const disbursementId of record.disbursements) {
        const { status, period } = disbursementState(disbursementId);
        if ((status === 'PAID' || status === 'CANCELLED') && comparePeriods(period as Period, before) < 0) {
          record.disbursements.delete(disbursementId);
          streams.delete(streamNameOf({ aggregate: 'disbursement', id: disbursementId }));
          forgotten.add(disbursementId);
        }
      }
    }
    while (paidReferences.length > 2_000) paidReferences.shift();
  }

  const firstWave = Math.ceil(options.beneficiaries * 0.6);
  const later = options.beneficiaries - firstWave;
  const laterPerMonth = Math.ceil(later / Math.max(1, Math.min(options.periods - 1, 12)));
  let enrolled = 0;

  for (let month = 0; month < options.periods; month++) {
    const period = addMonths(firstPeriod, month);
    const last = month === options.periods - 1;

    // Day 1: new enrollments.
    const newcomers = month === 0 ? firstWave : Math.min(laterPerMonth, options.beneficiaries - enrolled);
    for (let i = 0; i < newcomers; i++) enroll(enrolled++, period);
    yield* flush(vietnamTime(dayOf(period, 1), 8));

    // Day 2: what failed or came back last month goes out again.
    rescheduleFailed(period);
    yield* flush(vietnamTime(dayOf(period, 2), 8));

    // Day 3: the payroll — one run for every program, or one per program in odd months. Now and
    // then the checker rejects a run, and a second run of the period adopts what it released.
    const programs = month % 2 === 0 ? [null] : [...PROGRAMS];
    const sent: string[] = [];
    programs.forEach((program, index) => {
      if (month > 0 && chance(0.2)) payrollRun(period, program, index + 10, true);
      sent.push(...payrollRun(period, program, index, false));
    });
    yield* flush(vietnamTime(dayOf(period, 3), 9));

    // Day 4: suspensions, back-dated terminations and their corrections, re-enrollments, relocations, accounts.
    changeBeneficiaries(period, dayOf(period, 4));
    yield* flush(vietnamTime(dayOf(period, 4), 10));

    // Later that day: the deaths reported before are reviewed, then the population database's answers come in.
    if (month > 0) {
      reviewDeathReports(dayOf(period, 4));
      yield* flush(vietnamTime(dayOf(period, 4), 11));
      identityChecks(period, dayOf(period, 4));
      yield* flush(vietnamTime(dayOf(period, 4), 15));
    }

    // Day 5: the findings resolved, then the national hub's new findings come in.
    if (month > 0) {
      resolveCrossProvinceFindings(period, dayOf(period, 5));
      yield* flush(vietnamTime(dayOf(period, 5), 9));
      crossProvinceFindings(period, dayOf(period, 5));
      yield* flush(vietnamTime(dayOf(period, 5), 10));
    }

    // Settlements as the agents report them, in time order, a wave per day.
    let previous: Date | undefined;
    for (const { at, work } of settlements(sent, last)) {
      if (previous && at.toISOString().slice(0, 10) !== previous.toISOString().slice(0, 10)) yield* flush(previous);
      previous = at;
      work();
    }
    if (previous) yield* flush(previous);
    if (last) {
      // The history ends with some retries decided but not yet picked up by a run, and some failed
      // or returned payments whose month is suspended since: cancelled, no longer late.
      rescheduleFailed(nextPeriod(period), 0.5);
      for (const record of beneficiaries) {
        for (const disbursement of disbursementsOf(record)) {
          if ((disbursement.status === 'FAILED' || disbursement.status === 'RETURNED') && chance(0.4)) {
            const enrollment = beneficiaryState(record.id).enrollments[disbursement.program]!;
            const open = enrollment.suspensions.at(-1);
            if (!enrollment.termination && !(open && !open.resumedFrom)) suspend(record, disbursement.program, disbursement.period as Period, 'Moved away, address unknown');
          }
        }
      }
      yield* flush(vietnamTime(dayOf(period, 28), 16));
    }
    forget(addMonths(period, -4));
    if (options.stopAfterEvents !== undefined && events >= options.stopAfterEvents) return;
  }
}
