import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { HubQueries } from '../store/hub-queries.js';
import { HUB_QUERIES } from './hub.tokens.js';
import { NationalCoverageDto, NationalTotalsDto, StatusTotalDto, TotalsQueryDto } from './hub.dto.js';
import { ApiMinistryRead } from './openapi.js';
import { validQuery } from './validation.pipe.js';

@ApiTags('National')
@Controller('v1/national')
export class NationalController {
  constructor(@Inject(HUB_QUERIES) private readonly queries: HubQueries) {}

  @Get('coverage')
  @ApiMinistryRead({
    operationId: 'getNationalCoverage',
    summary: 'Who is enrolled where, and the bank accounts opened',
    description: 'Enrollments ACTIVE and SUSPENDED and distinct persons by province and program; distinct persons by program across provinces; payment accounts opened by province and bank.',
    response: NationalCoverageDto,
    responseDescription: 'The national coverage.',
  })
  coverage() {
    return this.queries.coverage();
  }

  @Get('totals')
  @ApiExtraModels(StatusTotalDto)
  @ApiMinistryRead({
    operationId: 'getNationalTotals',
    summary: 'Amounts by province, period, program and channel',
    description: 'Counts and amounts of disbursements by status: each province’s monthly summary (GET /v1/reports/summary of its ledger) summed over its units.',
    response: NationalTotalsDto,
    responseDescription: 'The national totals.',
    query: true,
  })
  async totals(@Query(validQuery(TotalsQueryDto)) query: TotalsQueryDto) {
    return { items: await this.queries.totals(query) };
  }
}
