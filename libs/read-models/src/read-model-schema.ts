import type { TableName } from './row-changes.js';

export type ColumnType = 'text' | 'integer' | 'boolean' | 'bigint';

export interface TableDefinition {
  readonly name: TableName;
  readonly description: string;
  readonly key: readonly string[];
  /**
   * In table order. A column added to an existing table names the schema version that added it
   * (absent: the table's own) and comes after the older ones, where ALTER TABLE puts it.
   */
  readonly columns: ReadonlyArray<readonly [name: string, type: ColumnType, description: string, since?: number]>;
  readonly indexes: ReadonlyArray<readonly string[]>;
  /** Indexes of only the rows a report reads (a WHERE), made by the schema version named. */
  readonly partialIndexes?: ReadonlyArray<PartialIndex>;
  /** The read-model schema version that added the table; 1 when absent. */
  readonly since?: number;
}

export interface PartialIndex {
  readonly name: string;
  readonly columns: readonly string[];
  /** SQL over the table's columns. A query uses the index only when its WHERE has this very term. */
  readonly where: string;
  readonly since: number;
}

/** Unpaid: owed and not yet paid, whatever its attempt's state. */
export const UNPAID_STATUSES = ['SCHEDULED', 'SENT', 'FAILED', 'RETURNED'] as const;

/**
 * The disbursements that may be late, whatever today is: unpaid, or paid after their due date. A
 * small share of a province's history (the month in payment and the few paid late), which is what
 * lets the late payments of a district be read in order without going through all of its months.
 */
export const LATE_CANDIDATE = `((status = 'PAID' AND days_late > 0) OR status IN (${UNPAID_STATUSES.map((status) => `'${status}'`).join(', ')}))`;

/**
 * The read models, described once. Both stores create their tables from this, and
 * docs/read-models.md (for BI analysts) is checked against it by a test.
 */
