/** What a projection asks of a store: plain row operations, so SQLite and PostgreSQL apply them alike. */
export type SqlValue = string | number | boolean | null;
export type Row = Readonly<Record<string, SqlValue>>;

export type RowChange =
  /** Insert the row, or replace every given column of the row with the same key. */
  | { readonly kind: 'upsert'; readonly table: TableName; readonly row: Row }
  /** Set columns on the rows matching `where`, a null matching null (none match: nothing happens). A key is never null. */
  | { readonly kind: 'update'; readonly table: TableName; readonly where: Row; readonly set: Row }
  /** Insert the row unless one with the same key exists: facts recorded once. */
  | { readonly kind: 'insert'; readonly table: TableName; readonly row: Row };

export type TableName =
  | 'beneficiaries'
  | 'enrollments'
  | 'enrollment_spells'
  | 'enrollment_suspensions'
  | 'payment_accounts'
  | 'disbursements'
  | 'disbursement_totals'
  | 'active_enrollment_changes'
  | 'active_beneficiary_changes'
  | 'duplicate_attempts'
  | 'payroll_runs'
  | 'death_reports'
  | 'cross_province_findings'
  | 'file_imports'
  | 'audit_chain';
