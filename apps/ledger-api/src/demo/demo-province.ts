import {
  bankPrintedName,
  holderNameMatches,
  parseAccountNumber,
  parseBankCode,
  parseCoefficient,
  parseFullName,
  parseLocalDate,
  parseNationalId,
  uuidV5,
  type Coefficient,
  type Gender,
  type LocalDate,
  type NationalId,
  type Period,
} from '@ledger/domain';
import { integerBetween, mulberry32, pickOne, pickWeighted, sampleWeighted, shuffled, type Random } from './demo-random.js';

/**
 * How the store being seeded derives beneficiary ids (ledger/beneficiary-ids.ts): the demo's people
 * are the same in every store, their ids are the store's.
 */
export interface BeneficiaryIdDerivation {
  beneficiaryIdFor(nationalId: NationalId): string;
}

/**
 * The demo province: Kiên Giang (unit 91) as its social-protection office might hold it at the end
 * of March 2024, generated deterministically. Pure: no store, no clock; `seed-demo.ts` turns it into
 * commands. The same people every time; their ids are the store's (keyed ids differ from one data
 * directory to the next), so which payments the settlements pick to fail or return differs too.
 */

export const DEMO_PROVINCE_UNIT = '91';
/** Fixed: every id the demo derives (accounts, correlations) depends on it. */
export const DEMO_NAMESPACE = '6f1d0c4e-2b7a-5e93-8c41-9a0d3e5b7f26';
const POPULATION_SEED = 0x4b47_2024; // "KG" 2024

export type DemoProgram = 'MERITORIOUS' | 'SOCIAL_ASSISTANCE';

/**
 * When something is recorded. The ledger goes live for the January 2024 payroll; each later step is
 * the office's work between two payroll runs.
 */
export type DemoStep = 'go-live' | 'january' | 'february' | 'march';

/** The province's figures; `demoProvince(scale)` shrinks them for quick trials and tests. */
export interface DemoProvinceSize {
  /** Enrollments per program; a person enrolled in both counts in both. */
  readonly meritorious: number;
  readonly socialAssistance: number;
  readonly inBothPrograms: number;
  /** People with a VERIFIED bank account, per program (a person in both programs counts in both). */
  readonly verifiedMeritorious: number;
  readonly verifiedSocialAssistance: number;
  readonly verifiedInBothPrograms: number;
  /** Of the verified: opened under a misprinted holder name, verified by an operator in January. */
  readonly verifiedByOperator: number;
  /** Accounts whose holder name does not match and that nobody has verified: these people are paid cash. */
  readonly unverifiedAccounts: number;
  /** Of the verified, opened after go-live: the cashless drive in January and February. */
  readonly accountsOpenedInJanuary: number;
  readonly accountsOpenedInFebruary: number;
  /** New decisions after go-live, each enrolling one person in one program. */
  readonly enrolledFromFebruary: number;
  /** Decided for January but recorded in February: the March run owes them January and February as arrears. */
  readonly enrolledLateForJanuary: number;
  readonly enrolledFromApril: number;
  /** Decided for March but recorded after the March run: the April run owes them March as arrears. */
  readonly enrolledLateForMarch: number;
}

export type DemoPeriod = '2024-01' | '2024-02' | '2024-03';
export const DEMO_PERIODS: readonly DemoPeriod[] = ['2024-01', '2024-02', '2024-03'];
/** The month the demo leaves for its user to run. */
export const NEXT_PERIOD = '2024-04' as Period;

/** What happened to the payments, month by month. */
export interface DemoStory {
  /** Bank transfers the bank rejected (FAILED). */
  readonly failedTransfers: Readonly<Record<DemoPeriod, number>>;
  /** Of those, retried (in cash: never into the account that failed) and paid with the next month's run. */
  readonly retriedTransfers: Readonly<Record<DemoPeriod, number>>;
  /** Cash the Post Office brought back uncollected (RETURNED). */
  readonly returnedCash: Readonly<Record<DemoPeriod, number>>;
  /** Of those, rescheduled: paid with the next run (the March ones wait for the April run). */
  readonly repaidCash: Readonly<Record<DemoPeriod, number>>;
  /** Sent, with no settlement reported yet (still SENT, hence late). */
  readonly unsettled: Readonly<Record<DemoPeriod, number>>;
  /** A second settlement under another provider reference for a February payment: refused and recorded. */
  readonly duplicateSettlements: number;
  /** The same settlement reported twice under the same reference: a harmless repeat. */
  readonly repeatedSettlements: number;
  readonly suspendedFromMarch: number;
  /** Of those, resumed from April. */
  readonly resumedFromApril: number;
  /** Suspended for March after the March run was approved: their March payment is cancelled. */
  readonly suspendedBeforeMarchSending: number;
  readonly suspendedFromApril: number;
  /** Died in January, reported at the end of March: February and March were paid and are overpayments. */
  readonly deceasedReportedLate: number;
  readonly deceasedInMarch: number;
}

