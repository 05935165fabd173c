import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import { parsePeriod, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { unitsToRead } from '../read-side/query-scope.js';
import { READ_MODEL_QUERIES } from '../read-side/read-side.tokens.js';
import { decodeRunCursor, encodeRunCursor, PayrollRunListQueryDto, payrollRunListView } from './payroll-run-list.js';
import { CommandCtx, CurrentActor, Idempotent, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { RecordsPersonalDataAccess } from '../platform/access-log/records-personal-data-access.js';
import { ApiCommand, ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import { ApprovePayrollRunCommand, RejectPayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from './payroll-run.commands.js';
import { GetPaymentFileQuery, GetPayrollRunQuery } from './payroll-run.queries.js';
import { paymentFileFormatOf } from './payment-file-negotiation.js';
import {
  ApprovePayrollRunDto,
  PayrollRunApprovedDto,
  PayrollRunDto,
  PayrollRunPageDto,
  PayrollRunRejectedDto,
  PayrollRunScheduledDto,
  PayrollRunSentDto,
  RejectPayrollRunDto,
  SchedulePayrollDto,
} from './payroll-run.dto.js';

const runIdParam = new ParseUUIDPipe({ version: '5' });

const RUN = 'The payroll run’s id, as scheduling it answered.';
const UNKNOWN_RUN = 'PAYROLL_RUN_NOT_FOUND: no payroll run with this id whose units are all the caller’s.';
const RUN_SETTLED = 'PAYROLL_RUN_<status>: the run is SENT, REJECTED or ABANDONED, and cannot change any more.';
const RUN_NOT_READY = 'PAYROLL_RUN_<status>: the run is not at the step this needs (still SCHEDULING, say).';

@ApiTags('Payroll runs')
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
  @ApiCommand({
    operationId: 'schedulePayrollRun',
    summary: 'Schedule a period’s payroll',
    description:
      'Schedules every disbursement the scope owes for the period, arrears included, into a new run awaiting approval. The run id derives from the Idempotency-Key: sending the same request again finishes an interrupted run instead of starting another.',
    idempotencyKey: 'required',
    created: true,
    response: { description: 'Scheduled (or, for a key already used, the run it scheduled).', json: PayrollRunScheduledDto },
    problems: {
      409: 'PAYROLL_RUN_ABANDONED: this key’s run was interrupted and a later run took its disbursements over.',
      422: 'PERIOD_BEYOND_SCHEDULING_HORIZON, an unknown program or unit.',
    },
  })
  schedule(@Body() body: SchedulePayrollDto, @CommandCtx() context: CommandContext) {
    const scope = { period: parsePeriod(body.period, 'period'), program: body.program ?? null, unitCode: body.unitCode ?? null };
    return this.commands.execute(new SchedulePayrollCommand(scope, context));
  }

  @Post(':runId/approve')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('runId', RUN)
  @ApiBody({ type: ApprovePayrollRunDto, required: false })
  @ApiCommand({
    operationId: 'approvePayrollRun',
    summary: 'Approve a scheduled run',
    description: 'By another operator than the one who scheduled it (maker-checker).',
    idempotencyKey: 'required',
    response: { description: 'Approved.', json: PayrollRunApprovedDto },
    problems: {
      404: UNKNOWN_RUN,
      409: `${RUN_SETTLED} PAYROLL_RUN_APPROVED: approved already.`,
      422: `APPROVAL_BY_CREATOR: the maker may not approve their own run. LARGE_ARREARS_NOT_ACKNOWLEDGED: the run lists large arrears and the body does not acknowledge them. ${RUN_NOT_READY}`,
    },
  })
  approve(@Param('runId', runIdParam) runId: string, @Body() body: ApprovePayrollRunDto, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new ApprovePayrollRunCommand(runId, context, body.acknowledgeLargeArrears === true));
  }

  @Post(':runId/reject')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('runId', RUN)
  @ApiCommand({
    operationId: 'rejectPayrollRun',
    summary: 'Reject a scheduled run',
    description: 'By another operator than its maker. Nothing of it is sent; its disbursements wait for the next run of their period.',
    idempotencyKey: 'required',
    response: { description: 'Rejected.', json: PayrollRunRejectedDto },
    problems: { 404: UNKNOWN_RUN, 409: `${RUN_SETTLED} PAYROLL_RUN_APPROVED: approved already.`, 422: `REJECTION_BY_CREATOR: the maker may not reject their own run. ${RUN_NOT_READY}` },
  })
  reject(@Param('runId', runIdParam) runId: string, @Body() body: RejectPayrollRunDto, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new RejectPayrollRunCommand(runId, body.reason.trim(), context));
  }

  @Post(':runId/send')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('runId', RUN)
  @ApiCommand({
    operationId: 'sendPayrollRun',
    summary: 'Send an approved run to the paying agents',
    description: 'Marks its disbursements SENT (or CANCELLED when the enrollment no longer covers the month) and records one payment file per paying agent. Sending again after an interruption finishes the job without sending anything twice.',
    idempotencyKey: 'required',
    body: false,
    response: { description: 'Sent.', json: PayrollRunSentDto },
    problems: { 404: UNKNOWN_RUN, 409: 'PAYROLL_RUN_REJECTED or PAYROLL_RUN_ABANDONED. (A run SENT already answers what it sent.)', 422: `${RUN_NOT_READY} PAYROLL_RUN_SCHEDULED: not approved yet.` },
  })
  send(@Param('runId', runIdParam) runId: string, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new SendPayrollRunCommand(runId, context));
  }

  /** The runs of the caller's units, newest period first: `?status=SCHEDULED` lists those awaiting a checker. */
  @Get()
  @Roles('operator', 'auditor')
  @UseInterceptors(MinPositionInterceptor)
  @ApiRead({
    operationId: 'listPayrollRuns',
    summary: 'List payroll runs',
    description: 'The runs of the caller’s units, newest period first. `status=SCHEDULED` lists those awaiting a checker.',
    minPosition: true,
    response: { description: 'A page of runs.', json: PayrollRunPageDto },
  })
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
  @ApiIdParam('runId', RUN)
  @ApiRead({
    operationId: 'getPayrollRun',
    summary: 'Read a payroll run',
    description: 'From the run’s own stream, so always current: no X-Min-Position needed.',
    response: { description: 'The run.', json: PayrollRunDto },
    problems: { 404: UNKNOWN_RUN },
  })
  get(@Param('runId', runIdParam) runId: string, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetPayrollRunQuery(runId, actor));
  }

  /**
   * The payment file for one bank, or the Post Office's cash list: the run's disbursements as it sent
   * them, as CSV unless the Accept header asks for the bank's pain.001 or the printable cash list.
   */
  @Get(':runId/payment-files/:paymentFile')
  @Roles('operator', 'auditor')
  @RecordsPersonalDataAccess({ paymentFileFrom: 'param' })
  @ApiIdParam('runId', RUN)
  @ApiParam({ name: 'paymentFile', description: 'A bank code, or POST_OFFICE for the cash list: one of the run’s `paymentFiles`.', schema: { type: 'string', maxLength: 100, example: 'VBA' } })
  @ApiRead({
    operationId: 'getPaymentFile',
    recordsAccess: true,
    summary: 'Download a payment file of a sent run',
    description:
      'What went to the paying agent, as the run sent it: later failures, reschedules or cancellations do not rewrite it. In the format the Accept header asks for: CSV unless it names another (no Accept, or `*/*`, is CSV); a bank’s file also as `application/xml` (ISO 20022 pain.001.001.09), the Post Office’s also as `application/pdf` (the printable cash list). Every format holds the same payments, and downloading one again gives the same bytes. Reading it is recorded in the access log.',
    response: {
      description: 'The file, with a Content-Disposition naming it.',
      csv: 'A bank’s file: disbursement_id, beneficiary_id, program, period, amount_vnd, bank_code, account_number, holder_name, payment_reference. The Post Office’s list: disbursement_id, beneficiary_id, full_name, national_id, unit_code, program, period, amount_vnd.',
      xml: 'A bank’s file only: a pain.001.001.09 credit transfer initiation from the province’s paying account, one CdtTrfTxInf per payment, the disbursement id without hyphens as EndToEndId, whole đồng in VND; the message id is derived from the run and the bank.',
      pdf: 'The Post Office’s list only: per unit (pay point) a table of the people to pay — name, birth year, amount in figures and in words, a column to sign — with page totals, the list total, and pages numbered per pay point.',
    },
    problems: {
      404: `${UNKNOWN_RUN} PAYMENT_FILE_NOT_FOUND: the run is not sent, or has no file for this paying agent (\`paymentFiles\` lists those it has).`,
      406: 'NOT_ACCEPTABLE: the Accept header accepts none of this file’s formats (`text/csv` and `application/xml` for a bank, `text/csv` and `application/pdf` for POST_OFFICE); `available` lists them.',
    },
  })
  async paymentFile(
    @Param('runId', runIdParam) runId: string,
    @Param('paymentFile') paymentFile: string,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = paymentFileFormatOf(accept, paymentFile);
    const file = await this.queries.execute(new GetPaymentFileQuery(runId, paymentFile, format, actor));
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
    // The same URL answers in more than one format: a cache must key on the Accept header too.
    reply.header('vary', 'Accept');
    return file.content;
  }
}
