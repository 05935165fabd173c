import { Controller, Get, Inject, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { localDateInVietnam, periodOfDate, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries, ReportFilter } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CurrentActor, Roles, type Actor } from '../platform/index.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { ApiRead, type ReadDocumentation } from '../platform/openapi/api-route.decorators.js';
import { ReportQueryDto } from './query.dto.js';
import { CoveragePageDto, DisbursementPageDto, DuplicateAttemptPageDto, StatusTotalDto, SummaryPageDto } from './view.dto.js';
import { decodeKeyCursor, encodeKeyCursor, programFilter, unitsToRead } from './query-scope.js';
import { READ_MODEL_QUERIES } from './read-side.tokens.js';
import { attachmentOf, mediaTypeOf, REPORT_FILES, reportFile, reportFormatOf, reportPageFile, wholeReport, withCursor, type ReportFile, type ReportPages } from './report-download.js';
import { disbursementView, duplicateAttemptView, flatSummary } from './views.js';

/** Rows per query while a whole report streams as a file: memory stays flat, and other requests get their turn between pages. */
const FILE_PAGE = 1_000;
const DEFAULT_LIMIT = 100;

/**
 * Reports for dashboards, the ministry and BI tools, each within the caller's units.
 *
 * JSON pages as the lists do: `{ items, next }`, `limit` rows (100 unless asked) from `cursor`.
 * CSV (`Accept: text/csv`) or an Excel workbook (`Accept: application/vnd.openxmlformats-
 * officedocument.spreadsheetml.sheet`) is a file for a spreadsheet or a BI import, which cannot
 * follow a cursor: without `cursor` or `limit` it is the whole report, streamed page by page from
 * the database; with either, it is that page, and a `Link: <…>; rel="next"` header names the next.
 * Either way it has its header row, even with no row under it.
 */
@ApiTags('Reports')
@Controller('v1/reports')
@Roles('reporter', 'auditor')
@UseInterceptors(MinPositionInterceptor)
export class ReportsController {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('coverage')
  @ApiReport({
    operationId: 'getCoverageReport',
    summary: 'Coverage: who is enrolled, who has an account, who was paid',
    description: 'By unit and program: active beneficiaries in `period` (this month unless given), verified accounts, and the payments of the latest month paid, with the share by bank.',
    response: { description: 'The coverage report.', json: CoveragePageDto },
  })
  coverage(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // The read models know no clock: "now" is this month in Vietnam, unless the caller asks for another period.
    const currentPeriod = periodOfDate(localDateInVietnam(new Date()));
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_FILES.coverage, (page) => this.queries.coverage({ ...filter, ...page }, currentPeriod), (item) => item);
  }

  @Get('summary')
  @ApiExtraModels(StatusTotalDto)
  @ApiReport({
    operationId: 'getSummaryReport',
    summary: 'Amounts by period, program, unit and channel',
    description: 'Counts and amounts of disbursements by status. As a file, each status is a pair of columns (`paidCount`, `paidAmount`…).',
    response: { description: 'The summary report.', json: SummaryPageDto },
  })
  summary(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_FILES.summary, (page) => this.queries.summary({ ...filter, ...page }), (item) => item, flatSummary);
  }

  @Get('late-payments')
  @ApiReport({
    operationId: 'getLatePaymentsReport',
    summary: 'Payments made late, or still unpaid past their due date',
    response: { description: 'The late payments.', json: DisbursementPageDto },
  })
  latePayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_FILES.latePayments, (page) => this.queries.latePayments({ ...filter, ...page }, today), (row) => disbursementView(row, today));
  }

  @Get('duplicate-attempts')
  @ApiReport({
    operationId: 'getDuplicateAttemptsReport',
    summary: 'Settlements refused as duplicates',
    description: 'A payment reported twice under two references, or one reference reported for two payments: each refused attempt as recorded, oldest first.',
    response: { description: 'The duplicate attempts.', json: DuplicateAttemptPageDto },
  })
  duplicateAttempts(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_FILES.duplicateAttempts, (page) => this.queries.duplicateAttempts({ ...filter, ...page }), duplicateAttemptView);
  }

  @Get('overpayments')
  @ApiReport({
    operationId: 'getOverpaymentsReport',
    summary: 'Payments for months the enrollment no longer covers',
    description: 'Paid months that a termination (or a correction of its date) left uncovered: money to recover.',
    response: { description: 'The overpayments.', json: DisbursementPageDto },
  })
  overpayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_FILES.overpayments, (page) => this.queries.overpayments({ ...filter, ...page }), (row) => disbursementView(row, today));
  }

  private filter(query: ReportQueryDto, actor: Actor): ReportFilter {
    return { units: unitsToRead(actor, query.unitCode, this.catalogues), program: programFilter(query.program, this.catalogues), period: query.period };
  }
}

/**
 * A report's operation: JSON pages, or a file (CSV or a workbook) when the Accept header asks for
 * one: the whole report without `cursor` or `limit`, else that page with a `Link` to the next.
 */
function ApiReport(doc: Omit<ReadDocumentation, 'minPosition' | 'response'> & { response: { description: string; json: ReadDocumentation['response']['json'] } }): MethodDecorator {
  return ApiRead({
    ...doc,
    minPosition: true,
    response: {
      ...doc.response,
      csv: 'UTF-8 with a byte-order mark, a header row (even when no row follows), one line per item; a cell that a spreadsheet would read as a formula is prefixed with `\'`. With `cursor` or `limit`, the page, with `Link: <…>; rel="next"` when another follows.',
      xlsx: 'One worksheet: a header row, numbers as numbers, amounts formatted #,##0. With `cursor` or `limit`, the page, with `Link` as for CSV.',
    },
  });
}

async function respond<Row, Item, Flat extends Record<string, unknown>>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: ReportQueryDto,
  report: ReportFile,
  pages: ReportPages<Row>,
  view: (row: Row) => Item,
  flatten: (item: Item) => Flat = (item) => item as unknown as Flat,
) {
  const after = decodeKeyCursor(query.cursor, report.keyShape);
  const format = reportFormatOf(request.headers.accept);
  if (format !== 'json' && after === undefined && query.limit === undefined) {
    const first = await pages({ limit: FILE_PAGE });
    const records = (async function* () {
      for await (const row of wholeReport(first, pages, FILE_PAGE)) yield flatten(view(row));
    })();
    return new StreamableFile(reportFile(format, report, records), { type: mediaTypeOf(format), disposition: attachmentOf(report, format) });
  }
  const page = await pages({ ...(after ? { after } : {}), limit: query.limit ?? DEFAULT_LIMIT });
  const next = encodeKeyCursor(page.next);
  if (format === 'json') return { items: page.items.map(view), next };
  if (next !== null) reply.header('link', `<${withCursor(request.url, next)}>; rel="next"`);
  const file = reportPageFile(format, report, page.items.map((row) => flatten(view(row))));
  const options = { type: mediaTypeOf(format), disposition: attachmentOf(report, format) };
  return typeof file === 'string' ? new StreamableFile(Buffer.from(file, 'utf8'), options) : new StreamableFile(file, options);
}
