import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NotFound, parsePeriod, type Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { CommandCtx, CurrentActor, Idempotent, mayReadUnit, problem, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { ForbiddenException } from '@nestjs/common';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from './payroll-run.commands.js';
import { beneficiaryCache, disbursementAsSentBy, loadPayrollRun } from './payroll-run-access.js';

export class SchedulePayrollDto {
  @IsString() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) program?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(20) unitCode?: string;
}

const runIdParam = new ParseUUIDPipe({ version: '5' });
const BANK_FILE_HEADER = ['disbursement_id', 'beneficiary_id', 'program', 'period', 'amount_vnd', 'bank_code', 'account_number', 'holder_name', 'payment_reference'];
const CASH_LIST_HEADER = ['disbursement_id', 'beneficiary_id', 'full_name', 'national_id', 'unit_code', 'program', 'period', 'amount_vnd'];

@Controller('v1/payroll-runs')
export class PayrollRunsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Post()
  @Roles('operator')
  @Idempotent({ required: true })
  schedule(@Body() body: SchedulePayrollDto, @CommandCtx() context: CommandContext) {
    const scope = { period: parsePeriod(body.period, 'period'), program: body.program ?? null, unitCode: body.unitCode ?? null };
    return this.commands.execute(new SchedulePayrollCommand(scope, context));
  }

  @Post(':runId/approve')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  approve(@Param('runId', runIdParam) runId: string, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new ApprovePayrollRunCommand(runId, context));
  }

  @Post(':runId/send')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  send(@Param('runId', runIdParam) runId: string, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new SendPayrollRunCommand(runId, context));
  }

  @Get(':runId')
  @Roles('operator', 'auditor')
  async get(@Param('runId', runIdParam) runId: string, @CurrentActor() actor: Actor) {
    const run = await loadPayrollRun(this.store, runId);
    this.assertMayRead(actor, run.scope.unitCode);
    return {
      runId,
      ...run.scope,
      status: run.status,
      createdBy: run.createdBy,
      approvedBy: run.approvedBy ?? null,
      disbursements: run.disbursementIds.length,
      ...(run.summary ?? {}),
      ...(run.sent ? { sent: run.sent.sent, cancelled: run.sent.cancelled, paymentFiles: run.sent.paymentFiles } : {}),
    };
  }

  /** The payment file for one bank, or the Post Office's cash list: the run's disbursements as it sent them. */
  @Get(':runId/payment-files/:paymentFile')
  @Roles('operator', 'auditor')
  @Header('content-type', 'text/csv; charset=utf-8')
  async paymentFile(@Param('runId', runIdParam) runId: string, @Param('paymentFile') paymentFile: string, @CurrentActor() actor: Actor) {
    const run = await loadPayrollRun(this.store, runId);
    this.assertMayRead(actor, run.scope.unitCode);
    if (!run.sent) throw new NotFound('PAYMENT_FILE_NOT_FOUND', 'Payment files exist once the run is sent');
    if (!run.sent.paymentFiles.some((file) => file.paymentFile === paymentFile)) {
      throw new NotFound('PAYMENT_FILE_NOT_FOUND', `The run has no payment file ${paymentFile}`, { paymentFiles: run.sent.paymentFiles.map((file) => file.paymentFile) });
    }
    const cash = paymentFile === 'POST_OFFICE';
    const beneficiaryOf = beneficiaryCache(this.store);
    const lines = [(cash ? CASH_LIST_HEADER : BANK_FILE_HEADER).join(',')];
    for (const disbursementId of run.disbursementIds) {
      const d = await disbursementAsSentBy(this.store, disbursementId, runId);
      if (!d) continue;
      if (cash ? d.channel !== 'CASH' : d.channel !== 'BANK' || d.account?.bankCode !== paymentFile) continue;
      if (cash) {
        const beneficiary = await beneficiaryOf(d.beneficiaryId);
        lines.push(csv([d.disbursementId, d.beneficiaryId, beneficiary.fullName, beneficiary.nationalId, d.unitCode, d.program, d.period, d.amount]));
      } else {
        lines.push(csv([d.disbursementId, d.beneficiaryId, d.program, d.period, d.amount, d.account!.bankCode, d.account!.accountNumber, d.account!.holderName, `${d.program} ${d.period}`]));
      }
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  private assertMayRead(actor: Actor, unitCode: string | null) {
    const readable = unitCode ? mayReadUnit(actor, unitCode, this.catalogues.units) : this.catalogues.units.codes().every((code) => mayReadUnit(actor, code, this.catalogues.units));
    if (!readable) throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', 'The run covers units outside those this operator works in.', {}));
  }
}

/** RFC 4180: quote a field holding a comma, quote or line break. A leading = + - @ is defused against spreadsheet formulas. */
function csv(fields: Array<string | number>): string {
  return fields
    .map((field) => {
      let text = String(field);
      if (/^[=+\-@]/.test(text) && typeof field === 'string') text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
