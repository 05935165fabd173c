import { parseCoefficient, type Coefficient } from '../shared/coefficient.js';
import { InvalidValue } from '../shared/domain-errors.js';
import { compareLocalDates, type LocalDate } from '../shared/local-date.js';
import type { Vnd } from '../shared/money.js';
import { comparePeriods, dueDate, nextPeriod, parsePeriod, periodOfDate, type Period } from '../shared/period.js';

export type ProgramRecurrence = 'MONTHLY' | 'ONE_OFF';

/** One step of a program's standard-level schedule: in force from `effectiveFrom` until the next step. */
export interface StandardLevelEntry {
  readonly effectiveFrom: string; // a Period
  readonly amount: number; // VND
  /** Where the level comes from, e.g. the decree; for people reading the configuration. */
  readonly source?: string;
}

/** The coefficients, in thousandths and inclusive, an enrollment in a program may carry. */
export interface CoefficientRange {
  readonly min: number;
  readonly max: number;
}

/** A program as configured: what it pays, from when, and on which day of the month. */
export interface ProgramDefinition {
  readonly code: string;
  readonly name: string;
  readonly recurrence: ProgramRecurrence;
  readonly dueDay: number;
  readonly standardLevels: readonly StandardLevelEntry[];
  /** ONE_OFF only: the single period it pays. */
  readonly period?: string;
  /** Always present once loaded: DEFAULT_COEFFICIENT_RANGE when the configuration names none. */
  readonly coefficientRange: CoefficientRange;
}

/**
 * 0.5 to 5.0 times the standard level: the span the decrees' coefficients fall in, so that a
 * coefficient typed as 15000 instead of 1500 is refused rather than paid ten times over.
 */
export const DEFAULT_COEFFICIENT_RANGE: CoefficientRange = Object.freeze({ min: 500, max: 5_000 });

const PROGRAM_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
const PROGRAM_KEYS = new Set(['code', 'name', 'recurrence', 'dueDay', 'standardLevels', 'period', 'coefficientRange']);
const LEVEL_KEYS = new Set(['effectiveFrom', 'amount', 'source']);
const RANGE_KEYS = new Set(['min', 'max']);

/**
 * The programs a province pays, loaded from configuration: a new decree or a New Year gift is a
 * configuration change, not a release. Bad configuration stops startup with a plain Error, since
 * no request caused it.
 */
export class ProgramCatalogue {
  private constructor(private readonly programs: ReadonlyMap<string, ProgramDefinition>) {}

  static fromDefinitions(definitions: unknown): ProgramCatalogue {
    if (!Array.isArray(definitions) || definitions.length === 0) {
      throw new Error('Program configuration must be a non-empty array of program definitions');
    }
    const programs = new Map<string, ProgramDefinition>();
    definitions.forEach((raw, index) => {
      const program = programDefinition(raw, `programs[${index}]`);
      if (programs.has(program.code)) {
        throw new Error(`Program configuration: programs[${index}] repeats the code ${program.code}`);
      }
      programs.set(program.code, program);
    });
    return new ProgramCatalogue(programs);
  }

  codes(): string[] {
    return [...this.programs.keys()];
  }

  get(code: string): ProgramDefinition {
    const program = this.programs.get(code);
    if (program) return program;
    // Echo the code only when it looks like one: the input might be anything a client sent.
    const shown = PROGRAM_CODE.test(code) ? `Unknown program ${code}` : 'Unknown program';
    throw new InvalidValue('program', `${shown}; known: ${this.codes().join(', ')}`);
  }

  /**
   * The standard level a payment for `period` is computed from: the latest schedule step in force.
   * Undefined when the program pays nothing in that period (before its first step, or any period
   * but its own for a ONE_OFF program), so nobody can compute an amount that is never due.
   */
  standardLevelIn(code: string, period: Period): Vnd | undefined {
    const program = this.get(code);
    if (program.recurrence === 'ONE_OFF' && program.period !== period) return undefined;
    return levelInForce(program.standardLevels, period);
  }

  dueDateOf(code: string, period: Period): LocalDate {
    return dueDate(period, this.get(code).dueDay);
  }

  /**
   * When a month paid late as arrears is due: on the program's due day of the first month whose
   * due day falls on or after `decidedOn`, the date of the decision that made the month owed —
   * never earlier than the month's own due date. A payment cannot be late for a month before
   * anyone decided it was owed, so reports count as late what the payment system delayed, not
   * what the decision delayed.
   */
  arrearsDueDateOf(code: string, period: Period, decidedOn: LocalDate): LocalDate {
    const own = this.dueDateOf(code, period);
    const inDecisionMonth = this.dueDateOf(code, periodOfDate(decidedOn));
    const afterDecision = compareLocalDates(inDecisionMonth, decidedOn) >= 0 ? inDecisionMonth : this.dueDateOf(code, nextPeriod(periodOfDate(decidedOn)));
    return compareLocalDates(afterDecision, own) > 0 ? afterDecision : own;
  }

  /**
   * CoefficientMustLieInTheProgramsRange: the coefficient of an enrollment in `code`, refused as
   * invalid input (400) outside the program's configured range.
   */
  parseCoefficientFor(code: string, raw: unknown, field = 'coefficient'): Coefficient {
    const { min, max } = this.get(code).coefficientRange;
    const coefficient = parseCoefficient(raw, field);
    if (coefficient < min || coefficient > max) {
      throw new InvalidValue(field, `${field} for ${code} must be from ${min} to ${max} thousandths (${min / 1000}–${max / 1000} times the standard level)`);
    }
    return coefficient;
  }

