import type { TableName } from './row-changes.js';

export type ColumnType = 'text' | 'integer' | 'boolean' | 'bigint';

export interface TableDefinition {
  readonly name: TableName;
  readonly description: string;
  readonly key: readonly string[];
  readonly columns: ReadonlyArray<readonly [name: string, type: ColumnType, description: string]>;
  readonly indexes: ReadonlyArray<readonly string[]>;
  /** The read-model schema version that added the table; 1 when absent. */
  readonly since?: number;
}

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
    ],
    indexes: [['unit_code']],
  },
  {
    name: 'enrollments',
    description: 'One row per beneficiary and program.',
    key: ['beneficiary_id', 'program'],
    columns: [
      ['beneficiary_id', 'text', 'the beneficiary'],
      ['program', 'text', 'program code, e.g. MERITORIOUS, SOCIAL_ASSISTANCE'],
      ['unit_code', 'text', "the beneficiary's unit (kept in step with relocations)"],
      ['status', 'text', 'ACTIVE, SUSPENDED or TERMINATED'],
      ['coefficient', 'integer', 'in thousandths (1500 = 1.5)'],
      ['effective_from', 'text', 'first period paid, YYYY-MM'],
      ['suspended_from', 'text', 'period of the open suspension, if any'],
      ['terminated_on', 'text', 'effective date of the termination, if any'],
      ['termination_reason', 'text', 'DECEASED, NO_LONGER_ELIGIBLE or MOVED_OUT'],
    ],
    indexes: [['unit_code', 'program', 'status']],
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
      ['unit_code', 'text', 'unit at scheduling time'],
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
      ['overpayment', 'boolean', 'paid for a period after a back-dated termination: to recover'],
      ['termination_date', 'text', 'the termination that made it an overpayment'],
      ['updated_position', 'bigint', 'log position of the last event applied'],
    ],
    indexes: [['beneficiary_id', 'period'], ['period', 'program', 'unit_code'], ['status', 'due_date'], ['payroll_run_id']],
  },
  {
    name: 'duplicate_attempts',
    description: 'Settlements refused because the disbursement was already paid under another reference.',
    key: ['position'],
    columns: [
      ['position', 'bigint', 'log position of the recorded attempt'],
      ['disbursement_id', 'text', 'the disbursement already paid'],
      ['provider_reference', 'text', 'the refused reference'],
      ['paid_under_reference', 'text', 'the reference it was paid under'],
      ['amount', 'bigint', 'VND claimed by the refused settlement'],
      ['paid_at', 'text', 'ISO instant claimed by the refused settlement'],
      ['recorded_at', 'text', 'when the attempt was recorded'],
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
      ['status', 'text', 'SCHEDULING, SCHEDULED, APPROVED, SENT, or ABANDONED (interrupted while scheduling and taken over by a later run)'],
      ['created_by', 'text', 'maker'],
      ['approved_by', 'text', 'checker'],
      ['scheduled', 'integer', 'disbursements scheduled by the run'],
      ['already_scheduled', 'integer', 'disbursements of the period that already existed'],
      ['arrears', 'integer', 'of the scheduled, how many are arrears'],
      ['total_amount', 'bigint', 'VND scheduled'],
      ['sent', 'integer', 'disbursements sent'],
      ['cancelled', 'integer', 'disbursements cancelled at sending (freeze)'],
    ],
    indexes: [['period']],
  },
  {
    name: 'audit_chain',
    description:
      'The audit hash chain (SPEC 4): one link per event of the global log, in commit order. hash = SHA-256(previous hash || encode(event)), from 32 zero bytes; encode is documented in libs/read-models/src/audit/audit-chain.ts.',
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
