import type { Command } from '@nestjs/cqrs';
import { disbursementStreamName, fold, disbursementDecider, DomainError, includedDisbursementIds, type BeneficiaryCommand, type DisbursementEvent, type Period } from '@ledger/domain';
import { readDomainStream, type EventStore } from '@ledger/event-store';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand } from '../beneficiaries/beneficiary.commands.js';
import { ChangeDisbursementCommand, type DisbursementLifecycleChange } from '../disbursements/disbursement.commands.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../payroll-runs/payroll-run.commands.js';
import { loadPayrollRun } from '../payroll-runs/payroll-run-access.js';
import type { Actor, CommandContext } from '../platform/index.js';
import { demoProvince, type BeneficiaryIdDerivation, type DemoPeriod, type DemoPerson, type DemoProvince, type DemoStep } from './demo-province.js';
import { correlationIdOf, demoSeedStatus, finalStepKey, idempotencyKeyOf } from './demo-seed-status.js';
import { settlementPlanFor, type SentDisbursement, type SettlementPlan } from './demo-settlements.js';

export { demoSeedStatus, type DemoSeedStatus } from './demo-seed-status.js';

/** Anything that executes the ledger's commands: Nest's CommandBus, or the CLI's hand-wired handlers. */
export interface LedgerCommands {
  execute<Result>(command: Command<Result>): Promise<Result>;
}

/** The two province operators of the demo: Lan makes, Minh checks (maker-checker). */
export const DEMO_OPERATORS = {
  maker: { userId: 'lan.operator', role: 'operator', units: ['*'] },
  checker: { userId: 'minh.operator', role: 'operator', units: ['*'] },
} as const satisfies Record<string, Actor>;

export interface SeedProgress {
  readonly task: string;
  readonly done: number;
  /** 0 when unknown. */
  readonly total: number;
  /** What the task is busy with, when that says more than the count. */
  readonly detail?: string;
}

export interface SeedDemoOptions {
  readonly commands: LedgerCommands;
  /** Read only: the seed's own status, and the runs and disbursements it settles. */
  readonly store: EventStore;
  /** How this store derives beneficiary ids (resolved from it at start: ledger/beneficiary-ids.ts). */
  readonly beneficiaryIds: BeneficiaryIdDerivation;
  /** 1 is the whole province; a smaller demo is quicker (see demoProvince). A seed being finished keeps the scale it began with. */
  readonly scale?: number;
  readonly onProgress?: (progress: SeedProgress) => void;
}

export interface PayrollRunOutcome {
  readonly period: DemoPeriod;
  readonly runId: string;
  readonly scheduled: number;
  readonly arrears: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly sent: number;
  readonly cancelled: number;
}

export interface DemoSeedReport {
  readonly status: 'SEEDED' | 'FINISHED' | 'ALREADY_SEEDED';
  readonly province: DemoProvince;
  readonly commands: number;
  readonly runs: readonly PayrollRunOutcome[];
  readonly seconds: number;
}

export class DemoSeedRefused extends Error {
  override readonly name = 'DemoSeedRefused';
}

/** Commands in flight at once: the embedded store group-commits each wave with one fsync. */
const WAVE = 2_000;

/**
 * When each step is recorded (Asia/Ho_Chi_Minh). Lists go to the paying agents before the 25th of
 * the month before; banks credit in the first days of the month, the Post Office pays until the due
 * day (the 10th) and reports afterwards.
 */
const AT = {
  goLive: '2023-12-05T08:30:00+07:00',
  runs: {
    '2024-01': { schedule: '2023-12-18T09:00:00+07:00', approve: '2023-12-19T10:15:00+07:00', send: '2023-12-20T14:00:00+07:00', settle: '2024-01-26T16:00:00+07:00' },
    '2024-02': { schedule: '2024-01-18T09:00:00+07:00', approve: '2024-01-19T10:15:00+07:00', send: '2024-01-22T14:00:00+07:00', settle: '2024-02-26T16:00:00+07:00' },
    '2024-03': { schedule: '2024-02-19T09:00:00+07:00', approve: '2024-02-20T10:15:00+07:00', send: '2024-02-22T14:00:00+07:00', settle: '2024-03-26T16:00:00+07:00' },
  },
  january: '2024-01-15T09:00:00+07:00',
  february: '2024-02-16T09:00:00+07:00',
  suspendedBeforeMarchSending: '2024-02-21T15:30:00+07:00',
  march: '2024-03-22T09:00:00+07:00',
  deathsReported: '2024-03-27T10:00:00+07:00',
} as const;

/**
 * Seeds the demo province through the ledger's real command handlers: the same validation, rules
 * and events as an operator's requests. Every command carries a deterministic idempotency key, so a
 * seed that was interrupted finishes, when started again, without writing anything twice.
 */
