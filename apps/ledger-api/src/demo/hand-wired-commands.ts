import 'reflect-metadata';
import type { Command, ICommandHandler } from '@nestjs/cqrs';
import type { Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand } from '../beneficiaries/beneficiary.commands.js';
import { ChangeBeneficiaryHandler, EnrollBeneficiaryHandler } from '../beneficiaries/beneficiary-command.handlers.js';
import { ChangeDisbursementCommand } from '../disbursements/disbursement.commands.js';
import { ChangeDisbursementHandler } from '../disbursements/change-disbursement.handler.js';
import { ApprovePayrollRunHandler, SendPayrollRunHandler } from '../payroll-runs/approve-and-send.handlers.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../payroll-runs/payroll-run.commands.js';
import { SchedulePayrollHandler } from '../payroll-runs/schedule-payroll.handler.js';
import type { LedgerCommands } from './seed-demo.js';

type HandlerClass = new (store: EventStore, catalogues: Catalogues) => ICommandHandler;

/** Each command of the ledger and the handler LedgerModule registers for it. */
export const COMMAND_HANDLERS: ReadonlyArray<readonly [command: abstract new (...args: never[]) => Command<unknown>, handler: HandlerClass]> = [
  [EnrollBeneficiaryCommand, EnrollBeneficiaryHandler],
  [ChangeBeneficiaryCommand, ChangeBeneficiaryHandler],
  [ChangeDisbursementCommand, ChangeDisbursementHandler],
  [SchedulePayrollCommand, SchedulePayrollHandler],
  [ApprovePayrollRunCommand, ApprovePayrollRunHandler],
  [SendPayrollRunCommand, SendPayrollRunHandler],
];

/**
 * The command handlers without Nest: the CLI runs under tsx, which emits no decorator metadata, so
 * Nest's injector cannot build them there. Every handler takes (store, catalogues), so wiring them
 * by hand is one line each; a spec checks this list against LedgerModule's.
 */
export function handWiredCommands(store: EventStore, catalogues: Catalogues): LedgerCommands {
  const handlers = new Map<unknown, ICommandHandler>(COMMAND_HANDLERS.map(([command, Handler]) => [command, new Handler(store, catalogues)]));
  return {
    execute<Result>(command: Command<Result>): Promise<Result> {
      const handler = handlers.get(command.constructor);
      if (!handler) return Promise.reject(new Error(`No handler for ${command.constructor.name}`));
      return handler.execute(command) as Promise<Result>;
    },
  };
}
