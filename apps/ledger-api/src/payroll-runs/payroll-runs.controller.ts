import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { parsePeriod, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { unitsToRead } from '../read-side/query-scope.js';
import { READ_MODEL_QUERIES } from '../read-side/read-side.tokens.js';
import { decodeRunCursor, encodeRunCursor, PayrollRunListQueryDto, payrollRunListView } from './payroll-run-list.js';
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
    @Inject(READ_MODEL_QUERIES) private readonly readModels: ReadModelQueries,
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

  /** The runs of the caller's units, newest period first: `?status=SCHEDULED` lists those awaiting a checker. */
  @Get()
  @Roles('operator', 'auditor')
  @UseInterceptors(MinPositionInterceptor)
  async list(@Query() query: PayrollRunListQueryDto, @CurrentActor() actor: Actor) {
    const page = await this.readModels.payrollRuns({
      units: unitsToRead(actor, query.unitCode, this.catalogues),
      ...(query.period ? { period: query.period } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor === undefined ? {} : { after: decodeRunCursor(query.cursor) }),
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(payrollRunListView), next: encodeRunCursor(page.next) };
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
