import { InvalidValue } from '../shared/domain-errors.js';

/** A province, district or commune, as reference data: code, name and the unit it belongs to. */
export interface AdministrativeUnit {
  readonly code: string;
  readonly name: string;
  /** null for a top-level unit (a province). */
  readonly parentCode: string | null;
}

/** A scope entry that covers every unit in the catalogue. */
const EVERY_UNIT = '*';
const UNIT_CODE = /^[0-9A-Z][0-9A-Z_-]{0,19}$/;
const UNIT_KEYS = new Set(['code', 'name', 'parentCode']);

/**
 * The administrative units the ledger knows, as a tree. An operator's scope is a set of unit codes
 * and covers those units and everything below them: a province officer sees every district.
 */
export class AdministrativeUnitCatalogue {
  /** Units some other unit names as its parent. */
  private readonly withUnitsBelow: ReadonlySet<string>;

  private constructor(private readonly units: ReadonlyMap<string, AdministrativeUnit>) {
    this.withUnitsBelow = new Set([...units.values()].flatMap((unit) => (unit.parentCode === null ? [] : [unit.parentCode])));
  }

  static fromUnits(units: unknown): AdministrativeUnitCatalogue {
    if (!Array.isArray(units) || units.length === 0) {
      throw new Error('Administrative unit catalogue must be a non-empty array of units');
    }
    const byCode = new Map<string, AdministrativeUnit>();
    units.forEach((raw, index) => {
      const unit = administrativeUnit(raw, `units[${index}]`);
      if (byCode.has(unit.code)) throw new Error(`Administrative unit catalogue: units[${index}] repeats the code ${unit.code}`);
      byCode.set(unit.code, unit);
    });
    for (const unit of byCode.values()) {
      if (unit.parentCode !== null && !byCode.has(unit.parentCode)) {
        throw new Error(`Administrative unit catalogue: unit ${unit.code} names a parent ${unit.parentCode} that is not in the catalogue`);
      }
    }
    assertNoCycles(byCode);
    return new AdministrativeUnitCatalogue(byCode);
  }

  get(code: string, field = 'unitCode'): AdministrativeUnit {
    const unit = this.units.get(code);
    if (unit) return unit;
    const shown = UNIT_CODE.test(code) ? ` ${code}` : '';
    throw new InvalidValue(field, `Unknown administrative unit${shown}`);
  }

  has(code: string): boolean {
    return this.units.has(code);
  }

  codes(): string[] {
    return [...this.units.keys()];
  }

  /**
   * Whether `scope` covers `unitCode`: the unit itself or one of its ancestors is in the scope, or
   * the scope is everything. An unknown unit is covered by no scope, so a typo denies rather than
   * grants.
   */
  isWithinScope(unitCode: string, scope: readonly string[]): boolean {
    if (!this.units.has(unitCode)) return false;
    if (scope.includes(EVERY_UNIT)) return true;
    for (let code: string | null = unitCode; code !== null; code = this.units.get(code)!.parentCode) {
      if (scope.includes(code)) return true;
    }
    return false;
  }

  /**
   * Whether people can be registered in `code`: a known unit with no unit below it — the district
   * level in the shipped catalogue (it would be the commune, should a catalogue list communes).
   */
  isDistrictLevel(code: string): boolean {
    return this.units.has(code) && !this.withUnitsBelow.has(code);
  }

  /**
   * PeopleAreRegisteredAtTheDistrictLevel. A person registered in a province would sit in no
   * district's lists and payroll runs, out of sight of every district officer; so registering,
   * enrolling or relocating someone into a unit that has units below it is refused as an invalid
   * unitCode, as is an unknown unit.
   */
  assertRegistrable(code: string, field = 'unitCode'): void {
    const unit = this.get(code, field);
    if (this.withUnitsBelow.has(unit.code)) {
      throw new InvalidValue(field, `People are registered in a district-level unit, not in ${unit.code} (${unit.name}), which has units below it`);
    }
  }

  /** Every unit `scope` covers, in catalogue order. */
  unitsWithin(scope: readonly string[]): string[] {
    return this.codes().filter((code) => this.isWithinScope(code, scope));
  }
}

function administrativeUnit(raw: unknown, at: string): AdministrativeUnit {
  const fail = (rule: string): never => {
    throw new Error(`Administrative unit catalogue: ${at}: ${rule}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must be an object');
  const unit = raw as Record<string, unknown>;
  const unknownKey = Object.keys(unit).find((key) => !UNIT_KEYS.has(key));
  if (unknownKey !== undefined) fail(`has an unknown field ${JSON.stringify(unknownKey)}`);
  const { code, name, parentCode } = unit;
  if (typeof code !== 'string' || !UNIT_CODE.test(code)) {
    fail('code must be 1–20 upper-case letters, digits, hyphens or underscores');
  }
  if (typeof name !== 'string' || name.trim().length === 0) fail('name must be a non-empty string');
  if (parentCode !== null && typeof parentCode !== 'string') fail('parentCode must be a unit code or null');
  return Object.freeze({ code: code as string, name: (name as string).trim(), parentCode: parentCode as string | null });
}

/** Walking up from any unit must reach a top-level unit; a loop would make scope checks spin forever. */
function assertNoCycles(units: ReadonlyMap<string, AdministrativeUnit>): void {
  const reachesTop = new Set<string>();
  for (const start of units.keys()) {
    const path = new Set<string>();
    for (let code: string | null = start; code !== null && !reachesTop.has(code); code = units.get(code)!.parentCode) {
      if (path.has(code)) {
        throw new Error(`Administrative unit catalogue: units ${[...path].join(' → ')} → ${code} form a cycle of parents`);
      }
      path.add(code);
    }
    path.forEach((code) => reachesTop.add(code));
  }
}