export const READ_MODEL_TABLES: readonly TableDefinition[] = [
  {
    name: 'beneficiaries',
    description: 'One row per person (the beneficiary register).',
    key: ['beneficiary_id'],
    columns: [
      ['beneficiary_id', 'text', 'UUIDv5 derived from the national id'],
      ['national_id', 'text', '12-digit personal identification number (masked for reporters by the API)'],
      ['full_name', 'text', 'name as enrolled'],
      ['date_of_birth', 'text', 'YYYY-MM-DD'],
      ['gender', 'text', 'MALE or FEMALE'],
      ['unit_code', 'text', 'administrative unit the beneficiary is registered in'],
      ['registered_position', 'bigint', 'global log position of the registration'],
      ['folded_name', 'text', 'full_name as banks print it (no diacritics, Đ as D, upper case, single spaces): what a search by name compares', 4],
      ['identity_check', 'text', "the population database's latest answer about the person: MATCHED, MISMATCHED or DECEASED; null when never checked", 6],
      ['identity_check_fields', 'text', 'with MISMATCHED, the fields the population database holds otherwise, comma-separated (nationalId, fullName, dateOfBirth, gender); null otherwise', 6],
      ['identity_checked_at', 'text', 'ISO instant (UTC) the latest answer was recorded; null when never checked', 6],
    ],
    indexes: [['unit_code'], ['national_id'], ['folded_name', 'beneficiary_id']],
  },
  {
    name: 'enrollments',
    description: 'One row per beneficiary and program, as its latest enrollment spell was last decided.',
    key: ['beneficiary_id', 'program'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code, e.g. MERITORIOUS, SOCIAL_ASSISTANCE'],
      ['unit_code', 'text', "the beneficiary's unit (kept in step with relocations)"],
      ['status', 'text', 'ACTIVE, SUSPENDED or TERMINATED as last decided, whatever month it takes effect in (status in a given month: enrollment_spells and enrollment_suspensions)'],
      ['coefficient', 'integer', 'in thousandths (1500 = 1.5)'],
      ['effective_from', 'text', 'first period of the latest spell, YYYY-MM'],
      ['suspended_from', 'text', 'period of the open suspension, if any'],
      ['terminated_on', 'text', 'effective date of the termination of the latest spell, if any'],
      ['termination_reason', 'text', 'DECEASED, NO_LONGER_ELIGIBLE or MOVED_OUT'],
    ],
    indexes: [['unit_code', 'program', 'status']],
  },
  {
    name: 'enrollment_spells',
    description: 'One row per enrollment spell: an enrollment decision, from its first period to its termination, if any. A person enrolled again after a termination has a later spell.',
    key: ['beneficiary_id', 'program', 'effective_from'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code'],
      ['effective_from', 'text', 'first period of the spell, YYYY-MM'],
      ['coefficient', 'integer', 'in thousandths (1500 = 1.5)'],
      ['decision_number', 'text', 'number of the enrollment decision'],
      ['decision_date', 'text', 'date of the enrollment decision, YYYY-MM-DD'],
      ['started_position', 'bigint', 'log position of the enrollment; the suspensions recorded after it, and before a later spell, are this spell\'s'],
      ['terminated_on', 'text', 'effective date of its termination as corrected, null when not terminated (or revoked): TERMINATED from that month'],
      ['termination_reason', 'text', 'DECEASED, NO_LONGER_ELIGIBLE or MOVED_OUT'],
    ],
    indexes: [],
    since: 3,
  },
  {
    name: 'enrollment_suspensions',
    description: 'One row per suspension of an enrollment: SUSPENDED from suspended_from until resumed_from.',
    key: ['beneficiary_id', 'program', 'position'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code'],
      ['position', 'bigint', 'log position of the suspension'],
      ['suspended_from', 'text', 'first period suspended, YYYY-MM (may be later than the month it was recorded in)'],
      ['reason', 'text', 'why it was suspended'],
      ['resumed_from', 'text', 'first period paid again, YYYY-MM; null while suspended'],
      ['ended_by_termination_on', 'text', 'effective date of the termination that ended its spell while it was open (it never resumed); null otherwise'],
    ],
    indexes: [],
    since: 3,
  },
  {
    name: 'payment_accounts',
    description: 'Bank accounts recorded for beneficiaries. The one paid into is the latest verified open account.',
    key: ['account_id'],
    columns: [
      ['account_id', 'text', 'account id (never derived from the account number)'],
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['bank_code', 'text', 'bank code, e.g. VBA'],
      ['account_number', 'text', '6–19 digits (masked for reporters by the API)'],
      ['holder_name', 'text', 'holder name as the bank prints it'],
      ['opened_on', 'text', 'YYYY-MM-DD'],
      ['status', 'text', 'VERIFIED, UNVERIFIED or CLOSED'],
      ['verified_position', 'bigint', 'log position at which it became verified; the highest open one is used'],
      ['unverified_reason', 'text', 'why it was recorded UNVERIFIED: NAME_MISMATCH or SHARED_ACCOUNT (kept after verification); null when verified at opening', 3],
      ['opened_by', 'text', 'operator who opened it; null when opened before maker-checker', 3],
      ['verified_by', 'text', 'operator who verified it (never the opener); null when verified at opening or before maker-checker', 3],
    ],
    indexes: [['beneficiary_id']],
  },
  {
    name: 'disbursements',
    description: 'One row per (beneficiary, program, period): the payment and its latest attempt.',
    key: ['disbursement_id'],
    columns: [
      ['disbursement_id', 'text', 'UUIDv5 of (beneficiary, program, period)'],
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code'],
      ['period', 'text', 'YYYY-MM'],
      ['unit_code', 'text', "unit responsible for it: the beneficiary's unit at scheduling, moved with them while unpaid"],
      ['amount', 'bigint', 'VND, integer'],
      ['channel', 'text', 'BANK or CASH'],
      ['bank_code', 'text', 'bank of a BANK payment'],
      ['status', 'text', 'SCHEDULED, SENT, PAID, FAILED, RETURNED or CANCELLED'],
      ['due_date', 'text', 'YYYY-MM-DD; due at the end of that day, Asia/Ho_Chi_Minh'],
      ['arrears', 'boolean', 'scheduled as arrears for a missed period'],
      ['attempt', 'integer', '1, then 2… after each reschedule'],
      ['payroll_run_id', 'text', 'run that sends the current attempt'],
      ['paid_at', 'text', 'ISO instant of payment'],
      ['days_late', 'integer', 'for a paid disbursement: days after the due date (unpaid: computed from today by queries)'],
      ['provider_reference', 'text', "paying agent's reference"],
      ['overpayment', 'boolean', 'paid for a month not owed: to recover (see overpayment_reason)'],
      ['termination_date', 'text', 'the termination that made it an overpayment (TERMINATED_BEFORE_PERIOD)'],
      ['updated_position', 'bigint', 'log position of the last event applied'],
      ['overpayment_reason', 'text', 'TERMINATED_BEFORE_PERIOD or PAID_AFTER_CANCELLATION while overpayment; null otherwise', 3],
      ['channel_change_reason', 'text', 'why the current attempt changed channel when sent (ACCOUNT_CLOSED: to the Post Office); null otherwise', 3],
    ],
    indexes: [['beneficiary_id', 'period'], ['period', 'program', 'unit_code'], ['status', 'due_date'], ['payroll_run_id']],
    partialIndexes: [{ name: 'late_disbursements_by_unit_code_period', columns: ['unit_code', 'period', 'disbursement_id'], where: LATE_CANDIDATE, since: 9 }],
  },
  {
    name: 'disbursement_totals',
    description:
      "The disbursements counted and summed per period, program, unit, channel and status: what the monthly summary and the coverage report's latest period with payments read. Kept by the database itself (triggers on disbursements, in the same transaction as each write), never by the projection; a group with no disbursement left has no row.",
    key: ['period', 'program', 'unit_code', 'channel', 'status'],
    columns: [
      ['period', 'text', 'YYYY-MM'],
      ['program', 'text', 'program code'],
      ['unit_code', 'text', 'unit responsible for the disbursements (disbursements.unit_code)'],
      ['channel', 'text', 'BANK or CASH'],
      ['status', 'text', 'SCHEDULED, SENT, PAID, FAILED, RETURNED or CANCELLED'],
      ['count', 'integer', 'disbursements of the group, never 0'],
      ['total_amount', 'bigint', 'VND, the sum of their amounts'],
    ],
    indexes: [],
    since: 9,
  },
  {
    name: 'active_enrollment_changes',
    description:
      "The months in which an enrollment becomes active (+1) or stops being active (-1), as the coverage report counts a beneficiary active, with the beneficiary's unit and verified account as they stand now: summed up to a period, 1 when the enrollment is active in it, 0 otherwise. Kept by the database itself (triggers on enrollments, enrollment_spells, enrollment_suspensions and payment_accounts, in the same transaction as each write), never by the projection; a month that changes nothing has no row.",
    key: ['beneficiary_id', 'program', 'period'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code'],
      ['period', 'text', "YYYY-MM: a month named by one of the enrollment's spells or suspensions (a spell's first month or its termination's, a suspension's first month or the month it resumed from) in which the enrollment's activity changes"],
      ['unit_code', 'text', "the beneficiary's unit now (enrollments.unit_code)"],
      ['verified', 'boolean', 'whether the beneficiary has a VERIFIED payment account now'],
      ['change', 'integer', '+1: active from this month; -1: no longer active from this month'],
    ],
    indexes: [],
    since: 10,
  },
  {
    name: 'active_beneficiary_changes',
    description:
      "The changes of active_enrollment_changes summed per unit, program, verified and month: the beneficiaries active in a period are the sum of `change` over the months up to it. What the coverage report's active beneficiaries and verified accounts read. Kept by the database itself (triggers on active_enrollment_changes); a group whose changes cancel out has no row.",
    key: ['unit_code', 'program', 'verified', 'period'],
    columns: [
      ['unit_code', 'text', "the beneficiaries' unit now"],
      ['program', 'text', 'program code'],
      ['verified', 'boolean', 'whether they have a VERIFIED payment account now'],
      ['period', 'text', 'YYYY-MM: the month the change takes effect in'],
      ['change', 'integer', 'beneficiaries who became active from this month, less those who stopped; never 0'],
    ],
    indexes: [],
    since: 10,
  },
  {
    name: 'duplicate_attempts',
    description: 'Settlements refused as second payments: the disbursement already paid under another reference, or the reference already paid another disbursement.',
    key: ['position'],
    columns: [
      ['position', 'bigint', 'log position of the recorded attempt'],
      ['disbursement_id', 'text', 'the disbursement the settlement was presented for'],
      ['provider_reference', 'text', 'the refused reference'],
      ['paid_under_reference', 'text', 'the reference it was paid under (PAID_UNDER_ANOTHER_REFERENCE); null otherwise'],
      ['amount', 'bigint', 'VND claimed by the refused settlement'],
      ['paid_at', 'text', 'ISO instant claimed by the refused settlement'],
      ['recorded_at', 'text', 'when the attempt was recorded'],
      ['reason', 'text', 'PAID_UNDER_ANOTHER_REFERENCE or PROVIDER_REFERENCE_IN_USE (the reference paid another disbursement at the same paying agent)', 3],
    ],
    indexes: [['disbursement_id']],
  },
  {
    name: 'payroll_runs',
    description: 'Payroll runs and their outcome.',
    key: ['run_id'],
    columns: [
      ['run_id', 'text', 'the run'],
      ['period', 'text', 'YYYY-MM'],
      ['program', 'text', 'program, or null for all'],
      ['unit_code', 'text', 'unit, or null for all'],
      ['status', 'text', 'SCHEDULING, SCHEDULED, APPROVED, SENT, REJECTED (by a checker), or ABANDONED (interrupted while scheduling and taken over by a later run)'],
      ['created_by', 'text', 'maker'],
      ['approved_by', 'text', 'checker'],
      ['scheduled', 'integer', 'disbursements scheduled by the run'],
      ['already_scheduled', 'integer', 'disbursements of the period that already existed'],
      ['arrears', 'integer', 'of the scheduled, how many are arrears'],
      ['total_amount', 'bigint', 'VND scheduled'],
      ['sent', 'integer', 'disbursements sent'],
      ['cancelled', 'integer', 'disbursements cancelled at sending (freeze)'],
      ['large_arrears', 'integer', 'people whose arrears in the run are large (more than 12 months or 50,000,000 VND), acknowledged at approval', 3],
      ['rejected_by', 'text', 'checker who rejected it (never the maker)', 3],
      ['rejection_reason', 'text', 'why it was rejected', 3],
    ],
    indexes: [['period']],
  },
  {
    name: 'death_reports',
    description:
      "Deaths the population database reported (a DECEASED answer): the person's payments are held while a report is OPEN, the review list of their unit's operators, until one confirms it (the enrollments terminated as of the date of death) or rejects it.",
    key: ['beneficiary_id', 'import_id', 'line'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary reported dead'],
      ['import_id', 'text', 'the import of the answer file that reported it'],
      ['line', 'integer', 'its line in that file'],
      ['unit_code', 'text', "the beneficiary's unit (kept in step with relocations): whose operators review it"],
      ['date_of_death', 'text', 'YYYY-MM-DD, as the population database answered'],
      ['reported_at', 'text', 'ISO instant (UTC) the report was recorded'],
      ['reported_position', 'bigint', 'log position of the report: the order of the review list'],
      ['status', 'text', 'OPEN (payments held, awaiting review), CONFIRMED or REJECTED'],
      ['decided_by', 'text', 'operator who confirmed or rejected it; null while OPEN'],
      ['decided_at', 'text', 'ISO instant (UTC) it was confirmed or rejected; null while OPEN'],
      ['rejection_reason', 'text', 'why it was rejected; null otherwise'],
    ],
    indexes: [['status', 'reported_position']],
    since: 6,
  },
  {
    name: 'cross_province_findings',
    description:
      "What the national hub found of a person in another province too — enrolled there in the same program, or paid there for the same period: the person's payments of that program are held while a finding is OPEN, the list of their unit's operators, until one resolves it (KEEP, or TERMINATE: the enrollment terminated MOVED_OUT).",
    key: ['beneficiary_id', 'finding_id'],
    columns: [
      ['finding_id', 'text', "the hub's id of the finding (a UUID), the same however often it was sent"],
      ['beneficiary_id', 'text', 'the beneficiary it is about'],
      ['unit_code', 'text', "the beneficiary's unit (kept in step with relocations): whose operators resolve it"],
      ['kind', 'text', 'ENROLLED_IN_TWO_PROVINCES or PAID_IN_TWO_PROVINCES'],
      ['program', 'text', 'the program found twice: the one whose payments it holds'],
      ['period', 'text', 'YYYY-MM paid twice (PAID_IN_TWO_PROVINCES); null otherwise'],
      ['other_provinces', 'text', 'the other provinces concerned, by code, comma-separated in ascending order'],
      ['found_at', 'text', 'ISO instant (UTC) the hub found it'],
      ['recorded_position', 'bigint', 'log position the finding was recorded at: the order of the list'],
      ['status', 'text', 'OPEN (payments of the program held) or RESOLVED'],
      ['decision', 'text', 'KEEP (enrolled here still) or TERMINATE (moved out: the enrollment terminated); null while OPEN'],
      ['reason', 'text', 'why it was resolved so; null while OPEN'],
      ['resolved_by', 'text', 'operator who resolved it; null while OPEN'],
      ['resolved_at', 'text', 'ISO instant (UTC) it was resolved; null while OPEN'],
    ],
    indexes: [['status', 'recorded_position']],
    since: 8,
  },
  {
    name: 'file_imports',
    description:
      "Files imported into the ledger — a bank's results, the Post Office's returns, the population database's answers — one row per file content (the same file again is the same import). The line-by-line reconciliation is on the import's own stream (GET /v1/imports/{id}).",
    key: ['import_id'],
    columns: [
      ['import_id', 'text', "UUIDv5 of the file's SHA-256"],
      ['kind', 'text', 'BANK_RESULTS, POST_OFFICE_RETURNS or IDENTITY_CHECK_ANSWERS'],
      ['format', 'text', 'the format recognised from the content: PAIN_002, CAMT_053, CAMT_054, MT940, BANK_RESULTS_CSV, POST_OFFICE_RETURNS_CSV, IDENTITY_CHECK_ANSWERS_CSV'],
      ['sha256', 'text', "SHA-256 of the file's bytes, 64 hex digits"],
      ['byte_length', 'integer', 'size of the file in bytes'],
      ['line_count', 'integer', 'lines reconciled: every payment or answer line, unreadable line and ignored line'],
      ['imported_by', 'text', 'operator who imported it'],
      ['units', 'text', "the importing operator's units, comma-separated in the order of the token ('*' for every unit)"],
      ['started_at', 'text', 'ISO instant (UTC) the import began'],
      ['started_position', 'bigint', 'log position of its start: the order of the list'],
      ['completed_at', 'text', 'ISO instant (UTC) every line was accounted for; null while interrupted (importing the same file again finishes it)'],
      ['applied', 'integer', 'lines applied; null until completed'],
      ['already_recorded', 'integer', 'lines the ledger already recorded as the file says; null until completed'],
      ['unmatched', 'integer', 'lines matching no payment or person of this ledger; null until completed'],
      ['out_of_scope', 'integer', "lines for payments or people outside the importer's units; null until completed"],
      ['amount_mismatch', 'integer', "lines whose amount is not the payment's; null until completed"],
      ['duplicate', 'integer', 'lines repeating an earlier line, or reporting a payment already paid; null until completed'],
      ['refused', 'integer', "lines the ledger's rules refused; null until completed"],
      ['unreadable', 'integer', 'lines that could not be read; null until completed'],
      ['ignored', 'integer', 'lines read with nothing to apply (a pending status, a credit); null until completed'],
    ],
    indexes: [['started_position']],
    since: 7,
  },
  {
    name: 'audit_chain',
    description:
      'The audit hash chain: one link per event of the global log, in commit order. hash = SHA-256(previous hash || encode(event)), from 32 zero bytes; encode is documented in libs/read-models/src/audit/audit-chain.ts.',
    key: ['position'],
    columns: [
      ['position', 'bigint', 'global log position of the event'],
      ['hash', 'text', 'the chain hash up to and including this event, 64 hex digits'],
    ],
    indexes: [],
    since: 2,
  },
];

