import { ForbiddenException } from '@nestjs/common';
import { InvalidValue, type Catalogues } from '@ledger/domain';
import { EVERY_UNIT, problem, type Actor } from '../platform/index.js';

/**
 * The units a query may return: the requested unit and everything below it, narrowed to the
 * operator's own units. `undefined` means every unit.
 */
export function unitsToRead(actor: Actor, requestedUnit: string | undefined, catalogues: Catalogues): string[] | undefined {
  const requested = requestedUnit ? catalogues.units.unitsWithin([catalogues.units.get(requestedUnit).code]) : undefined;
  if (actor.role !== 'operator' || actor.units.includes(EVERY_UNIT)) return requested;
  const allowed = new Set(catalogues.units.unitsWithin(actor.units));
  if (requested && !requested.some((unit) => allowed.has(unit))) {
    throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', `Unit ${requestedUnit} is outside the units this operator works in.`, { unitCode: requestedUnit }));
  }
  return requested ? requested.filter((unit) => allowed.has(unit)) : [...allowed];
}

export function programFilter(program: string | undefined, catalogues: Catalogues): string | undefined {
  if (program === undefined) return undefined;
  if (!catalogues.programs.codes().includes(program)) throw new InvalidValue('program', `Unknown program; known: ${catalogues.programs.codes().join(', ')}`);
  return program;
}

export const encodeCursor = (id: string | null) => (id === null ? null : Buffer.from(id, 'utf8').toString('base64url'));
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(decoded)) throw new InvalidValue('cursor', 'cursor is not one this API returned');
  return decoded;
}
