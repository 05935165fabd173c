import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HubQueries } from '../store/hub-queries.js';
import { HUB_QUERIES } from './hub.tokens.js';
import { FindingPageDto, FindingsQueryDto } from './hub.dto.js';
import { ApiMinistryRead } from './openapi.js';
import { validQuery } from './validation.pipe.js';
import { problemException } from './problem-details.js';

const DEFAULT_LIMIT = 100;

@ApiTags('Findings')
@Controller('v1/findings')
export class FindingsController {
  constructor(@Inject(HUB_QUERIES) private readonly queries: HubQueries) {}

  @Get()
  @ApiMinistryRead({
    operationId: 'listFindings',
    summary: 'People enrolled, or paid for the same month, in two provinces',
    description: 'Each finding with the provinces concerned and each one’s decision once it resolved its side. Pages of `limit`, oldest first; pass `next` as `cursor` for the following page.',
    response: FindingPageDto,
    responseDescription: 'A page of findings.',
    query: true,
  })
  async list(@Query(validQuery(FindingsQueryDto)) query: FindingsQueryDto) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.queries.findings({ status: query.status, kind: query.kind, after: query.cursor === undefined ? undefined : cursorOf(query.cursor), limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? Buffer.from(JSON.stringify([last.foundAt, last.findingId])).toString('base64url') : null };
  }
}

function cursorOf(cursor: string): { foundAt: string; findingId: string } {
  try {
    const [foundAt, findingId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof foundAt === 'string' && !Number.isNaN(Date.parse(foundAt)) && typeof findingId === 'string' && /^[0-9a-f-]{36}$/.test(findingId)) return { foundAt, findingId };
  } catch {
    // refused below
  }
  throw problemException(400, 'VALIDATION_FAILED', 'The request has 1 invalid field.', { errors: [{ field: 'cursor', message: 'cursor must be the `next` of a page, as it was answered' }] });
}
