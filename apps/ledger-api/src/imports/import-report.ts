import { fold, FileImportEventType, fileImportDecider, noLineCounts, type FileImportEvent, type FileImportKind, type LineOutcome, type ReconciledLine } from '@ledger/domain';
import { readAggregate, type EventStore } from '@ledger/event-store';

/** An import and what became of each of its lines: read from the import's own stream, so always whole and current. */
export interface ImportReport {
  readonly importId: string;
  readonly kind: FileImportKind;
  readonly format: string;
  readonly sha256: string;
  readonly byteLength: number;
  readonly lineCount: number;
  readonly importedBy: string;
  readonly units: readonly string[];
  readonly startedAt: string;
  /** Null while the import is interrupted: importing the same file again finishes it. */
  readonly completedAt: string | null;
  readonly status: 'COMPLETED' | 'INTERRUPTED';
  readonly counts: Readonly<Record<LineOutcome, number>>;
  /** Every line with a recorded outcome, in the file's order. */
  readonly lines: readonly ReconciledLine[];
  /** The log position of the import's latest record, after every line it applied: what to wait for (X-Min-Position) to read them all. */
  readonly position: string;
}

export class UnknownImport extends Error {
  override readonly name = 'UnknownImport';
}

export async function readImportReport(store: EventStore, importId: string): Promise<ImportReport> {
  const { read } = await readAggregate(store, 'fileImport', importId);
  const events = read.events as FileImportEvent[];
  const state = fold(fileImportDecider, events);
  if (!state.started) throw new UnknownImport(`No import ${importId}`);
  const lines = events.flatMap((event) => (event.type === FileImportEventType.LinesReconciled ? event.data.lines : [])).sort((a, b) => a.line - b.line);
  const { kind, format, sha256, byteLength, lineCount, importedBy, units, startedAt } = state.started;
  return {
    importId,
    kind,
    format,
    sha256,
    byteLength,
    lineCount,
    importedBy,
    units,
    startedAt,
    completedAt: state.completedAt,
    status: state.completedAt === null ? 'INTERRUPTED' : 'COMPLETED',
    counts: { ...noLineCounts(), ...state.counts },
    lines,
    position: read.recorded.at(-1)!.globalPosition.toString(),
  };
}

/**
 * The lines a person must look at: everything but what was applied or already recorded, and what was
 * applied with a consequence to act on (a death to review, an overpayment to recover).
 */
export const needsAttention = (line: ReconciledLine): boolean => (line.outcome !== 'APPLIED' && line.outcome !== 'ALREADY_RECORDED') || line.code !== undefined;

/** The report's columns as CSV, one row per line: what an operator filters in a spreadsheet. */
export const IMPORT_REPORT_COLUMNS = ['line', 'outcome', 'reported', 'disbursement_id', 'beneficiary_id', 'code', 'expected_amount_vnd', 'stated_amount_vnd', 'detail'] as const;

export function importReportRows(report: ImportReport): Array<Record<(typeof IMPORT_REPORT_COLUMNS)[number], string | number>> {
  return report.lines.map((line) => ({
    line: line.line,
    outcome: line.outcome,
    reported: line.reported ?? '',
    disbursement_id: line.disbursementId ?? '',
    beneficiary_id: line.beneficiaryId ?? '',
    code: line.code ?? '',
    expected_amount_vnd: line.expectedAmount ?? '',
    stated_amount_vnd: line.statedAmount ?? '',
    detail: line.detail ?? '',
  }));
}
