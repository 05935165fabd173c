import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InvalidValue, localDateInVietnam, NotFound, parseFullName, type Catalogues } from '@ledger/domain';
import type { ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { RecordsPersonalDataAccess } from '../platform/access-log/records-personal-data-access.js';
import { CurrentActor, mayReadUnit, Roles, type Actor } from '../platform/index.js';
import { ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import { BeneficiaryListQueryDto, BeneficiarySearchDto, DisbursementListQueryDto } from './query.dto.js';
import { BeneficiaryPageDto, BeneficiaryViewDto, DisbursementPageDto, DisbursementViewDto } from './view.dto.js';
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
  @ApiTags('Beneficiaries')
  @ApiRead({
    operationId: 'listBeneficiaries',
    summary: 'List beneficiaries',
    description: 'Within the caller’s units, by beneficiary id.',
    minPosition: true,
    response: { description: 'A page of beneficiaries.', json: BeneficiaryPageDto },
  })
  async beneficiaries(@Query() query: BeneficiaryListQueryDto, @CurrentActor() actor: Actor) {
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
  @ApiTags('Beneficiaries')
  @ApiRead({
    operationId: 'searchBeneficiaries',
    recordsAccess: true,
    summary: 'Search beneficiaries by national id or by name',
    description: 'A POST, so that a national id or a name never travels in a URL. Within the caller’s units; each person found is recorded in the access log.',
    minPosition: true,
    body: true,
    response: { description: 'A page of the people found.', json: BeneficiaryPageDto },
    problems: { 400: 'INVALID_VALUE when neither or both of `nationalId` and `name` are given.' },
  })
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
  @ApiTags('Beneficiaries')
  @ApiIdParam('beneficiaryId', 'The beneficiary’s id.')
  @ApiRead({
    operationId: 'getBeneficiary',
    recordsAccess: true,
    summary: 'Read a beneficiary',
    description: 'Their enrollments and accounts, from the read models. Recorded in the access log.',
    minPosition: true,
    response: { description: 'The beneficiary.', json: BeneficiaryViewDto },
    problems: { 404: 'BENEFICIARY_NOT_FOUND: no beneficiary with this id in the caller’s units.' },
  })
  async beneficiary(@Param('beneficiaryId', uuid) beneficiaryId: string, @CurrentActor() actor: Actor) {
    const row = await this.queries.beneficiary(beneficiaryId);
    if (!row || !mayReadUnit(actor, row.unit_code, this.catalogues.units)) throw unknownBeneficiary();
    return beneficiaryView(row, masksFor(actor));
  }

  @Get('disbursements')
  @ApiTags('Disbursements')
  @ApiRead({
    operationId: 'listDisbursements',
    summary: 'List disbursements',
    description: 'Within the caller’s units: one beneficiary’s payments, a period’s, the late ones…',
    minPosition: true,
    response: { description: 'A page of disbursements.', json: DisbursementPageDto },
  })
  async disbursements(@Query() query: DisbursementListQueryDto, @CurrentActor() actor: Actor) {
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
  @ApiTags('Disbursements')
  @ApiIdParam('disbursementId', 'The disbursement’s id.')
  @ApiRead({
    operationId: 'getDisbursement',
    summary: 'Read a disbursement',
    minPosition: true,
    response: { description: 'The disbursement.', json: DisbursementViewDto },
    problems: { 404: 'DISBURSEMENT_NOT_FOUND: no disbursement with this id in the caller’s units.' },
  })
  async disbursement(@Param('disbursementId', uuid) disbursementId: string, @CurrentActor() actor: Actor) {
    const row = await this.queries.disbursement(disbursementId);
    if (!row || !mayReadUnit(actor, row.unit_code, this.catalogues.units)) throw unknownDisbursement();
    return disbursementView(row, localDateInVietnam(new Date()));
  }
}
