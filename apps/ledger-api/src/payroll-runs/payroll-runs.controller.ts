import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { parsePeriod } from '@ledger/domain';
import { CommandCtx, CurrentActor, Idempotent, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { RecordsPersonalDataAccess } from '../platform/access-log/records-personal-data-access.js';
import { BodyMayBeAbsent } from '../platform/validation/validation.pipe.js';
import { ApprovePayrollRunCommand, RejectPayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from './payroll-run.commands.js';
import { GetPaymentFileQuery, GetPayrollRunQuery } from './payroll-run.queries.js';

export class SchedulePayrollDto {
  @IsString() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) program?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(20) unitCode?: string;
}

@BodyMayBeAbsent()
export class ApprovePayrollRunDto {
  /** The checker has read the run's list of large arrears; required when it lists any. */
  @IsOptional() @IsBoolean() acknowledgeLargeArrears?: boolean;
}

export class RejectPayrollRunDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

const runIdParam = new ParseUUIDPipe({ version: '5' });

@Controller('v1/payroll-runs')
export class PayrollRunsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
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
  approve(@Param('runId', runIdParam) runId: string, @Body() body: ApprovePayrollRunDto, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new ApprovePayrollRunCommand(runId, context, body.acknowledgeLargeArrears === true));
  }

  @Post(':runId/reject')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  reject(@Param('runId', runIdParam) runId: string, @Body() body: RejectPayrollRunDto, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new RejectPayrollRunCommand(runId, body.reason.trim(), context));
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
  get(@Param('runId', runIdParam) runId: string, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetPayrollRunQuery(runId, actor));
  }

  /** The payment file for one bank, or the Post Office's cash list: the run's disbursements as it sent them. */
  @Get(':runId/payment-files/:paymentFile')
  @Roles('operator', 'auditor')
  @RecordsPersonalDataAccess({ paymentFileFrom: 'param' })
  @Header('content-type', 'text/csv; charset=utf-8')
  paymentFile(@Param('runId', runIdParam) runId: string, @Param('paymentFile') paymentFile: string, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetPaymentFileQuery(runId, paymentFile, actor));
  }
}
