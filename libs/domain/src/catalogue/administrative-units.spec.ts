import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from '../shared/domain-errors.js';
import { AdministrativeUnitCatalogue } from './administrative-units.js';

const shippedUnits: unknown = JSON.parse(readFileSync(new URL('../../../../config/administrative-units.json', import.meta.url), 'utf8'));

const KIEN_GIANG_DISTRICTS = ['899', '900', '902', '903', '904', '905', '906', '907', '908', '909', '910', '911', '912', '913', '914'];

/** Province 91 → district 899 → communes 30280, 30283; province 79 → district 760. */
const tree = AdministrativeUnitCatalogue.fromUnits([
  { code: '91', name: 'Tỉnh Kiên Giang', parentCode: null },
  { code: '899', name: 'Thành phố Rạch Giá', parentCode: '91' },
  { code: '30280', name: 'Phường Vĩnh Thanh Vân', parentCode: '899' },
  { code: '30283', name: 'Phường Vĩnh Thanh', parentCode: '899' },
  { code: '911', name: 'Thành phố Phú Quốc', parentCode: '91' },
  { code: '79', name: 'Thành phố Hồ Chí Minh', parentCode: null },
  { code: '760', name: 'Quận 1', parentCode: '79' },
]);

describe('when the shipped demo catalogue is loaded', () => {
  const catalogue = AdministrativeUnitCatalogue.fromUnits(shippedUnits);

  it('holds Kiên Giang and its 15 district-level units under it', () => {
    expect(catalogue.codes()).toEqual(['91', ...KIEN_GIANG_DISTRICTS]);
    expect(catalogue.get('91')).toEqual({ code: '91', name: 'Tỉnh Kiên Giang', parentCode: null });
    for (const code of KIEN_GIANG_DISTRICTS) expect(catalogue.get(code).parentCode).toBe('91');
  });

  it('names the units with their Vietnamese names', () => {
    expect(catalogue.get('899').name).toBe('Thành phố Rạch Giá');
    expect(catalogue.get('900').name).toBe('Thành phố Hà Tiên');
    expect(catalogue.get('911').name).toBe('Thành phố Phú Quốc');
    expect(catalogue.get('913').name).toBe('Huyện U Minh Thượng');
  });

  it('registers people in each district, never in the province', () => {
    for (const code of KIEN_GIANG_DISTRICTS) {
      expect(catalogue.isDistrictLevel(code)).toBe(true);
      expect(() => catalogue.assertRegistrable(code)).not.toThrow();
    }
    expect(catalogue.isDistrictLevel('91')).toBe(false);
    expect(() => catalogue.assertRegistrable('91')).toThrow(expect.objectContaining({ field: 'unitCode', message: expect.stringContaining('91 (Tỉnh Kiên Giang)') }));
  });

  it('lets a province scope see every district', () => {
    expect(catalogue.unitsWithin(['91'])).toEqual(['91', ...KIEN_GIANG_DISTRICTS]);
  });
});

describe('when looking a unit up', () => {
  it('finds a known unit', () => {
    expect(tree.has('899')).toBe(true);
    expect(tree.get('30280').parentCode).toBe('899');
  });

  it('refuses an unknown unit as an invalid unitCode', () => {
    expect(tree.has('901')).toBe(false);
    expect(() => tree.get('901')).toThrow(InvalidValue);
    expect(() => tree.get('901')).toThrow(expect.objectContaining({ field: 'unitCode', message: 'Unknown administrative unit 901' }));
  });

  it('does not echo input that is not even a unit code', () => {
    expect(() => tree.get('<b>x</b>')).toThrow(expect.objectContaining({ message: 'Unknown administrative unit' }));
  });
});

