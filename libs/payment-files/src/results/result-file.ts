import type { LocalDate, Vnd } from '@ledger/domain';

/** What a paying agent reports happened to one payment. */
export type ResultOutcome = 'PAID' | 'FAILED' | 'RETURNED';

/** The result files the ledger reads, told apart by their content, never by their name. */
export type ResultFileFormat = 'PAIN_002' | 'CAMT_053' | 'CAMT_054' | 'MT940' | 'BANK_RESULTS_CSV' | 'POST_OFFICE_RETURNS_CSV';

/**
 * One payment's result as a file states it. `lineNumber` is the line of the file (from 1) where the
 * transaction starts — the TxInfAndSts or TxDtls element, the `:61:` line, the CSV record — so a
 * report can point an operator at it. Nothing here says whether the payment exists or the amount is
 * right: that is the ledger's to judge.
 */
export interface ResultLine {
  readonly lineNumber: number;
  /** As written in the file; `disbursementIdFromEndToEndId` turns it into a disbursement id. */
  readonly endToEndId: string;
  readonly outcome: ResultOutcome;
  /** Whole đồng, when the file states an amount. */
  readonly amount?: Vnd;
  /** Always VND: a line in another currency is a problem, not a result. */
  readonly currency?: 'VND';
  /** The booking, acceptance or collection date. */
  readonly date?: LocalDate;
  /** Why a payment failed or came back: a bank's reason code (`AC04`), the Post Office's note. */
  readonly reason?: string;
}

/** A line that could not be read; it is reported, and the other lines are still read. */
export interface LineProblem {
  readonly lineNumber: number;
  readonly reason: string;
}

/** A line read correctly that carries nothing to apply: a pending status, a credit entry, a bank fee. */
export interface IgnoredLine {
  readonly lineNumber: number;
  readonly reason: string;
  readonly endToEndId?: string;
}

export interface ResultFile {
  readonly format: ResultFileFormat;
  readonly lines: readonly ResultLine[];
  readonly problems: readonly LineProblem[];
  readonly ignored: readonly IgnoredLine[];
}

/** Collects a file's lines as a parser reads them. */
export class ResultFileReading {
  readonly lines: ResultLine[] = [];
  readonly problems: LineProblem[] = [];
  readonly ignored: IgnoredLine[] = [];

  constructor(readonly format: ResultFileFormat) {}

  /** Problems and ignored lines in file order, however the parser came upon them. */
  result(): ResultFile {
    const byLine = (a: { lineNumber: number }, b: { lineNumber: number }) => a.lineNumber - b.lineNumber;
    return { format: this.format, lines: this.lines, problems: [...this.problems].sort(byLine), ignored: [...this.ignored].sort(byLine) };
  }
}

/** A result to write into a file: what the builders take, for tests and the demo's example files. */
export interface PaymentResult {
  readonly disbursementId: string;
  readonly outcome: ResultOutcome;
  readonly amount?: Vnd;
  readonly date?: LocalDate;
  readonly reason?: string;
}
