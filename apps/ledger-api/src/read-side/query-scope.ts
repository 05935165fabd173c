import { ForbiddenException } from '@nestjs/common';
import { InvalidValue, type Catalogues } from '@ledger/domain';
import { problem, readsEveryUnit, type Actor } from '../platform/index.js';

/**
 * The units a query may return: the requested unit and everything below it, narrowed to the
 * caller's own units — every role's, not only an operator's. `undefined` means every unit. A unit
 * asked for by name outside the caller's units is refused (403): it names a unit, not a person.
 */
export function unitsToRead(actor: Actor, requestedUnit: string | undefined, catalogues: Catalogues): string[] | undefined {
  const requested = requestedUnit ? catalogues.units.unitsWithin([catalogues.units.get(requestedUnit).code]) : undefined;
  if (readsEveryUnit(actor)) return requested;
  const allowed = new Set(catalogues.units.unitsWithin(actor.units));
  if (requested && !requested.some((unit) => allowed.has(unit))) {
    throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', `Unit ${requestedUnit} is outside the units this ${actor.role} works in.`, { unitCode: requestedUnit }));
  }
  return requested ? requested.filter((unit) => allowed.has(unit)) : [...allowed];
}

export function programFilter(program: string | undefined, catalogues: Catalogues): string | undefined {
  if (program === undefined) return undefined;
  if (!catalogues.programs.codes().includes(program)) throw new InvalidValue('program', `Unknown program; known: ${catalogues.programs.codes().join(', ')}`);
  return program;
}

/** Lists page on the id of their last item: the cursor is that id, opaque to the caller. */
export const encodeCursor = (id: string | null) => (id === null ? null : Buffer.from(id, 'utf8').toString('base64url'));
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(decoded)) throw new InvalidValue('cursor', 'cursor is not one this API returned');
  return decoded;
}

/**
 * Reports and searches page on a sort key of several values (a report's unit and program, a
 * person's folded name and id…): the cursor is that key as JSON, opaque to the caller. A cursor is
 * checked value by value against what the key can hold before it reaches SQL, so a forged one is a
 * 400, never a database error.
 */
export type KeyShape = ReadonlyArray<(value: string) => boolean>;

const matching = (pattern: RegExp) => (value: string) => pattern.test(value);
const PERIOD = matching(/^\d{4}-\d{2}$/);
const CODE = matching(/^[0-9A-Za-z_.-]{1,40}$/);
const ID = matching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** A global position: a bigint of PostgreSQL and SQLite, 0 … 2^63 − 1. */
const POSITION = (value: string) => /^\d{1,19}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n;
/** A folded name: any text but control characters, as long as a full name may be. */
const FOLDED_NAME = matching(/^[^\p{Cc}]{1,200}$/u);

export const REPORT_KEYS = {
  coverage: [CODE, CODE],
  summary: [PERIOD, CODE, CODE, CODE],
  latePayments: [PERIOD, CODE, ID],
  duplicateAttempts: [POSITION],
  overpayments: [PERIOD, CODE, ID],
} as const satisfies Record<string, KeyShape>;

export const SEARCH_KEY: KeyShape = [FOLDED_NAME, ID];

export const encodeKeyCursor = (key: readonly string[] | null) => (key === null ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url'));

export function decodeKeyCursor(cursor: string | undefined, shape: KeyShape): string[] | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const fits = Array.isArray(key) && key.length === shape.length && key.every((value, index) => typeof value === 'string' && shape[index]!(value));
  if (!fits) throw new InvalidValue('cursor', 'cursor is not one this API returned');
  return key as string[];
}
