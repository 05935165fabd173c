import { InvalidValue, parseInstant, parsePeriod, type Period } from '../shared/index.js';
import { CROSS_PROVINCE_FINDING_KINDS, type CrossProvinceFindingDecision, type CrossProvinceFindingKind } from './beneficiary.events.js';

/**
 * A finding of the national hub about one of the province's people, as its notice says it: the
 * same person (by national person key) enrolled in the same program in another province too, or
 * paid there for the same period. The notice names the person by this province's beneficiary id.
 */
export interface CrossProvinceFindingFacts {
  /** The hub's id of the finding, the same however often it is sent. */
  readonly findingId: string;
  readonly kind: CrossProvinceFindingKind;
  readonly program: string;
  /** The month paid twice: present exactly for PAID_IN_TWO_PROVINCES. */
  readonly period?: Period;
  /** The other provinces concerned, by code, each once, in ascending order. */
  readonly otherProvinces: readonly string[];
  /** When the hub found it, as an ISO instant in UTC. */
  readonly foundAt: string;
}

/** A finding as the beneficiary keeps it: what the notice said, and the operator's resolution once there is one. */
export interface CrossProvinceFinding extends CrossProvinceFindingFacts {
  readonly recordedOn: string;
  readonly resolution?: { readonly decision: CrossProvinceFindingDecision; readonly resolvedBy: string; readonly recordedOn: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROGRAM = /^[A-Z][A-Z0-9_]{0,39}$/;
/** As the hub's subjects carry them: digits only. */
const PROVINCE = /^[0-9]{2,3}$/;
const MAX_OTHER_PROVINCES = 64;

/**
 * A notice as the ledger may record it. It arrives from another system over the network, so every
 * part is read here rather than trusted: a finding id that is a UUID (kept lower-case, so the same
 * finding is one key), a kind, a program code, a period exactly when the kind is about one, one or
 * more province codes, and an instant with its offset. Refusals name the field, never a value.
 */
export function parseCrossProvinceFindingFacts(raw: {
  readonly findingId: unknown;
  readonly kind: unknown;
  readonly program: unknown;
  readonly period?: unknown;
  readonly otherProvinces: unknown;
  readonly foundAt: unknown;
}): CrossProvinceFindingFacts {
  if (typeof raw.findingId !== 'string' || !UUID.test(raw.findingId)) throw new InvalidValue('findingId', 'findingId must be a UUID');
  if (!(CROSS_PROVINCE_FINDING_KINDS as readonly unknown[]).includes(raw.kind)) {
    throw new InvalidValue('kind', `kind must be one of ${CROSS_PROVINCE_FINDING_KINDS.join(', ')}`);
  }
  const kind = raw.kind as CrossProvinceFindingKind;
  if (typeof raw.program !== 'string' || !PROGRAM.test(raw.program)) throw new InvalidValue('program', 'program must be a program code (A–Z, 0–9, _)');
  const period = periodOf(kind, raw.period);
  return {
    findingId: raw.findingId.toLowerCase(),
    kind,
    program: raw.program,
    ...(period ? { period } : {}),
    otherProvinces: parseOtherProvinces(raw.otherProvinces),
    foundAt: parseInstant(raw.foundAt, 'foundAt').toISOString(),
  };
}

/** A month paid in two provinces names the month; an enrollment in two names none. */
function periodOf(kind: CrossProvinceFindingKind, raw: unknown): Period | undefined {
  if (kind === 'ENROLLED_IN_TWO_PROVINCES') {
    if (raw !== undefined && raw !== null) throw new InvalidValue('period', 'An enrollment found in two provinces names no period');
    return undefined;
  }
  if (raw === undefined || raw === null) throw new InvalidValue('period', 'A payment found in two provinces names the period paid twice');
  return parsePeriod(raw, 'period');
}

function parseOtherProvinces(raw: unknown): string[] {
  const field = 'otherProvinces';
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_OTHER_PROVINCES) {
    throw new InvalidValue(field, `${field} must name 1–${MAX_OTHER_PROVINCES} provinces`);
  }
  if (!raw.every((code) => typeof code === 'string' && PROVINCE.test(code))) throw new InvalidValue(field, `${field} must be province codes of 2 or 3 digits`);
  // The same provinces in another order are the same finding.
  return [...new Set(raw as string[])].sort();
}

/** What makes a finding the finding it is: a repeated notice that disagrees on these is not a repeat. */
export function sameCrossProvinceFinding(a: CrossProvinceFindingFacts, b: CrossProvinceFindingFacts): boolean {
  return a.kind === b.kind && a.program === b.program && a.period === b.period;
}
