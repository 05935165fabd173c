import { randomUUID } from 'node:crypto';
import {
  BENEFICIARY_NAMESPACE,
  beneficiaryDecider,
  beneficiaryStreamName,
  DISBURSEMENT_NAMESPACE,
  eventsToRecord,
  type BeneficiaryCommand,
  type BeneficiaryEvent,
  type Coefficient,
  type LocalDate,
  type Period,
} from '@ledger/domain';
import { NO_STREAM, toEventToAppend, type EventStore } from '@ledger/event-store';
import { independentUuidV5 } from './crash-kit.js';

/** The payroll period every crash test runs; arrears reach back to 2024-05, across the July 2024 raise. */
export const RUN_PERIOD = '2024-09';
export const UNITS = ['899', '900', '902', '903', '904', '905', '906', '907', '908', '909', '910', '911', '912', '913', '914'] as const;
const PROGRAMS = ['MERITORIOUS', 'SOCIAL_ASSISTANCE'] as const;
const BANKS = ['VBA', 'BIDV', 'VCB', 'AGRIBANK'] as const;
const NAMES = [
  ['Nguyễn Văn An', 'NGUYEN VAN AN'],
  ['Trần Thị Bích', 'TRAN THI BICH'],
  ['Lê Văn Cường', 'LE VAN CUONG'],
  ['Đặng Thị Ánh', 'DANG THI ANH'],
  ['Bùi Trung Tài', 'BUI TRUNG TAI'],
  ['Phạm Thị Dung', 'PHAM THI DUNG'],
] as const;

/** Standard levels as the domain rules list them (docs/domain-rules.md) — deliberately not read from config/programs.json. */
const STANDARD_LEVELS: Record<string, ReadonlyArray<readonly [string, number]>> = {
  SOCIAL_ASSISTANCE: [
    ['2021-07', 360_000],
    ['2024-07', 500_000],
  ],
  MERITORIOUS: [
    ['2021-01', 1_624_000],
    ['2023-07', 2_055_000],
    ['2024-07', 2_789_000],
  ],
};

export interface PlannedEnrollment {
  readonly program: string;
  readonly coefficient: number;
  readonly effectiveFrom: string;
  /** An open suspension from this period, if any. */
  readonly suspendedFrom?: string;
}

export interface Person {
  readonly nationalId: string;
  readonly beneficiaryId: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly gender: 'MALE' | 'FEMALE';
  readonly unitCode: string;
  readonly enrollments: readonly PlannedEnrollment[];
  /** A VERIFIED account makes the channel BANK; an UNVERIFIED one is never paid into. */
  readonly account: { readonly status: 'VERIFIED' | 'UNVERIFIED'; readonly bankCode: string; readonly accountNumber: string; readonly holderName: string } | null;
}

