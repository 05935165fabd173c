import { uuidV5 } from '@ledger/domain';
import { INTEGRATION_CONTRACT_VERSION, type CrossProvinceFindingKind, type CrossProvinceFindingNotice } from '@ledger/integration-events';

/**
 * Fixed for good: a finding's id is derived under it, so that the same situation is the same
 * finding however often, and by whichever hub process, it is found.
 */
export const CROSS_PROVINCE_FINDING_NAMESPACE = '9e9da1d8-6593-4a0c-b410-dcb408ca5e77';

export const CROSS_PROVINCE_FINDING_KINDS: readonly CrossProvinceFindingKind[] = ['ENROLLED_IN_TWO_PROVINCES', 'PAID_IN_TWO_PROVINCES'];

/** UUIDv5 of `kind|personKey|program|period` (period empty for an enrollment finding). */
export function crossProvinceFindingId(kind: CrossProvinceFindingKind, personKey: string, program: string, period: string | null): string {
  return uuidV5(`${kind}|${personKey}|${program}|${period ?? ''}`, CROSS_PROVINCE_FINDING_NAMESPACE);
}

/** Where one province stands in an overlap: the person there, by that province's own id. */
export interface ProvinceStanding {
  readonly province: string;
  readonly beneficiaryRef: string;
}

/**
 * One person key standing in the same program in more than one province at once, as the store's
 * query finds it: enrolled (ACTIVE or SUSPENDED) there, or paid there for the same period.
 */
export interface CrossProvinceOverlap {
  readonly kind: CrossProvinceFindingKind;
  readonly personKey: string;
  readonly program: string;
  /** The period paid twice; null for an enrollment overlap. */
  readonly period: string | null;
  readonly standings: readonly ProvinceStanding[];
}

export interface FindingRow {
  readonly findingId: string;
  readonly kind: CrossProvinceFindingKind;
  readonly personKey: string;
  readonly program: string;
  readonly period: string | null;
}

/** A province concerned by a finding: it gets one notice, and resolves its own side. */
export interface PartyRow {
  readonly findingId: string;
  readonly province: string;
  readonly beneficiaryRef: string;
}

export interface DetectedFindings {
  readonly findings: readonly FindingRow[];
  readonly parties: readonly PartyRow[];
  /** The overlap each finding came from, by finding id: what its notices say. */
  readonly overlaps: ReadonlyMap<string, CrossProvinceOverlap>;
}

/**
 * A finding per overlap of two provinces or more, and a party per province. A province's ledger
 * derives a beneficiary's id from the national id, so one person has one beneficiary id in a
 * province; were there two, the first stands for the province (one notice per province).
 */
export function findingsOf(overlaps: Iterable<CrossProvinceOverlap>): DetectedFindings {
  const findings: FindingRow[] = [];
  const parties: PartyRow[] = [];
  const byId = new Map<string, CrossProvinceOverlap>();
  for (const overlap of overlaps) {
    const firstPerProvince = new Map<string, ProvinceStanding>();
    for (const standing of overlap.standings) if (!firstPerProvince.has(standing.province)) firstPerProvince.set(standing.province, standing);
    if (firstPerProvince.size < 2) continue;
    const findingId = crossProvinceFindingId(overlap.kind, overlap.personKey, overlap.program, overlap.period);
    if (byId.has(findingId)) continue;
    const distinct = [...firstPerProvince.values()].sort((a, b) => (a.province < b.province ? -1 : a.province > b.province ? 1 : 0));
    byId.set(findingId, { ...overlap, standings: distinct });
    findings.push({ findingId, kind: overlap.kind, personKey: overlap.personKey, program: overlap.program, period: overlap.period });
    for (const { province, beneficiaryRef } of distinct) parties.push({ findingId, province, beneficiaryRef });
  }
  return { findings, parties, overlaps: byId };
}

/** The notice a new party is sent: its own person, and the other provinces where the overlap stands now. */
export function noticeFor(party: PartyRow, overlap: CrossProvinceOverlap, foundAt: Date): CrossProvinceFindingNotice {
  return {
    findingId: party.findingId,
    version: INTEGRATION_CONTRACT_VERSION,
    kind: overlap.kind,
    province: party.province,
    beneficiaryRef: party.beneficiaryRef,
    personKey: overlap.personKey,
    program: overlap.program,
    ...(overlap.period !== null ? { period: overlap.period } : {}),
    otherProvinces: overlap.standings.map((standing) => standing.province).filter((province) => province !== party.province),
    foundAt: foundAt.toISOString(),
  };
}

/** A finding is resolved once every province concerned has resolved its side; a province joining later opens it again. */
export function findingStatusOf(parties: ReadonlyArray<{ readonly decision: string | null }>): 'OPEN' | 'RESOLVED' {
  return parties.length > 0 && parties.every((party) => party.decision !== null) ? 'RESOLVED' : 'OPEN';
}
