import type { Command, ICommandHandler } from '@nestjs/cqrs';
import type { Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand } from '../beneficiaries/beneficiary.commands.js';
import { ChangeBeneficiaryHandler, EnrollBeneficiaryHandler } from '../beneficiaries/beneficiary-command.handlers.js';
import { RecordCrossProvinceFindingCommand, ResolveCrossProvinceFindingCommand } from '../beneficiaries/cross-province-findings.commands.js';
import { RecordCrossProvinceFindingHandler, ResolveCrossProvinceFindingHandler } from '../beneficiaries/cross-province-findings.handlers.js';
import { RecordIdentityCheckAnswerCommand, ReviewDeathReportCommand } from '../beneficiaries/identity-checks.commands.js';
import { RecordIdentityCheckAnswerHandler, ReviewDeathReportHandler } from '../beneficiaries/identity-checks.handlers.js';
import { ChangeDisbursementCommand } from '../disbursements/disbursement.commands.js';
import { ChangeDisbursementHandler } from '../disbursements/change-disbursement.handler.js';
import { ApprovePayrollRunHandler, RejectPayrollRunHandler, SendPayrollRunHandler } from '../payroll-runs/approve-and-send.handlers.js';
import { ApprovePayrollRunCommand, RejectPayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../payroll-runs/payroll-run.commands.js';
import { SchedulePayrollHandler } from '../payroll-runs/schedule-payroll.handler.js';
import type { LedgerIdentifiers } from './ledger-identifiers.js';

/** What every command handler is built from: the Nest module injects these, the CLI passes them by hand. */
export type CommandHandlerClass = new (store: EventStore, catalogues: Catalogues, identifiers: LedgerIdentifiers) => ICommandHandler;

/**
 * Each command of the ledger and its handler: the one list LedgerModule registers and the CLI wires
 * by hand (it runs under tsx, which emits no decorator metadata for Nest's injector).
 */
export const COMMAND_HANDLERS: ReadonlyArray<readonly [command: abstract new (...args: never[]) => Command<unknown>, handler: CommandHandlerClass]> = [
  [EnrollBeneficiaryCommand, EnrollBeneficiaryHandler],
  [ChangeBeneficiaryCommand, ChangeBeneficiaryHandler],
  [RecordIdentityCheckAnswerCommand, RecordIdentityCheckAnswerHandler],
  [ReviewDeathReportCommand, ReviewDeathReportHandler],
  [RecordCrossProvinceFindingCommand, RecordCrossProvinceFindingHandler],
  [ResolveCrossProvinceFindingCommand, ResolveCrossProvinceFindingHandler],
  [ChangeDisbursementCommand, ChangeDisbursementHandler],
  [SchedulePayrollCommand, SchedulePayrollHandler],
  [ApprovePayrollRunCommand, ApprovePayrollRunHandler],
  [RejectPayrollRunCommand, RejectPayrollRunHandler],
  [SendPayrollRunCommand, SendPayrollRunHandler],
];