export async function seedDemo({ commands, store, beneficiaryIds, scale = 1, onProgress = () => {} }: SeedDemoOptions): Promise<DemoSeedReport> {
  const started = performance.now();
  const found = await demoSeedStatus(store, beneficiaryIds);
  if (found.status === 'OTHER_DATA') throw new DemoSeedRefused("The event store already holds events that are not the demo's; the demo is only seeded into an empty store.");
  const province = demoProvince(beneficiaryIds, found.status === 'EMPTY' ? scale : found.scale);
  if (found.status === 'SEEDED') return { status: 'ALREADY_SEEDED', province, commands: 0, runs: [], seconds: 0 };
  const seeder = new DemoSeeder(commands, store, province, onProgress);
  const runs = await seeder.seed();
  return { status: found.status === 'EMPTY' ? 'SEEDED' : 'FINISHED', province, commands: seeder.executed, runs, seconds: (performance.now() - started) / 1000 };
}

class DemoSeeder {
  executed = 0;
  private readonly persons: readonly DemoPerson[];

  constructor(
    private readonly commands: LedgerCommands,
    private readonly store: EventStore,
    private readonly province: DemoProvince,
    private readonly onProgress: (progress: SeedProgress) => void,
  ) {
    this.persons = province.persons;
  }

  async seed(): Promise<PayrollRunOutcome[]> {
    const { featured } = this.province;
    await this.enroll('go-live', AT.goLive, 'Go-live: enrolling beneficiaries');
    await this.openAccounts('go-live', AT.goLive, 'Go-live: bank accounts');

    const january = await this.payroll('2024-01');
    const januarySettlements = await this.settle('2024-01', january.runId);

    await this.enroll('january', AT.january, 'January: new decisions from February');
    await this.openAccounts('january', AT.january, 'January: cashless drive, new accounts');
    await this.verifyAccounts('january', AT.january, 'January: misprinted holder names verified');
    await this.retry(januarySettlements, AT.january);
    const february = await this.payroll('2024-02');
    const februarySettlements = await this.settle('2024-02', february.runId);

    await this.enroll('february', AT.february, 'February: late decisions for January');
    await this.openAccounts('february', AT.february, 'February: cashless drive, new accounts');
    await this.lifeEvents('february', AT.february, 'February: suspensions from March', (person) => person.lifeEvent?.kind === 'SUSPENDED_FROM_MARCH');
    await this.retry(februarySettlements, AT.february);
    const march = await this.payroll('2024-03', () =>
      this.lifeEvents('march-run', AT.suspendedBeforeMarchSending, 'March run: suspensions before sending', (person) => person.lifeEvent?.kind === 'SUSPENDED_BEFORE_MARCH_SENDING'),
    );
    const marchSettlements = await this.settle('2024-03', march.runId);
    await this.retry(marchSettlements, AT.march);

    await this.enroll('march', AT.march, 'March: new decisions from April, late ones for March');
    await this.openAccounts('march', AT.march, 'March: accounts of the newly enrolled');
    await this.lifeEvents('march', AT.march, 'March: suspensions from April, deaths', (person) => {
      const kind = person.lifeEvent?.kind;
      return kind === 'SUSPENDED_FROM_APRIL' || kind === 'DECEASED_IN_MARCH' || (kind === 'DECEASED_REPORTED_LATE' && person !== featured.deceasedReportedLate);
    });
    await this.lifeEvents('march', AT.march, 'March: resumptions from April', (person) => person.lifeEvent?.kind === 'SUSPENDED_FROM_MARCH' && person.lifeEvent.resumedFromApril, 'resume');
    // Last, and alone: its event marks the demo as seeded (demoSeedStatus).
    await this.lifeEvents('march', AT.deathsReported, 'March: a death reported late', (person) => person === featured.deceasedReportedLate);
    return [january, february, march];
  }

  private context(actor: Actor, step: string, key: string, receivedAt: string): CommandContext {
    const correlationId = correlationIdOf(step);
    return { actor, correlationId, causationId: correlationId, idempotencyKey: idempotencyKeyOf(this.province.scale, key), receivedAt: new Date(receivedAt) };
  }

  private async execute<Result>(command: Command<Result>): Promise<Result> {
    const result = await this.commands.execute(command);
    this.executed++;
    return result;
  }

  /** Runs `work` over `items` in waves of concurrent commands, reporting progress after each wave. */
  private async inWaves<T>(task: string, items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
    if (items.length === 0) return;
    this.onProgress({ task, done: 0, total: items.length });
    for (let start = 0; start < items.length; start += WAVE) {
      await Promise.all(items.slice(start, start + WAVE).map(work));
      this.onProgress({ task, done: Math.min(start + WAVE, items.length), total: items.length });
    }
  }

