import { Command } from '@nestjs/cqrs';
import type { DisbursementState } from '@ledger/domain';
import type { ReadStream } from '@ledger/event-store';
import type { CommandContext } from '../platform/index.js';
import type { SettlementReads } from './settlement-reads.js';

export type DisbursementLifecycleChange =
  | { readonly type: 'SettleDisbursement'; readonly data: { readonly providerReference: string; readonly paidAt: Date; readonly amount: number } }
  | { readonly type: 'FailDisbursement'; readonly data: { readonly reason: string } }
  | { readonly type: 'ReturnDisbursement'; readonly data: { readonly reason: string } }
  | { readonly type: 'RescheduleDisbursement'; readonly data: { readonly reason: string } };

export interface DisbursementChanged {
  readonly disbursementId: string;
  readonly status: string;
  readonly daysLate?: number;
  readonly attempt: number;
  readonly channel: string;
  readonly overpayment?: boolean;
  readonly position: string | null;
}

export class ChangeDisbursementCommand extends Command<DisbursementChanged> {
  constructor(
    readonly disbursementId: string,
    readonly change: DisbursementLifecycleChange,
    readonly context: CommandContext,
    /** Distinguishes the items of one settlement batch, which share the request's Idempotency-Key. */
    readonly itemOfBatch?: number,
    /**
     * The disbursement as the caller has just read it (a file import reads it to match the line),
     * decided on instead of reading it again; a write since then is found by the append, and decided again.
     * A settlement may come with what else it decides on, read with the rest of the caller's batch.
     */
    readonly alreadyRead?: { readonly state: DisbursementState; readonly read: ReadStream; readonly settlement?: SettlementReads },
  ) {
    super();
  }
}