export const tableDefinition = (name: TableName) => READ_MODEL_TABLES.find((table) => table.name === name)!;

/**
 * A table kept beside the read models that no projection writes: records of their own, which a
 * rebuild never empties and the replay check never compares. Append-only: no code path updates or
 * deletes a row, and the database refuses it (a trigger). Its key is a number the database assigns,
 * in the order records are written.
 */
export interface RecordTableDefinition extends Omit<TableDefinition, 'name' | 'since'> {
  readonly name: 'access_log';
  /** The columns every record has (NOT NULL). */
  readonly required: readonly string[];
  readonly since: number;
}

/** Who read whose personal data, as personal-data law expects a controller to know: one row per person (or payment file) per read. */
export const ACCESS_LOG_TABLE: RecordTableDefinition = {
  name: 'access_log',
  description:
    "Every read of a person's data through the API (a beneficiary's record, a search, a payment file, a person's history or state as of an instant): who read it, when, by which route. One row per person, or per payment file, per read. Append-only: the database refuses UPDATE and DELETE; a rebuild never empties it.",
  key: ['id'],
  columns: [
    ['id', 'bigint', 'the record\'s number, assigned in the order records are written: the cursor of GET /v1/audit/access-log'],
    ['recorded_at', 'text', 'ISO instant (UTC) the read was answered'],
    ['actor', 'text', "the caller's `sub` (user id)"],
    ['actor_role', 'text', 'operator, auditor, reporter or admin'],
    ['route', 'text', 'method and route template, e.g. GET /v1/beneficiaries/:beneficiaryId'],
    ['beneficiary_id', 'text', 'the person whose data was read; null for a payment file'],
    ['payroll_run_id', 'text', 'the payroll run whose payment file was read; null otherwise'],
    ['paying_agent', 'text', 'the payment file read: a bank code or POST_OFFICE; null otherwise'],
    ['correlation_id', 'text', "the request's correlation id (X-Correlation-Id, else one of its own): the rows of one read share it"],
  ],
  required: ['recorded_at', 'actor', 'actor_role', 'route'],
  indexes: [['beneficiary_id', 'id'], ['actor', 'id'], ['recorded_at']],
  since: 5,
};

/** The tables beside the read models, written by the API rather than projected. */
export const RECORD_TABLES: readonly RecordTableDefinition[] = [ACCESS_LOG_TABLE];