  paysIn(code: string, period: Period): boolean {
    return this.standardLevelIn(code, period) !== undefined;
  }
}

function levelInForce(levels: readonly StandardLevelEntry[], period: string): Vnd | undefined {
  let amount: Vnd | undefined;
  for (const level of levels) {
    if (level.effectiveFrom > period) break; // the schedule is validated ascending
    amount = level.amount;
  }
  return amount;
}

function programDefinition(raw: unknown, position: string): ProgramDefinition {
  let where = position;
  const fail = (rule: string): never => {
    throw new Error(`Program configuration: ${where}: ${rule}`);
  };
  if (!isRecord(raw)) return fail('must be an object');
  const unknownKey = Object.keys(raw).find((key) => !PROGRAM_KEYS.has(key));
  if (unknownKey !== undefined) fail(`has an unknown field ${JSON.stringify(unknownKey)}`);

  const { code, name, recurrence, dueDay, standardLevels, period, coefficientRange } = raw;
  if (typeof code !== 'string' || !PROGRAM_CODE.test(code)) {
    fail('code must be 2–40 upper-case letters, digits or underscores, starting with a letter');
  }
  where = `${position} (${code as string})`; // later messages name the program
  if (typeof name !== 'string' || name.trim().length === 0) fail('name must be a non-empty string');
  if (recurrence !== 'MONTHLY' && recurrence !== 'ONE_OFF') fail('recurrence must be MONTHLY or ONE_OFF');
  if (typeof dueDay !== 'number' || !Number.isInteger(dueDay) || dueDay < 1 || dueDay > 31) {
    fail('dueDay must be a whole day of the month, 1–31');
  }
  const levels = standardLevelSchedule(standardLevels, fail);

  let onlyPeriod: Period | undefined;
  if (recurrence === 'ONE_OFF') {
    if (period === undefined) fail('a ONE_OFF program must name the period it pays');
    onlyPeriod = asPeriod(period, 'period', fail);
    if (levelInForce(levels, onlyPeriod) === undefined) {
      fail(`pays in ${onlyPeriod}, but no standard level is in force then`);
    }
  } else if (period !== undefined) {
    fail('only a ONE_OFF program has a period; a MONTHLY one pays every month its schedule covers');
  }
  const range = coefficientRange === undefined ? DEFAULT_COEFFICIENT_RANGE : coefficientRangeOf(coefficientRange, fail);

  return Object.freeze({
    code: code as string,
    name: (name as string).trim(),
    recurrence: recurrence as ProgramRecurrence,
    dueDay: dueDay as number,
    standardLevels: levels,
    ...(onlyPeriod === undefined ? {} : { period: onlyPeriod }),
    coefficientRange: range,
  });
}

function coefficientRangeOf(raw: unknown, fail: (rule: string) => never): CoefficientRange {
  if (!isRecord(raw)) return fail('coefficientRange must be an object { min, max }');
  const unknownKey = Object.keys(raw).find((key) => !RANGE_KEYS.has(key));
  if (unknownKey !== undefined) fail(`coefficientRange has an unknown field ${JSON.stringify(unknownKey)}`);
  const bound = (value: unknown, name: string): number => {
    // Within what any coefficient may be, so the range never admits one parseCoefficient refuses.
    try {
      return parseCoefficient(value, `coefficientRange.${name}`);
    } catch (error) {
      return fail(error instanceof InvalidValue ? error.message : `coefficientRange.${name} is not a coefficient`);
    }
  };
  const min = bound(raw.min, 'min');
  const max = bound(raw.max, 'max');
  if (min > max) fail(`coefficientRange.min (${min}) must not exceed coefficientRange.max (${max})`);
  return Object.freeze({ min, max });
}

function standardLevelSchedule(raw: unknown, fail: (rule: string) => never): readonly StandardLevelEntry[] {
  if (!Array.isArray(raw) || raw.length === 0) return fail('standardLevels must be a non-empty array');
  const levels = raw.map((entry: unknown, index): StandardLevelEntry => {
    const at = `standardLevels[${index}]`;
    if (!isRecord(entry)) return fail(`${at} must be an object`);
    const unknownKey = Object.keys(entry).find((key) => !LEVEL_KEYS.has(key));
    if (unknownKey !== undefined) fail(`${at} has an unknown field ${JSON.stringify(unknownKey)}`);
    const effectiveFrom = asPeriod(entry.effectiveFrom, `${at}.effectiveFrom`, fail);
    const { amount, source } = entry;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      fail(`${at}.amount must be a positive whole number of đồng`);
    }
    if (source !== undefined && typeof source !== 'string') fail(`${at}.source must be a string when given`);
    return Object.freeze({
      effectiveFrom,
      amount: amount as number,
      ...(source === undefined ? {} : { source: source as string }),
    });
  });
  levels.reduce((previous, level) => {
    // Strictly ascending: two steps in one month would leave the level in force ambiguous.
    if (comparePeriods(previous.effectiveFrom as Period, level.effectiveFrom as Period) >= 0) {
      fail(`standardLevels must be in strictly ascending order of effectiveFrom (${level.effectiveFrom} follows ${previous.effectiveFrom})`);
    }
    return level;
  });
  return Object.freeze(levels);
}

function asPeriod(raw: unknown, field: string, fail: (rule: string) => never): Period {
  try {
    return parsePeriod(raw, field);
  } catch (error) {
    return fail(error instanceof InvalidValue ? error.message : `${field} is not a period`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