/** Kiên Giang's own March 2024 figures: 3,223 meritorious and 5,967 social-assistance beneficiaries paid into verified accounts. */
export const KIEN_GIANG_MARCH_2024: DemoProvinceSize = {
  meritorious: 6_500,
  socialAssistance: 13_500,
  inBothPrograms: 300,
  verifiedMeritorious: 3_223,
  verifiedSocialAssistance: 5_967,
  verifiedInBothPrograms: 140,
  verifiedByOperator: 45,
  unverifiedAccounts: 160,
  accountsOpenedInJanuary: 420,
  accountsOpenedInFebruary: 280,
  enrolledFromFebruary: 40,
  enrolledLateForJanuary: 20,
  enrolledFromApril: 60,
  enrolledLateForMarch: 12,
};

export const KIEN_GIANG_STORY: DemoStory = {
  failedTransfers: { '2024-01': 18, '2024-02': 12, '2024-03': 9 },
  retriedTransfers: { '2024-01': 2, '2024-02': 0, '2024-03': 0 },
  returnedCash: { '2024-01': 35, '2024-02': 28, '2024-03': 22 },
  repaidCash: { '2024-01': 0, '2024-02': 2, '2024-03': 1 },
  unsettled: { '2024-01': 0, '2024-02': 0, '2024-03': 40 },
  duplicateSettlements: 2,
  repeatedSettlements: 1,
  suspendedFromMarch: 6,
  resumedFromApril: 1,
  suspendedBeforeMarchSending: 2,
  suspendedFromApril: 5,
  deceasedReportedLate: 6,
  deceasedInMarch: 3,
};

export interface DemoEnrollment {
  readonly program: DemoProgram;
  readonly coefficient: Coefficient;
  readonly effectiveFrom: Period;
  readonly decision: { readonly number: string; readonly date: LocalDate };
}

export interface DemoAccount {
  readonly accountId: string;
  readonly bankCode: string;
  readonly accountNumber: string;
  readonly holderName: string;
  readonly openedOn: LocalDate;
  readonly openedIn: DemoStep;
  /** What the holder-name check makes of it when it is opened. */
  readonly statusWhenOpened: 'VERIFIED' | 'UNVERIFIED';
  /** An UNVERIFIED account an operator verifies (with a reason) in this step. */
  readonly verifiedByOperatorIn: DemoStep | null;
}

export type DemoLifeEvent =
  | { readonly kind: 'SUSPENDED_FROM_MARCH'; readonly program: DemoProgram; readonly reason: string; readonly resumedFromApril: boolean }
  | { readonly kind: 'SUSPENDED_BEFORE_MARCH_SENDING'; readonly program: DemoProgram; readonly reason: string }
  | { readonly kind: 'SUSPENDED_FROM_APRIL'; readonly program: DemoProgram; readonly reason: string }
  | { readonly kind: 'DECEASED_REPORTED_LATE'; readonly program: DemoProgram; readonly diedOn: LocalDate }
  | { readonly kind: 'DECEASED_IN_MARCH'; readonly program: DemoProgram; readonly diedOn: LocalDate };

export interface DemoPerson {
  readonly beneficiaryId: string;
  readonly nationalId: NationalId;
  readonly fullName: string;
  readonly dateOfBirth: LocalDate;
  readonly gender: Gender;
  readonly unitCode: string;
  readonly enrolledIn: DemoStep;
  readonly enrollments: readonly DemoEnrollment[];
  readonly account: DemoAccount | null;
  readonly lifeEvent: DemoLifeEvent | null;
}

export interface DemoProvince {
  readonly scale: number;
  readonly size: DemoProvinceSize;
  readonly story: DemoStory;
  readonly persons: readonly DemoPerson[];
  /** Three people whose histories show the ledger at work; the banner's curl examples use them. */
  readonly featured: {
    /** Meritorious, Rạch Giá: January transfer failed, retried in cash (never into the account that failed) and paid late in February; a duplicate February settlement refused. */
    readonly bankTransferRetried: DemoPerson;
    /** Social assistance, Kiên Hải island: February cash returned uncollected, paid late with the March run. */
    readonly cashReturned: DemoPerson;
    /** Meritorious, Giồng Riềng: died in January, reported in March; February and March are overpayments to recover. */
    readonly deceasedReportedLate: DemoPerson;
  };
}

/** Whether the person ends the demo with a VERIFIED account (opened verified, or verified by an operator). */
export function holdsVerifiedAccount(person: DemoPerson): boolean {
  return person.account !== null && (person.account.statusWhenOpened === 'VERIFIED' || person.account.verifiedByOperatorIn !== null);
}

export function isEnrolledIn(person: DemoPerson, program: DemoProgram): boolean {
  return person.enrollments.some((enrollment) => enrollment.program === program);
}

export const SMALLEST_DEMO_SCALE = 0.01;

/**
 * The demo province at `scale` (1 = Kiên Giang's ~20,000 beneficiaries). Every count scales and
 * rounds; each part of the story keeps at least one case, so a small demo still shows all of it.
 */
export function demoProvince(ids: BeneficiaryIdDerivation, scale = 1): DemoProvince {
  if (!(scale >= SMALLEST_DEMO_SCALE && scale <= 1)) throw new RangeError(`The demo scale must lie between ${SMALLEST_DEMO_SCALE} and 1, not ${scale}`);
  const size = demoProvinceSize(scale);
  const story = scaledStory(scale);
  return { scale, size, story, ...generatePopulation(ids, size, story) };
}

