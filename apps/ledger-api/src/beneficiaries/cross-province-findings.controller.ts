import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Catalogues } from '@ledger/domain';
import type { CrossProvinceFindingRow, ReadModelQueries } from '@ledger/read-models';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CommandCtx, CurrentActor, Idempotent, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { ApiCommand, ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { decodeKeyCursor, encodeKeyCursor, programFilter, unitsToRead, type KeyShape } from '../read-side/query-scope.js';
import { READ_MODEL_QUERIES } from '../read-side/read-side.tokens.js';
import { ResolveCrossProvinceFindingCommand, type CrossProvinceFindingResolution } from './cross-province-findings.commands.js';
import { CrossProvinceFindingListQueryDto, CrossProvinceFindingPageDto, CrossProvinceFindingResolvedDto, ResolveCrossProvinceFindingDto } from './cross-province-findings.dto.js';

const uuidParam = new ParseUUIDPipe();

/** The list's cursor: the log position the last finding of the page before was recorded at. */
const LIST_KEY: KeyShape = [(value) => /^\d{1,19}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n];

const NO_FINDING =
  'BENEFICIARY_NOT_FOUND: no beneficiary with this id in the caller’s units. FINDING_NOT_FOUND: the national hub sent no finding with this id about this person. ENROLLMENT_NOT_FOUND (TERMINATE): the person is not enrolled in the finding’s program here.';

/**
 * The national hub's findings about the province's people: someone enrolled in the same program in
 * another province too, or paid there for the same month. Each holds the person's payments of its
 * program until an operator of their unit resolves it. The hub's notices are recorded by the
 * ledger's receiver (RecordCrossProvinceFindingCommand), not through a route.
 */
@ApiTags('Beneficiaries')
@Controller('v1')
export class CrossProvinceFindingsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('cross-province-findings')
  @Roles('operator', 'auditor')
  @UseInterceptors(MinPositionInterceptor)
  @ApiRead({
    operationId: 'listCrossProvinceFindings',
    summary: 'List the national hub’s cross-province findings',
    description:
      'Findings about people registered in the caller’s units, oldest first. While a finding is OPEN the person’s payments of its program are held: payroll runs skip them (CROSS_PROVINCE_FINDING) and sending leaves them out; their other programs are paid.',
    minPosition: true,
    response: { description: 'A page of findings.', json: CrossProvinceFindingPageDto },
  })
  async list(@Query() query: CrossProvinceFindingListQueryDto, @CurrentActor() actor: Actor) {
    const program = programFilter(query.program, this.catalogues);
    const page = await this.queries.crossProvinceFindings({
      units: unitsToRead(actor, query.unitCode, this.catalogues),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(program === undefined ? {} : { program }),
      ...(query.cursor === undefined ? {} : { cursor: decodeKeyCursor(query.cursor, LIST_KEY)![0] }),
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(findingView), next: encodeKeyCursor(page.next === null ? null : [page.next]) };
  }

  @Post('beneficiaries/:beneficiaryId/cross-province-findings/:findingId/resolve')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('beneficiaryId', 'The beneficiary the finding is about, as the list names them.')
  @ApiIdParam('findingId', 'The finding, as the list names it.')
  @ApiCommand({
    operationId: 'resolveCrossProvinceFinding',
    summary: 'Resolve a cross-province finding',
    description:
      'KEEP: the person stays enrolled here; the hold is lifted and the next payroll run pays the months it held back. TERMINATE: they moved out; the enrollment of the finding’s program is terminated MOVED_OUT as of `effectiveDate` (its month still paid, later months cancelled, or flagged as overpayments when already paid). Either way the hold lasts while another finding of the same program is open.',
    idempotencyKey: 'required',
    response: { description: 'Resolved.', json: CrossProvinceFindingResolvedDto },
    problems: {
      404: NO_FINDING,
      409: 'FINDING_ALREADY_RESOLVED: the finding was resolved already.',
      422: 'TERMINATE is refused as a termination is: ENROLLMENT_TERMINATED (terminated already: resolve it KEEP), TERMINATION_IN_FUTURE, TERMINATION_BEFORE_ENROLLMENT.',
    },
  })
  resolve(
    @Param('beneficiaryId', uuidParam) beneficiaryId: string,
    @Param('findingId', uuidParam) findingId: string,
    @Body() body: ResolveCrossProvinceFindingDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ResolveCrossProvinceFindingCommand(beneficiaryId, findingId, resolutionOf(body), context));
  }
}

function resolutionOf({ decision, reason, effectiveDate }: ResolveCrossProvinceFindingDto): CrossProvinceFindingResolution {
  return decision === 'TERMINATE' ? { decision, reason, effectiveDate: effectiveDate! } : { decision, reason };
}

function findingView(row: CrossProvinceFindingRow) {
  return {
    findingId: row.finding_id,
    beneficiaryId: row.beneficiary_id,
    unitCode: row.unit_code,
    kind: row.kind,
    program: row.program,
    period: row.period,
    otherProvinces: row.other_provinces.split(','),
    foundAt: row.found_at,
    status: row.status,
    decision: row.decision,
    reason: row.reason,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
  };
}
