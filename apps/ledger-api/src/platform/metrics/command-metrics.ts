import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { toProblem } from '../problems/problem-mapping.js';
import { LedgerMetrics, type CommandOutcome, type SettlementOutcome } from './ledger-metrics.js';

/** The refusals of a payment that the settlement records as a duplicate attempt before refusing it. */
const DUPLICATE_ATTEMPT_CODES = new Set(['DUPLICATE_PAYMENT', 'PROVIDER_REFERENCE_IN_USE']);
const MISMATCH_CODES = new Set(['AMOUNT_MISMATCH', 'SETTLEMENT_MISMATCH']);
const SETTLEMENT_ACCEPTED: Readonly<Record<string, SettlementOutcome>> = { SettleDisbursement: 'paid', FailDisbursement: 'failed', ReturnDisbursement: 'returned' };
const COMMAND_TYPE = /^[A-Z][A-Za-z]{0,63}$/;

/**
 * Counts every command where all of them pass, the command bus, so no handler carries a counter and
 * a settlement batch counts each of its items. Commands from HTTP go through it (the embedded
 * store's demo seed runs the handlers in a worker thread, uncounted); an idempotent replay does not
 * (the interceptor answers it), so a retried request counts once.
 *
 * Duplicate attempts are counted here, where the settlement decides them, rather than from the
 * DuplicatePaymentRejected events the projector applies: the projector may run in another process
 * and replays history on a rebuild, which would count old attempts again as a burst of new ones.
 * The duplicate-attempts report, from the events, stays the exact record; this is the rate.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(LedgerMetrics) private readonly metrics: LedgerMetrics,
  ) {}

  onModuleInit(): void {
    const execute = this.bus.execute.bind(this.bus);
    // The bus offers no hook around a handler's outcome; wrapping its one entry point is the least intrusive way.
    this.bus.execute = (async (command: object, context?: unknown) => {
      const type = commandTypeOf(command);
      try {
        const result = await execute(command as never, context as never);
        this.count(type, 'accepted');
        return result;
      } catch (error) {
        this.count(type, outcomeOf(error), error);
        throw error;
      }
    }) as CommandBus['execute'];
  }

  private count(command: string, outcome: CommandOutcome, error?: unknown): void {
    this.metrics.commands.inc({ command, outcome });
    const settlement = settlementOutcomeOf(command, outcome, error);
    if (settlement) this.metrics.settlements.inc({ outcome: settlement });
    if (settlement === 'duplicate') this.metrics.duplicateAttempts.inc();
  }
}

/**
 * The domain's name for a command (`SettleDisbursement`, `SuspendEnrollment`, `SchedulePayroll`):
 * the type of the change a command carries, else its class name without `Command`.
 */
export function commandTypeOf(command: object): string {
  const carried = (command as { change?: { type?: unknown }; enrollment?: { type?: unknown } }).change ?? (command as { enrollment?: { type?: unknown } }).enrollment;
  const type = typeof carried?.type === 'string' ? carried.type : command.constructor.name.replace(/Command$/, '');
  return COMMAND_TYPE.test(type) ? type : 'Unknown';
}

/** By the problem the error becomes, so the outcome is the status the caller sees. */
export function outcomeOf(error: unknown): Exclude<CommandOutcome, 'accepted'> {
  const { status } = toProblem(error, '').problem;
  return status >= 500 ? 'error' : status === 409 ? 'conflict' : 'refused';
}

export function settlementOutcomeOf(command: string, outcome: CommandOutcome, error?: unknown): SettlementOutcome | undefined {
  const accepted = SETTLEMENT_ACCEPTED[command];
  if (!accepted) return undefined;
  if (outcome === 'accepted') return accepted;
  if (outcome === 'error') return 'error';
  const { code } = toProblem(error, '').problem;
  if (DUPLICATE_ATTEMPT_CODES.has(code)) return 'duplicate';
  if (MISMATCH_CODES.has(code)) return 'mismatch';
  return 'refused';
}