/** The province's figures at `scale`, without generating anyone. */
export function demoProvinceSize(scale: number): DemoProvinceSize {
  const full = KIEN_GIANG_MARCH_2024;
  if (scale === 1) return full;
  const atLeastOne = (value: number) => Math.max(1, Math.round(value * scale));
  const meritorious = Math.round(full.meritorious * scale);
  const socialAssistance = Math.round(full.socialAssistance * scale);
  return {
    meritorious,
    socialAssistance,
    inBothPrograms: atLeastOne(full.inBothPrograms),
    verifiedMeritorious: Math.round(full.verifiedMeritorious * scale),
    verifiedSocialAssistance: Math.round(full.verifiedSocialAssistance * scale),
    verifiedInBothPrograms: atLeastOne(full.verifiedInBothPrograms),
    verifiedByOperator: atLeastOne(full.verifiedByOperator),
    unverifiedAccounts: atLeastOne(full.unverifiedAccounts),
    accountsOpenedInJanuary: atLeastOne(full.accountsOpenedInJanuary),
    accountsOpenedInFebruary: atLeastOne(full.accountsOpenedInFebruary),
    enrolledFromFebruary: atLeastOne(full.enrolledFromFebruary),
    enrolledLateForJanuary: atLeastOne(full.enrolledLateForJanuary),
    enrolledFromApril: atLeastOne(full.enrolledFromApril),
    enrolledLateForMarch: atLeastOne(full.enrolledLateForMarch),
  };
}

function scaledStory(scale: number): DemoStory {
  const full = KIEN_GIANG_STORY;
  if (scale === 1) return full;
  // A part of the story with no case at full scale stays empty; every other keeps at least one.
  const n = (value: number) => (value === 0 ? 0 : Math.max(1, Math.round(value * scale)));
  const perPeriod = (values: Readonly<Record<DemoPeriod, number>>) => ({ '2024-01': n(values['2024-01']), '2024-02': n(values['2024-02']), '2024-03': n(values['2024-03']) });
  return {
    failedTransfers: perPeriod(full.failedTransfers),
    retriedTransfers: perPeriod(full.retriedTransfers),
    returnedCash: perPeriod(full.returnedCash),
    repaidCash: perPeriod(full.repaidCash),
    unsettled: perPeriod(full.unsettled),
    duplicateSettlements: n(full.duplicateSettlements),
    repeatedSettlements: n(full.repeatedSettlements),
    suspendedFromMarch: n(full.suspendedFromMarch),
    resumedFromApril: n(full.resumedFromApril),
    suspendedBeforeMarchSending: n(full.suspendedBeforeMarchSending),
    suspendedFromApril: n(full.suspendedFromApril),
    deceasedReportedLate: n(full.deceasedReportedLate),
    deceasedInMarch: n(full.deceasedInMarch),
  };
}

// ————————————————————————————————————————————————————————————————————————————————
// The population

/** The 15 district-level units with roughly their populations (thousands): beneficiaries follow people. */
const DISTRICTS: ReadonlyArray<readonly [code: string, weight: number]> = [
  ['899', 228], // Rạch Giá
  ['900', 48], // Hà Tiên
  ['902', 82], // Kiên Lương
  ['903', 165], // Hòn Đất
  ['904', 142], // Tân Hiệp
  ['905', 152], // Châu Thành
  ['906', 205], // Giồng Riềng
  ['907', 132], // Gò Quao
  ['908', 118], // An Biên
  ['909', 108], // An Minh
  ['910', 87], // Vĩnh Thuận
  ['911', 180], // Phú Quốc
  ['912', 22], // Kiên Hải (islands)
  ['913', 68], // U Minh Thượng
  ['914', 30], // Giang Thành
];
const CITIES = new Set(['899', '900', '911']);
/** Where pay points are hard to reach: cash goes out late more often, and fewer people bank. */
export const REMOTE_UNITS: ReadonlySet<string> = new Set(['909', '912', '913', '914']);

type Profile = {
  readonly program: DemoProgram;
  readonly femaleShare: number;
  readonly born: readonly [from: number, to: number];
  readonly coefficients: ReadonlyArray<readonly [number, number]>;
  readonly decided: readonly [from: number, to: number];
};

const MERITORIOUS_PROFILES: ReadonlyArray<readonly [Profile, number]> = [
  // War invalids and sick soldiers: the coefficient follows the rate of injury.
  [{ program: 'MERITORIOUS', femaleShare: 0.08, born: [1945, 1972], decided: [1985, 2020], coefficients: [[1000, 14], [1250, 13], [1500, 13], [1750, 11], [2000, 11], [2250, 9], [2500, 9], [2750, 7], [3000, 7], [3500, 3], [4000, 2], [4500, 1]] }, 45],
  // Martyrs' relatives: one, two or three martyrs in the family.
  [{ program: 'MERITORIOUS', femaleShare: 0.7, born: [1930, 1975], decided: [1990, 2020], coefficients: [[1000, 80], [2000, 15], [3000, 5]] }, 30],
  // Resistance fighters exposed to toxic chemicals.
  [{ program: 'MERITORIOUS', femaleShare: 0.25, born: [1940, 1962], decided: [2005, 2021], coefficients: [[1250, 30], [1500, 30], [2000, 25], [2500, 15]] }, 15],
  // Resistance activists and contributors to the revolution.
  [{ program: 'MERITORIOUS', femaleShare: 0.4, born: [1928, 1950], decided: [1995, 2015], coefficients: [[1000, 70], [1250, 30]] }, 10],
];

