import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { localDateInVietnam, type LocalDate } from '../shared/index.js';
import type { ReconciledLine } from './file-import.events.js';

/** One payment's result as a paying agent's file states it, matched to a payment of the ledger by its end-to-end id. */
export interface PaymentResultLine {
  readonly outcome: 'PAID' | 'FAILED' | 'RETURNED';
  /** Whole đồng, when the file states an amount. */
  readonly amount?: number;
  /** The booking, acceptance or collection date. */
  readonly date?: LocalDate;
  readonly reason?: string;
}

/** What the ledger should do about one result line: a change through the disbursement's command, or nothing, with the reason. */
export type PaymentReconciliation =
  | { readonly change: { readonly type: 'SettleDisbursement'; readonly providerReference: string; readonly paidAt: Date; readonly amount: number } }
  | { readonly change: { readonly type: 'FailDisbursement' | 'ReturnDisbursement'; readonly reason: string } }
  | { readonly noChange: Omit<ReconciledLine, 'line'> };

/** Noon in Vietnam: a payment reported for a day, without its hour, is taken as made in the middle of it. */
const middayInVietnam = (date: LocalDate) => new Date(`${date}T12:00:00+07:00`);

/**
 * Decides, on the payment as it stands, what a result line asks of the ledger. A line reporting what
 * the ledger already records (a file imported twice, a statement confirming a pain.002) changes nothing;
 * a line whose amount is not the payment's changes nothing either — it goes to the report for a person
 * to settle with the bank, never forced through. A payment paid on one day and reported paid again on
 * another is a second payment, not a confirmation: it is reported as a duplicate.
 *
 * The provider reference of a payment settled from a file is its end-to-end id (`providerReference`),
 * the same in every file that reports it, so a pain.002 and the camt.054 that follows agree.
 * `reportedAt` stands in for a missing date: the moment the import began, the same on every retry.
 */
export function reconcilePaymentResult(
  line: PaymentResultLine,
  payment: DisbursementState,
  { inScope, providerReference, reportedAt }: { readonly inScope: boolean; readonly providerReference: string; readonly reportedAt: Date },
): PaymentReconciliation {
  const reported = line.outcome;
  if (!payment.exists) return { noChange: { outcome: 'UNMATCHED', reported, detail: 'No payment of this ledger has this end-to-end id' } };
  const disbursementId = payment.disbursementId;
  if (!inScope) return { noChange: { outcome: 'OUT_OF_SCOPE', reported, disbursementId, detail: 'The payment belongs to a unit outside yours' } };
  if (line.amount !== undefined && line.amount !== payment.amount) {
    return {
      noChange: {
        outcome: 'AMOUNT_MISMATCH',
        reported,
        disbursementId,
        expectedAmount: payment.amount,
        statedAmount: line.amount,
        detail: `The file states ${line.amount} VND; the payment is ${payment.amount} VND`,
      },
    };
  }
  switch (line.outcome) {
    case 'PAID': {
      const paidAt = line.date ? middayInVietnam(line.date) : reportedAt;
      if (payment.status === 'PAID') {
        const paidOn = localDateInVietnam(new Date(payment.payment!.paidAt));
        if (paidOn === localDateInVietnam(paidAt)) return { noChange: { outcome: 'ALREADY_RECORDED', reported, disbursementId, detail: `Paid on ${paidOn}, as recorded` } };
        return {
          noChange: { outcome: 'DUPLICATE', reported, disbursementId, code: 'PAID_TWICE', detail: `Already paid on ${paidOn}; this line reports a payment on ${localDateInVietnam(paidAt)}` },
        };
      }
      return { change: { type: 'SettleDisbursement', providerReference, paidAt, amount: payment.amount } };
    }
    case 'FAILED':
    case 'RETURNED': {
      if (payment.status === line.outcome) return { noChange: { outcome: 'ALREADY_RECORDED', reported, disbursementId, detail: `Already ${line.outcome.toLowerCase()}` } };
      const reason = line.reason?.trim() || (line.outcome === 'FAILED' ? 'REJECTED_BY_BANK' : 'NOT_COLLECTED');
      return { change: { type: line.outcome === 'FAILED' ? 'FailDisbursement' : 'ReturnDisbursement', reason } };
    }
  }
}

/** For each line that repeats an earlier line's key (the same payment, the same person), the earlier line. */
export function repeatsWithinFile(lines: ReadonlyArray<{ readonly line: number; readonly key: string }>): Map<number, number> {
  const first = new Map<string, number>();
  const repeats = new Map<number, number>();
  for (const { line, key } of lines) {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, line);
    else repeats.set(line, earlier);
  }
  return repeats;
}
