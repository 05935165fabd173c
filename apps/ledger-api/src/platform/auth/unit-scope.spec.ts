import { describe, expect, it } from '@jest/globals';
import { ForbiddenException } from '@nestjs/common';
import type { Actor, Role } from './actor.js';
import { assertActorMayActIn, assertActorMayChangeRecordIn, mayReadUnit, readsEveryUnit, type UnitHierarchy } from './unit-scope.js';

// Province 89 holds districts 899 and 900; 899 holds commune 89901.
const parents: Record<string, string | null> = { '89': null, '899': '89', '900': '89', '89901': '899' };
const units: UnitHierarchy = {
  isWithinScope(unitCode, scope) {
    for (let code: string | null | undefined = unitCode; code; code = parents[code]) if (scope.includes(code)) return true;
    return false;
  },
};
const actor = (role: Role, scope: string[]): Actor => ({ userId: 'u', role, units: scope });
class UnknownRecord extends Error {}
const unknown = () => new UnknownRecord('No record with this id');

function refusalOf(act: () => void) {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ForbiddenException);
    return (error as ForbiddenException).getResponse();
  }
  throw new Error('expected a refusal');
}

describe('unit scope', () => {
  describe('when the actor is an operator', () => {
    const operator = actor('operator', ['899']);

    it('acts in their own unit and the units below it', () => {
      expect(() => assertActorMayActIn(operator, '899', units)).not.toThrow();
      expect(() => assertActorMayActIn(operator, '89901', units)).not.toThrow();
    });

    it('may not act in a sibling or a parent unit', () => {
      expect(refusalOf(() => assertActorMayActIn(operator, '900', units))).toMatchObject({ status: 403, type: '/problems/unit-out-of-scope', code: 'UNIT_OUT_OF_SCOPE' });
      expect(() => assertActorMayActIn(operator, '89', units)).toThrow(ForbiddenException);
    });

    it('reads only within their units', () => {
      expect(mayReadUnit(operator, '89901', units)).toBe(true);
      expect(mayReadUnit(operator, '900', units)).toBe(false);
    });

    it('changes records of their units, and finds none elsewhere: a record of another unit is refused as an unknown one is', () => {
      expect(() => assertActorMayChangeRecordIn(operator, '89901', units, unknown)).not.toThrow();
      expect(() => assertActorMayChangeRecordIn(operator, '900', units, unknown)).toThrow(UnknownRecord);
    });

    it('acts everywhere with ["*"]', () => {
      expect(() => assertActorMayActIn(actor('operator', ['*']), '900', units)).not.toThrow();
      expect(mayReadUnit(actor('operator', ['*']), '900', units)).toBe(true);
    });
  });

  describe.each(['auditor', 'reporter'] as const)('when the actor is a %s', (role) => {
    it('reads only within their units and the units below them', () => {
      expect(mayReadUnit(actor(role, ['899']), '899', units)).toBe(true);
      expect(mayReadUnit(actor(role, ['899']), '89901', units)).toBe(true);
      expect(mayReadUnit(actor(role, ['899']), '900', units)).toBe(false);
      expect(mayReadUnit(actor(role, ['899']), '89', units)).toBe(false);
      expect(readsEveryUnit(actor(role, ['899']))).toBe(false);
    });

    it('reads nothing with an empty units claim', () => {
      expect(mayReadUnit(actor(role, []), '900', units)).toBe(false);
    });

    it('reads every unit with ["*"]', () => {
      expect(mayReadUnit(actor(role, ['*']), '900', units)).toBe(true);
      expect(readsEveryUnit(actor(role, ['*']))).toBe(true);
    });

    it('never changes anything, even within their units', () => {
      expect(refusalOf(() => assertActorMayActIn(actor(role, ['*']), '899', units))).toMatchObject({ status: 403, type: '/problems/role-may-not-change' });
      expect(refusalOf(() => assertActorMayChangeRecordIn(actor(role, ['*']), '899', units, unknown))).toMatchObject({ status: 403, code: 'ROLE_MAY_NOT_CHANGE' });
      expect(() => assertActorMayChangeRecordIn(actor(role, ['899']), '900', units, unknown)).toThrow(UnknownRecord);
    });
  });

  describe('when the actor is an admin', () => {
    it('acts and reads everywhere', () => {
      expect(() => assertActorMayActIn(actor('admin', []), '900', units)).not.toThrow();
      expect(mayReadUnit(actor('admin', []), '900', units)).toBe(true);
      expect(() => assertActorMayChangeRecordIn(actor('admin', []), '900', units, unknown)).not.toThrow();
      expect(readsEveryUnit(actor('admin', []))).toBe(true);
    });
  });
});
