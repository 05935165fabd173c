import type { DomainEvent } from '../decider.js';

export const FileImportEventType = {
  Started: 'FileImportStarted',
  LinesReconciled: 'FileImportLinesReconciled',
  Completed: 'FileImportCompleted',
} as const;

/** What a file brings in: a bank's results, the Post Office's returns, or the population database's answers. */
export const FILE_IMPORT_KINDS = ['BANK_RESULTS', 'POST_OFFICE_RETURNS', 'IDENTITY_CHECK_ANSWERS'] as const;
export type FileImportKind = (typeof FILE_IMPORT_KINDS)[number];

/**
 * What became of one line of an imported file:
 * - APPLIED: the ledger recorded what the line says (a payment paid, failed or returned; an answer).
 * - ALREADY_RECORDED: the ledger already stood as the line says (an earlier file, or an operator, told it).
 * - UNMATCHED: no payment (or person) of this ledger answers to the line.
 * - OUT_OF_SCOPE: a payment (or person) of a unit outside the importing operator's.
 * - AMOUNT_MISMATCH: the line's amount is not the payment's; nothing recorded.
 * - DUPLICATE: the line repeats an earlier line of the file, or reports a second payment of one already paid.
 * - REFUSED: the ledger's rules refused the change (the code says which).
 * - UNREADABLE: the line could not be read; IGNORED: read, with nothing to apply (a pending status, a credit).
 */
export const LINE_OUTCOMES = ['APPLIED', 'ALREADY_RECORDED', 'UNMATCHED', 'OUT_OF_SCOPE', 'AMOUNT_MISMATCH', 'DUPLICATE', 'REFUSED', 'UNREADABLE', 'IGNORED'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

export interface ReconciledLine {
  readonly line: number;
  readonly outcome: LineOutcome;
  /** The payment the line was matched to; absent when it matched none. */
  readonly disbursementId?: string;
  /** The person the line was matched to (population database answers). */
  readonly beneficiaryId?: string;
  /** What the line reported: PAID, FAILED, RETURNED; or MATCHED, MISMATCHED, DECEASED. */
  readonly reported?: string;
  /** A rule's code, for REFUSED and DUPLICATE lines (PROVIDER_REFERENCE_IN_USE, DISBURSEMENT_SCHEDULED…). */
  readonly code?: string;
  /** Why, in words an operator can act on. Never a name, a national id or an account number. */
  readonly detail?: string;
  readonly expectedAmount?: number;
  readonly statedAmount?: number;
}

export type FileImportStarted = DomainEvent<
  typeof FileImportEventType.Started,
  {
    importId: string;
    kind: FileImportKind;
    /** The format recognised from the content: PAIN_002, CAMT_053, CAMT_054, MT940, BANK_RESULTS_CSV, POST_OFFICE_RETURNS_CSV, IDENTITY_CHECK_ANSWERS_CSV. */
    format: string;
    /** SHA-256 of the file's bytes, hex: the same file is the same import. */
    sha256: string;
    byteLength: number;
    /** Lines reconciled in all: every payment line, unreadable line and ignored line of the file. */
    lineCount: number;
    importedBy: string;
    /** The units the importing operator works in: the scope the file was judged against. */
    units: string[];
    /** The instant the import began; a payment reported without a date is taken as made then. */
    startedAt: string;
  }
>;

/** One chunk of reconciled lines, in the file's order: chunks are recorded as they are applied, so an import interrupted carries on at the first chunk not recorded. */
export type FileImportLinesReconciled = DomainEvent<typeof FileImportEventType.LinesReconciled, { chunk: number; lines: ReconciledLine[] }>;

export type FileImportCompleted = DomainEvent<typeof FileImportEventType.Completed, { counts: Record<LineOutcome, number>; completedAt: string }>;

export type FileImportEvent = FileImportStarted | FileImportLinesReconciled | FileImportCompleted;
