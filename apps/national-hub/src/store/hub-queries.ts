import type { CrossProvinceFindingDecision, CrossProvinceFindingKind } from '@ledger/integration-events';
import type { HubDatabase } from './hub-database.js';

/** The disbursement statuses, in the order the province's monthly summary knows them. */
export const DISBURSEMENT_STATUSES = ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'] as const;

export interface StatusTotal {
  count: number;
  totalAmount: number;
}

/** The province's monthly summary summed over its units: the same groups' counts and amounts, per province. */
export interface NationalTotal {
  province: string;
  period: string;
  program: string;
  channel: string;
  count: number;
  totalAmount: number;
  /** Only the statuses present. */
  byStatus: Record<string, StatusTotal>;
}

export interface TotalsFilter {
  readonly period?: string | undefined;
  readonly province?: string | undefined;
  readonly program?: string | undefined;
}

export interface EnrollmentCoverage {
  province: string;
  program: string;
  active: number;
  suspended: number;
  /** Distinct person keys enrolled (ACTIVE or SUSPENDED) in the program in this province. */
  distinctPersons: number;
}

export interface NationalCoverage {
  enrollments: EnrollmentCoverage[];
  /** Distinct person keys enrolled in each program in any province: less than the provinces' sum by the people enrolled in two. */
  programs: Array<{ program: string; distinctPersons: number; provinces: number }>;
  bankAccounts: Array<{ province: string; opened: number; byBank: Record<string, number> }>;
}

export interface FindingView {
  findingId: string;
  kind: CrossProvinceFindingKind;
  program: string;
  period?: string;
  status: 'OPEN' | 'RESOLVED';
  foundAt: string;
  resolvedAt?: string;
  parties: Array<{ province: string; joinedAt: string; decision?: CrossProvinceFindingDecision; resolvedAt?: string }>;
}

export interface FindingsFilter {
  readonly status?: 'OPEN' | 'RESOLVED' | undefined;
  readonly kind?: CrossProvinceFindingKind | undefined;
  /** Found after this (foundAt, findingId), from the page before. */
  readonly after?: { readonly foundAt: string; readonly findingId: string } | undefined;
  readonly limit: number;
}

/**
 * The ministry's questions, in SQL over the hub's tables. Aggregates are computed at query time
 * from the snapshots rather than kept as running sums: one row per fact, nothing to keep in step
 * with it; the period index keeps one month's totals a range scan.
 */
export class HubQueries {
  constructor(private readonly database: HubDatabase) {}