// Decree 20/2021 coefficients: 1.0 for the elderly 80+, 1.5 and 2.0 for disability, 2.5 for the youngest orphans.
const SOCIAL_ASSISTANCE_PROFILES: ReadonlyArray<readonly [Profile, number]> = [
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.63, born: [1924, 1943], decided: [2021, 2023], coefficients: [[1000, 1]] }, 42],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.6, born: [1944, 1963], decided: [2021, 2023], coefficients: [[1500, 1]] }, 8],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.45, born: [1950, 2005], decided: [2021, 2023], coefficients: [[1500, 1]] }, 26],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.45, born: [1950, 2005], decided: [2021, 2023], coefficients: [[2000, 1]] }, 10],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.45, born: [2008, 2019], decided: [2021, 2023], coefficients: [[2500, 1]] }, 3],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.5, born: [2020, 2022], decided: [2021, 2023], coefficients: [[2500, 1]] }, 1],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.5, born: [2008, 2019], decided: [2021, 2023], coefficients: [[1500, 1]] }, 3],
  [{ program: 'SOCIAL_ASSISTANCE', femaleShare: 0.9, born: [1975, 1998], decided: [2021, 2023], coefficients: [[1000, 1]] }, 7],
];

/** People in both programs: elderly martyrs' relatives who also draw the 80+ social allowance. */
const BOTH_PROGRAMS_PROFILE: Profile = { program: 'MERITORIOUS', femaleShare: 0.75, born: [1924, 1943], decided: [1990, 2015], coefficients: [[1000, 85], [2000, 15]] };

const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 31], ['Trần', 11], ['Lê', 9], ['Phạm', 6], ['Huỳnh', 5], ['Võ', 4], ['Phan', 4], ['Trương', 2], ['Bùi', 2], ['Đặng', 2],
  ['Đỗ', 1.5], ['Ngô', 1.5], ['Hồ', 1.5], ['Dương', 1], ['Lý', 1], ['Đinh', 1], ['Lâm', 1], ['Tô', 0.5], ['Châu', 0.5], ['Mai', 0.5],
  ['Cao', 0.5], ['Lưu', 0.5], ['Quách', 0.5], ['Diệp', 0.3], ['Tăng', 0.3],
];
const MALE_MIDDLE_NAMES: ReadonlyArray<readonly [string, number]> = [['Văn', 50], ['Hữu', 8], ['Minh', 8], ['Quốc', 6], ['Thanh', 6], ['Đức', 5], ['Công', 5], ['Ngọc', 4], ['Hoàng', 3], ['Tấn', 3], ['Thành', 2]];
const FEMALE_MIDDLE_NAMES: ReadonlyArray<readonly [string, number]> = [['Thị', 70], ['Ngọc', 7], ['Kim', 6], ['Thu', 4], ['Mỹ', 4], ['Bích', 3], ['Thanh', 3], ['Hồng', 3]];
const MALE_GIVEN_NAMES = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Đức', 'Hải', 'Hiếu', 'Hòa', 'Hùng', 'Khải', 'Khánh', 'Lâm', 'Lộc', 'Long', 'Lợi', 'Minh', 'Nam', 'Nghĩa', 'Nhân', 'Phúc', 'Phước', 'Quang', 'Sang', 'Sơn', 'Tài', 'Tâm', 'Thắng', 'Thành', 'Thiện', 'Tiến', 'Toàn', 'Trí', 'Trung', 'Tuấn', 'Út', 'Việt', 'Vinh', 'Xuân'];
const FEMALE_GIVEN_NAMES = ['Anh', 'Ánh', 'Cúc', 'Diễm', 'Dung', 'Đào', 'Hà', 'Hạnh', 'Hằng', 'Hoa', 'Hồng', 'Hương', 'Lan', 'Lệ', 'Liên', 'Loan', 'Mai', 'Nga', 'Ngọc', 'Nhung', 'Nương', 'Oanh', 'Phượng', 'Sen', 'Thảo', 'Thơm', 'Thủy', 'Trang', 'Tuyết', 'Út', 'Vân', 'Xuân', 'Yến'];
// About one in eight people in Kiên Giang is Khmer.
const KHMER_FAMILY_NAMES = ['Danh', 'Thạch', 'Kim', 'Sơn', 'Lâm', 'Chau'];
const KHMER_MALE_GIVEN_NAMES = ['Sóc', 'Khang', 'Sến', 'Phol', 'Sa Rinh', 'Chanh', 'Hol', 'Ên', 'Sa Ri', 'Mol'];
const KHMER_FEMALE_GIVEN_NAMES = ['Sa Rươl', 'Sà Phương', 'Mên', 'Sây', 'Sa Mây', 'Ni', 'Phi', 'Sóc Kha', 'Thươl'];

