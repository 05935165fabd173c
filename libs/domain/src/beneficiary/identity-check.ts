import { InvalidValue, parseLocalDate, type LocalDate } from '../shared/index.js';

/**
 * The population database's answers (Project 06, the national population database) about the
 * people a unit sent it: the person as registered, registered with other details, or dead.
 */
export const IDENTITY_CHECK_OUTCOMES = ['MATCHED', 'MISMATCHED', 'DECEASED'] as const;
export type IdentityCheckOutcome = (typeof IDENTITY_CHECK_OUTCOMES)[number];

/** The fields of the request file a MISMATCHED answer may name, in the order an answer lists them. */
export const IDENTITY_CHECK_FIELDS = ['nationalId', 'fullName', 'dateOfBirth', 'gender'] as const;
export type IdentityCheckField = (typeof IDENTITY_CHECK_FIELDS)[number];

/** One person's answer, as the import reads it from a line of the answer file. */
export type IdentityCheckAnswer =
  | { readonly outcome: 'MATCHED' }
  | { readonly outcome: 'MISMATCHED'; readonly mismatchedFields: readonly IdentityCheckField[] }
  | { readonly outcome: 'DECEASED'; readonly dateOfDeath: LocalDate };

/**
 * Where an answer came from: the import of the answer file (its id, e.g. the file's hash) and the
 * line. Nothing else of the file is kept with the answer: the line already says who it is about.
 */
export interface IdentityCheckSource {
  readonly importId: string;
  readonly line: number;
}

const MAX_IMPORT_ID_LENGTH = 128;
const IMPORT_ID = /^[\x21-\x7e]+$/;

/** An import id: printable ASCII without spaces (an id or a hash), so that it can be a key and be shown as is. */
export function parseImportId(raw: unknown): string {
  if (typeof raw !== 'string' || !IMPORT_ID.test(raw) || raw.length > MAX_IMPORT_ID_LENGTH) {
    throw new InvalidValue('importId', `importId must be 1–${MAX_IMPORT_ID_LENGTH} printable characters without spaces`);
  }
  return raw;
}

/** A line number of the answer file: a whole number from 1. */
export function parseLineNumber(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) throw new InvalidValue('line', 'line must be a whole number from 1');
  return raw;
}

/**
 * An answer as the import reads it: one of the three outcomes; a MISMATCHED answer names at least
 * one field of the request file, each once (listed back in the request file's order, so the same
 * answer always reads the same); a DECEASED one a calendar date of death. Whether that date is
 * possible for this person (not in the future, not before birth) is the beneficiary's rule.
 * Refusals never repeat a value: the line is personal data.
 */
export function parseIdentityCheckAnswer(raw: unknown): IdentityCheckAnswer {
  const answer = (raw ?? {}) as { outcome?: unknown; mismatchedFields?: unknown; dateOfDeath?: unknown };
  switch (answer.outcome) {
    case 'MATCHED':
      return { outcome: 'MATCHED' };
    case 'MISMATCHED':
      return { outcome: 'MISMATCHED', mismatchedFields: parseMismatchedFields(answer.mismatchedFields) };
    case 'DECEASED':
      return { outcome: 'DECEASED', dateOfDeath: parseLocalDate(answer.dateOfDeath, 'dateOfDeath') };
    default:
      throw new InvalidValue('outcome', `outcome must be one of ${IDENTITY_CHECK_OUTCOMES.join(', ')}`);
  }
}

function parseMismatchedFields(raw: unknown): IdentityCheckField[] {
  const field = 'mismatchedFields';
  if (!Array.isArray(raw) || raw.length === 0) throw new InvalidValue(field, `${field} must name at least one of ${IDENTITY_CHECK_FIELDS.join(', ')}`);
  const named = new Set<unknown>(raw);
  if (named.size !== raw.length) throw new InvalidValue(field, `${field} must name each field once`);
  for (const name of named) {
    if (!(IDENTITY_CHECK_FIELDS as readonly unknown[]).includes(name)) throw new InvalidValue(field, `${field} may name only ${IDENTITY_CHECK_FIELDS.join(', ')}`);
  }
  return IDENTITY_CHECK_FIELDS.filter((name) => named.has(name));
}

/** Two answers are the same answer when they say the same thing, whatever order the fields came in. */
export function sameIdentityCheckAnswer(a: IdentityCheckAnswer, b: IdentityCheckAnswer): boolean {
  return fingerprintOf(a) === fingerprintOf(b);
}

/** A short, stable spelling of an answer, to recognise the same answer for the same import line again. */
export function fingerprintOf(answer: IdentityCheckAnswer): string {
  switch (answer.outcome) {
    case 'MATCHED':
      return 'MATCHED';
    case 'MISMATCHED':
      return `MISMATCHED:${IDENTITY_CHECK_FIELDS.filter((name) => answer.mismatchedFields.includes(name)).join(',')}`;
    case 'DECEASED':
      return `DECEASED:${answer.dateOfDeath}`;
  }
}

/** The key an answer is remembered under on the beneficiary: its import and line. */
export const identityCheckSourceKey = ({ importId, line }: IdentityCheckSource) => `${importId}#${line}`;
