import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { localDateInVietnam, periodOfDate, type Catalogues } from '@ledger/domain';
import type { DuplicateAttemptRow, ReadModelQueries, ReportFilter, SummaryItem } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CurrentActor, Roles, type Actor } from '../platform/index.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { ReportQueryDto } from './query.dto.js';
import { decodeKeyCursor, encodeKeyCursor, programFilter, REPORT_KEYS, unitsToRead, type KeyShape } from './query-scope.js';
import { READ_MODEL_QUERIES } from './read-side.tokens.js';
import { wholeReportAsCsv, withCursor, type ReportPages } from './report-csv.js';
import { disbursementView, toCsv } from './views.js';

/** Rows per query while a whole report streams as CSV: memory stays flat, and other requests get their turn between pages. */
const CSV_PAGE = 1_000;
const DEFAULT_LIMIT = 100;

/**
 * Reports for dashboards, the ministry and BI tools, each within the caller's units.
 *
 * JSON pages as the lists do: `{ items, next }`, `limit` rows (100 unless asked) from `cursor`.
 * CSV (`Accept: text/csv`) is a file for a spreadsheet or a BI import, which cannot follow a
 * cursor: without `cursor` or `limit` it is the whole report, streamed page by page from the
 * database; with either, it is that page, and a `Link: <…>; rel="next"` header names the next.
 */
@Controller('v1/reports')
@Roles('reporter', 'auditor')
@UseInterceptors(MinPositionInterceptor)
export class ReportsController {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('coverage')
  coverage(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // The read models know no clock: "now" is this month in Vietnam, unless the caller asks for another period.
    const currentPeriod = periodOfDate(localDateInVietnam(new Date()));
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_KEYS.coverage, (page) => this.queries.coverage({ ...filter, ...page }, currentPeriod), (item) => item);
  }

  @Get('summary')
  summary(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_KEYS.summary, (page) => this.queries.summary({ ...filter, ...page }), (item) => item, flatSummary);
  }

  @Get('late-payments')
  latePayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_KEYS.latePayments, (page) => this.queries.latePayments({ ...filter, ...page }, today), (row) => disbursementView(row, today));
  }

  @Get('duplicate-attempts')
  duplicateAttempts(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_KEYS.duplicateAttempts, (page) => this.queries.duplicateAttempts({ ...filter, ...page }), duplicateAttemptView);
  }

  @Get('overpayments')
  overpayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const filter = this.filter(query, actor);
    return respond(request, reply, query, REPORT_KEYS.overpayments, (page) => this.queries.overpayments({ ...filter, ...page }), (row) => disbursementView(row, today));
  }

  private filter(query: ReportQueryDto, actor: Actor): ReportFilter {
    return { units: unitsToRead(actor, query.unitCode, this.catalogues), program: programFilter(query.program, this.catalogues), period: query.period };
  }
}

async function respond<Row, Item, Flat extends Record<string, unknown>>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: ReportQueryDto,
  keyShape: KeyShape,
  pages: ReportPages<Row>,
  view: (row: Row) => Item,
  flatten: (item: Item) => Flat = (item) => item as unknown as Flat,
) {
  const after = decodeKeyCursor(query.cursor, keyShape);
  const wantsCsv = request.headers.accept?.includes('text/csv') ?? false;
  if (wantsCsv && after === undefined && query.limit === undefined) {
    const first = await pages({ limit: CSV_PAGE });
    return new StreamableFile(Readable.from(wholeReportAsCsv(first, pages, (row) => flatten(view(row)), CSV_PAGE)), { type: 'text/csv; charset=utf-8' });
  }
  const page = await pages({ ...(after ? { after } : {}), limit: query.limit ?? DEFAULT_LIMIT });
  const next = encodeKeyCursor(page.next);
  if (!wantsCsv) return { items: page.items.map(view), next };
  if (next !== null) reply.header('link', `<${withCursor(request.url, next)}>; rel="next"`);
  reply.header('content-type', 'text/csv; charset=utf-8');
  return toCsv(page.items.map((row) => flatten(view(row))));
}

function flatSummary({ byStatus, ...group }: SummaryItem) {
  return {
    ...group,
    ...Object.fromEntries(
      ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'].flatMap((status) => [
        [`${status.toLowerCase()}Count`, byStatus[status]?.count ?? 0],
        [`${status.toLowerCase()}Amount`, byStatus[status]?.totalAmount ?? 0],
      ]),
    ),
  };
}

function duplicateAttemptView(row: DuplicateAttemptRow) {
  return {
    position: String(row.position),
    disbursementId: row.disbursement_id,
    beneficiaryId: row.beneficiary_id,
    program: row.program,
    period: row.period,
    unitCode: row.unit_code,
    amount: Number(row.amount),
    attemptedReference: row.provider_reference_attempted,
    paidUnderReference: row.paid_under_reference,
    attemptedAmount: Number(row.attempted_amount),
    attemptedPaidAt: row.attempted_paid_at,
    recordedAt: row.recorded_at,
  };
}