const CITY_BANKS: ReadonlyArray<readonly [string, number]> = [['AGRIBANK', 25], ['VBA', 15], ['VCB', 20], ['BIDV', 20], ['VIETINBANK', 20]];
const RURAL_BANKS: ReadonlyArray<readonly [string, number]> = [['AGRIBANK', 45], ['VBA', 35], ['BIDV', 8], ['VIETINBANK', 7], ['VCB', 5]];
/** Branch prefix and total length of each bank's account numbers (all within the 6–19 digits the ledger accepts). */
const ACCOUNT_NUMBER_FORMATS: Readonly<Record<string, { prefix: string; length: number }>> = {
  VBA: { prefix: '77002', length: 13 },
  AGRIBANK: { prefix: '7706', length: 13 },
  VCB: { prefix: '0721000', length: 13 },
  BIDV: { prefix: '716100', length: 14 },
  VIETINBANK: { prefix: '1088', length: 12 },
};

const SUSPENSION_REASONS = [
  'Did not confirm residence at the annual review',
  'Under review: possibly enrolled in another province as well',
  'Serving a prison sentence',
  'Living abroad with relatives for more than six months',
];

interface Slot {
  programs: readonly DemoProgram[];
  unitCode: string;
  profile: Profile;
  secondProfile?: Profile;
  gender: Gender;
  dateOfBirth: LocalDate;
  enrolledIn: DemoStep;
  verified: boolean;
  account: Omit<DemoAccount, 'accountId' | 'bankCode' | 'accountNumber' | 'holderName'> | null;
  lifeEvent: DemoLifeEvent | null;
}