  async totals(filter: TotalsFilter): Promise<NationalTotal[]> {
    const conditions: string[] = [];
    const values: string[] = [];
    for (const [column, value] of [
      ['period', filter.period],
      ['province', filter.province],
      ['program', filter.program],
    ] as const) {
      if (value === undefined) continue;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    }
    const { rows } = await this.database.pool.query<{ province: string; period: string; program: string; channel: string; status: string; count: string; total: string }>({
      text: `SELECT province, period, program, channel, status, count(*) AS count, sum(amount) AS total FROM disbursements
             ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
             GROUP BY province, period, program, channel, status ORDER BY province, period, program, channel`,
      values,
    });
    const groups = new Map<string, NationalTotal>();
    for (const row of rows) {
      const key = `${row.province}|${row.period}|${row.program}|${row.channel}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { province: row.province, period: row.period, program: row.program, channel: row.channel, count: 0, totalAmount: 0, byStatus: {} }));
      const count = Number(row.count);
      const totalAmount = Number(row.total);
      group.count += count;
      group.totalAmount += totalAmount;
      group.byStatus[row.status] = { count, totalAmount };
    }
    // Statuses in one order in every answer, as the province's summary lists them.
    for (const group of groups.values()) {
      group.byStatus = Object.fromEntries(DISBURSEMENT_STATUSES.filter((status) => status in group.byStatus).map((status) => [status, group.byStatus[status]!]));
    }
    return [...groups.values()];
  }

  async coverage(): Promise<NationalCoverage> {
    const [enrollments, programs, accounts] = await Promise.all([
      this.database.pool.query<{ province: string; program: string; active: string; suspended: string; persons: string }>(
        `SELECT province, program,
                count(*) FILTER (WHERE status = 'ACTIVE') AS active,
                count(*) FILTER (WHERE status = 'SUSPENDED') AS suspended,
                count(DISTINCT person_key) FILTER (WHERE status IN ('ACTIVE', 'SUSPENDED')) AS persons
         FROM enrollments GROUP BY province, program ORDER BY province, program`,
      ),
      this.database.pool.query<{ program: string; persons: string; provinces: string }>(
        `SELECT program, count(DISTINCT person_key) AS persons, count(DISTINCT province) AS provinces
         FROM enrollments WHERE status IN ('ACTIVE', 'SUSPENDED') GROUP BY program ORDER BY program`,
      ),
      this.database.pool.query<{ province: string; bank_code: string; opened: string }>('SELECT province, bank_code, opened FROM bank_accounts_opened ORDER BY province, bank_code'),
    ]);
    const bankAccounts = new Map<string, { province: string; opened: number; byBank: Record<string, number> }>();
    for (const row of accounts.rows) {
      let ofProvince = bankAccounts.get(row.province);
      if (!ofProvince) bankAccounts.set(row.province, (ofProvince = { province: row.province, opened: 0, byBank: {} }));
      ofProvince.opened += Number(row.opened);
      ofProvince.byBank[row.bank_code] = Number(row.opened);
    }
    return {
      enrollments: enrollments.rows.map((row) => ({ province: row.province, program: row.program, active: Number(row.active), suspended: Number(row.suspended), distinctPersons: Number(row.persons) })),
      programs: programs.rows.map((row) => ({ program: row.program, distinctPersons: Number(row.persons), provinces: Number(row.provinces) })),
      bankAccounts: [...bankAccounts.values()],
    };
  }

  /** Findings oldest first; beneficiary ids and person keys stay out (the provinces hold them, the ministry needs neither). */
  async findings(filter: FindingsFilter): Promise<FindingView[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const parameter = (value: unknown) => (values.push(value), `$${values.length}`);
    if (filter.status) conditions.push(`f.status = ${parameter(filter.status)}`);
    if (filter.kind) conditions.push(`f.kind = ${parameter(filter.kind)}`);
    if (filter.after) conditions.push(`(f.found_at, f.finding_id) > (${parameter(filter.after.foundAt)}::timestamptz, ${parameter(filter.after.findingId)}::uuid)`);
    const { rows } = await this.database.pool.query<{
      finding_id: string;
      kind: CrossProvinceFindingKind;
      program: string;
      period: string | null;
      status: 'OPEN' | 'RESOLVED';
      found_at: Date;
      resolved_at: Date | null;
      parties: Array<{ province: string; joined_at: string; decision: CrossProvinceFindingDecision | null; resolved_at: string | null }>;
    }>({
      text: `SELECT f.finding_id, f.kind, f.program, f.period, f.status, f.found_at, f.resolved_at,
                    (SELECT json_agg(json_build_object('province', p.province, 'joined_at', p.joined_at, 'decision', p.decision, 'resolved_at', p.resolved_at) ORDER BY p.province)
                     FROM finding_parties p WHERE p.finding_id = f.finding_id) AS parties
             FROM findings f ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
             ORDER BY f.found_at, f.finding_id LIMIT ${parameter(filter.limit)}`,
      values,
    });
    return rows.map((row) => ({
      findingId: row.finding_id,
      kind: row.kind,
      program: row.program,
      ...(row.period !== null ? { period: row.period } : {}),
      status: row.status,
      foundAt: row.found_at.toISOString(),
      ...(row.resolved_at ? { resolvedAt: row.resolved_at.toISOString() } : {}),
      parties: row.parties.map((party) => ({
        province: party.province,
        joinedAt: new Date(party.joined_at).toISOString(),
        ...(party.decision ? { decision: party.decision } : {}),
        ...(party.resolved_at ? { resolvedAt: new Date(party.resolved_at).toISOString() } : {}),
      })),
    }));
  }

  /** The last stream sequence a consumer's batches reached; 0 before the first. */
  async checkpoint(consumer: string): Promise<number> {
    const { rows } = await this.database.pool.query<{ stream_sequence: string }>('SELECT stream_sequence FROM consumer_checkpoints WHERE consumer = $1', [consumer]);
    return rows[0] ? Number(rows[0].stream_sequence) : 0;
  }
}
