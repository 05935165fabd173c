import { InvalidValue } from '../shared/domain-errors.js';
import type { LocalDate } from '../shared/local-date.js';
import type { Vnd } from '../shared/money.js';
import { comparePeriods, dueDate, parsePeriod, type Period } from '../shared/period.js';

export type ProgramRecurrence = 'MONTHLY' | 'ONE_OFF';

/** One step of a program's standard-level schedule: in force from `effectiveFrom` until the next step. */
export interface StandardLevelEntry {
  readonly effectiveFrom: string; // a Period
  readonly amount: number; // VND
  /** Where the level comes from, e.g. the decree; for people reading the configuration. */
  readonly source?: string;
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
}

const PROGRAM_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
const PROGRAM_KEYS = new Set(['code', 'name', 'recurrence', 'dueDay', 'standardLevels', 'period']);
const LEVEL_KEYS = new Set(['effectiveFrom', 'amount', 'source']);

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

  const { code, name, recurrence, dueDay, standardLevels, period } = raw;
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

  return Object.freeze({
    code: code as string,
    name: (name as string).trim(),
    recurrence: recurrence as ProgramRecurrence,
    dueDay: dueDay as number,
    standardLevels: levels,
    ...(onlyPeriod === undefined ? {} : { period: onlyPeriod }),
  });
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