function generatePopulation(ids: BeneficiaryIdDerivation, size: DemoProvinceSize, story: DemoStory): Pick<DemoProvince, 'persons' | 'featured'> {
  const random = mulberry32(POPULATION_SEED);
  const personas = featuredPersons(ids);
  const personaList = [personas.bankTransferRetried, personas.cashReturned, personas.deceasedReportedLate];

  // Slots per category. The personas fill one each of: meritorious verified (Tài), social assistance
  // cash (Ánh), meritorious cash (Hùng).
  const meritoriousOnly = size.meritorious - size.inBothPrograms - 2;
  const socialAssistanceOnly = size.socialAssistance - size.inBothPrograms - 1;
  const programsOf = [
    ...Array.from({ length: size.inBothPrograms }, () => ['MERITORIOUS', 'SOCIAL_ASSISTANCE'] as const),
    ...Array.from({ length: meritoriousOnly }, () => ['MERITORIOUS'] as const),
    ...Array.from({ length: socialAssistanceOnly }, () => ['SOCIAL_ASSISTANCE'] as const),
  ];
  const units = allocate(programsOf.length, DISTRICTS);
  const slots: Slot[] = shuffled(random, programsOf).map((programs, index) => {
    const profile =
      programs.length === 2 ? BOTH_PROGRAMS_PROFILE : pickWeighted(random, programs[0] === 'MERITORIOUS' ? MERITORIOUS_PROFILES : SOCIAL_ASSISTANCE_PROFILES);
    const gender: Gender = random() < profile.femaleShare ? 'FEMALE' : 'MALE';
    return {
      programs,
      unitCode: units[index]!,
      profile,
      ...(programs.length === 2 ? { secondProfile: SOCIAL_ASSISTANCE_PROFILES[0]![0] } : {}),
      gender,
      dateOfBirth: dateIn(random, profile.born[0], profile.born[1]),
      enrolledIn: 'go-live',
      verified: false,
      account: null,
      lifeEvent: null,
    };
  });

  // New decisions after go-live: single-program people only, so that a person's enrollments share one history.
  const single = slots.filter((slot) => slot.programs.length === 1);
  const [fromFebruary, lateForJanuary, fromApril, lateForMarch] = splitSample(random, single, [
    size.enrolledFromFebruary,
    size.enrolledLateForJanuary,
    size.enrolledFromApril,
    size.enrolledLateForMarch,
  ]);
  const cohorts = new Map<Slot, { step: DemoStep; effectiveFrom: Period }>();
  for (const slot of fromFebruary!) cohorts.set(slot, { step: 'january', effectiveFrom: '2024-02' as Period });
  for (const slot of lateForJanuary!) cohorts.set(slot, { step: 'february', effectiveFrom: '2024-01' as Period });
  for (const slot of fromApril!) cohorts.set(slot, { step: 'march', effectiveFrom: '2024-04' as Period });
  for (const slot of lateForMarch!) cohorts.set(slot, { step: 'march', effectiveFrom: '2024-03' as Period });
  for (const [slot, cohort] of cohorts) slot.enrolledIn = cohort.step;

  // Exactly the published number of verified accounts per program. Cities bank more, islands and
  // remote districts less, the very old less; children hold no account of their own.
  const bankingPropensity = (slot: Slot) => {
    if (Number(slot.dateOfBirth.slice(0, 4)) > 2005) return 0;
    const place = CITIES.has(slot.unitCode) ? 2 : slot.unitCode === '912' ? 0.6 : REMOTE_UNITS.has(slot.unitCode) ? 0.8 : 1;
    return place * (Number(slot.dateOfBirth.slice(0, 4)) < 1944 ? 0.6 : 1);
  };
  const inCategory = (programs: string) => slots.filter((slot) => slot.programs.join('+') === programs);
  const verified = [
    ...sampleWeighted(random, inCategory('MERITORIOUS+SOCIAL_ASSISTANCE'), size.verifiedInBothPrograms, bankingPropensity),
    ...sampleWeighted(random, inCategory('MERITORIOUS'), size.verifiedMeritorious - size.verifiedInBothPrograms - 1, bankingPropensity),
    ...sampleWeighted(random, inCategory('SOCIAL_ASSISTANCE'), size.verifiedSocialAssistance - size.verifiedInBothPrograms, bankingPropensity),
  ];
  for (const slot of verified) slot.verified = true;

  // When the verified accounts were opened: most before go-live, the rest in the cashless drive.
  const verifiedAtGoLive = verified.filter((slot) => slot.enrolledIn === 'go-live');
  const [byOperator, inJanuary, inFebruary] = splitSample(random, verifiedAtGoLive, [size.verifiedByOperator, size.accountsOpenedInJanuary, size.accountsOpenedInFebruary]);
  const openedIn = new Map<Slot, DemoStep>();
  for (const slot of inJanuary!) openedIn.set(slot, 'january');
  for (const slot of inFebruary!) openedIn.set(slot, 'february');
  const verifiedByOperator = new Set(byOperator);
  for (const slot of verified) {
    const step = openedIn.get(slot) ?? slot.enrolledIn;
    slot.account = {
      openedOn: accountOpenedOn(random, step),
      openedIn: step,
      statusWhenOpened: verifiedByOperator.has(slot) ? 'UNVERIFIED' : 'VERIFIED',
      verifiedByOperatorIn: verifiedByOperator.has(slot) ? 'january' : null,
    };
  }

  // Cash recipients: a few hold an account under a misprinted name nobody has verified yet.
  const cashAtGoLive = slots.filter((slot) => !slot.verified && slot.enrolledIn === 'go-live');
  const unverified = new Set(sampleWeighted(random, cashAtGoLive, size.unverifiedAccounts, () => 1));
  for (const slot of unverified) slot.account = { openedOn: accountOpenedOn(random, 'go-live'), openedIn: 'go-live', statusWhenOpened: 'UNVERIFIED', verifiedByOperatorIn: null };

  // Suspensions and deaths happen to single-program people paid cash, so that the published
  // verified-account figures hold whether or not they are counted.
  const lives = sampleWeighted(
    random,
    cashAtGoLive.filter((slot) => slot.programs.length === 1 && !unverified.has(slot)),
    story.suspendedFromMarch + story.suspendedBeforeMarchSending + story.suspendedFromApril + (story.deceasedReportedLate - 1) + story.deceasedInMarch,
    () => 1,
  );
  let next = 0;
  const take = (count: number, lifeEvent: (slot: Slot, index: number) => DemoLifeEvent) => {
    for (let index = 0; index < count; index++) {
      const slot = lives[next++]!;
      slot.lifeEvent = lifeEvent(slot, index);
    }
  };
  const program = (slot: Slot) => slot.programs[0]!;
  take(story.suspendedFromMarch, (slot, index) => ({ kind: 'SUSPENDED_FROM_MARCH', program: program(slot), reason: pickOne(random, SUSPENSION_REASONS), resumedFromApril: index < story.resumedFromApril }));
  take(story.suspendedBeforeMarchSending, (slot) => ({ kind: 'SUSPENDED_BEFORE_MARCH_SENDING', program: program(slot), reason: pickOne(random, SUSPENSION_REASONS) }));
  take(story.suspendedFromApril, (slot) => ({ kind: 'SUSPENDED_FROM_APRIL', program: program(slot), reason: pickOne(random, SUSPENSION_REASONS) }));
  take(story.deceasedReportedLate - 1, (slot) => ({ kind: 'DECEASED_REPORTED_LATE', program: program(slot), diedOn: dateBetween(random, '2024-01-03', '2024-01-28') }));
  take(story.deceasedInMarch, (slot) => ({ kind: 'DECEASED_IN_MARCH', program: program(slot), diedOn: dateBetween(random, '2024-03-01', '2024-03-20') }));

  // Names, ids, decisions and bank details, in slot order.
  const usedNationalIds = new Set(personaList.map((person) => person.nationalId as string));
  const persons = slots.map((slot, index) => {
    const fullName = nameFor(random, slot.gender);
    const nationalId = nationalIdFor(slot, index, usedNationalIds);
    const beneficiaryId = ids.beneficiaryIdFor(nationalId);
    const cohort = cohorts.get(slot);
    const enrollments = slot.programs.map((programCode, which) => {
      const profile = which === 0 ? slot.profile : slot.secondProfile!;
      return enrollmentFor(random, programCode, profile, slot.dateOfBirth, cohort?.effectiveFrom);
    });
    const account = slot.account ? accountFor(random, slot, beneficiaryId, fullName, index) : null;
    return person({ beneficiaryId, nationalId, fullName, dateOfBirth: slot.dateOfBirth, gender: slot.gender, unitCode: slot.unitCode, enrolledIn: slot.enrolledIn, enrollments, account, lifeEvent: slot.lifeEvent });
  });
  return { persons: [...personaList, ...persons], featured: personas };
}

