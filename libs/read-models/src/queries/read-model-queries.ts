import { bankPrintedName } from '@ledger/domain';
import { LATE_CANDIDATE, UNPAID_STATUSES } from '../read-model-schema.js';
import type { ReadModelStore } from '../read-model-store.js';
import type { SqlValue } from '../row-changes.js';

/** Filters as the API's query parameters name them. Unit filters arrive expanded to every unit below. */
export interface ListFilter {
  readonly units?: readonly string[];
  readonly program?: string;
  readonly period?: string;
  readonly status?: string;
  readonly late?: boolean;
  readonly beneficiaryId?: string;
  readonly after?: string;
  readonly limit: number;
}

export interface Page<T, Cursor = string> {
  readonly items: T[];
  readonly next: Cursor | null;
}

/**
 * Where a report's page starts: the sort key of the last row of the page before, one value per
 * column of the report's order (coverage: unit, program; summary: period, program, unit, channel;
 * late payments and overpayments: period, unit, disbursement; duplicate attempts: position).
 */
export type ReportKey = readonly string[];

/** A report's filters, and its page: `limit` rows after `after`; without a limit, the whole report. */
export interface ReportFilter {
  readonly units?: readonly string[];
  readonly program?: string;
  readonly period?: string;
  readonly after?: ReportKey;
  readonly limit?: number;
}

/** A search of the register: by national id, or by name (accent-insensitive, whole leading words). */
export interface BeneficiarySearch {
  readonly nationalId?: string;
  readonly name?: string;
  readonly units?: readonly string[];
  /** (folded name, beneficiary id) of the last person of the page before. */
  readonly after?: readonly [foldedName: string, beneficiaryId: string];
  readonly limit: number;
}

class Where {
  readonly clauses: string[] = [];
  readonly parameters: SqlValue[] = [];
  add(clause: string, ...parameters: SqlValue[]): this {
    this.clauses.push(clause);
    this.parameters.push(...parameters);
    return this;
  }
  in(column: string, values: readonly string[] | undefined): this {
    if (!values) return this;
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values);
  }
  /** Rows whose sort key comes after `key` (a row-value comparison, which both SQLite and PostgreSQL have). */
  after(columns: readonly string[], key: ReportKey | undefined): this {
    if (!key) return this;
    if (key.length !== columns.length) throw new Error(`A cursor of ${columns.length} values was expected, not ${key.length}`);
    return this.add(`(${columns.join(', ')}) > (${columns.map(() => '?').join(', ')})`, ...key);
  }
  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** `LIMIT ?` for one row more than the page (to know whether another follows), or nothing for a whole report. */
const limitOf = (limit: number | undefined) => (limit === undefined ? { sql: '', parameters: [] as SqlValue[] } : { sql: 'LIMIT ?', parameters: [limit + 1] as SqlValue[] });

/** The page of `rows` (fetched with one row more than `limit`), and the key of its last row if another page follows. */
function pageOf<T, R>(rows: readonly R[], limit: number | undefined, keyOf: (row: R) => ReportKey, toItem: (row: R) => T): Page<T, ReportKey> {
  if (limit === undefined || rows.length <= limit) return { items: rows.map(toItem), next: null };
  const page = rows.slice(0, limit);
  return { items: page.map(toItem), next: keyOf(page.at(-1)!) };
}

const DISBURSEMENT_STATUSES = ['CANCELLED', 'FAILED', 'PAID', 'RETURNED', 'SCHEDULED', 'SENT'] as const;

/**
 * The end of the range of folded names that begin with `folded` as whole words: the name itself,
 * or followed by a space and more. '!' is the character after the space, and a folded name holds
 * nothing below the space, so [folded, folded + '!') is exactly that range, which an index serves.
 */
const wholeWordsEnd = (folded: string) => `${folded}!`;

