import { ForbiddenException } from '@nestjs/common';
import { problem } from '../problems/problem-details.js';
import { EVERY_UNIT, type Actor } from './actor.js';

/** The part of the administrative-unit catalogue scoping needs: is a unit inside (or below) one of these? */
export interface UnitHierarchy {
  isWithinScope(unitCode: string, scope: readonly string[]): boolean;
}

/**
 * May this actor change something that belongs to `unitCode`? Operators act only within their units
 * (which cover the units below them); auditors and reporters change nothing; admins do all.
 * Called by handlers, because a beneficiary's unit is known only once it is loaded.
 */
export function assertActorMayActIn(actor: Actor, unitCode: string, units: UnitHierarchy): void {
  switch (actor.role) {
    case 'admin':
      return;
    case 'auditor':
    case 'reporter':
      throw forbidden('ROLE_MAY_NOT_CHANGE', `The ${actor.role} role reads the ledger but never changes it.`, { role: actor.role });
    case 'operator':
      if (coversUnit(actor, unitCode, units)) return;
      throw forbidden('UNIT_OUT_OF_SCOPE', `Unit ${unitCode} is outside the units this operator works in.`, { unitCode });
    default:
      return assertNever(actor.role);
  }
}

/** May this actor see something that belongs to `unitCode`? Everyone but an operator reads everything. */
export function mayReadUnit(actor: Actor, unitCode: string, units: UnitHierarchy): boolean {
  return actor.role !== 'operator' || coversUnit(actor, unitCode, units);
}

function coversUnit(actor: Actor, unitCode: string, units: UnitHierarchy): boolean {
  return actor.units.includes(EVERY_UNIT) || units.isWithinScope(unitCode, actor.units);
}

function forbidden(code: string, detail: string, extensions: Record<string, unknown>): ForbiddenException {
  return new ForbiddenException(problem(403, code, detail, extensions));
}

function assertNever(role: never): never {
  throw new Error(`Unknown role ${String(role)}`);
}