/** Validated exactly as the API validates what an operator types. */
function person(candidate: DemoPerson): DemoPerson {
  parseNationalId(candidate.nationalId, candidate);
  parseFullName(candidate.fullName);
  for (const enrollment of candidate.enrollments) parseCoefficient(enrollment.coefficient);
  if (candidate.account) {
    parseBankCode(candidate.account.bankCode);
    parseAccountNumber(candidate.account.accountNumber);
    const matches = holderNameMatches(candidate.account.holderName, candidate.fullName);
    if (matches !== (candidate.account.statusWhenOpened === 'VERIFIED')) throw new Error('A demo account holder name contradicts its intended status');
  }
  return candidate;
}

/** The featured people alone, without generating the province (the banner needs only their ids, as this store derives them). */
export function featuredPersons(ids: BeneficiaryIdDerivation): DemoProvince['featured'] {
  const accountIdFor = (beneficiaryId: string) => uuidV5(`account/${beneficiaryId}`, DEMO_NAMESPACE);
  const tai = ids.beneficiaryIdFor('091052000123' as NationalId);
  const anh = ids.beneficiaryIdFor('091138004527' as NationalId);
  const hung = ids.beneficiaryIdFor('091048007731' as NationalId);
  return {
    // The wire contract's example person and account (docs/interfaces.md).
    bankTransferRetried: person({
      beneficiaryId: tai,
      nationalId: '091052000123' as NationalId,
      fullName: 'Bùi Trung Tài',
      dateOfBirth: '1952-03-14' as LocalDate,
      gender: 'MALE',
      unitCode: '899',
      enrolledIn: 'go-live',
      enrollments: [{ program: 'MERITORIOUS', coefficient: 1000 as Coefficient, effectiveFrom: '2024-01' as Period, decision: { number: '123/QĐ-SLĐTBXH', date: '1995-07-27' as LocalDate } }],
      account: { accountId: accountIdFor(tai), bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2023-03-01' as LocalDate, openedIn: 'go-live', statusWhenOpened: 'VERIFIED', verifiedByOperatorIn: null },
      lifeEvent: null,
    }),
    cashReturned: person({
      beneficiaryId: anh,
      nationalId: '091138004527' as NationalId,
      fullName: 'Đặng Thị Ánh',
      dateOfBirth: '1938-09-02' as LocalDate,
      gender: 'FEMALE',
      unitCode: '912',
      enrolledIn: 'go-live',
      enrollments: [{ program: 'SOCIAL_ASSISTANCE', coefficient: 1000 as Coefficient, effectiveFrom: '2024-01' as Period, decision: { number: '482/QĐ-UBND', date: '2021-09-15' as LocalDate } }],
      account: null,
      lifeEvent: null,
    }),
    deceasedReportedLate: person({
      beneficiaryId: hung,
      nationalId: '091048007731' as NationalId,
      fullName: 'Trần Văn Hùng',
      dateOfBirth: '1948-05-19' as LocalDate,
      gender: 'MALE',
      unitCode: '906',
      enrolledIn: 'go-live',
      enrollments: [{ program: 'MERITORIOUS', coefficient: 1500 as Coefficient, effectiveFrom: '2024-01' as Period, decision: { number: '1047/QĐ-SLĐTBXH', date: '1989-04-30' as LocalDate } }],
      account: null,
      lifeEvent: { kind: 'DECEASED_REPORTED_LATE', program: 'MERITORIOUS', diedOn: '2024-01-18' as LocalDate },
    }),
  };
}

/** `total` units handed out in proportion to `weights` (largest remainder), each unit getting at least one. */
function allocate(total: number, weights: ReadonlyArray<readonly [string, number]>): string[] {
  const sum = weights.reduce((acc, [, weight]) => acc + weight, 0);
  const shares = weights.map(([code, weight]) => ({ code, exact: (total * weight) / sum }));
  const counts = shares.map((share) => ({ code: share.code, count: Math.max(1, Math.floor(share.exact)), remainder: share.exact - Math.floor(share.exact) }));
  let left = total - counts.reduce((acc, { count }) => acc + count, 0);
  for (const entry of [...counts].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    entry.count++;
    left--;
  }
  // Rounding every unit up to one can overshoot a tiny total: take the excess from the largest.
  while (left < 0) {
    const largest = counts.reduce((a, b) => (b.count > a.count ? b : a));
    largest.count--;
    left++;
  }
  return counts.flatMap(({ code, count }) => Array.from({ length: count }, () => code));
}

/** Disjoint samples of the given sizes, drawn uniformly. */
function splitSample<T>(random: Random, items: readonly T[], counts: readonly number[]): T[][] {
  const total = counts.reduce((a, b) => a + b, 0);
  const drawn = sampleWeighted(random, items, total, () => 1);
  let start = 0;
  return counts.map((count) => drawn.slice(start, (start += count)));
}

function nameFor(random: Random, gender: Gender): string {
  const female = gender === 'FEMALE';
  if (random() < 0.12) {
    const family = pickOne(random, KHMER_FAMILY_NAMES);
    const given = pickOne(random, female ? KHMER_FEMALE_GIVEN_NAMES : KHMER_MALE_GIVEN_NAMES);
    const middle = female ? (random() < 0.6 ? 'Thị ' : '') : random() < 0.3 ? 'Văn ' : '';
    return `${family} ${middle}${given}`.normalize('NFC');
  }
  const family = pickWeighted(random, FAMILY_NAMES);
  const middle = pickWeighted(random, female ? FEMALE_MIDDLE_NAMES : MALE_MIDDLE_NAMES);
  const given = pickOne(random, female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
  return `${family} ${middle} ${given}`.normalize('NFC');
}

/**
 * Province 091, then the century/gender digit (0/1 born 1900–1999 male/female, 2/3 born
 * 2000–2099), the last two digits of the birth year, and a six-digit serial.
 */
function nationalIdFor(slot: Slot, index: number, used: Set<string>): NationalId {
  const year = Number(slot.dateOfBirth.slice(0, 4));
  const centuryAndGender = (year >= 2000 ? 2 : 0) + (slot.gender === 'FEMALE' ? 1 : 0);
  // A multiplier prime to 10 makes index → serial one-to-one over a million serials: no two people share one.
  let serial = (index * 738_371 + 104_729) % 1_000_000;
  let id: string;
  while (used.has((id = `091${centuryAndGender}${String(year % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`))) serial = (serial + 1) % 1_000_000;
  used.add(id);
  return id as NationalId;
}

function enrollmentFor(random: Random, program: DemoProgram, profile: Profile, dateOfBirth: LocalDate, lateEffectiveFrom: Period | undefined): DemoEnrollment {
  const coefficient = pickWeighted(random, profile.coefficients) as Coefficient;
  const effectiveFrom = lateEffectiveFrom ?? ('2024-01' as Period);
  const office = program === 'MERITORIOUS' ? 'QĐ-SLĐTBXH' : 'QĐ-UBND';
  const number = `${integerBetween(random, 1, 2999)}/${office}`;
  if (lateEffectiveFrom) {
    // A new decision, signed in the weeks before the month it takes effect.
    const month = lateEffectiveFrom === '2024-01' ? '2023-12' : lateEffectiveFrom === '2024-02' ? '2024-01' : lateEffectiveFrom === '2024-03' ? '2024-02' : '2024-03';
    return { program, coefficient, effectiveFrom, decision: { number, date: `${month}-${String(integerBetween(random, 2, 20)).padStart(2, '0')}` as LocalDate } };
  }
  // Decided long ago, migrated into the ledger at go-live; never before the person was born.
  const earliest = Math.max(profile.decided[0], Number(dateOfBirth.slice(0, 4)) + 1);
  const latest = Math.max(earliest, profile.decided[1]);
  let date = dateIn(random, earliest, latest);
  if (date > '2023-11-30') date = '2023-11-30' as LocalDate;
  return { program, coefficient, effectiveFrom, decision: { number, date } };
}

function accountFor(random: Random, slot: Slot, beneficiaryId: string, fullName: string, index: number): DemoAccount {
  const bankCode = pickWeighted(random, CITIES.has(slot.unitCode) ? CITY_BANKS : RURAL_BANKS);
  const { prefix, length } = ACCOUNT_NUMBER_FORMATS[bankCode]!;
  const digits = length - prefix.length;
  // A multiplier prime to 10 again: distinct people get distinct numbers.
  const serial = (index * 48_271_723 + 12_345) % 10 ** digits;
  const account = slot.account!;
  return {
    accountId: uuidV5(`account/${beneficiaryId}`, DEMO_NAMESPACE),
    bankCode,
    accountNumber: `${prefix}${String(serial).padStart(digits, '0')}`,
    holderName: account.statusWhenOpened === 'VERIFIED' ? bankPrintedName(fullName) : misprinted(fullName),
    ...account,
  };
}

/** How a bank gets a name wrong: the middle name dropped, or the words swapped. */
function misprinted(fullName: string): string {
  const words = bankPrintedName(fullName).split(' ');
  const candidate = words.length >= 3 ? [words[0], ...words.slice(2)].join(' ') : [...words].reverse().join(' ');
  return holderNameMatches(candidate, fullName) ? `${candidate} THI` : candidate;
}

function accountOpenedOn(random: Random, step: DemoStep): LocalDate {
  switch (step) {
    case 'go-live':
      return dateBetween(random, '2021-06-01', '2023-11-30');
    case 'january':
      return dateBetween(random, '2024-01-02', '2024-01-12');
    case 'february':
      return dateBetween(random, '2024-02-01', '2024-02-14');
    case 'march':
      return dateBetween(random, '2024-03-01', '2024-03-20');
  }
}

function dateIn(random: Random, fromYear: number, toYear: number): LocalDate {
  const year = integerBetween(random, fromYear, toYear);
  return `${year}-${String(integerBetween(random, 1, 12)).padStart(2, '0')}-${String(integerBetween(random, 1, 28)).padStart(2, '0')}` as LocalDate;
}

function dateBetween(random: Random, from: string, to: string): LocalDate {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
  return parseLocalDate(new Date(start + integerBetween(random, 0, days) * 86_400_000).toISOString().slice(0, 10), 'date');
}