  private async enroll(step: DemoStep, at: string, task: string): Promise<void> {
    const enrolled = this.persons.filter((person) => person.enrolledIn === step);
    // A person's second program waits for the first: both land on the same stream.
    for (const which of [0, 1]) {
      const enrollments = enrolled.flatMap((person) => (person.enrollments[which] ? [{ person, enrollment: person.enrollments[which] }] : []));
      await this.inWaves(which === 0 ? task : `${task} (second program)`, enrollments, ({ person, enrollment }) => {
        const command: Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }> = {
          type: 'EnrollBeneficiary',
          data: {
            beneficiaryId: person.beneficiaryId,
            nationalId: person.nationalId,
            fullName: person.fullName,
            dateOfBirth: person.dateOfBirth,
            gender: person.gender,
            unitCode: person.unitCode,
            program: enrollment.program,
            coefficient: enrollment.coefficient,
            effectiveFrom: enrollment.effectiveFrom,
            decision: enrollment.decision,
          },
        };
        const key = `${step}/enroll/${enrollment.program}/${person.beneficiaryId}`;
        return this.execute(new EnrollBeneficiaryCommand(command, this.context(DEMO_OPERATORS.maker, step, key, at)));
      });
    }
  }

  private async openAccounts(step: DemoStep, at: string, task: string): Promise<void> {
    const opening = this.persons.filter((person) => person.account?.openedIn === step);
    await this.inWaves(task, opening, (person) => {
      const { accountId, bankCode, accountNumber, holderName, openedOn } = person.account!;
      const key = `${step}/open-account/${person.beneficiaryId}`;
      return this.execute(
        new ChangeBeneficiaryCommand(
          person.beneficiaryId,
          { type: 'OpenPaymentAccount', data: { accountId, bankCode, accountNumber, holderName, openedOn } },
          this.context(DEMO_OPERATORS.maker, step, key, at),
        ),
      );
    });
  }

  private async verifyAccounts(step: DemoStep, at: string, task: string): Promise<void> {
    const verifying = this.persons.filter((person) => person.account?.verifiedByOperatorIn === step);
    await this.inWaves(task, verifying, (person) => {
      const reason = 'Holder name checked against the citizen ID card: the bank misprinted it';
      return this.execute(
        new ChangeBeneficiaryCommand(
          person.beneficiaryId,
          { type: 'VerifyPaymentAccount', data: { accountId: person.account!.accountId, reason } },
          this.context(DEMO_OPERATORS.checker, step, `${step}/verify-account/${person.beneficiaryId}`, at),
        ),
      );
    });
  }

  /** Create (maker), approve (checker), send (maker). `beforeSending` runs between approval and sending. */
  private async payroll(period: DemoPeriod, beforeSending?: () => Promise<void>): Promise<PayrollRunOutcome> {
    const at = AT.runs[period];
    const step = `payroll-${period}`;
    const task = `Payroll ${period}: create, approve, send`;
    const progress = (done: number, detail: string) => this.onProgress({ task, done, total: 3, detail });
    progress(0, 'planning');
    const scheduled = await this.execute(
      new SchedulePayrollCommand(
        { period: period as Period, program: null, unitCode: null },
        this.context(DEMO_OPERATORS.maker, step, `${step}/schedule`, at.schedule),
        (done, phase) => progress(0, `${phase} ${done.toLocaleString('en-US')}`),
      ),
    );
    progress(1, `${scheduled.scheduled.toLocaleString('en-US')} scheduled by ${DEMO_OPERATORS.maker.userId}`);
    await this.execute(new ApprovePayrollRunCommand(scheduled.runId, this.context(DEMO_OPERATORS.checker, step, `${step}/approve`, at.approve)));
    progress(2, `approved by ${DEMO_OPERATORS.checker.userId}`);
    await beforeSending?.();
    progress(2, 'sending');
    const sent = await this.execute(new SendPayrollRunCommand(scheduled.runId, this.context(DEMO_OPERATORS.maker, step, `${step}/send`, at.send)));
    progress(3, `${sent.sent.toLocaleString('en-US')} sent`);
    return { period, runId: scheduled.runId, scheduled: scheduled.scheduled, arrears: scheduled.arrears, skipped: scheduled.skipped, sent: sent.sent, cancelled: sent.cancelled };
  }

  /** The paying agents' reports for a sent run: payments, failed transfers, returned cash, and a few reports repeated. */
  private async settle(period: DemoPeriod, runId: string): Promise<SettlementPlan> {
    const step = `settlements-${period}`;
    const at = AT.runs[period].settle;
    const run = await loadPayrollRun(this.store, runId);
    this.onProgress({ task: `Settlements ${period}`, done: 0, total: run.disbursementCount, detail: 'reading the sent run' });
    const sent = await Promise.all(includedDisbursementIds(run).map((disbursementId) => this.sentDisbursement(disbursementId)));
    const plan = settlementPlanFor(period, sent, this.province);
    const context = (disbursementId: string, what: string) => this.context(DEMO_OPERATORS.maker, step, `${step}/${what}/${disbursementId}`, at);
    const amounts = new Map(sent.map((disbursement) => [disbursement.disbursementId, disbursement.amount]));

    await this.inWaves(`Settlements ${period}`, [...plan.fates], ([disbursementId, fate]) => {
      switch (fate.kind) {
        case 'PAID':
          return this.change(disbursementId, { type: 'SettleDisbursement', data: { providerReference: fate.providerReference, paidAt: fate.paidAt, amount: amounts.get(disbursementId)! } }, context(disbursementId, 'settle'));
        case 'FAILED':
          return this.change(disbursementId, { type: 'FailDisbursement', data: { reason: fate.reason } }, context(disbursementId, 'fail'));
        case 'RETURNED':
          return this.change(disbursementId, { type: 'ReturnDisbursement', data: { reason: fate.reason } }, context(disbursementId, 'return'));
        case 'UNSETTLED':
          return Promise.resolve();
      }
    });
    for (const [what, reports] of [['settle-again', plan.duplicates], ['settle-repeated', plan.repeats]] as const) {
      await Promise.all(
        reports.map(async ({ disbursementId, providerReference, paidAt, amount }) => {
          try {
            await this.change(disbursementId, { type: 'SettleDisbursement', data: { providerReference, paidAt, amount } }, context(disbursementId, what));
          } catch (error) {
            // The point of the exercise: the ledger refuses a second payment, and records the attempt.
            if (!(error instanceof DomainError && error.code === 'DUPLICATE_PAYMENT')) throw error;
            this.executed++;
          }
        }),
      );
    }
    return plan;
  }

  /** Failed transfers and returned cash put back in line: the next run that covers them sends them again. */
  private async retry(plan: SettlementPlan, at: string): Promise<void> {
    const step = `retries-${plan.period}`;
    const retries = [...plan.fates].flatMap(([disbursementId, fate]) => ('retry' in fate && fate.retry ? [{ disbursementId, reason: fate.retry }] : []));
    await this.inWaves(`Reschedules ${plan.period}`, retries, ({ disbursementId, reason }) =>
      this.change(disbursementId, { type: 'RescheduleDisbursement', data: { reason } }, this.context(DEMO_OPERATORS.maker, step, `${step}/reschedule/${disbursementId}`, at)),
    );
  }

  private async lifeEvents(step: string, at: string, task: string, which: (person: DemoPerson) => boolean, action: 'change' | 'resume' = 'change'): Promise<void> {
    const persons = this.persons.filter(which);
    await this.inWaves(task, persons, (person) => {
      const event = person.lifeEvent!;
      const { program } = event;
      const change = ((): ChangeBeneficiaryCommand['change'] => {
        if (action === 'resume') return { type: 'ResumeEnrollment', data: { program, effectiveFrom: '2024-04' as Period } };
        switch (event.kind) {
          case 'SUSPENDED_FROM_MARCH':
          case 'SUSPENDED_BEFORE_MARCH_SENDING':
            return { type: 'SuspendEnrollment', data: { program, reason: event.reason, effectiveFrom: '2024-03' as Period } };
          case 'SUSPENDED_FROM_APRIL':
            return { type: 'SuspendEnrollment', data: { program, reason: event.reason, effectiveFrom: '2024-04' as Period } };
          case 'DECEASED_REPORTED_LATE':
          case 'DECEASED_IN_MARCH':
            return { type: 'TerminateEnrollment', data: { program, reason: 'DECEASED', effectiveDate: event.diedOn } };
        }
      })();
      const key = change.type === 'TerminateEnrollment' ? finalStepKey(person) : `${step}/${change.type}/${person.beneficiaryId}`;
      return this.execute(new ChangeBeneficiaryCommand(person.beneficiaryId, change, this.context(DEMO_OPERATORS.maker, step, key, at)));
    });
  }

  private change(disbursementId: string, change: DisbursementLifecycleChange, context: CommandContext) {
    return this.execute(new ChangeDisbursementCommand(disbursementId, change, context));
  }

  private async sentDisbursement(disbursementId: string): Promise<SentDisbursement> {
    const { events } = await readDomainStream<DisbursementEvent>(this.store, disbursementStreamName(disbursementId));
    const state = fold(disbursementDecider, events);
    const first = events[0];
    if (first?.type !== 'DisbursementScheduled') throw new Error('A disbursement of a sent run has no scheduling event');
    return {
      disbursementId,
      beneficiaryId: state.beneficiaryId,
      period: state.period,
      unitCode: state.unitCode,
      amount: state.amount,
      firstChannel: first.data.channel,
      cancelled: state.status === 'CANCELLED',
    };
  }
}