export function addMonths(period: string, months: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * Person `serial` of a synthetic province. Most start in the run's own month; one in ten started
 * one to four months earlier (arrears), one in fifty only starts later; one in twenty is suspended
 * from the run's month, one in forty of the arrears cases a month after starting; a third have a
 * verified bank account, one in twenty-nine an unverified one; one in seventeen is enrolled in both
 * programs.
 */
export function personFor(serial: number): Person {
  const female = serial % 2 === 1;
  const yy = String(40 + (serial % 20));
  const nationalId = `091${female ? 1 : 0}${yy}${String(serial).padStart(6, '0')}`;
  const [fullName, printedName] = NAMES[serial % NAMES.length]!;
  const program = serial % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE';
  const coefficient = 1000 + (serial % 5) * 250;
  let effectiveFrom = RUN_PERIOD;
  let suspendedFrom: string | undefined;
  if (serial % 10 === 3) {
    effectiveFrom = addMonths(RUN_PERIOD, -(1 + (Math.floor(serial / 10) % 4)));
    if (serial % 40 === 13) suspendedFrom = addMonths(effectiveFrom, 1);
  } else if (serial % 50 === 7) {
    effectiveFrom = addMonths(RUN_PERIOD, 2);
  } else if (serial % 20 === 11) {
    suspendedFrom = RUN_PERIOD;
  }
  const enrollments: PlannedEnrollment[] = [{ program, coefficient, effectiveFrom, ...(suspendedFrom ? { suspendedFrom } : {}) }];
  if (serial % 17 === 0) enrollments.push({ program: PROGRAMS.find((other) => other !== program)!, coefficient: 1000, effectiveFrom: RUN_PERIOD });
  const bank = { bankCode: BANKS[serial % BANKS.length]!, accountNumber: `77${String(serial).padStart(10, '0')}` };
  const account =
    serial % 3 === 1 ? { status: 'VERIFIED' as const, ...bank, holderName: printedName }
    : serial % 29 === 5 ? { status: 'UNVERIFIED' as const, ...bank, holderName: 'SOMEONE ELSE' }
    : null;
  return {
    nationalId,
    beneficiaryId: independentUuidV5(nationalId, BENEFICIARY_NAMESPACE),
    fullName,
    dateOfBirth: `19${yy}-0${1 + (serial % 9)}-1${serial % 9}`,
    gender: female ? 'FEMALE' : 'MALE',
    unitCode: UNITS[serial % UNITS.length]!,
    enrollments,
    account,
  };
}

/** The body of POST /v1/beneficiaries for a person's first enrollment. */
export function enrollmentBody(person: Person) {
  const [enrollment] = person.enrollments;
  return {
    nationalId: person.nationalId,
    fullName: person.fullName,
    dateOfBirth: person.dateOfBirth,
    gender: person.gender,
    unitCode: person.unitCode,
    program: enrollment!.program,
    coefficient: enrollment!.coefficient,
    effectiveFrom: enrollment!.effectiveFrom,
    decision: { number: `${person.nationalId.slice(-6)}/QĐ-UBND`, date: '2024-04-20' },
  };
}

function commandsFor(person: Person): BeneficiaryCommand[] {
  const commands: BeneficiaryCommand[] = [];
  for (const enrollment of person.enrollments) {
    commands.push({
      type: 'EnrollBeneficiary',
      data: {
        beneficiaryId: person.beneficiaryId,
        nationalId: person.nationalId,
        fullName: person.fullName,
        dateOfBirth: person.dateOfBirth as LocalDate,
        gender: person.gender,
        unitCode: person.unitCode,
        program: enrollment.program,
        coefficient: enrollment.coefficient as Coefficient,
        effectiveFrom: enrollment.effectiveFrom as Period,
        decision: { number: `${person.nationalId.slice(-6)}/QĐ-UBND`, date: '2024-04-20' as LocalDate },
      },
    });
    if (enrollment.suspendedFrom) {
      commands.push({ type: 'SuspendEnrollment', data: { program: enrollment.program, reason: 'Annual review pending', effectiveFrom: enrollment.suspendedFrom as Period } });
    }
  }
  if (person.account) {
    const { bankCode, accountNumber, holderName } = person.account;
    commands.push({ type: 'OpenPaymentAccount', data: { accountId: randomUUID(), bankCode, accountNumber, holderName, openedOn: '2024-04-01' as LocalDate, openedBy: 'crash-test-seed', sharedWithAnotherBeneficiary: false } });
  }
  return commands;
}

/** Writes the people straight through the beneficiary decider into the store, as bench/payroll.bench.ts does. */
export async function seedPeople(store: EventStore, people: readonly Person[]): Promise<number> {
  const metadata = { actorId: 'crash-test-seed', actorRole: 'admin', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
  let events = 0;
  for (let start = 0; start < people.length; start += 5_000) {
    await Promise.all(
      people.slice(start, start + 5_000).map(async (person) => {
        let state = beneficiaryDecider.initialState();
        const recorded: BeneficiaryEvent[] = [];
        for (const command of commandsFor(person)) {
          const decided = eventsToRecord(beneficiaryDecider.decide(command, state));
          state = decided.reduce(beneficiaryDecider.evolve, state);
          recorded.push(...decided);
        }
        const status = state.accounts[0]?.status;
        if (person.account && status !== person.account.status) throw new Error(`seeded account of ${person.beneficiaryId} is ${status}, expected ${person.account.status}`);
        events += recorded.length;
        await store.appendToStream(beneficiaryStreamName(person.beneficiaryId), recorded.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }),
    );
  }
  return events;
}

export interface ExpectedDisbursement {
  readonly disbursementId: string;
  readonly beneficiaryId: string;
  readonly program: string;
  readonly period: string;
  readonly unitCode: string;
  readonly amount: number;
  readonly arrears: boolean;
  readonly channel: 'BANK' | 'CASH';
}

export interface ExpectedPayroll {
  /** By stream name: `disbursement-<uuidv5(beneficiary/program/period)>`. */
  readonly disbursements: Map<string, ExpectedDisbursement>;
  readonly arrears: number;
  readonly totalAmount: number;
  readonly skipped: Record<string, number>;
}

function levelIn(program: string, period: string): number {
  let level = 0;
  for (const [from, amount] of STANDARD_LEVELS[program]!) if (from <= period) level = amount;
  return level;
}

/** What a payroll run of `period` over every unit and program owes these people, worked out from the domain rules alone. */
export function expectedPayroll(people: Iterable<Person>, period = RUN_PERIOD): ExpectedPayroll {
  const disbursements = new Map<string, ExpectedDisbursement>();
  const skipped: Record<string, number> = {};
  let arrears = 0;
  let totalAmount = 0;
  for (const person of people) {
    for (const enrollment of person.enrollments) {
      const active = (month: string) => month >= enrollment.effectiveFrom && (!enrollment.suspendedFrom || month < enrollment.suspendedFrom);
      if (!active(period)) {
        const reason = period < enrollment.effectiveFrom ? 'NOT_STARTED' : 'SUSPENDED';
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      }
      for (let month = enrollment.effectiveFrom; month <= period; month = addMonths(month, 1)) {
        if (!active(month)) continue;
        const disbursementId = independentUuidV5(`${person.beneficiaryId}/${enrollment.program}/${month}`, DISBURSEMENT_NAMESPACE);
        // round(coefficient × standard level / 1000), half up, in integer đồng.
        const amount = Math.floor((enrollment.coefficient * levelIn(enrollment.program, month) + 500) / 1000);
        const isArrears = month !== period;
        disbursements.set(`disbursement-${disbursementId}`, {
          disbursementId,
          beneficiaryId: person.beneficiaryId,
          program: enrollment.program,
          period: month,
          unitCode: person.unitCode,
          amount,
          arrears: isArrears,
          channel: person.account?.status === 'VERIFIED' ? 'BANK' : 'CASH',
        });
        if (isArrears) arrears++;
        totalAmount += amount;
      }
    }
  }
  return { disbursements, arrears, totalAmount, skipped };
}
