import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Catalogues } from '@ledger/domain';
import { identityCheckRequestCsv } from '@ledger/payment-files';
import type { AccessLog, DeathReportRow, ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { ACCESS_LOG } from '../platform/access-log/access-log.tokens.js';
import { CommandCtx, CurrentActor, Idempotent, Roles, type Actor, type CommandContext, type LedgerRequest } from '../platform/index.js';
import { ApiCommand, ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { decodeKeyCursor, encodeKeyCursor, unitsToRead, type KeyShape } from '../read-side/query-scope.js';
import { READ_MODEL_QUERIES } from '../read-side/read-side.tokens.js';
import { peopleToCheck, recordRequestFileRead } from './identity-check-request-file.js';
import { ReviewDeathReportCommand } from './identity-checks.commands.js';
import { DeathReportListQueryDto, DeathReportPageDto, DeathReportReviewedDto, IdentityCheckRequestQueryDto, RejectDeathReportDto } from './identity-checks.dto.js';

const beneficiaryIdParam = new ParseUUIDPipe();

const BENEFICIARY = 'The beneficiary reported dead, as the review list names them.';
const NO_REPORT =
  'BENEFICIARY_NOT_FOUND: no beneficiary with this id in the caller’s units. DEATH_REPORT_NOT_FOUND: no reported death of this person awaits review (none came, or it was confirmed or rejected already).';

/** The review list's cursor: the log position of the last report of the page before. */
const REVIEW_KEY: KeyShape = [(value) => /^\d{1,19}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n];

/**
 * Identity checks against the national population database: the file of the people a unit asks it
 * about, and the deaths its answers reported, which hold the person's payments until an operator
 * other than the one who imported the answers confirms or rejects them.
 */
@ApiTags('Beneficiaries')
@Controller('v1')
export class IdentityChecksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  @Get('death-reports')
  @Roles('operator', 'auditor')
  @UseInterceptors(MinPositionInterceptor)
  @ApiRead({
    operationId: 'listDeathReports',
    summary: 'List the reported deaths awaiting review',
    description:
      'Deaths the population database reported of people in the caller’s units, neither confirmed nor rejected yet, oldest first. Each person’s payments are held meanwhile: payroll runs skip them (DEATH_REPORTED) and sending leaves them out.',
    minPosition: true,
    response: { description: 'A page of the review list.', json: DeathReportPageDto },
  })
  async deathReports(@Query() query: DeathReportListQueryDto, @CurrentActor() actor: Actor) {
    const page = await this.queries.deathReportsToReview({
      units: unitsToRead(actor, query.unitCode, this.catalogues),
      ...(query.cursor === undefined ? {} : { cursor: decodeKeyCursor(query.cursor, REVIEW_KEY)![0] }),
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(deathReportView), next: encodeKeyCursor(page.next === null ? null : [page.next]) };
  }

  @Post('beneficiaries/:beneficiaryId/death-report/confirm')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiCommand({
    operationId: 'confirmDeathReport',
    summary: 'Confirm a reported death',
    description:
      'Terminates every enrollment of the person not terminated yet (DECEASED, as of the date of death): the month of death is still paid, later months are cancelled, or flagged as overpayments when already paid. By an operator other than the one who imported the answer (maker-checker).',
    idempotencyKey: 'required',
    body: false,
    response: { description: 'Confirmed.', json: DeathReportReviewedDto },
    problems: {
      404: NO_REPORT,
      422: 'CONFIRMATION_BY_IMPORTER: the operator who imported the answer may not confirm it. TERMINATION_BEFORE_ENROLLMENT: the date of death lies before an enrollment’s first month (reject the report and look into it).',
    },
  })
  confirm(@Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new ReviewDeathReportCommand(beneficiaryId, { decision: 'CONFIRM' }, context));
  }

  @Post('beneficiaries/:beneficiaryId/death-report/reject')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiCommand({
    operationId: 'rejectDeathReport',
    summary: 'Reject a reported death',
    description: 'The person is not dead: the hold is lifted and the next payroll run pays the months it held back. By an operator other than the one who imported the answer (maker-checker).',
    idempotencyKey: 'required',
    response: { description: 'Rejected.', json: DeathReportReviewedDto },
    problems: { 404: NO_REPORT, 422: 'REJECTION_BY_IMPORTER: the operator who imported the answer may not reject it.' },
  })
  reject(@Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string, @Body() body: RejectDeathReportDto, @CommandCtx() context: CommandContext) {
    return this.commands.execute(new ReviewDeathReportCommand(beneficiaryId, { decision: 'REJECT', reason: body.reason }, context));
  }

  @Get('identity-checks/request-file')
  @Roles('operator')
  @UseInterceptors(MinPositionInterceptor)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="identity-check-request.csv"')
  @ApiRead({
    operationId: 'getIdentityCheckRequestFile',
    recordsAccess: true,
    summary: 'Download the request file for the population database',
    description:
      'Everyone registered in the caller’s units (or in `unitCode` and below), for the population database’s data-matching service to confirm. Each person in the file is recorded in the access log.',
    minPosition: true,
    response: {
      description: 'The request file.',
      csv: 'UTF-8 with a byte-order mark, CRLF, a header row: national_id, full_name, date_of_birth (YYYY-MM-DD), gender (MALE or FEMALE); one person a line.',
    },
    problems: { 503: 'ACCESS_LOG_UNAVAILABLE: the reads could not be recorded, so the file is not answered; retry shortly.' },
  })
  async requestFile(@Query() query: IdentityCheckRequestQueryDto, @CurrentActor() actor: Actor, @Req() request: LedgerRequest) {
    const people = await peopleToCheck(this.queries, unitsToRead(actor, query.unitCode, this.catalogues));
    await recordRequestFileRead(this.accessLog, request, people);
    return identityCheckRequestCsv(people);
  }
}

function deathReportView(row: DeathReportRow) {
  return { beneficiaryId: row.beneficiary_id, unitCode: row.unit_code, dateOfDeath: row.date_of_death, reportedAt: row.reported_at, importId: row.import_id, line: row.line };
}
