import { Command } from '@nestjs/cqrs';
import type { IdentityCheckAnswer } from '@ledger/domain';
import type { CommandContext } from '../platform/index.js';

export interface IdentityCheckAnswerRecorded {
  readonly beneficiaryId: string;
  /** The answer was a death the ledger had not been told of: the person's payments are now held for review. */
  readonly deathReported: boolean;
  /** False when this answer, from this line of this import, was recorded before: nothing changed. */
  readonly recorded: boolean;
  readonly position: string | null;
}

/** One answer of the population database about one person, from one line of an imported answer file. */
export class RecordIdentityCheckAnswerCommand extends Command<IdentityCheckAnswerRecorded> {
  constructor(
    readonly beneficiaryId: string,
    readonly source: { readonly importId: string; readonly line: number },
    readonly answer: IdentityCheckAnswer,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export type DeathReportDecision = { readonly decision: 'CONFIRM' } | { readonly decision: 'REJECT'; readonly reason: string };

export interface DeathReportReviewed {
  readonly beneficiaryId: string;
  readonly position: string | null;
  /** On confirmation: the enrollments terminated, and the months cancelled or flagged as overpaid that follow. */
  readonly terminatedEnrollments?: number;
  readonly cancelledDisbursements?: number;
  readonly overpayments?: number;
}

/** An operator's decision on a reported death: confirmed (a termination for death) or rejected with a reason. */
export class ReviewDeathReportCommand extends Command<DeathReportReviewed> {
  constructor(
    readonly beneficiaryId: string,
    readonly decision: DeathReportDecision,
    readonly context: CommandContext,
  ) {
    super();
  }
}
