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

/**
 * May this actor change a record that exists and belongs to `unitCode`? Outside the actor's units
 * the refusal is `unknown()`, the very error an unknown id gets: it must not tell the caller that
 * the record exists elsewhere. Within them, the roles that only read are refused as ever (403).
 */
export function assertActorMayChangeRecordIn(actor: Actor, unitCode: string, units: UnitHierarchy, unknown: () => Error): void {
  if (!mayReadUnit(actor, unitCode, units)) throw unknown();
  assertActorMayActIn(actor, unitCode, units);
}

/**
 * May this actor see something that belongs to `unitCode`? Every role reads only within the units
 * of its token (`['*']` is every unit); admins read everything.
 */
export function mayReadUnit(actor: Actor, unitCode: string, units: UnitHierarchy): boolean {
  return actor.role === 'admin' || coversUnit(actor, unitCode, units);
}

/** Whether the actor reads every unit, so a query needs no unit filter of its own. */
export function readsEveryUnit(actor: Actor): boolean {
  return actor.role === 'admin' || actor.units.includes(EVERY_UNIT);
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
