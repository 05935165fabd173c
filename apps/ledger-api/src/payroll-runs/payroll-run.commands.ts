import { Command } from '@nestjs/cqrs';
import type { LargeArrears, PayrollScope, UnchangedSince } from '@ledger/domain';
import type { CommandContext } from '../platform/index.js';

export interface PayrollRunScheduled {
  readonly runId: string;
  readonly status: string;
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  readonly arrears: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly totalAmount: number;
  /** People owed more than a year, or more than 50,000,000 VND, of arrears: the checker must acknowledge them. */
  readonly largeArrears: readonly LargeArrears[];
  /** A rerun that read again only the people whose records changed: the earlier run the rest stand as. */
  readonly unchangedSince: UnchangedSince | null;
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

export interface PayrollRunDecided {
  readonly runId: string;
  readonly status: string;
  readonly position: string | null;
}

export class ApprovePayrollRunCommand extends Command<PayrollRunDecided & { approvedBy?: string }> {
  constructor(
    readonly runId: string,
    readonly context: CommandContext,
    /** The checker has seen the run's list of large arrears. */
    readonly acknowledgeLargeArrears = false,
  ) {
    super();
  }
}

/** The checker refuses a run: nothing of it is sent, and its disbursements wait for the next run of their period. */
export class RejectPayrollRunCommand extends Command<PayrollRunDecided & { rejectedBy?: string; released: number }> {
  constructor(
    readonly runId: string,
    readonly reason: string,
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
