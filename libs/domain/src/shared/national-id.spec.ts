import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from './domain-errors.js';
import { parseLocalDate } from './local-date.js';
import {
  BENEFICIARY_NAMESPACE,
  legacyBeneficiaryIdFor,
  maskNationalId,
  parseNationalId,
  PROVINCE_CODES,
  uuidV5,
  type Gender,
} from './national-id.js';

const born = (dateOfBirth: string, gender: Gender) => ({ dateOfBirth: parseLocalDate(dateOfBirth, 'dateOfBirth'), gender });
const taiBorn1952 = born('1952-03-14', 'MALE');
// Cross-checked with Python's uuid.uuid5 under BENEFICIARY_NAMESPACE.
const PINNED_BENEFICIARY_ID = '421b5c24-8c6d-5a51-9bce-f195a00930b3';

/** Asserts a refusal names the rule and never echoes the id it refused. */
function expectRefusal(raw: string, person: ReturnType<typeof born>, rule: RegExp): void {
  let refusal: unknown;
  try {
    parseNationalId(raw, person);
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(InvalidValue);
  expect(refusal).toMatchObject({ field: 'nationalId', message: expect.stringMatching(rule) });
  expect((refusal as Error).message).not.toContain(raw);
  expect(JSON.stringify((refusal as InvalidValue).details)).not.toContain(raw);
}

describe('when a national id agrees with the person', () => {
  it('accepts a man born in the 1900s (code 0)', () => {
    expect(parseNationalId('091052000123', taiBorn1952)).toBe('091052000123');
  });

  it('accepts a woman born in the 1900s (code 1)', () => {
    expect(parseNationalId('001160000001', born('1960-01-01', 'FEMALE'))).toBe('001160000001');
  });

  it('accepts a man born in the 2000s (code 2)', () => {
    expect(parseNationalId('096205999999', born('2005-12-31', 'MALE'))).toBe('096205999999');
  });

  it('accepts a woman born in the 2000s (code 3)', () => {
    expect(parseNationalId('079300123456', born('2000-02-29', 'FEMALE'))).toBe('079300123456');
  });
});

describe('when a national id is malformed', () => {
  it.each(['09105200012', '0910520001234', '09105200012a', ' 091052000123', '091-052-000-123'])(
    'refuses %p, which is not exactly 12 digits',
    (raw) => {
      expectRefusal(raw, taiBorn1952, /exactly 12 digits/);
    },
  );

  it.each(['', 91052000123, null, undefined])('refuses %p, which is empty or not a string', (raw) => {
    expect(() => parseNationalId(raw, taiBorn1952)).toThrow(/exactly 12 digits/);
  });

  it.each(['000052000123', '097052000123', '999052000123'])('refuses %s, whose province code is outside 001–096', (raw) => {
    expectRefusal(raw, taiBorn1952, /province code/);
  });

  const neverIssued = '003 005 007 009 013 016 018 021 023 028 029 032 039 041 043 047 050 053 055 057 059 061 063 065 069 071 073 076 078 081 085 088 090'.split(' ');

  it.each(neverIssued)('refuses province code %s, which was never issued', (code) => {
    expectRefusal(`${code}052000123`, taiBorn1952, /province code/);
  });

  it('accepts the 63 issued codes, the first, the last and those around the gaps', () => {
    expect(PROVINCE_CODES).toHaveLength(63);
    for (const code of PROVINCE_CODES) expect(parseNationalId(`${code}052000123`, taiBorn1952)).toBe(`${code}052000123`);
    expect(PROVINCE_CODES).toEqual(expect.arrayContaining(['001', '002', '004', '089', '091', '096']));
    expect(PROVINCE_CODES.filter((code) => neverIssued.includes(code))).toEqual([]);
  });

  it.each(['091452000123', '091952000123'])('refuses %s, whose century/gender code is not 0–3', (raw) => {
    expectRefusal(raw, taiBorn1952, /century\/gender code/);
  });
});

describe('when a national id disagrees with the person', () => {
  it('refuses a 2000s code for someone born in the 1900s', () => {
    expectRefusal('091252000123', taiBorn1952, /born in 2000–2099.*dateOfBirth/);
  });

  it('refuses a 1900s code for someone born in the 2000s', () => {
    expectRefusal('091005000123', born('2005-06-01', 'MALE'), /born in 1900–1999.*dateOfBirth/);
  });

  it('refuses a female code for a man', () => {
    expectRefusal('091152000123', taiBorn1952, /FEMALE.*gender/);
  });

  it('refuses a male code for a woman', () => {
    expectRefusal('091052000123', born('1952-03-14', 'FEMALE'), /MALE.*gender/);
  });

  it('refuses year digits that are not the birth year', () => {
    expectRefusal('091053000123', taiBorn1952, /digits 5–6.*year/);
    expectRefusal('091205000123', born('2015-01-01', 'MALE'), /digits 5–6.*year/);
  });
});

describe('when a national id is shown', () => {
  it('keeps only the first and last three digits', () => {
    expect(maskNationalId('091052000123')).toBe('091******123');
  });

  it('hides a value too short to mask partly', () => {
    expect(maskNationalId('123456')).toBe('******');
  });
});

describe('when deriving ids', () => {
  it('computes the RFC 9562 UUIDv5 test vector', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('sets the version 5 and RFC variant bits', () => {
    expect(uuidV5('anything', BENEFICIARY_NAMESPACE)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('hashes the name as UTF-8', () => {
    expect(uuidV5('Rạch Giá', BENEFICIARY_NAMESPACE)).toBe('31e15bf9-177d-5b4d-865c-91b2b28d00a2'); // Python's uuid.uuid5
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('name', 'not-a-uuid')).toThrow(InvalidValue);
  });

  it('gives one person the same legacy beneficiary id every time, under the fixed public namespace', () => {
    const id = parseNationalId('091052000123', taiBorn1952);
    expect(legacyBeneficiaryIdFor(id)).toBe(legacyBeneficiaryIdFor(parseNationalId('091052000123', taiBorn1952)));
    expect(legacyBeneficiaryIdFor(id)).toBe(uuidV5('091052000123', BENEFICIARY_NAMESPACE));
    // Pinned: a change of namespace or algorithm would orphan every beneficiary stream a legacy store holds.
    expect(legacyBeneficiaryIdFor(id)).toBe(PINNED_BENEFICIARY_ID);
  });

  it('gives two people different legacy beneficiary ids that do not contain the national id', () => {
    const first = legacyBeneficiaryIdFor(parseNationalId('091052000123', taiBorn1952));
    const second = legacyBeneficiaryIdFor(parseNationalId('091052000124', taiBorn1952));
    expect(first).not.toBe(second);
    expect(first.replace(/-/g, '')).not.toContain('052000123');
  });
});
