import {
  bankPrintedName,
  enrollmentSpellIn,
  enrollmentStatusOn,
  evolveBeneficiary,
  initialBeneficiaryState,
  upcast,
  type BeneficiaryEvent,
  type BeneficiaryState,
  type Period,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { READ_MODEL_TABLES } from '../read-model-schema.js';
import type { BeneficiarySearch, CrossProvinceFindingFilter, DeathReportFilter, FileImportFilter, ListFilter } from '../queries/read-model-queries.js';
import type { ReadModelStore } from '../read-model-store.js';

/**
 * What the read models should say, worked out from the raw events by a fold written separately
 * from the projection (by reading the events, not the projection's code), and the answers every
 * ReadModelQueries method should give, computed in plain TypeScript rather than SQL.
 * Rows are whole table rows; booleans are booleans, integers numbers.
 */
type Value = string | number | boolean | null;
export type ExpectedRow = Record<string, Value>;

const UNPAID = new Set(['SCHEDULED', 'SENT', 'FAILED', 'RETURNED']);
/** SQLite and PostgreSQL (COLLATE "C") both order text by code point, which for these ASCII keys is the < of JavaScript. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKeys =
  <T>(...keys: Array<(item: T) => string>) =>
  (a: T, b: T) => {
    for (const key of keys) {
      const order = byText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };

type Data = Record<string, unknown>;

/** An enrollment's spells in order, and its suspensions with the spell each was recorded in. */
interface EnrollmentHistory {
  readonly spells: ExpectedRow[];
  readonly suspensions: Array<{ row: ExpectedRow; spell: ExpectedRow }>;
}

/** Streams whose events no read model shows: the write side's reservations. */
const UNPROJECTED_CATEGORIES = ['provider-reference', 'account-number'];

export class ExpectedReadModels {
  readonly beneficiaries = new Map<string, ExpectedRow>();
  readonly enrollments = new Map<string, ExpectedRow>();
  readonly histories = new Map<string, EnrollmentHistory>();
  readonly accounts = new Map<string, ExpectedRow>();
  readonly disbursements = new Map<string, ExpectedRow>();
  readonly duplicates: ExpectedRow[] = [];
  readonly runs = new Map<string, ExpectedRow>();
  /** By beneficiary, import and line. */
  readonly deathReports = new Map<string, ExpectedRow>();
  /** By beneficiary and finding id. */
  readonly findings = new Map<string, ExpectedRow>();
  /** Imported files, by import id. */
  readonly fileImports = new Map<string, ExpectedRow>();
  /** Each beneficiary as the domain folds its stream: the authority on an enrollment's status in a month. */
  readonly beneficiaryStates = new Map<string, BeneficiaryState>();

  static of(events: Iterable<RecordedEvent>): ExpectedReadModels {
    const expected = new ExpectedReadModels();
    for (const event of events) expected.fold(event);
    return expected;
  }

  fold(event: RecordedEvent): void {
    const data = event.data as Data;
    const position = Number(event.globalPosition);
    const category = ['payroll-run', 'disbursement', 'beneficiary', 'file-import', ...UNPROJECTED_CATEGORIES].find((prefix) => event.streamName.startsWith(`${prefix}-`));
    if (UNPROJECTED_CATEGORIES.includes(category!)) return;
    const streamId = category ? event.streamName.slice(category.length + 1) : '';
    if (category === 'beneficiary') {
      const id = streamId;
      this.beneficiaryStates.set(id, evolveBeneficiary(this.beneficiaryStates.get(id) ?? initialBeneficiaryState(), upcast(event) as BeneficiaryEvent));
    }
    const enrollment = () => this.enrollments.get(`${data.beneficiaryId}/${data.program}`);
    const history = () => {
      const key = `${data.beneficiaryId}/${data.program}`;
      let found = this.histories.get(key);
      if (!found) this.histories.set(key, (found = { spells: [], suspensions: [] }));
      return found;
    };
    const latestSpell = () => history().spells.at(-1)!;
    const suspensionsOfLatestSpell = () => history().suspensions.filter((suspension) => suspension.spell === latestSpell());
    const disbursement = () => this.disbursements.get(streamId);
    const touched = (row: ExpectedRow | undefined, values: ExpectedRow) => row && Object.assign(row, values, { updated_position: position });

    switch (event.type) {
      case 'FileImportStarted':
        this.fileImports.set(data.importId as string, {
          import_id: data.importId as string,
          kind: data.kind as string,
          format: data.format as string,
          sha256: data.sha256 as string,
          byte_length: data.byteLength as number,
          line_count: data.lineCount as number,
          imported_by: data.importedBy as string,
          units: (data.units as string[]).join(','),
          started_at: data.startedAt as string,
          started_position: position,
          completed_at: null,
          ...Object.fromEntries(['applied', 'already_recorded', 'unmatched', 'out_of_scope', 'amount_mismatch', 'duplicate', 'refused', 'unreadable', 'ignored'].map((column) => [column, null])),
        });
        break;
      case 'FileImportLinesReconciled':
        break;
      case 'FileImportCompleted': {
        const counts = data.counts as Record<string, number>;
        Object.assign(this.fileImports.get(event.streamName.slice('file-import-'.length))!, {
          completed_at: data.completedAt as string,
          ...Object.fromEntries(Object.entries(counts).map(([outcome, count]) => [outcome.toLowerCase(), count])),
        });
        break;
      }
      case 'BeneficiaryRegistered':
        this.beneficiaries.set(data.beneficiaryId as string, {
          beneficiary_id: data.beneficiaryId as string,
          national_id: data.nationalId as string,
          full_name: data.fullName as string,
          date_of_birth: data.dateOfBirth as string,
          gender: data.gender as string,
          unit_code: data.unitCode as string,
          registered_position: position,
          folded_name: bankPrintedName(data.fullName as string),
          identity_check: null,
          identity_check_fields: null,
          identity_checked_at: null,
        });
        break;
      case 'EnrollmentStarted': {
        const decision = data.decision as { number: string; date: string };
        this.enrollments.set(`${data.beneficiaryId}/${data.program}`, {
          beneficiary_id: data.beneficiaryId as string,
          program: data.program as string,
          unit_code: data.unitCode as string,
          status: 'ACTIVE',
          coefficient: data.coefficient as number,
          effective_from: data.effectiveFrom as string,
          suspended_from: null,
          terminated_on: null,
          termination_reason: null,
        });
        history().spells.push({
          beneficiary_id: data.beneficiaryId as string,
          program: data.program as string,
          effective_from: data.effectiveFrom as string,
          coefficient: data.coefficient as number,
          decision_number: decision.number,
          decision_date: decision.date,
          started_position: position,
          terminated_on: null,
          termination_reason: null,
        });
        break;
      }
      case 'EnrollmentSuspended':
        Object.assign(enrollment()!, { status: 'SUSPENDED', suspended_from: data.effectiveFrom });
        history().suspensions.push({
          spell: latestSpell(),
          row: {
            beneficiary_id: data.beneficiaryId as string,
            program: data.program as string,
            position,
            suspended_from: data.effectiveFrom as string,
            reason: data.reason as string,
            resumed_from: null,
            ended_by_termination_on: null,
          },
        });
        break;
      case 'EnrollmentResumed':
        Object.assign(enrollment()!, { status: 'ACTIVE', suspended_from: null });
        suspensionsOfLatestSpell().at(-1)!.row.resumed_from = data.effectiveFrom as string;
        break;
      case 'EnrollmentTerminated': {
        Object.assign(enrollment()!, { status: 'TERMINATED', terminated_on: data.effectiveDate, termination_reason: data.reason });
        Object.assign(latestSpell(), { terminated_on: data.effectiveDate, termination_reason: data.reason });
        const open = suspensionsOfLatestSpell().find((suspension) => suspension.row.resumed_from === null);
        if (open) open.row.ended_by_termination_on = data.effectiveDate as string;
        break;
      }
      case 'EnrollmentTerminationCorrected':
        Object.assign(enrollment()!, { terminated_on: data.effectiveDate });
        latestSpell().terminated_on = data.effectiveDate as string;
        for (const { row } of suspensionsOfLatestSpell()) if (row.ended_by_termination_on !== null) row.ended_by_termination_on = data.effectiveDate as string;
        break;
      case 'EnrollmentTerminationRevoked': {
        const row = enrollment()!;
        const suspended = suspensionsOfLatestSpell().some((suspension) => suspension.row.resumed_from === null);
        Object.assign(row, { status: suspended ? 'SUSPENDED' : 'ACTIVE', terminated_on: null, termination_reason: null });
        Object.assign(latestSpell(), { terminated_on: null, termination_reason: null });
        for (const { row: suspension } of suspensionsOfLatestSpell()) suspension.ended_by_termination_on = null;
        break;
      }
      case 'BeneficiaryRelocated':
        this.beneficiaries.get(data.beneficiaryId as string)!.unit_code = data.toUnitCode as string;
        for (const row of this.enrollments.values()) if (row.beneficiary_id === data.beneficiaryId) row.unit_code = data.toUnitCode as string;
        for (const row of this.deathReports.values()) if (row.beneficiary_id === data.beneficiaryId) row.unit_code = data.toUnitCode as string;
        for (const row of this.findings.values()) if (row.beneficiary_id === data.beneficiaryId) row.unit_code = data.toUnitCode as string;
        break;
      case 'IdentityCheckAnswerRecorded':
        Object.assign(this.beneficiaries.get(data.beneficiaryId as string)!, {
          identity_check: data.outcome as string,
          identity_check_fields: (data.mismatchedFields as string[] | undefined)?.join(',') ?? null,
          identity_checked_at: event.recordedAt.toISOString(),
        });
        break;
      case 'DeathReported':
        this.deathReports.set(`${data.beneficiaryId}/${data.importId}/${data.line}`, {
          beneficiary_id: data.beneficiaryId as string,
          import_id: data.importId as string,
          line: data.line as number,
          unit_code: data.unitCode as string,
          date_of_death: data.dateOfDeath as string,
          reported_at: event.recordedAt.toISOString(),
          reported_position: position,
          status: 'OPEN',
          decided_by: null,
          decided_at: null,
          rejection_reason: null,
        });
        break;
      case 'DeathReportConfirmed':
        Object.assign(this.deathReports.get(`${data.beneficiaryId}/${data.importId}/${data.line}`)!, {
          status: 'CONFIRMED',
          decided_by: data.confirmedBy as string,
          decided_at: event.recordedAt.toISOString(),
        });
        break;
      case 'DeathReportRejected':
        Object.assign(this.deathReports.get(`${data.beneficiaryId}/${data.importId}/${data.line}`)!, {
          status: 'REJECTED',
          decided_by: data.rejectedBy as string,
          decided_at: event.recordedAt.toISOString(),
          rejection_reason: data.reason as string,
        });
        break;
      case 'CrossProvinceFindingRecorded':
        this.findings.set(`${data.beneficiaryId}/${data.findingId}`, {
          finding_id: data.findingId as string,
          beneficiary_id: data.beneficiaryId as string,
          unit_code: data.unitCode as string,
          kind: data.kind as string,
          program: data.program as string,
          period: (data.period as string | undefined) ?? null,
          other_provinces: (data.otherProvinces as string[]).join(','),
          found_at: data.foundAt as string,
          recorded_position: position,
          status: 'OPEN',
          decision: null,
          reason: null,
          resolved_by: null,
          resolved_at: null,
        });
        break;
      case 'CrossProvinceFindingResolved':
        Object.assign(this.findings.get(`${data.beneficiaryId}/${data.findingId}`)!, {
          status: 'RESOLVED',
          decision: data.decision as string,
          reason: data.reason as string,
          resolved_by: data.resolvedBy as string,
          resolved_at: event.recordedAt.toISOString(),
        });
        break;
      case 'PaymentAccountOpened':
        this.accounts.set(data.accountId as string, {
          account_id: data.accountId as string,
          beneficiary_id: data.beneficiaryId as string,
          bank_code: data.bankCode as string,
          account_number: data.accountNumber as string,
          holder_name: data.holderName as string,
          opened_on: data.openedOn as string,
          status: data.status as string,
          verified_position: data.status === 'VERIFIED' ? position : null,
          // Accounts recorded before shared numbers were detected could only be unverified for their name.
          unverified_reason: (data.unverifiedReason as string | undefined) ?? (data.status === 'UNVERIFIED' ? 'NAME_MISMATCH' : null),
          opened_by: (data.openedBy as string | undefined) ?? null,
          verified_by: null,
        });
        break;
      case 'PaymentAccountVerified':
        Object.assign(this.accounts.get(data.accountId as string)!, { status: 'VERIFIED', verified_position: position, verified_by: (data.verifiedBy as string | undefined) ?? null });
        break;
      case 'PaymentAccountClosed':
        this.accounts.get(data.accountId as string)!.status = 'CLOSED';
        break;

      case 'DisbursementScheduled': {
        const account = data.account as { bankCode: string } | null;
        this.disbursements.set(data.disbursementId as string, {
          disbursement_id: data.disbursementId as string,
          beneficiary_id: data.beneficiaryId as string,
          program: data.program as string,
          period: data.period as string,
          unit_code: data.unitCode as string,
          amount: data.amount as number,
          channel: data.channel as string,
          bank_code: account?.bankCode ?? null,
          status: 'SCHEDULED',
          due_date: data.dueDate as string,
          arrears: data.arrears as boolean,
          attempt: data.attempt as number,
          payroll_run_id: data.payrollRunId as string,
          paid_at: null,
          days_late: null,
          provider_reference: null,
          overpayment: false,
          termination_date: null,
          updated_position: position,
          overpayment_reason: null,
          channel_change_reason: null,
        });
        break;
      }
      case 'DisbursementAssignedToRun':
        touched(disbursement(), { payroll_run_id: data.payrollRunId as string });
        break;
      case 'DisbursementSent':
        touched(disbursement(), { status: 'SENT', payroll_run_id: data.payrollRunId as string });
        break;
      case 'DisbursementPaid':
        touched(disbursement(), { status: 'PAID', paid_at: data.paidAt as string, days_late: data.daysLate as number, provider_reference: data.providerReference as string });
        break;
      case 'DisbursementFailed':
        touched(disbursement(), { status: 'FAILED' });
        break;
      case 'DisbursementReturned':
        touched(disbursement(), { status: 'RETURNED' });
        break;
      case 'DisbursementCancelled':
        touched(disbursement(), { status: 'CANCELLED' });
        break;
      case 'DisbursementRescheduled': {
        const account = data.account as { bankCode: string } | null;
        touched(disbursement(), {
          status: 'SCHEDULED',
          attempt: data.attempt as number,
          channel: data.channel as string,
          bank_code: account?.bankCode ?? null,
          payroll_run_id: null,
          channel_change_reason: null,
        });
        break;
      }
      case 'DisbursementChannelChanged': {
        const account = data.account as { bankCode: string } | null;
        touched(disbursement(), { channel: data.channel as string, bank_code: account?.bankCode ?? null, channel_change_reason: data.reason as string });
        break;
      }
      case 'DisbursementRelocated': {
        const row = disbursement()!;
        touched(row, { unit_code: data.toUnitCode as string, payroll_run_id: row.status === 'SCHEDULED' ? null : row.payroll_run_id! });
        break;
      }
      case 'DisbursementReleasedFromRun':
        touched(disbursement(), { payroll_run_id: null });
        break;
      case 'OverpaymentFlagged':
        touched(disbursement(), {
          overpayment: true,
          overpayment_reason: (data.reasonCode as string | undefined) ?? 'TERMINATED_BEFORE_PERIOD',
          termination_date: (data.terminationEffectiveDate as string | undefined) ?? null,
        });
        break;
      case 'OverpaymentWithdrawn':
        touched(disbursement(), { overpayment: false, overpayment_reason: null, termination_date: null });
        break;
      case 'DuplicatePaymentRejected':
        this.duplicates.push({
          position,
          disbursement_id: streamId,
          provider_reference: data.providerReference as string,
          paid_under_reference: (data.paidUnderReference as string | undefined) ?? null,
          amount: data.amount as number,
          paid_at: data.paidAt as string,
          recorded_at: event.recordedAt.toISOString(),
          reason: (data.reason as string | undefined) ?? 'PAID_UNDER_ANOTHER_REFERENCE',
        });
        break;

      case 'PayrollRunCreated':
        this.runs.set(data.runId as string, {
          run_id: data.runId as string,
          period: data.period as string,
          program: (data.program as string | null) ?? null,
          unit_code: (data.unitCode as string | null) ?? null,
          status: 'SCHEDULING',
          created_by: data.createdBy as string,
          approved_by: null,
          scheduled: 0,
          already_scheduled: 0,
          arrears: 0,
          total_amount: 0,
          sent: 0,
          cancelled: 0,
          large_arrears: 0,
          rejected_by: null,
          rejection_reason: null,
        });
        break;
      case 'PayrollRunScheduled':
        Object.assign(this.runs.get(streamId)!, {
          status: 'SCHEDULED',
          scheduled: data.scheduled,
          already_scheduled: data.alreadyScheduled,
          arrears: data.arrears,
          total_amount: data.totalAmount,
          large_arrears: (data.largeArrears as unknown[] | undefined)?.length ?? 0,
        });
        break;
      case 'PayrollRunApproved':
        Object.assign(this.runs.get(streamId)!, { status: 'APPROVED', approved_by: data.approvedBy });
        break;
      case 'PayrollRunSent':
        Object.assign(this.runs.get(streamId)!, { status: 'SENT', sent: data.sent, cancelled: data.cancelled });
        break;
      case 'PayrollRunAbandoned':
        this.runs.get(streamId)!.status = 'ABANDONED';
        break;
      case 'PayrollRunRejected':
        Object.assign(this.runs.get(streamId)!, { status: 'REJECTED', rejected_by: data.rejectedBy, rejection_reason: data.reason });
        break;
      default:
        if (!category) throw new Error(`Unexpected stream ${event.streamName}`);
    }
  }

  /** The disbursements counted and summed per period, program, unit, channel and status. */
  private disbursementTotals(): ExpectedRow[] {
    const totals = new Map<string, ExpectedRow>();
    for (const d of this.disbursements.values()) {
      const group = { period: d.period, program: d.program, unit_code: d.unit_code, channel: d.channel, status: d.status };
      const key = JSON.stringify(group);
      const total = totals.get(key) ?? { ...group, count: 0, total_amount: 0 };
      total.count = (total.count as number) + 1;
      total.total_amount = (total.total_amount as number) + Number(d.amount);
      totals.set(key, total);
    }
    return [...totals.values()];
  }

  /**
   * The months each enrollment becomes active or stops, with the domain's own rule for a month's
   * status (enrollmentStatusOn, as coverage() below) evaluated at every month its spells and
   * suspensions name: between two of them it cannot change.
   */
  private activeEnrollmentChanges(): ExpectedRow[] {
    const verified = new Set([...this.accounts.values()].filter((a) => a.status === 'VERIFIED').map((a) => a.beneficiary_id));
    const rows: ExpectedRow[] = [];
    for (const e of this.enrollments.values()) {
      const enrollment = this.beneficiaryStates.get(e.beneficiary_id as string)!.enrollments[e.program as string]!;
      const named = new Set<string>();
      for (const spell of enrollment.spells) {
        named.add(spell.effectiveFrom);
        if (spell.termination) named.add(spell.termination.effectiveDate.slice(0, 7));
        for (const suspension of spell.suspensions) {
          named.add(suspension.from);
          if (suspension.resumedFrom) named.add(suspension.resumedFrom);
        }
      }
      let before = 0;
      for (const period of [...named].sort(byText)) {
        const active = enrollmentSpellIn(enrollment, period as Period) && enrollmentStatusOn(enrollment, period as Period) === 'ACTIVE' ? 1 : 0;
        if (active !== before) rows.push({ beneficiary_id: e.beneficiary_id!, program: e.program!, period, unit_code: e.unit_code!, verified: verified.has(e.beneficiary_id), change: active - before });
        before = active;
      }
    }
    return rows;
  }

  /** The enrollments' changes summed per unit, program, verified and month, none left at 0. */
  private activeBeneficiaryChanges(changes: readonly ExpectedRow[]): ExpectedRow[] {
    const groups = new Map<string, ExpectedRow>();
    for (const change of changes) {
      const group = { unit_code: change.unit_code!, program: change.program!, verified: change.verified!, period: change.period! };
      const key = JSON.stringify(group);
      const row = groups.get(key) ?? { ...group, change: 0 };
      row.change = (row.change as number) + (change.change as number);
      groups.set(key, row);
    }
    return [...groups.values()].filter((row) => row.change !== 0);
  }

  /** Every table's rows, ordered by key, as a dump of the store should show them. */
  tables(): Record<string, ExpectedRow[]> {
    const sorted = (rows: Iterable<ExpectedRow>, ...key: string[]) => [...rows].sort(byKeys(...key.map((column) => (row: ExpectedRow) => String(row[column]))));
    const activeEnrollmentChanges = this.activeEnrollmentChanges();
    return {
      beneficiaries: sorted(this.beneficiaries.values(), 'beneficiary_id'),
      enrollments: sorted(this.enrollments.values(), 'beneficiary_id', 'program'),
      enrollment_spells: sorted(
        [...this.histories.values()].flatMap((history) => history.spells),
        'beneficiary_id',
        'program',
        'effective_from',
      ),
      enrollment_suspensions: [...this.histories.values()]
        .flatMap((history) => history.suspensions.map(({ row }) => row))
        .sort(byKeys((row) => row.beneficiary_id as string, (row) => row.program as string, (row) => String(row.position).padStart(20, '0'))),
      payment_accounts: sorted(this.accounts.values(), 'account_id'),
      disbursements: sorted(this.disbursements.values(), 'disbursement_id'),
      disbursement_totals: sorted(this.disbursementTotals(), 'period', 'program', 'unit_code', 'channel', 'status'),
      active_enrollment_changes: sorted(activeEnrollmentChanges, 'beneficiary_id', 'program', 'period'),
      active_beneficiary_changes: sorted(this.activeBeneficiaryChanges(activeEnrollmentChanges), 'unit_code', 'program', 'verified', 'period'),
      duplicate_attempts: [...this.duplicates].sort((a, b) => (a.position as number) - (b.position as number)),
      payroll_runs: sorted(this.runs.values(), 'run_id'),
      file_imports: sorted(this.fileImports.values(), 'import_id'),
      death_reports: [...this.deathReports.values()].sort(
        (a, b) => byKeys((row: ExpectedRow) => row.beneficiary_id as string, (row) => row.import_id as string)(a, b) || (a.line as number) - (b.line as number),
      ),
      cross_province_findings: sorted(this.findings.values(), 'beneficiary_id', 'finding_id'),
    };
  }

  /** The review list: open reports in the units asked for, oldest first, paged on the report's position. */
  /** Imported files, the latest first, paged on the start's position. */
  fileImports_(filter: FileImportFilter) {
    const rows = [...this.fileImports.values()]
      .filter((row) => filter.cursor === undefined || (row.started_position as number) < Number(filter.cursor))
      .sort((a, b) => (b.started_position as number) - (a.started_position as number));
    const page = rows.slice(0, filter.limit).map((row) => ({ ...row, started_position: String(row.started_position) }));
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.started_position : null };
  }

  deathReportsToReview_(filter: DeathReportFilter) {
    const rows = [...this.deathReports.values()]
      .filter((row) => row.status === 'OPEN' && (!filter.units || filter.units.includes(row.unit_code as string)))
      .filter((row) => filter.cursor === undefined || (row.reported_position as number) > Number(filter.cursor))
      .sort((a, b) => (a.reported_position as number) - (b.reported_position as number));
    const page = rows.slice(0, filter.limit).map((row) => ({
      beneficiary_id: row.beneficiary_id,
      unit_code: row.unit_code,
      date_of_death: row.date_of_death,
      reported_at: row.reported_at,
      import_id: row.import_id,
      line: row.line,
      reported_position: String(row.reported_position),
    }));
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.reported_position : null };
  }

  /** The findings in the units asked for, of a status and program when asked, oldest first, paged on the position they were recorded at. */
  crossProvinceFindings_(filter: CrossProvinceFindingFilter) {
    const rows = [...this.findings.values()]
      .filter((row) => (!filter.units || filter.units.includes(row.unit_code as string)) && (!filter.status || row.status === filter.status) && (!filter.program || row.program === filter.program))
      .filter((row) => filter.cursor === undefined || (row.recorded_position as number) > Number(filter.cursor))
      .sort((a, b) => (a.recorded_position as number) - (b.recorded_position as number));
    const page = rows.slice(0, filter.limit).map((row) => ({ ...row, recorded_position: String(row.recorded_position) }));
    return { items: page, next: rows.length > filter.limit ? page.at(-1)!.recorded_position : null };
  }

  // ---- the answers of ReadModelQueries ----

  beneficiaries_(filter: ListFilter) {
    const rows = [...this.beneficiaries.values()]
      .filter((b) => !filter.units || filter.units.includes(b.unit_code as string))
      .filter(
        (b) =>
          !(filter.program || filter.status) ||
          [...this.enrollments.values()].some(
            (e) => e.beneficiary_id === b.beneficiary_id && (!filter.program || e.program === filter.program) && (!filter.status || e.status === filter.status),
          ),
      )
      .filter((b) => !filter.after || (b.beneficiary_id as string) > filter.after)
      .sort(byKeys((b) => b.beneficiary_id as string));
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map((b) => this.beneficiaryWithDetails(b)),
      next: rows.length > filter.limit ? (page.at(-1)!.beneficiary_id as string) : null,
    };
  }

  /** A search as a person reads its rule: the national id, or the name or its leading words, whatever the accents and case. */
  searchBeneficiaries_(search: BeneficiarySearch) {
    const folded = search.name === undefined ? undefined : bankPrintedName(search.name);
    const rows = [...this.beneficiaries.values()]
      .filter((b) => !search.units || search.units.includes(b.unit_code as string))
      .filter((b) => search.nationalId === undefined || b.national_id === search.nationalId)
      .filter((b) => folded === undefined || b.folded_name === folded || (b.folded_name as string).startsWith(`${folded} `))
      .sort(byKeys((b) => b.folded_name as string, (b) => b.beneficiary_id as string))
      .filter((b) => !search.after || `${b.folded_name}\u0000${b.beneficiary_id}` > `${search.after[0]}\u0000${search.after[1]}`);
    const page = rows.slice(0, search.limit);
    const last = page.at(-1);
    return {
      items: page.map((b) => this.beneficiaryWithDetails(b)),
      next: rows.length > search.limit && last ? ([last.folded_name as string, last.beneficiary_id as string] as const) : null,
    };
  }

  beneficiary(beneficiaryId: string) {
    const row = this.beneficiaries.get(beneficiaryId);
    return row && this.beneficiaryWithDetails(row);
  }

  private beneficiaryWithDetails(b: ExpectedRow) {
    const { registered_position: _, folded_name: _folded, ...row } = b;
    return {
      ...row,
      enrollments: [...this.enrollments.values()].filter((e) => e.beneficiary_id === b.beneficiary_id).sort(byKeys((e) => e.program as string)),
      accounts: [...this.accounts.values()]
        .filter((a) => a.beneficiary_id === b.beneficiary_id)
        .sort(byKeys((a) => a.opened_on as string, (a) => a.account_id as string)),
    };
  }

  private isLate(d: ExpectedRow, today: string): boolean {
    return (d.status === 'PAID' && (d.days_late as number) > 0) || (UNPAID.has(d.status as string) && (d.due_date as string) < today);
  }

  private disbursementsWhere(filter: Omit<ListFilter, 'limit' | 'after'>, today: string): ExpectedRow[] {
    return [...this.disbursements.values()].filter(
      (d) =>
        (!filter.units || filter.units.includes(d.unit_code as string)) &&
        (!filter.program || d.program === filter.program) &&
        (!filter.period || d.period === filter.period) &&
        (!filter.status || d.status === filter.status) &&
        (!filter.beneficiaryId || d.beneficiary_id === filter.beneficiaryId) &&
        (filter.late === undefined || this.isLate(d, today) === filter.late),
    );
  }

  disbursements_(filter: ListFilter, today: string) {
    const rows = this.disbursementsWhere(filter, today)
      .filter((d) => !filter.after || (d.disbursement_id as string) > filter.after)
      .sort(byKeys((d) => d.disbursement_id as string));
    const page = rows.slice(0, filter.limit);
    return { items: page, next: rows.length > filter.limit ? (page.at(-1)!.disbursement_id as string) : null };
  }

  /** Worked out with the domain's own rule for a month's status (enrollmentStatusOn) on the domain's fold of each beneficiary. */
  coverage(filter: { units?: readonly string[]; program?: string; period?: string }, currentPeriod: string) {
    const asOf = (filter.period ?? currentPeriod) as Period;
    const verified = new Set([...this.accounts.values()].filter((a) => a.status === 'VERIFIED').map((a) => a.beneficiary_id));
    const groups = new Map<string, { unitCode: string; program: string; active: number; verified: number }>();
    for (const e of this.enrollments.values()) {
      if ((filter.units && !filter.units.includes(e.unit_code as string)) || (filter.program && e.program !== filter.program)) continue;
      const enrollment = this.beneficiaryStates.get(e.beneficiary_id as string)!.enrollments[e.program as string]!;
      if (!enrollmentSpellIn(enrollment, asOf) || enrollmentStatusOn(enrollment, asOf) !== 'ACTIVE') continue;
      const key = `${e.unit_code}/${e.program}`;
      const group = groups.get(key) ?? { unitCode: e.unit_code as string, program: e.program as string, active: 0, verified: 0 };
      group.active++;
      if (verified.has(e.beneficiary_id)) group.verified++;
      groups.set(key, group);
    }
    // The latest period with a payment up to the coverage's, per unit and program.
    const latest = new Map<string, string>();
    for (const d of this.disbursements.values()) {
      const key = `${d.unit_code}/${d.program}`;
      if (d.status === 'PAID' && (d.period as string) <= asOf && (d.period as string) > (latest.get(key) ?? '')) latest.set(key, d.period as string);
    }
    return [...groups.values()]
      .sort(byKeys((g) => g.unitCode, (g) => g.program))
      .map((group) => {
        const period = latest.get(`${group.unitCode}/${group.program}`);
        const paid = [...this.disbursements.values()].filter((d) => d.status === 'PAID' && d.unit_code === group.unitCode && d.program === group.program && d.period === period);
        const byBank = paid.filter((d) => d.channel === 'BANK').length;
        return {
          unitCode: group.unitCode,
          program: group.program,
          asOfPeriod: asOf,
          activeBeneficiaries: group.active,
          verifiedAccounts: group.verified,
          latestPeriod: paid.length ? period! : null,
          paidInLatestPeriod: paid.length,
          paidByBankInLatestPeriod: byBank,
          bankShareInLatestPeriod: paid.length ? Math.round((byBank / paid.length) * 10_000) / 10_000 : null,
        };
      });
  }

  summary(filter: { units?: readonly string[]; program?: string; period?: string }) {
    const groups = new Map<string, { period: string; program: string; unitCode: string; channel: string; count: number; totalAmount: number; byStatus: Record<string, { count: number; totalAmount: number }> }>();
    const rows = this.disbursementsWhere(filter, '').sort(
      byKeys((d) => d.period as string, (d) => d.program as string, (d) => d.unit_code as string, (d) => d.channel as string, (d) => d.status as string),
    );
    for (const d of rows) {
      const key = `${d.period}/${d.program}/${d.unit_code}/${d.channel}`;
      const group = groups.get(key) ?? { period: d.period as string, program: d.program as string, unitCode: d.unit_code as string, channel: d.channel as string, count: 0, totalAmount: 0, byStatus: {} };
      group.count++;
      group.totalAmount += d.amount as number;
      const status = (group.byStatus[d.status as string] ??= { count: 0, totalAmount: 0 });
      status.count++;
      status.totalAmount += d.amount as number;
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  latePayments(filter: { units?: readonly string[]; program?: string; period?: string }, today: string) {
    return this.disbursementsWhere({ ...filter, late: true }, today).sort(byKeys((d) => d.period as string, (d) => d.unit_code as string, (d) => d.disbursement_id as string));
  }

  duplicateAttempts(filter: { units?: readonly string[]; program?: string; period?: string }) {
    return this.duplicates
      .map((a) => ({ a, d: this.disbursements.get(a.disbursement_id as string) }))
      .filter(({ d }) => d && (!filter.units || filter.units.includes(d.unit_code as string)) && (!filter.program || d.program === filter.program) && (!filter.period || d.period === filter.period))
      .sort((x, y) => (x.a.position as number) - (y.a.position as number))
      .map(({ a, d }) => ({
        position: a.position,
        disbursement_id: a.disbursement_id,
        beneficiary_id: d!.beneficiary_id,
        program: d!.program,
        period: d!.period,
        unit_code: d!.unit_code,
        amount: d!.amount,
        provider_reference_attempted: a.provider_reference,
        reason: a.reason,
        paid_under_reference: a.paid_under_reference,
        attempted_amount: a.amount,
        attempted_paid_at: a.paid_at,
        recorded_at: a.recorded_at,
      }));
  }

  overpayments(filter: { units?: readonly string[]; program?: string; period?: string }) {
    return this.disbursementsWhere(filter, '')
      .filter((d) => d.overpayment === true)
      .sort(byKeys((d) => d.period as string, (d) => d.unit_code as string, (d) => d.disbursement_id as string));
  }
}

/**
 * Query answers as a reader sees them: SQLite stores booleans as 0/1 and PostgreSQL natively, and
 * the API reads both as booleans. Only the disbursement flags are booleans in any answer.
 */
export function normalized<T>(value: T): T {
  if (Array.isArray(value)) return value.map(normalized) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, (key === 'arrears' || key === 'overpayment') && (inner === 0 || inner === 1) ? inner === 1 : normalized(inner)]),
    ) as T;
  }
  return value;
}

/** Every read-model table, ordered by key, booleans as booleans: for comparing stores row for row. */
export async function dumpReadModels(store: ReadModelStore): Promise<Record<string, ExpectedRow[]>> {
  const dump: Record<string, ExpectedRow[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const booleans = table.columns.filter(([, type]) => type === 'boolean').map(([name]) => name);
    const rows = await store.query<ExpectedRow>(`SELECT * FROM ${table.name} ORDER BY ${table.key.join(', ')}`);
    dump[table.name] = rows.map((row) => {
      const copy = { ...row };
      for (const column of booleans) if (copy[column] === 0 || copy[column] === 1) copy[column] = copy[column] === 1;
      return copy;
    });
  }
  return dump;
}
