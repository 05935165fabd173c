import { Controller, ForbiddenException, Get, Inject, Param, ParseUUIDPipe, Query, UseInterceptors } from '@nestjs/common';
import { localDateInVietnam, NotFound, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CurrentActor, mayReadUnit, problem, Roles, type Actor } from '../platform/index.js';
import { ListQueryDto } from './query.dto.js';
import { decodeCursor, encodeCursor, programFilter, unitsToRead } from './query-scope.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { READ_MODEL_QUERIES } from './read-side.tokens.js';
import { beneficiaryView, disbursementView, masksFor } from './views.js';

const uuid = new ParseUUIDPipe();

/** Lists and single records from the read models; every role reads, operators only their units. */
@Controller('v1')
@Roles('operator', 'auditor', 'reporter')
@UseInterceptors(MinPositionInterceptor)
export class QueriesController {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('beneficiaries')
  async beneficiaries(@Query() query: ListQueryDto, @CurrentActor() actor: Actor) {
    const page = await this.queries.beneficiaries({
      units: unitsToRead(actor, query.unitCode, this.catalogues),
      program: programFilter(query.program, this.catalogues),
      status: query.status,
      after: decodeCursor(query.cursor),
      limit: query.limit ?? 100,
    });
    return { items: page.items.map((row) => beneficiaryView(row, masksFor(actor))), next: encodeCursor(page.next) };
  }

  @Get('beneficiaries/:beneficiaryId')
  async beneficiary(@Param('beneficiaryId', uuid) beneficiaryId: string, @CurrentActor() actor: Actor) {
    const row = await this.queries.beneficiary(beneficiaryId);
    if (!row) throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
    this.assertMayRead(actor, row.unit_code);
    return beneficiaryView(row, masksFor(actor));
  }

  @Get('disbursements')
  async disbursements(@Query() query: ListQueryDto, @CurrentActor() actor: Actor) {
    const today = localDateInVietnam(new Date());
    const page = await this.queries.disbursements(
      {
        units: unitsToRead(actor, query.unitCode, this.catalogues),
        program: programFilter(query.program, this.catalogues),
        period: query.period,
        status: query.status,
        late: query.late,
        beneficiaryId: query.beneficiaryId,
        after: decodeCursor(query.cursor),
        limit: query.limit ?? 100,
      },
      today,
    );
    return { items: page.items.map((row) => disbursementView(row, today)), next: encodeCursor(page.next) };
  }

  @Get('disbursements/:disbursementId')
  async disbursement(@Param('disbursementId', uuid) disbursementId: string, @CurrentActor() actor: Actor) {
    const row = await this.queries.disbursement(disbursementId);
    if (!row) throw new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');
    this.assertMayRead(actor, row.unit_code);
    return disbursementView(row, localDateInVietnam(new Date()));
  }

  private assertMayRead(actor: Actor, unitCode: string) {
    if (!mayReadUnit(actor, unitCode, this.catalogues.units)) {
      throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', `Unit ${unitCode} is outside the units this operator works in.`, { unitCode }));
    }
  }
}
