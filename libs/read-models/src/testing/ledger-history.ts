import { randomUUID } from 'node:crypto';
import {
  addDays,
  addMonths,
  bankPrintedName,
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  comparePeriods,
  daysInMonth,
  daysLate,
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  DISBURSEMENT_IDS_PER_EVENT,
  DomainError,
  enrollmentActivityIn,
  eventsToRecord,
  paymentChannelOf,
  payrollRunDecider,
  payrollRunStreamName,
  planPayrollFor,
  uuidV5,
  type BeneficiaryCommand,
  type BeneficiaryState,
  type Catalogues,
  type Coefficient,
  type NationalId,
  type Decider,
  type DisbursementCommand,
  type DisbursementState,
  type DomainEvent,
  type LocalDate,
  type PaymentFileSummary,
  type Period,
  type PayrollRunCommand,
  type PayrollRunState,
} from '@ledger/domain';
import { NO_STREAM, toEventToAppend, type CommandMetadata, type EventToAppend, type ExpectedRevision } from '@ledger/event-store';
import { seededRandom } from './seeded-random.js';

/**
 * A province's payment history made the way the ledger makes it: every event is decided by the
 * real deciders from the state of its stream (enrollments, accounts, payroll runs with arrears,
 * sending with the freeze, settlements on time and late, failures, returns, reschedules, duplicate
 * settlements, suspensions, back-dated terminations with overpayments). Deterministic for a seed,
 * apart from event ids. For read-model tests and the rebuild benchmark.
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

interface BeneficiaryRecord extends Tracked<BeneficiaryState> {
  readonly number: number;
  /** `program/period` of every disbursement stream that exists, so a run does not schedule it twice. */
  readonly disbursed: Set<string>;
  readonly disbursements: DisbursementRecord[];
}

interface DisbursementRecord extends Tracked<DisbursementState> {
  readonly id: string;
}

const PROGRAMS = ['SOCIAL_ASSISTANCE', 'MERITORIOUS'] as const;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hạnh', 'Hoa', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phúc', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Yến', 'Ánh'];
const BANKS = ['VBA', 'BIDV', 'VCB', 'ICB'];
const LEDGER_NAMESPACE = '0f6f3a0e-6a41-5c5e-9d55-3b1f1b6de0a1';

