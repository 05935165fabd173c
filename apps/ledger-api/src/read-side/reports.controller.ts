import { Controller, Get, Headers, Inject, Query, Res, UseInterceptors } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { localDateInVietnam, periodOfDate, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CurrentActor, Roles, type Actor } from '../platform/index.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { ReportQueryDto } from './query.dto.js';
import { programFilter, unitsToRead } from './query-scope.js';
import { READ_MODEL_QUERIES } from './read-side.tokens.js';
import { disbursementView, toCsv } from './views.js';

/** Reports for dashboards, the ministry and BI tools: JSON, or CSV with `Accept: text/csv`. */
@Controller('v1/reports')
@Roles('reporter', 'auditor')
@UseInterceptors(MinPositionInterceptor)
export class ReportsController {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('coverage')
  async coverage(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    // The read models know no clock: "now" is this month in Vietnam, unless the caller asks for another period.
    const items = await this.queries.coverage(this.filter(query, actor), periodOfDate(localDateInVietnam(new Date())));
    return respond(items, accept, reply, (item) => item);
  }

  @Get('summary')
  async summary(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const items = await this.queries.summary(this.filter(query, actor));
    return respond(items, accept, reply, ({ byStatus, ...group }) => ({
      ...group,
      ...Object.fromEntries(
        ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'].flatMap((status) => [
          [`${status.toLowerCase()}Count`, byStatus[status]?.count ?? 0],
          [`${status.toLowerCase()}Amount`, byStatus[status]?.totalAmount ?? 0],
        ]),
      ),
    }));
  }

  @Get('late-payments')
  async latePayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const rows = await this.queries.latePayments(this.filter(query, actor), today);
    return respond(rows.map((row) => disbursementView(row, today)), accept, reply, (item) => item);
  }

  @Get('duplicate-attempts')
  async duplicateAttempts(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const rows = await this.queries.duplicateAttempts(this.filter(query, actor));
    const items = rows.map((row) => ({
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
    }));
    return respond(items, accept, reply, (item) => item);
  }

  @Get('overpayments')
  async overpayments(@Query() query: ReportQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const today = localDateInVietnam(new Date());
    const rows = await this.queries.overpayments(this.filter(query, actor));
    return respond(rows.map((row) => disbursementView(row, today)), accept, reply, (item) => item);
  }

  private filter(query: ReportQueryDto, actor: Actor) {
    return { units: unitsToRead(actor, query.unitCode, this.catalogues), program: programFilter(query.program, this.catalogues), period: query.period };
  }
}

function respond<T, R extends Record<string, unknown>>(items: T[], accept: string | undefined, reply: FastifyReply, flatten: (item: T) => R) {
  if (accept?.includes('text/csv')) {
    reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(items.map(flatten));
  }
  return { items };
}