/** Late today (a parameter): paid after its due date, or unpaid and past it. */
const LATE = `((status = 'PAID' AND days_late > 0) OR (status IN (${UNPAID_STATUSES.map((s) => `'${s}'`).join(', ')}) AND due_date < ?))`;

/**
 * Beyond this many units (a province's whole tree), a page of late payments is one query: a query
 * per unit would cost more than the sort it spares, and SQLite allows 500 arms in a UNION.
 */
const UNITS_READ_ONE_BY_ONE = 200;

export interface BeneficiaryRow {
  beneficiary_id: string;
  national_id: string;
  full_name: string;
  date_of_birth: string;
  gender: string;
  unit_code: string;
  /** The population database's latest answer: MATCHED, MISMATCHED or DECEASED; null when never checked. */
  identity_check: string | null;
  /** With MISMATCHED: the fields it holds otherwise, comma-separated. */
  identity_check_fields: string | null;
  identity_checked_at: string | null;
}

/** The columns of a beneficiary row a query answers with. */
const BENEFICIARY_COLUMNS = ['beneficiary_id', 'national_id', 'full_name', 'date_of_birth', 'gender', 'unit_code', 'identity_check', 'identity_check_fields', 'identity_checked_at'];
const beneficiaryColumns = (alias?: string) => BENEFICIARY_COLUMNS.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
export interface EnrollmentRow {
  beneficiary_id: string;
  program: string;
  status: string;
  coefficient: number;
  effective_from: string;
  suspended_from: string | null;
  terminated_on: string | null;
  termination_reason: string | null;
}
export interface AccountRow {
  account_id: string;
  beneficiary_id: string;
  bank_code: string;
  account_number: string;
  holder_name: string;
  status: string;
  verified_position: number | string | null;
  unverified_reason: string | null;
  opened_by: string | null;
  verified_by: string | null;
}
export interface DisbursementRow {
  disbursement_id: string;
  beneficiary_id: string;
  program: string;
  period: string;
  unit_code: string;
  amount: number | string;
  channel: string;
  bank_code: string | null;
  status: string;
  due_date: string;
  arrears: number | boolean;
  attempt: number;
  payroll_run_id: string | null;
  paid_at: string | null;
  days_late: number | null;
  provider_reference: string | null;
  overpayment: number | boolean;
  termination_date: string | null;
  /** TERMINATED_BEFORE_PERIOD or PAID_AFTER_CANCELLATION while `overpayment`. */
  overpayment_reason: string | null;
  /** ACCOUNT_CLOSED when the current attempt went to the Post Office at sending. */
  channel_change_reason: string | null;
}

export interface PayrollRunRow {
  run_id: string;
  period: string;
  program: string | null;
  unit_code: string | null;
  status: string;
  created_by: string;
  approved_by: string | null;
  scheduled: number | null;
  already_scheduled: number | null;
  arrears: number | null;
  total_amount: number | string | null;
  sent: number | null;
  cancelled: number | null;
  large_arrears: number | null;
  rejected_by: string | null;
  rejection_reason: string | null;
}

/** A death the population database reported, waiting for an operator to confirm or reject it. */
export interface DeathReportRow {
  beneficiary_id: string;
  unit_code: string;
  date_of_death: string;
  reported_at: string;
  /** The answer file's import and line that reported it. */
  import_id: string;
  line: number;
  /** The review list's cursor: pass it back as `cursor` for the next page. */
  reported_position: string;
}

export interface DeathReportFilter {
  /** The caller's units, expanded to every unit below them; undefined for every unit. */
  readonly units?: readonly string[];
  /** The `next` of the page before. */
  readonly cursor?: string;
  readonly limit: number;
}

/** A finding of the national hub about one of the province's people, open or resolved. */
export interface CrossProvinceFindingRow {
  finding_id: string;
  beneficiary_id: string;
  unit_code: string;
  kind: string;
  program: string;
  period: string | null;
  /** Province codes, comma-separated. */
  other_provinces: string;
  found_at: string;
  status: string;
  decision: string | null;
  reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  /** The list's cursor: pass it back as `cursor` for the next page. */
  recorded_position: string;
}

