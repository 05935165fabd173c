import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { holderNameMatches, parseAccountNumber, parseFullName, parseNationalId, type NationalId } from '@ledger/domain';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { demoProvince, holdsVerifiedAccount, isEnrolledIn, KIEN_GIANG_MARCH_2024, type DemoPerson } from './demo-province.js';

const KIEN_GIANG_DISTRICTS = (JSON.parse(readFileSync('config/administrative-units.json', 'utf8')) as Array<{ code: string; parentCode: string | null }>)
  .filter((unit) => unit.parentCode === '91')
  .map((unit) => unit.code)
  .sort();

/** A store with keyed ids, as every new data directory has. */
const beneficiaryIds = BeneficiaryIds.keyed(new LedgerIdentifiers('demo-province-spec-identifier-key-0123456789'));
const province = demoProvince(beneficiaryIds);
const { persons } = province;
/** The people for whom `check` throws or returns false; asserting on the list once keeps 20,000 checks fast. */
const failing = <T>(items: readonly T[], check: (item: T) => unknown) =>
  items.filter((item) => {
    try {
      return check(item) === false;
    } catch {
      return true;
    }
  });
const enrolledIn = (program: 'MERITORIOUS' | 'SOCIAL_ASSISTANCE') => persons.filter((person) => isEnrolledIn(person, program));