describe('when registering someone in a unit', () => {
  it('accepts a unit with no unit below it', () => {
    expect(tree.isDistrictLevel('30280')).toBe(true);
    expect(tree.isDistrictLevel('911')).toBe(true);
    expect(tree.isDistrictLevel('760')).toBe(true);
    expect(() => tree.assertRegistrable('30283')).not.toThrow();
    expect(() => tree.assertRegistrable('911')).not.toThrow();
  });

  it('refuses a unit with units below it as an invalid unitCode', () => {
    expect(tree.isDistrictLevel('91')).toBe(false);
    expect(tree.isDistrictLevel('899')).toBe(false);
    expect(() => tree.assertRegistrable('91')).toThrow(InvalidValue);
    expect(() => tree.assertRegistrable('899')).toThrow(expect.objectContaining({ field: 'unitCode', message: expect.stringContaining('has units below it') }));
  });

  it('names the field it was given, for a relocation’s new unit', () => {
    expect(() => tree.assertRegistrable('79', 'toUnitCode')).toThrow(expect.objectContaining({ field: 'toUnitCode' }));
    expect(() => tree.assertRegistrable('901', 'toUnitCode')).toThrow(expect.objectContaining({ field: 'toUnitCode', message: 'Unknown administrative unit 901' }));
  });

  it('refuses an unknown unit, which is at no level', () => {
    expect(tree.isDistrictLevel('901')).toBe(false);
    expect(() => tree.assertRegistrable('901')).toThrow(expect.objectContaining({ field: 'unitCode', message: 'Unknown administrative unit 901' }));
  });
});

describe('when checking an operator’s scope', () => {
  it('covers the unit itself', () => {
    expect(tree.isWithinScope('899', ['899'])).toBe(true);
  });

  it('covers every unit below it, transitively', () => {
    expect(tree.isWithinScope('30280', ['899'])).toBe(true);
    expect(tree.isWithinScope('30280', ['91'])).toBe(true);
    expect(tree.isWithinScope('911', ['91'])).toBe(true);
  });

  it('does not cover a unit above it or beside it', () => {
    expect(tree.isWithinScope('91', ['899'])).toBe(false);
    expect(tree.isWithinScope('911', ['899'])).toBe(false);
    expect(tree.isWithinScope('30283', ['30280'])).toBe(false);
    expect(tree.isWithinScope('760', ['91'])).toBe(false);
  });

  it('covers what any of its units covers', () => {
    expect(tree.isWithinScope('760', ['899', '79'])).toBe(true);
    expect(tree.unitsWithin(['899', '760'])).toEqual(['899', '30280', '30283', '760']);
  });

  it('covers everything with *', () => {
    expect(tree.isWithinScope('760', ['*'])).toBe(true);
    expect(tree.unitsWithin(['*'])).toEqual(tree.codes());
  });

  it('covers nothing when empty', () => {
    expect(tree.isWithinScope('899', [])).toBe(false);
    expect(tree.unitsWithin([])).toEqual([]);
  });

  it('covers no unknown unit, not even with *', () => {
    expect(tree.isWithinScope('901', ['*'])).toBe(false);
    expect(tree.isWithinScope('901', ['901'])).toBe(false);
  });
});

describe('when the catalogue is bad', () => {
  const unit = (code: string, parentCode: string | null) => ({ code, name: `Unit ${code}`, parentCode });
  const refused = (units: unknown, reason: RegExp) => {
    expect(() => AdministrativeUnitCatalogue.fromUnits(units)).toThrow(reason);
  };

  it('refuses anything but a non-empty array', () => {
    refused([], /non-empty array/);
    refused({ units: [] }, /non-empty array/);
  });

  it('refuses a repeated code', () => {
    refused([unit('91', null), unit('91', null)], /repeats the code 91/);
  });

  it('refuses a parent that is not in the catalogue', () => {
    refused([unit('91', null), unit('899', '92')], /unit 899 names a parent 92 that is not in the catalogue/);
  });

  it('refuses a cycle of parents, including a unit that is its own parent', () => {
    refused([unit('91', null), unit('1', '2'), unit('2', '3'), unit('3', '1')], /form a cycle/);
    refused([unit('5', '5')], /form a cycle/);
  });

  it('refuses a unit without a name, a bad code, a missing parentCode or an unknown field', () => {
    refused([{ code: '91', name: '', parentCode: null }], /name must be/);
    refused([unit('*', null)], /code must be/);
    refused([{ code: '91', name: 'Kiên Giang' }], /parentCode must be/);
    refused([{ ...unit('91', null), level: 'province' }], /unknown field "level"/);
  });
});
