import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../platform/index.js';

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
  ) {
    super();
  }
}