/** An instant at `hour`:`minute` on `date`, Vietnam time (UTC+7). */
const vietnamTime = (date: LocalDate, hour: number, minute = 0) =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000+07:00`);
const dayOf = (period: Period, day: number) => `${period}-${String(Math.min(day, daysInMonth(Number(period.slice(0, 4)), Number(period.slice(5, 7))))).padStart(2, '0')}` as LocalDate;

export function* ledgerHistory(options: LedgerHistoryOptions): Generator<HistoryWave> {
  const { catalogues, firstPeriod } = options;
  const random = seededRandom(options.seed ?? 1);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const units = options.units ?? catalogues.units.codes().filter((code) => catalogues.units.get(code).parentCode !== null);

  const beneficiaries: BeneficiaryRecord[] = [];
  const disbursements = new Map<string, DisbursementRecord>();
  let events = 0;
  let references = 0;
  let wave: HistoryAppend[] = [];

  const metadata = (command: string, actorId = 'officer-1', actorRole = 'operator'): CommandMetadata => ({
    actorId,
    actorRole,
    command,
    correlationId: randomUUID(),
    causationId: randomUUID(),
  });

  /** Decides on the tracked state; a refusal the domain records (a duplicate payment) is recorded too. */
  function decide<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    tracked: Tracked<State>,
    command: Command,
    meta: CommandMetadata,
  ): readonly Event[] | undefined {
    let recorded: readonly Event[];
    try {
      recorded = eventsToRecord(decider.decide(command, tracked.state));
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
    if (recorded.length === 0) return recorded;
    wave.push({
      streamName: tracked.streamName,
      events: recorded.map((event) => toEventToAppend(event, randomUUID(), meta)),
      expectedRevision: tracked.revision < 0n ? NO_STREAM : tracked.revision,
    });
    tracked.state = recorded.reduce(decider.evolve, tracked.state);
    tracked.revision += BigInt(recorded.length);
    events += recorded.length;
    return recorded;
  }
  const onBeneficiary = (record: BeneficiaryRecord, command: BeneficiaryCommand, actor = 'officer-1') =>
    decide(beneficiaryDecider, record, command, metadata(command.type, actor));
  const onDisbursement = (record: DisbursementRecord, command: DisbursementCommand, meta = metadata(command.type)) => decide(disbursementDecider, record, command, meta);
  function* flush(at: Date): Generator<HistoryWave> {
    if (wave.length === 0) return;
    const appends = wave;
    wave = [];
    yield { at, appends };
  }

  function enroll(number: number, period: Period): void {
    const female = chance(0.55);
    const year = 1935 + Math.floor(random() * 50);
    const dateOfBirth = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` as LocalDate;
    const nationalId = `091${female ? 1 : 0}${String(year % 100).padStart(2, '0')}${String(number).padStart(6, '0')}`;
    const beneficiaryId = beneficiaryIdFor(nationalId as NationalId);
    const fullName = `${pick(FAMILY)} ${female ? 'Thị' : pick(MIDDLE)} ${pick(GIVEN)}`;
    const record: BeneficiaryRecord = {
      number,
      streamName: beneficiaryStreamName(beneficiaryId),
      revision: -1n,
      state: beneficiaryDecider.initialState(),
      disbursed: new Set(),
      disbursements: [],
    };
    beneficiaries.push(record);
    const unitCode = pick(units);
    // Some decisions take effect a month or two back: the next run pays them as arrears.
    const effectiveFrom = chance(0.2) ? addMonths(period, -1 - Math.floor(random() * 2)) : period;
    const programs = chance(0.2) ? [...PROGRAMS] : [chance(0.7) ? PROGRAMS[0] : PROGRAMS[1]];
    for (const program of programs) {
      onBeneficiary(record, {
        type: 'EnrollBeneficiary',
        data: {
          beneficiaryId,
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

  function openAccount(record: BeneficiaryRecord, openedOn: LocalDate, matchingName: boolean): void {
    const holderName = matchingName ? bankPrintedName(record.state.fullName) : `${bankPrintedName(record.state.fullName)} ${pick(['A', 'B', 'C'])}`;
    onBeneficiary(record, {
      type: 'OpenPaymentAccount',
      data: {
        accountId: uuidV5(`account/${record.number}/${record.state.accounts.length}`, LEDGER_NAMESPACE),
        bankCode: pick(BANKS),
        accountNumber: `7700${String(record.number).padStart(8, '0')}${record.state.accounts.length}`,
        holderName,
        openedOn,
      },
    });
  }

  const activityOf = (record: BeneficiaryRecord, program: string, period: string) => enrollmentActivityIn(record.state.enrollments[program], period as Period);

  /** After a suspension or a termination: cancel what is still to be paid, flag what was paid for months no longer covered. */
  function freeze(record: BeneficiaryRecord, program: string, firstFrozen: Period): void {
    const enrollment = record.state.enrollments[program]!;
    for (const disbursement of record.disbursements) {
      if (disbursement.state.program !== program || comparePeriods(disbursement.state.period as Period, firstFrozen) < 0) continue;
      const activity = activityOf(record, program, disbursement.state.period);
      if (activity.active) continue;
      onDisbursement(disbursement, { type: 'CancelDisbursement', data: { enrollment: activity } });
      if (activity.reason === 'TERMINATED' && enrollment.termination) {
        onDisbursement(disbursement, { type: 'FlagOverpayment', data: { terminationEffectiveDate: enrollment.termination.effectiveDate } }, metadata('FlagOverpayment'));
      }
    }
  }

  function changeBeneficiaries(period: Period, today: LocalDate): void {
    for (const record of beneficiaries) {
      const state = record.state;
      for (const program of Object.keys(state.enrollments)) {
        const enrollment = state.enrollments[program]!;
        if (enrollment.termination) continue;
        const open = enrollment.suspensions.at(-1);
        if (open && !open.resumedFrom) {
          if (chance(0.5)) onBeneficiary(record, { type: 'ResumeEnrollment', data: { program, effectiveFrom: addMonths(period, 1) } });
          continue;
        }
        if (chance(0.006)) {
          // Back-dated: the death or move is learnt of weeks later, after months were paid.
          const terminatedIn = addMonths(period, -1 - Math.floor(random() * 2));
          const effectiveDate = dayOf(terminatedIn, 1 + Math.floor(random() * 28));
          if (comparePeriods(terminatedIn, enrollment.effectiveFrom as Period) < 0) continue;
          if (onBeneficiary(record, { type: 'TerminateEnrollment', data: { program, reason: pick(['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT'] as const), effectiveDate } })) {
            freeze(record, program, addMonths(terminatedIn, 1));
          }
        } else if (chance(0.008) && comparePeriods(period, (open?.resumedFrom ?? enrollment.effectiveFrom) as Period) >= 0) {
          if (onBeneficiary(record, { type: 'SuspendEnrollment', data: { program, reason: 'Under review', effectiveFrom: period } })) freeze(record, program, period);
        }
      }
      if (chance(0.004)) {
        const unitCode = pick(units);
        if (unitCode !== state.unitCode) onBeneficiary(record, { type: 'RelocateBeneficiary', data: { unitCode } });
      }
      const accounts = record.state.accounts;
      const unverified = accounts.find((account) => account.status === 'UNVERIFIED');
      if (unverified && chance(0.3)) {
        onBeneficiary(record, { type: 'VerifyPaymentAccount', data: { accountId: unverified.accountId, reason: 'Holder confirmed at the commune office' } });
      } else if (accounts.length === 0 && chance(0.02)) {
        openAccount(record, today, chance(0.85));
      } else if (accounts.some((account) => account.status === 'VERIFIED') && chance(0.004)) {
        const verified = accounts.find((account) => account.status === 'VERIFIED')!;
        onBeneficiary(record, { type: 'ClosePaymentAccount', data: { accountId: verified.accountId, reason: 'Closed by the bank' } });
        if (chance(0.5)) openAccount(record, today, true);
      }
    }
  }

  /** One payroll run: scheduling (arrears and adopted reschedules included), approval, sending with the freeze. */
  function payrollRun(period: Period, program: string | null, runNumber: number): DisbursementRecord[] {
    const runId = uuidV5(`run/${period}/${program ?? 'ALL'}/${runNumber}`, LEDGER_NAMESPACE);
    const run: Tracked<PayrollRunState> = { streamName: payrollRunStreamName(runId), revision: -1n, state: payrollRunDecider.initialState() };
    const onRun = (command: PayrollRunCommand, actor = 'officer-1') => decide(payrollRunDecider, run, command, metadata(command.type, actor));
    onRun({ type: 'CreatePayrollRun', data: { runId, period, program, unitCode: null, createdBy: 'officer-1' } });

    const tally = { scheduled: 0, alreadyScheduled: 0, arrears: 0, totalAmount: 0 };
    const skipped: Record<string, number> = {};
    const included: DisbursementRecord[] = [];
    const meta = metadata('SchedulePayroll');
    for (const record of beneficiaries) {
      const plan = planPayrollFor(record.state, { period, program, unitCode: null }, catalogues);
      for (const reason of plan.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
      for (const planned of plan.planned) {
        const key = `${planned.program}/${planned.period}`;
        const command: DisbursementCommand = { type: 'ScheduleDisbursement', data: { ...planned, payrollRunId: runId, attempt: 1 } };
        let disbursement: DisbursementRecord | undefined;
        if (record.disbursed.has(key)) {
          disbursement = disbursements.get(planned.disbursementId);
          // A rescheduled attempt no run has picked up goes out with this one.
          if (!disbursement || disbursement.state.status !== 'SCHEDULED' || disbursement.state.payrollRunId !== null) {
            if (!planned.arrears) tally.alreadyScheduled++;
            continue;
          }
        } else {
          disbursement = { id: planned.disbursementId, streamName: disbursementStreamName(planned.disbursementId), revision: -1n, state: disbursementDecider.initialState() };
          disbursements.set(disbursement.id, disbursement);
          record.disbursements.push(disbursement);
          record.disbursed.add(key);
        }
        onDisbursement(disbursement, command, meta);
        tally.scheduled++;
        tally.totalAmount += planned.amount;
        if (planned.arrears) tally.arrears++;
        included.push(disbursement);
      }
    }
    for (let start = 0; start < included.length; start += DISBURSEMENT_IDS_PER_EVENT) {
      onRun({ type: 'IncludeDisbursements', data: { disbursementIds: included.slice(start, start + DISBURSEMENT_IDS_PER_EVENT).map((d) => d.id) } });
    }
    onRun({ type: 'CompleteScheduling', data: { ...tally, skipped } });
    onRun({ type: 'ApprovePayrollRun', data: { approvedBy: 'officer-2' } }, 'officer-2');

    // Between approval and sending a few enrollments are suspended: their months are cancelled, and the run counts them.
    for (const disbursement of included) {
      if (chance(0.004)) {
        const record = beneficiaryById.get(disbursement.state.beneficiaryId)!;
        const enrollment = record.state.enrollments[disbursement.state.program]!;
        const open = enrollment.suspensions.at(-1);
        if (!enrollment.termination && !(open && !open.resumedFrom) && comparePeriods(period, (open?.resumedFrom ?? enrollment.effectiveFrom) as Period) >= 0) {
          if (onBeneficiary(record, { type: 'SuspendEnrollment', data: { program: disbursement.state.program, reason: 'Reported missing', effectiveFrom: period } })) {
            freeze(record, disbursement.state.program, period);
          }
        }
      }
    }
    const files = new Map<string, PaymentFileSummary>();
    let sent = 0;
    let cancelled = 0;
    const sending = metadata('SendPayrollRun', 'officer-2');
    for (const disbursement of included) {
      if (disbursement.state.payrollRunId !== runId) continue;
      const record = beneficiaryById.get(disbursement.state.beneficiaryId)!;
      onDisbursement(disbursement, { type: 'SendDisbursement', data: { payrollRunId: runId, enrollment: activityOf(record, disbursement.state.program, disbursement.state.period) } }, sending);
      const state = disbursement.state;
      if (state.status === 'CANCELLED') {
        cancelled++;
        continue;
      }
      if (state.status !== 'SENT') continue;
      sent++;
      const paymentFile = state.channel === 'BANK' ? state.account!.bankCode : 'POST_OFFICE';
      const file = files.get(paymentFile) ?? { paymentFile, count: 0, totalAmount: 0 };
      files.set(paymentFile, { paymentFile, count: file.count + 1, totalAmount: file.totalAmount + state.amount });
    }
    const paymentFiles = [...files.values()].sort((a, b) => a.paymentFile.localeCompare(b.paymentFile));
    onRun({ type: 'RecordPayrollRunSent', data: { sentBy: 'officer-2', sent, cancelled, paymentFiles } }, 'officer-2');
    return included.filter((disbursement) => disbursement.state.status === 'SENT');
  }

  /** The paying agents report back: most on time, some late, some failed or returned, a few twice. */
  function settle(sent: readonly DisbursementRecord[], last: boolean): Array<{ at: Date; work: () => void }> {
    const work: Array<{ at: Date; work: () => void }> = [];
    for (const disbursement of sent) {
      const state = disbursement.state;
      const due = state.dueDate as LocalDate;
      const roll = random();
      // In the last month some are still out when the history ends: unpaid, and late for the reports.
      if (last && roll >= 0.05 && roll < 0.2) continue;
      if (roll < 0.05) {
        work.push({
          at: vietnamTime(addDays(due, 3), 9),
          work: () => onDisbursement(disbursement, state.channel === 'BANK' ? { type: 'FailDisbursement', data: { reason: 'Account frozen' } } : { type: 'ReturnDisbursement', data: { reason: 'Not collected' } }),
        });
        continue;
      }
      const late = roll < 0.13;
      const paidOn = late ? addDays(due, 1 + Math.floor(random() * 20)) : addDays(due, -Math.floor(random() * 6));
      const paidAt = vietnamTime(paidOn, 8 + Math.floor(random() * 14), Math.floor(random() * 60));
      const providerReference = `FT${paidOn.replaceAll('-', '').slice(2)}${String(++references).padStart(8, '0')}`;
      work.push({
        at: paidAt,
        work: () => {
          const record = beneficiaryById.get(disbursement.state.beneficiaryId)!;
          const enrollment = activityOf(record, disbursement.state.program, disbursement.state.period);
          const settlement = { providerReference, paidAt, amount: disbursement.state.amount, daysLate: daysLate(due, paidAt), enrollment };
          if (!onDisbursement(disbursement, { type: 'SettleDisbursement', data: settlement })) return;
          // The agent's file sent twice (same reference: nothing new), or a second payment (refused and kept).
          if (chance(0.01)) onDisbursement(disbursement, { type: 'SettleDisbursement', data: settlement });
          if (chance(0.012)) {
            onDisbursement(disbursement, { type: 'SettleDisbursement', data: { ...settlement, providerReference: `${providerReference}R` } });
          }
        },
      });
    }
    return work.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  function reschedule(period: Period, share = 1): void {
    for (const disbursement of disbursements.values()) {
      const state = disbursement.state;
      if ((state.status !== 'FAILED' && state.status !== 'RETURNED') || !chance(share)) continue;
      const record = beneficiaryById.get(state.beneficiaryId)!;
      const { channel, account } = paymentChannelOf(record.state);
      // A failed transfer often goes out again as cash.
      const useCash = state.status === 'FAILED' && chance(0.5);
      const payee = !useCash && account ? { accountId: account.accountId, bankCode: account.bankCode, accountNumber: account.accountNumber, holderName: account.holderName } : null;
      onDisbursement(disbursement, {
        type: 'RescheduleDisbursement',
        data: { channel: payee ? channel : 'CASH', account: payee, reason: `Retry in ${period}`, enrollment: activityOf(record, state.program, state.period) },
      });
    }
  }

  /** Finished disbursements of old months are no longer needed to decide anything here. */
  function forget(before: Period): void {
    for (const [id, disbursement] of disbursements) {
      const { status, period } = disbursement.state;
      if ((status === 'PAID' || status === 'CANCELLED') && comparePeriods(period as Period, before) < 0) disbursements.delete(id);
    }
    for (const record of beneficiaries) {
      if (record.disbursements.length > 8) {
        const keep = record.disbursements.filter((d) => disbursements.has(d.id));
        record.disbursements.length = 0;
        record.disbursements.push(...keep);
      }
    }
  }

  const beneficiaryById = new Map<string, BeneficiaryRecord>();
  const firstWave = Math.ceil(options.beneficiaries * 0.6);
  const later = options.beneficiaries - firstWave;
  const laterPerMonth = Math.ceil(later / Math.max(1, Math.min(options.periods - 1, 12)));
  let enrolled = 0;

  for (let month = 0; month < options.periods; month++) {
    const period = addMonths(firstPeriod, month);
    const last = month === options.periods - 1;

    // Day 1: new enrollments.
    const newcomers = month === 0 ? firstWave : Math.min(laterPerMonth, options.beneficiaries - enrolled);
    for (let i = 0; i < newcomers; i++) {
      enroll(enrolled++, period);
      const record = beneficiaries.at(-1)!;
      beneficiaryById.set(record.state.beneficiaryId, record);
    }
    yield* flush(vietnamTime(dayOf(period, 1), 8));

    // Day 2: what failed or came back last month goes out again.
    reschedule(period);
    yield* flush(vietnamTime(dayOf(period, 2), 8));

    // Day 3: the payroll — one run for every program, or one per program in odd months.
    const programs = month % 2 === 0 ? [null] : [...PROGRAMS];
    const sent: DisbursementRecord[] = [];
    programs.forEach((program, index) => {
      sent.push(...payrollRun(period, program, index));
    });
    yield* flush(vietnamTime(dayOf(period, 3), 9));

    // Day 4: suspensions, back-dated terminations, relocations, accounts.
    changeBeneficiaries(period, dayOf(period, 4));
    yield* flush(vietnamTime(dayOf(period, 4), 10));

    // Settlements as the agents report them, in time order, a wave per day.
    let previous: Date | undefined;
    for (const { at, work } of settle(sent, last)) {
      if (previous && at.toISOString().slice(0, 10) !== previous.toISOString().slice(0, 10)) yield* flush(previous);
      previous = at;
      work();
    }
    if (previous) yield* flush(previous);
    if (last) {
      // The history ends with some retries decided but not yet picked up by a run.
      reschedule(addMonths(period, 1), 0.5);
      yield* flush(vietnamTime(dayOf(period, 28), 16));
    }
    forget(addMonths(period, -4));
    if (options.stopAfterEvents !== undefined && events >= options.stopAfterEvents) return;
  }
}
