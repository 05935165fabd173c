import { Command } from '@nestjs/cqrs';
import type { PayrollScope } from '@ledger/domain';
import type { CommandContext } from '../platform/index.js';

export interface PayrollRunScheduled {
  readonly runId: string;
  readonly status: string;
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  readonly arrears: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly totalAmount: number;
  readonly position: string | null;
}

/** Schedule every eligible disbursement of a period (optionally one program and/or unit), arrears included. */
export class SchedulePayrollCommand extends Command<PayrollRunScheduled> {
  constructor(
    readonly scope: PayrollScope,
    readonly context: CommandContext,
    /** Called as beneficiaries are planned and disbursements written, for the CLI's progress bar. */
    readonly onProgress?: (done: number, phase: 'planning' | 'scheduling') => void,
  ) {
    super();
  }
}

export class ApprovePayrollRunCommand extends Command<{ runId: string; status: string; position: string | null }> {
  constructor(
    readonly runId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class SendPayrollRunCommand extends Command<{
  runId: string;
  status: string;
  sent: number;
  cancelled: number;
  paymentFiles: ReadonlyArray<{ paymentFile: string; count: number; totalAmount: number }>;
  position: string | null;
}> {
  constructor(
    readonly runId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