export interface CrossProvinceFindingFilter {
  /** The caller's units, expanded to every unit below them; undefined for every unit. */
  readonly units?: readonly string[];
  readonly status?: string;
  readonly program?: string;
  /** The `next` of the page before. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface FileImportRow {
  import_id: string;
  kind: string;
  format: string;
  sha256: string;
  byte_length: number;
  line_count: number;
  imported_by: string;
  units: string;
  started_at: string;
  completed_at: string | null;
  applied: number | null;
  already_recorded: number | null;
  unmatched: number | null;
  out_of_scope: number | null;
  amount_mismatch: number | null;
  duplicate: number | null;
  refused: number | null;
  unreadable: number | null;
  ignored: number | null;
  /** The list's cursor: pass it back as `cursor` for the next page. */
  started_position: string;
}

export interface FileImportFilter {
  /** The `next` of the page before. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface PayrollRunFilter {
  /** The caller's units; a run for every unit (no unit) is listed only to a caller of every unit (undefined). */
  readonly units?: readonly string[];
  readonly period?: string;
  readonly status?: string;
  /** The `next` of the page before: its last run's period and id. */
  readonly after?: readonly [period: string, runId: string];
  readonly limit: number;
}

export interface DuplicateAttemptRow extends DisbursementRow {
  provider_reference_attempted: string;
  /** PAID_UNDER_ANOTHER_REFERENCE (then `paid_under_reference` says which) or PROVIDER_REFERENCE_IN_USE. */
  reason: string;
  paid_under_reference: string | null;
  attempted_amount: number;
  attempted_paid_at: string;
  recorded_at: string;
  position: string;
}

export interface CoverageItem {
  unitCode: string;
  program: string;
  asOfPeriod: string;
  activeBeneficiaries: number;
  verifiedAccounts: number;
  latestPeriod: string | null;
  paidInLatestPeriod: number;
  paidByBankInLatestPeriod: number;
  bankShareInLatestPeriod: number | null;
}

export interface SummaryItem {
  period: string;
  program: string;
  unitCode: string;
  channel: string;
  count: number;
  totalAmount: number;
  byStatus: Record<string, { count: number; totalAmount: number }>;
}

/** The read side's questions, in SQL both stores understand. */
export class ReadModelQueries {
  constructor(private readonly store: ReadModelStore) {}

