import { currentCatalogue } from './catalogue.js';

/** A unit's name and code, `Thành phố Rạch Giá (899)`; a unit the catalogue does not name is shown by its code. */
export function unitName(code: string | null | undefined): string {
  if (!code) return '—';
  const name = currentCatalogue().units.find((unit) => unit.code === code)?.name;
  return name ? `${name} (${code})` : code;
}

/** Just the name, for tables and charts' axes: `Rạch Giá` for `Thành phố Rạch Giá`. */
export function shortUnitName(code: string): string {
  const name = currentCatalogue().units.find((unit) => unit.code === code)?.name ?? code;
  return name.replace(/^(Tỉnh|Thành phố|Huyện|Thị xã|Quận|Phường|Xã|Thị trấn) /, '');
}

/** The district-level units (children of a province): where a person may be enrolled or relocated. */
export function districtUnits(): string[] {
  const { units } = currentCatalogue();
  const provinces = new Set(units.filter((unit) => unit.parentCode === null).map((unit) => unit.code));
  return units.filter((unit) => unit.parentCode !== null && provinces.has(unit.parentCode)).map((unit) => unit.code);
}

/** Whether `code` lies within one of `units` (a unit covers the units below it; `*` is every unit), as the API scopes a token. */
export function isWithin(code: string, units: readonly string[]): boolean {
  if (units.includes('*')) return true;
  const parents = new Map(currentCatalogue().units.map((unit) => [unit.code, unit.parentCode]));
  for (let current: string | null | undefined = code; current; current = parents.get(current)) {
    if (units.includes(current)) return true;
  }
  return false;
}
