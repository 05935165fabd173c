import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { InvalidValue, localDateInVietnam, NotFound, parseFullName, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { RecordsPersonalDataAccess } from '../platform/access-log/records-personal-data-access.js';
import { CurrentActor, mayReadUnit, Roles, type Actor } from '../platform/index.js';
import { BeneficiarySearchDto, ListQueryDto } from './query.dto.js';
import { decodeCursor, decodeKeyCursor, encodeCursor, encodeKeyCursor, programFilter, SEARCH_KEY, unitsToRead } from './query-scope.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { READ_MODEL_QUERIES } from './read-side.tokens.js';
import { beneficiaryView, disbursementView, masksFor } from './views.js';

const uuid = new ParseUUIDPipe();

const unknownBeneficiary = () => new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
const unknownDisbursement = () => new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');

/**
 * Lists, searches and single records from the read models. Every role reads, each within the
 * units of its token; a record outside them is answered as an unknown one (404), so a refusal
 * never tells a caller that a person exists elsewhere.
 */
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

  /** By national id, or by name whatever its accents; within the caller's units, like the list. Each person found is recorded as read. */
  @Post('beneficiaries/search')
  @HttpCode(200)
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'response', field: 'items[].beneficiaryId' })
  async searchBeneficiaries(@Body() body: BeneficiarySearchDto, @CurrentActor() actor: Actor) {
    if ((body.nationalId === undefined) === (body.name === undefined)) {
      throw new InvalidValue(body.nationalId === undefined ? 'name' : 'nationalId', 'Search by nationalId or by name: one of them');
    }
    const after = decodeKeyCursor(body.cursor, SEARCH_KEY) as [string, string] | undefined;
    const page = await this.queries.searchBeneficiaries({
      ...(body.nationalId !== undefined ? { nationalId: body.nationalId } : { name: parseFullName(body.name, 'name') }),
      units: unitsToRead(actor, body.unitCode, this.catalogues),
      after,
      limit: body.limit ?? 100,
    });
    return { items: page.items.map((row) => beneficiaryView(row, masksFor(actor))), next: encodeKeyCursor(page.next) };
  }

  @Get('beneficiaries/:beneficiaryId')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'param' })
  async beneficiary(@Param('beneficiaryId', uuid) beneficiaryId: string, @CurrentActor() actor: Actor) {
    const row = await this.queries.beneficiary(beneficiaryId);
    if (!row || !mayReadUnit(actor, row.unit_code, this.catalogues.units)) throw unknownBeneficiary();
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
    if (!row || !mayReadUnit(actor, row.unit_code, this.catalogues.units)) throw unknownDisbursement();
    return disbursementView(row, localDateInVietnam(new Date()));
  }
}
