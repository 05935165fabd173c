// node:crypto is used for SHA-1 only: pure computation, no clock, no entropy, no I/O. The purity
// test allows it in this one file (see domain-purity.spec.ts).
import { hash } from 'node:crypto';
import { InvalidValue } from './domain-errors.js';
import type { LocalDate } from './local-date.js';

/**
 * A person's 12-digit personal identification number (citizen id), checked against their date of
 * birth and gender. It never appears in a stream name, a URL, a log line or an error message.
 */
export type NationalId = string & { readonly __brand: 'NationalId' };

export type Gender = 'MALE' | 'FEMALE';

/**
 * The public namespace of the legacy beneficiary ids (stores created before ids were keyed). Never
 * change it: every beneficiary id those stores issued, and every stream named after one, depends on it.
 */
export const BENEFICIARY_NAMESPACE = 'cb4114ad-8f3d-4a44-ba5d-fa4b2d2d7195';

const TWELVE_DIGITS = /^\d{12}$/;

/**
 * Codes between 001 and 096 that were never issued to a province (Circular 07/2016/TT-BCA, annex 1,
 * numbers the 63 provinces with gaps). An id keeps its code when provinces merge, so this list
 * never shrinks or grows with the map.
 */
const NEVER_ISSUED_PROVINCE_CODES: ReadonlySet<string> = new Set(
  '003 005 007 009 013 016 018 021 023 028 029 032 039 041 043 047 050 053 055 057 059 061 063 065 069 071 073 076 078 081 085 088 090'.split(' '),
);

/** The 63 province codes an id can start with. */
export const PROVINCE_CODES: readonly string[] = Array.from({ length: 96 }, (_, index) => String(index + 1).padStart(3, '0')).filter(
  (code) => !NEVER_ISSUED_PROVINCE_CODES.has(code),
);
const ISSUED_PROVINCE_CODES: ReadonlySet<string> = new Set(PROVINCE_CODES);

/** Digit 4 of the id: who was born when. Codes 4–9 (born 2100 or later) cannot occur yet. */
const CENTURY_GENDER_CODES: Readonly<Record<string, { centuryStart: number; gender: Gender }>> = {
  '0': { centuryStart: 1900, gender: 'MALE' },
  '1': { centuryStart: 1900, gender: 'FEMALE' },
  '2': { centuryStart: 2000, gender: 'MALE' },
  '3': { centuryStart: 2000, gender: 'FEMALE' },
};

/**
 * Validates a national id against the person it is said to belong to. Each refusal says which
 * rule failed and never repeats the id.
 */
export function parseNationalId(raw: unknown, person: { dateOfBirth: LocalDate; gender: Gender }): NationalId {
  if (typeof raw !== 'string' || !TWELVE_DIGITS.test(raw)) {
    throw new InvalidValue('nationalId', 'nationalId must be exactly 12 digits');
  }
  if (!ISSUED_PROVINCE_CODES.has(raw.slice(0, 3))) {
    throw new InvalidValue('nationalId', 'nationalId digits 1–3 must be a province code issued by the Ministry of Public Security (001–096, 63 codes)');
  }
  const encoded = CENTURY_GENDER_CODES[raw[3]!];
  if (!encoded) {
    throw new InvalidValue('nationalId', 'nationalId digit 4 must be a century/gender code from 0 to 3');
  }
  const birthYear = Number(person.dateOfBirth.slice(0, 4));
  if (birthYear < encoded.centuryStart || birthYear >= encoded.centuryStart + 100) {
    throw new InvalidValue(
      'nationalId',
      `nationalId digit 4 says born in ${encoded.centuryStart}–${encoded.centuryStart + 99}, which disagrees with dateOfBirth`,
    );
  }
  if (encoded.gender !== person.gender) {
    throw new InvalidValue('nationalId', `nationalId digit 4 says ${encoded.gender}, which disagrees with gender`);
  }
  if (raw.slice(4, 6) !== String(birthYear % 100).padStart(2, '0')) {
    throw new InvalidValue('nationalId', 'nationalId digits 5–6 must be the last two digits of the year in dateOfBirth');
  }
  return raw as NationalId;
}

/** Enough to tell two ids apart on a screen, not enough to use one: '091052000123' → '091******123'. */
export function maskNationalId(id: string): string {
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 6) + id.slice(-3);
}

/**
 * The beneficiary id a store created before keyed ids gave a person: UUIDv5 under a namespace
 * anybody can read, so an id can be matched against the few candidate national ids a masked id,
 * a birth year and a gender leave. Only for those stores, which must keep finding their people
 * where they are; every newer store derives ids with a key the code does not hold (the ledger's
 * LEDGER_ID_KEY), and the id arrives in the command either way.
 */
export function legacyBeneficiaryIdFor(id: NationalId): string {
  return uuidV5(id, BENEFICIARY_NAMESPACE);
}

/**
 * @deprecated The legacy public-namespace id under its old name, kept only while tests that write
 * events straight into a store move to `legacyBeneficiaryIdFor`. Never use it to derive the id of
 * a person being enrolled: the store's own derivation decides that.
 */
export const beneficiaryIdFor = legacyBeneficiaryIdFor;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const namespaceBytesCache = new Map<string, Buffer>();

/** A name-based UUID (RFC 9562 §5.5): SHA-1 of the namespace bytes and the UTF-8 name. */
export function uuidV5(name: string, namespace: string): string {
  // Payroll runs derive hundreds of thousands of ids from a handful of namespaces: parse each once.
  let namespaceBytes = namespaceBytesCache.get(namespace);
  if (!namespaceBytes) {
    if (!UUID.test(namespace)) throw new InvalidValue('namespace', 'namespace must be a UUID');
    namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    namespaceBytesCache.set(namespace, namespaceBytes);
  }
  // One-shot `hash` costs about half of a Hash object's create/update/digest at this size.
  const digest = hash('sha1', Buffer.concat([namespaceBytes, Buffer.from(name, 'utf8')]), 'hex');
  const version = '5';
  const variant = ((parseInt(digest[16]!, 16) & 0x3) | 0x8).toString(16); // RFC 9562 variant 10xx
  const hex = `${digest.slice(0, 12)}${version}${digest.slice(13, 16)}${variant}${digest.slice(17, 32)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