describe('the demo province', () => {
  describe('when generated at full scale', () => {
    it('holds about 20,000 beneficiaries, split between the programs as Kiên Giang is, a few hundred in both', () => {
      expect(persons).toHaveLength(19_700);
      expect(enrolledIn('MERITORIOUS')).toHaveLength(6_500);
      expect(enrolledIn('SOCIAL_ASSISTANCE')).toHaveLength(13_500);
      expect(persons.filter((person) => person.enrollments.length === 2)).toHaveLength(300);
    });

    it("has exactly the province's March 2024 figures of beneficiaries with a verified bank account, a person in both programs counting in both", () => {
      expect(enrolledIn('MERITORIOUS').filter(holdsVerifiedAccount)).toHaveLength(3_223);
      expect(enrolledIn('SOCIAL_ASSISTANCE').filter(holdsVerifiedAccount)).toHaveLength(5_967);
      expect(KIEN_GIANG_MARCH_2024).toMatchObject({ verifiedMeritorious: 3_223, verifiedSocialAssistance: 5_967 });
    });

    it('gives everyone a valid national id of province 091 that agrees with their date of birth and gender, and no id twice', () => {
      expect(failing(persons, (person) => parseNationalId(person.nationalId, person) && person.nationalId.startsWith('091'))).toEqual([]);
      expect(failing(persons, (person) => person.beneficiaryId === beneficiaryIds.beneficiaryIdFor(person.nationalId as NationalId))).toEqual([]);
      expect(new Set(persons.map((person) => person.nationalId)).size).toBe(persons.length);
      // Both centuries occur: the oldest veterans and the youngest orphans.
      expect(new Set(persons.map((person) => person.nationalId[3])).size).toBe(4);
    });

    it('uses every one of the 15 district-level units', () => {
      expect([...new Set(persons.map((person) => person.unitCode))].sort()).toEqual(KIEN_GIANG_DISTRICTS);
      expect(KIEN_GIANG_DISTRICTS).toHaveLength(15);
    });

    it('writes Vietnamese names with their diacritics, as the API would accept them', () => {
      expect(failing(persons, (person) => parseFullName(person.fullName) === person.fullName)).toEqual([]);
      expect(persons.filter((person) => /[^\x20-\x7e]/.test(person.fullName)).length).toBeGreaterThan(persons.length * 0.9);
    });

    it('gives meritorious coefficients mostly from 1000 to 3000 in steps, social-assistance ones of 1000, 1500, 2000 or 2500', () => {
      const coefficients = (program: string) => persons.flatMap((person) => person.enrollments.filter((enrollment) => enrollment.program === program).map((enrollment) => enrollment.coefficient as number));
      const meritorious = coefficients('MERITORIOUS');
      expect(meritorious.every((coefficient) => coefficient % 250 === 0 && coefficient >= 1000)).toBe(true);
      expect(meritorious.filter((coefficient) => coefficient <= 3000).length / meritorious.length).toBeGreaterThan(0.95);
      expect(new Set(coefficients('SOCIAL_ASSISTANCE'))).toEqual(new Set([1000, 1500, 2000, 2500]));
    });

    it('opens accounts at the five banks, with numbers of 6 to 19 digits, none shared by two people at one bank', () => {
      const accounts = persons.flatMap((person) => (person.account ? [person.account] : []));
      expect(new Set(accounts.map((account) => account.bankCode))).toEqual(new Set(['VBA', 'AGRIBANK', 'VCB', 'BIDV', 'VIETINBANK']));
      expect(failing(accounts, (account) => parseAccountNumber(account.accountNumber))).toEqual([]);
      expect(new Set(accounts.map((account) => `${account.bankCode}/${account.accountNumber}`)).size).toBe(accounts.length);
    });

    it('verifies an account by its holder name exactly when the name matches; the misprinted ones wait for an operator or stay unverified', () => {
      const accounts = persons.flatMap((person) => (person.account ? [{ person, account: person.account }] : []));
      expect(failing(accounts, ({ person, account }) => holderNameMatches(account.holderName, person.fullName) === (account.statusWhenOpened === 'VERIFIED'))).toEqual([]);
      expect(accounts.filter(({ account }) => account.verifiedByOperatorIn !== null)).toHaveLength(KIEN_GIANG_MARCH_2024.verifiedByOperator);
      expect(accounts.filter(({ person }) => !holdsVerifiedAccount(person))).toHaveLength(KIEN_GIANG_MARCH_2024.unverifiedAccounts);
    });

    it('suspends and buries only single-program cash recipients, so the verified-account figures hold whoever counts them', () => {
      const changed = persons.filter((person): person is DemoPerson & { lifeEvent: NonNullable<DemoPerson['lifeEvent']> } => person.lifeEvent !== null);
      expect(changed).toHaveLength(6 + 2 + 5 + 6 + 3);
      for (const person of changed) {
        expect(person.enrollments).toHaveLength(1);
        expect(holdsVerifiedAccount(person)).toBe(false);
        expect(person.enrolledIn).toBe('go-live');
      }
    });

    it('is the same province every time', () => {
      expect(JSON.stringify(demoProvince(beneficiaryIds).persons)).toBe(JSON.stringify(persons));
    });

    it("holds the same people in a store with other ids (another key, or a legacy store's public ones): only the ids are the store's", () => {
      const withoutIds = (people: readonly DemoPerson[]) => people.map(({ beneficiaryId: _, account, ...person }) => ({ ...person, account: account && { ...account, accountId: undefined } }));
      for (const other of [BeneficiaryIds.keyed(new LedgerIdentifiers('another-store-identifier-key-0123456789')), BeneficiaryIds.legacy()]) {
        const elsewhere = demoProvince(other).persons;
        expect(JSON.stringify(withoutIds(elsewhere))).toBe(JSON.stringify(withoutIds(persons)));
        expect(elsewhere[0]!.beneficiaryId).not.toBe(persons[0]!.beneficiaryId);
        expect(failing(elsewhere, (person) => person.beneficiaryId === other.beneficiaryIdFor(person.nationalId as NationalId))).toEqual([]);
      }
    });
  });

  describe('when scaled down for a quick trial', () => {
    const small = demoProvince(beneficiaryIds, 0.05);
    const count = (program: 'MERITORIOUS' | 'SOCIAL_ASSISTANCE') => small.persons.filter((person) => isEnrolledIn(person, program));

    it('scales every figure, verified accounts included, and still uses every unit', () => {
      expect(count('MERITORIOUS')).toHaveLength(325);
      expect(count('SOCIAL_ASSISTANCE')).toHaveLength(675);
      expect(count('MERITORIOUS').filter(holdsVerifiedAccount)).toHaveLength(small.size.verifiedMeritorious);
      expect(count('SOCIAL_ASSISTANCE').filter(holdsVerifiedAccount)).toHaveLength(small.size.verifiedSocialAssistance);
      expect([...new Set(small.persons.map((person) => person.unitCode))].sort()).toEqual(KIEN_GIANG_DISTRICTS);
    });

    it('keeps at least one case of every part of the story', () => {
      const { story } = small;
      for (const value of [story.duplicateSettlements, story.suspendedFromMarch, story.suspendedBeforeMarchSending, story.suspendedFromApril, story.deceasedReportedLate, story.deceasedInMarch]) {
        expect(value).toBeGreaterThanOrEqual(1);
      }
      expect(story.failedTransfers['2024-01']).toBeGreaterThanOrEqual(story.retriedTransfers['2024-01']);
      expect(story.retriedTransfers['2024-01']).toBeGreaterThanOrEqual(1);
    });

    it('keeps the featured people, whatever the scale', () => {
      expect(small.featured).toEqual(province.featured);
      expect(small.persons.slice(0, 3)).toEqual([small.featured.bankTransferRetried, small.featured.cashReturned, small.featured.deceasedReportedLate]);
    });
  });

  it('refuses a scale outside 0.01 to 1', () => {
    expect(() => demoProvince(beneficiaryIds, 0)).toThrow(RangeError);
    expect(() => demoProvince(beneficiaryIds, 1.5)).toThrow(RangeError);
  });
});