  async beneficiaries(filter: ListFilter): Promise<Page<BeneficiaryRow & { enrollments: EnrollmentRow[]; accounts: AccountRow[] }>> {
    const where = new Where().in('b.unit_code', filter.units);
    if (filter.program || filter.status) {
      const inner = new Where().add('e.beneficiary_id = b.beneficiary_id');
      if (filter.program) inner.add('e.program = ?', filter.program);
      if (filter.status) inner.add('e.status = ?', filter.status);
      where.add(`EXISTS (SELECT 1 FROM enrollments e ${inner})`, ...inner.parameters);
    }
    if (filter.after) where.add('b.beneficiary_id > ?', filter.after);
    const rows = await this.store.query<BeneficiaryRow>(
      `SELECT ${beneficiaryColumns('b')} FROM beneficiaries b ${where} ORDER BY b.beneficiary_id LIMIT ?`,
      [...where.parameters, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit);
    const details = await this.detailsOf(page.map((row) => row.beneficiary_id));
    return {
      items: page.map((row) => ({ ...row, enrollments: details.enrollments.get(row.beneficiary_id) ?? [], accounts: details.accounts.get(row.beneficiary_id) ?? [] })),
      next: rows.length > filter.limit ? page.at(-1)!.beneficiary_id : null,
    };
  }

  /**
   * People of the register by national id, or by name whatever its accents and case ('bui trung
   * tai' finds 'Bùi Trung Tài'; 'bui trung' finds them too, 'bui trung ta' does not), in order of
   * their folded name. Both are index lookups (national_id; folded_name, beneficiary_id).
   */
  async searchBeneficiaries(search: BeneficiarySearch): Promise<Page<BeneficiaryRow & { enrollments: EnrollmentRow[]; accounts: AccountRow[] }, readonly [string, string]>> {
    const where = new Where().in('b.unit_code', search.units);
    if (search.nationalId !== undefined) where.add('b.national_id = ?', search.nationalId);
    if (search.name !== undefined) {
      const folded = bankPrintedName(search.name);
      where.add('b.folded_name >= ? AND b.folded_name < ?', folded, wholeWordsEnd(folded));
    }
    where.after(['b.folded_name', 'b.beneficiary_id'], search.after);
    const rows = await this.store.query<BeneficiaryRow & { folded_name: string }>(
      `SELECT ${beneficiaryColumns('b')}, b.folded_name FROM beneficiaries b ${where}
       ORDER BY b.folded_name, b.beneficiary_id LIMIT ?`,
      [...where.parameters, search.limit + 1],
    );
    const page = rows.slice(0, search.limit);
    const details = await this.detailsOf(page.map((row) => row.beneficiary_id));
    const last = page.at(-1);
    return {
      items: page.map(({ folded_name: _, ...row }) => ({ ...row, enrollments: details.enrollments.get(row.beneficiary_id) ?? [], accounts: details.accounts.get(row.beneficiary_id) ?? [] })),
      next: rows.length > search.limit && last ? [last.folded_name, last.beneficiary_id] : null,
    };
  }

  async beneficiary(beneficiaryId: string) {
    const [row] = await this.store.query<BeneficiaryRow>(
      `SELECT ${beneficiaryColumns()} FROM beneficiaries WHERE beneficiary_id = ?`,
      [beneficiaryId],
    );
    if (!row) return undefined;
    const details = await this.detailsOf([beneficiaryId]);
    return { ...row, enrollments: details.enrollments.get(beneficiaryId) ?? [], accounts: details.accounts.get(beneficiaryId) ?? [] };
  }

  private async detailsOf(ids: readonly string[]) {
    const enrollments = new Map<string, EnrollmentRow[]>();
    const accounts = new Map<string, AccountRow[]>();
    if (ids.length === 0) return { enrollments, accounts };
    const placeholders = ids.map(() => '?').join(', ');
    for (const row of await this.store.query<EnrollmentRow>(`SELECT * FROM enrollments WHERE beneficiary_id IN (${placeholders}) ORDER BY program`, ids)) {
      enrollments.set(row.beneficiary_id, [...(enrollments.get(row.beneficiary_id) ?? []), row]);
    }
    for (const row of await this.store.query<AccountRow>(`SELECT * FROM payment_accounts WHERE beneficiary_id IN (${placeholders}) ORDER BY opened_on, account_id`, ids)) {
      accounts.set(row.beneficiary_id, [...(accounts.get(row.beneficiary_id) ?? []), row]);
    }
    return { enrollments, accounts };
  }

  /** Payroll runs, e.g. those awaiting approval (`status=SCHEDULED`), newest period first. */
  async payrollRuns(filter: PayrollRunFilter): Promise<Page<PayrollRunRow, readonly [string, string]>> {
    const where = new Where().in('unit_code', filter.units);
    if (filter.period) where.add('period = ?', filter.period);
    if (filter.status) where.add('status = ?', filter.status);
    if (filter.after) {
      const [period, runId] = filter.after;
      where.add('(period < ? OR (period = ? AND run_id > ?))', period, period, runId);
    }
    const rows = await this.store.query<PayrollRunRow>(`SELECT * FROM payroll_runs ${where} ORDER BY period DESC, run_id LIMIT ?`, [...where.parameters, filter.limit + 1]);
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return { items: page, next: rows.length > filter.limit && last ? [last.period, last.run_id] : null };
  }

  /**
   * The review list: deaths reported and neither confirmed nor rejected, in the units asked for,
   * oldest report first (the person's payments wait meanwhile).
   */
  async deathReportsToReview(filter: DeathReportFilter): Promise<Page<DeathReportRow>> {
    const where = new Where().add("status = 'OPEN'").in('unit_code', filter.units).after(['reported_position'], filter.cursor === undefined ? undefined : [filter.cursor]);
    const rows = await this.store.query<Omit<DeathReportRow, 'reported_position' | 'line'> & { reported_position: number | string; line: number | string }>(
      `SELECT beneficiary_id, unit_code, date_of_death, reported_at, import_id, line, reported_position FROM death_reports ${where} ORDER BY reported_position LIMIT ?`,
      [...where.parameters, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit).map((row): DeathReportRow => ({ ...row, line: Number(row.line), reported_position: String(row.reported_position) }));
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.reported_position : null };
  }

  /** Cross-province findings in the units asked for, oldest first: the open ones are the list of findings to resolve. */
  async crossProvinceFindings(filter: CrossProvinceFindingFilter): Promise<Page<CrossProvinceFindingRow>> {
    const where = new Where().in('unit_code', filter.units).after(['recorded_position'], filter.cursor === undefined ? undefined : [filter.cursor]);
    if (filter.status !== undefined) where.add('status = ?', filter.status);
    if (filter.program !== undefined) where.add('program = ?', filter.program);
    const rows = await this.store.query<Omit<CrossProvinceFindingRow, 'recorded_position'> & { recorded_position: number | string }>(
      `SELECT finding_id, beneficiary_id, unit_code, kind, program, period, other_provinces, found_at, status, decision, reason, resolved_by, resolved_at, recorded_position FROM cross_province_findings ${where} ORDER BY recorded_position LIMIT ?`,
      [...where.parameters, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit).map((row): CrossProvinceFindingRow => ({ ...row, recorded_position: String(row.recorded_position) }));
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.recorded_position : null };
  }

  /** Imported files, the latest first. Which of them a caller may see is the API's rule: every unit of the import within theirs. */
  async fileImports(filter: FileImportFilter): Promise<Page<FileImportRow>> {
    const where = new Where();
    if (filter.cursor !== undefined) where.add('started_position < ?', filter.cursor);
    const rows = await this.store.query<FileImportRow & { started_position: number | string }>(
      `SELECT import_id, kind, format, sha256, byte_length, line_count, imported_by, units, started_at, completed_at, applied, already_recorded, unmatched, out_of_scope, amount_mismatch, duplicate, refused, unreadable, ignored, started_position FROM file_imports ${where} ORDER BY started_position DESC LIMIT ?`,
      [...where.parameters, filter.limit + 1],
    );
    const counts = ['byte_length', 'line_count', 'applied', 'already_recorded', 'unmatched', 'out_of_scope', 'amount_mismatch', 'duplicate', 'refused', 'unreadable', 'ignored'] as const;
    const page = rows.slice(0, filter.limit).map((row): FileImportRow => {
      const typed = { ...row, started_position: String(row.started_position) };
      for (const column of counts) typed[column] = (row[column] === null ? null : Number(row[column])) as never;
      return typed;
    });
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.started_position : null };
  }

  async disbursements(filter: ListFilter, today: string): Promise<Page<DisbursementRow>> {
    const where = this.disbursementWhere(filter, today);
    if (filter.after) where.add('disbursement_id > ?', filter.after);
    const rows = await this.store.query<DisbursementRow>(`SELECT * FROM disbursements ${where} ORDER BY disbursement_id LIMIT ?`, [...where.parameters, filter.limit + 1]);
    const page = rows.slice(0, filter.limit);
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.disbursement_id : null };
  }

  async disbursement(disbursementId: string): Promise<DisbursementRow | undefined> {
    const [row] = await this.store.query<DisbursementRow>('SELECT * FROM disbursements WHERE disbursement_id = ?', [disbursementId]);
    return row;
  }

  private disbursementWhere(filter: Omit<ListFilter, 'limit' | 'after'>, today: string): Where {
    const where = new Where().in('unit_code', filter.units);
    if (filter.program) where.add('program = ?', filter.program);
    if (filter.period) where.add('period = ?', filter.period);
    if (filter.status) where.add('status = ?', filter.status);
    if (filter.beneficiaryId) where.add('beneficiary_id = ?', filter.beneficiaryId);
    if (filter.late !== undefined) {
      where.add(filter.late ? LATE : `NOT ${LATE}`, today);
    }
    return where;
  }

  /**
   * Cashless coverage per unit and program as of a period: the beneficiaries active in it, how many
   * of them have a verified account, and the share paid by bank in that unit's latest period with
   * payments, up to it.
   *
   * The period is `filter.period`, else `currentPeriod`: the caller's today in Asia/Ho_Chi_Minh, as
   * the read models know no clock. A person is active in a period when a spell of their enrollment
   * has started by then and its status in that month (enrollmentStatusOn's rule) is ACTIVE: a
   * suspension or termination counts from the month it takes effect, not from the day it was
   * recorded, and a person enrolled again after a termination counts from the new spell's month.
   * Verified accounts are counted as they stand now. Units are the ones people are registered in now.
   *
   * Both counts are read from active_beneficiary_changes, which the database keeps (ADR 0014): the
   * changes of each unit, program and verified flag summed up to the period, rather than every
   * enrollment's spells and suspensions worked through as of it (enrollmentActiveIn, whose answers
   * they equal).
   */
  async coverage(filter: ReportFilter, currentPeriod: string): Promise<Page<CoverageItem, ReportKey>> {
    const asOf = filter.period ?? currentPeriod;
    const where = new Where().add('period <= ?', asOf).in('unit_code', filter.units);
    if (filter.program) where.add('program = ?', filter.program);
    where.after(['unit_code', 'program'], filter.after);
    const limit = limitOf(filter.limit);
    // A group none of whose people is active in the period (all changes up to it cancel out) is
    // not in the report, as a unit with no one active had no row to count.
    const rows = await this.store.query<{ unit_code: string; program: string; active_beneficiaries: number | string; verified_accounts: number | string }>(
      `SELECT unit_code, program, SUM(change) AS active_beneficiaries, SUM(CASE WHEN verified THEN change ELSE 0 END) AS verified_accounts
       FROM active_beneficiary_changes ${where} GROUP BY unit_code, program HAVING SUM(change) > 0 ORDER BY unit_code, program ${limit.sql}`,
      [...where.parameters, ...limit.parameters],
    );
    const active = filter.limit === undefined ? rows : rows.slice(0, filter.limit);
    // Each unit's own latest period with a payment, per program: a unit whose payroll runs behind
    // the others is measured on its own last month, not shown as having paid no one. For a page,
    // only its units'.
    const pageUnits = filter.limit === undefined ? undefined : [...new Set(active.map((row) => row.unit_code))];
    // From the totals (a row per unit, program, month, channel and status), not the disbursements.
    const latestWhere = new Where().add("status = 'PAID'").add('period <= ?', asOf).in('unit_code', filter.units).in('unit_code', pageUnits);
    if (filter.program) latestWhere.add('program = ?', filter.program);
    const latest = await this.store.query<{ unit_code: string; program: string; period: string; paid: number | string; paid_by_bank: number | string }>(
      `SELECT d.unit_code, d.program, d.period, SUM(d.count) AS paid, SUM(CASE WHEN d.channel = 'BANK' THEN d.count ELSE 0 END) AS paid_by_bank
       FROM disbursement_totals d
       JOIN (SELECT unit_code, program, MAX(period) AS period FROM disbursement_totals ${latestWhere} GROUP BY unit_code, program) l
         ON l.unit_code = d.unit_code AND l.program = d.program AND l.period = d.period
       WHERE d.status = 'PAID'
       GROUP BY d.unit_code, d.program, d.period`,
      latestWhere.parameters,
    );
    const latestBy = new Map(latest.map((row) => [`${row.unit_code}/${row.program}`, row]));
    return pageOf(rows, filter.limit, (row) => [row.unit_code, row.program], (row): CoverageItem => {
      const paid = latestBy.get(`${row.unit_code}/${row.program}`);
      const paidCount = Number(paid?.paid ?? 0);
      return {
        unitCode: row.unit_code,
        program: row.program,
        asOfPeriod: asOf,
        activeBeneficiaries: Number(row.active_beneficiaries),
        verifiedAccounts: Number(row.verified_accounts),
        latestPeriod: paid?.period ?? null,
        paidInLatestPeriod: paidCount,
        paidByBankInLatestPeriod: Number(paid?.paid_by_bank ?? 0),
        // A share, not money: four decimals are plenty for a dashboard.
        bankShareInLatestPeriod: paidCount ? Math.round((Number(paid!.paid_by_bank) / paidCount) * 10_000) / 10_000 : null,
      };
    });
  }

  /**
   * Monthly summary per period × program × unit × channel: counts and VND totals by status. Read
   * from disbursement_totals, which the database keeps per status: a period's groups, not its
   * disbursements.
   */
  async summary(filter: ReportFilter): Promise<Page<SummaryItem, ReportKey>> {
    const where = new Where().in('unit_code', filter.units);
    if (filter.program) where.add('program = ?', filter.program);
    if (filter.period) where.add('period = ?', filter.period);
    where.after(['period', 'program', 'unit_code', 'channel'], filter.after);
    const limit = limitOf(filter.limit);
    // One row per group, its statuses side by side, so that a page of rows is a page of groups.
    // (Aliases in lower case: PostgreSQL folds unquoted names to it.)
    const alias = (status: string) => status.toLowerCase();
    const byStatus = DISBURSEMENT_STATUSES.map(
      (status) => `SUM(CASE WHEN status = '${status}' THEN count ELSE 0 END) AS count_${alias(status)}, SUM(CASE WHEN status = '${status}' THEN total_amount ELSE 0 END) AS total_${alias(status)}`,
    );
    const rows = await this.store.query<{ period: string; program: string; unit_code: string; channel: string; count: number | string; total: number | string } & Record<string, number | string>>(
      `SELECT period, program, unit_code, channel, SUM(count) AS count, SUM(total_amount) AS total, ${byStatus.join(', ')} FROM disbursement_totals ${where}
       GROUP BY period, program, unit_code, channel ORDER BY period, program, unit_code, channel ${limit.sql}`,
      [...where.parameters, ...limit.parameters],
    );
    return pageOf(rows, filter.limit, (row) => [row.period, row.program, row.unit_code, row.channel], (row): SummaryItem => ({
      period: row.period,
      program: row.program,
      unitCode: row.unit_code,
      channel: row.channel,
      count: Number(row.count),
      totalAmount: Number(row.total),
      byStatus: Object.fromEntries(
        DISBURSEMENT_STATUSES.filter((status) => Number(row[`count_${alias(status)}`]) > 0).map((status) => [
          status,
          { count: Number(row[`count_${alias(status)}`]), totalAmount: Number(row[`total_${alias(status)}`]) },
        ]),
      ),
    }));
  }

  /**
   * Late payments in report order. A page of a few units is read unit by unit from the index of the
   * late candidates (unit, period, disbursement), at most a page from each, and the pages merged:
   * each unit's rows come in period order from its index, so no unit's history is sorted, however
   * long. The whole report, or a page over very many units, is one query as for the other reports.
   */
  async latePayments(filter: ReportFilter, today: string): Promise<Page<DisbursementRow, ReportKey>> {
    const units = filter.units;
    if (filter.limit === undefined || units === undefined || units.length === 0 || units.length > UNITS_READ_ONE_BY_ONE) {
      return this.disbursementReport(this.disbursementWhere({ ...filter, late: true }, today), filter);
    }
    const limit = filter.limit;
    const arms = [...new Set(units)].map((unit) => {
      // The term of the partial index, as its definition has it: what lets a planner choose it.
      const where = new Where().add('unit_code = ?', unit).add(LATE_CANDIDATE).add(LATE, today);
      if (filter.program) where.add('program = ?', filter.program);
      if (filter.period) where.add('period = ?', filter.period);
      if (filter.after) {
        // After (period, unit, disbursement) in report order, within one unit: a later period, or
        // the same one when the unit comes after the cursor's, or a later disbursement of the
        // cursor's own unit.
        const [period, afterUnit, disbursementId] = filter.after as [string, string, string];
        if (filter.after.length !== 3) throw new Error(`A cursor of 3 values was expected, not ${filter.after.length}`);
        if (unit > afterUnit) where.add('period >= ?', period);
        else if (unit < afterUnit) where.add('period > ?', period);
        else where.add('(period, disbursement_id) > (?, ?)', period, disbursementId);
      }
      return { sql: `SELECT * FROM disbursements ${where} ORDER BY period, disbursement_id LIMIT ?`, parameters: [...where.parameters, limit + 1] };
    });
    // One unit's page is already in report order; several are merged.
    const [only] = arms;
    const rows =
      arms.length === 1
        ? await this.store.query<DisbursementRow>(only!.sql, only!.parameters)
        : await this.store.query<DisbursementRow>(`${arms.map((arm) => `SELECT * FROM (${arm.sql}) AS unit_page`).join(' UNION ALL ')} ORDER BY period, unit_code, disbursement_id LIMIT ?`, [
            ...arms.flatMap((arm) => arm.parameters),
            limit + 1,
          ]);
    return pageOf(rows, filter.limit, (row) => [row.period, row.unit_code, row.disbursement_id], (row) => row);
  }

  async duplicateAttempts(filter: ReportFilter): Promise<Page<DuplicateAttemptRow, ReportKey>> {
    const where = new Where().in('d.unit_code', filter.units);
    if (filter.program) where.add('d.program = ?', filter.program);
    if (filter.period) where.add('d.period = ?', filter.period);
    where.after(['a.position'], filter.after);
    const limit = limitOf(filter.limit);
    const rows = await this.store.query<DuplicateAttemptRow>(
      `SELECT a.position, a.disbursement_id, d.beneficiary_id, d.program, d.period, d.unit_code, d.amount, a.provider_reference AS provider_reference_attempted,
              a.reason, a.paid_under_reference, a.amount AS attempted_amount, a.paid_at AS attempted_paid_at, a.recorded_at
       FROM duplicate_attempts a JOIN disbursements d ON d.disbursement_id = a.disbursement_id ${where} ORDER BY a.position ${limit.sql}`,
      [...where.parameters, ...limit.parameters],
    );
    return pageOf(rows, filter.limit, (row) => [String(row.position)], (row) => row);
  }

  async overpayments(filter: ReportFilter): Promise<Page<DisbursementRow, ReportKey>> {
    return this.disbursementReport(this.disbursementWhere(filter, '').add('overpayment = ?', true), filter);
  }

  /** Disbursements in report order (period, unit, disbursement), paged on that key. */
  private async disbursementReport(where: Where, filter: ReportFilter): Promise<Page<DisbursementRow, ReportKey>> {
    where.after(['period', 'unit_code', 'disbursement_id'], filter.after);
    const limit = limitOf(filter.limit);
    const rows = await this.store.query<DisbursementRow>(`SELECT * FROM disbursements ${where} ORDER BY period, unit_code, disbursement_id ${limit.sql}`, [...where.parameters, ...limit.parameters]);
    return pageOf(rows, filter.limit, (row) => [row.period, row.unit_code, row.disbursement_id], (row) => row);
  }
}
