import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ledger/event-store';
import type { Projector, ReadModelStore } from '@ledger/read-models';
import { EVENT_STORE } from '../ledger.tokens.js';
import { problemException, Public } from '../platform/index.js';
import { ApiPublic } from '../platform/openapi/api-route.decorators.js';
import { LivenessDto, ReadinessDto } from './health.dto.js';
import { PROJECTOR, READ_MODEL_STORE } from '../read-side/read-side.tokens.js';
import { FINDING_NOTICE_RECEIVER, INTEGRATION_PUBLISHER } from '../national/national-link.module.js';
import type { FindingNoticeReceiver, IntegrationPublisher } from '@ledger/integration-events';

type Check = { status: 'up'; [detail: string]: unknown } | { status: 'down'; reason: string };

/** Probes answer without a token. Ready means every store the API depends on answers. */
@Public()
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(READ_MODEL_STORE) private readonly readModels?: ReadModelStore,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
    @Optional() @Inject(INTEGRATION_PUBLISHER) private readonly publisher?: IntegrationPublisher,
    @Optional() @Inject(FINDING_NOTICE_RECEIVER) private readonly findingNotices?: FindingNoticeReceiver,
  ) {}

  @Get('live')
  @ApiPublic({
    operationId: 'getLiveness',
    summary: 'Liveness probe',
    description: 'The process answers. Never rate-limited.',
    rateLimited: false,
    response: { description: 'Alive.', json: LivenessDto },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiPublic({
    operationId: 'getReadiness',
    summary: 'Readiness probe',
    description: 'Every store the API depends on answers (the event store, the read models, the embedded projector, and NATS when NATS_URL is set). Never rate-limited.',
    rateLimited: false,
    response: { description: 'Ready.', json: ReadinessDto },
    problems: { 503: 'NOT_READY: a store is not answering; `checks` says which and why.' },
  })
  async ready() {
    const checks: Record<string, Check> = {
      eventStore: await check(async () => ({ headPosition: (await this.eventStore.headPosition()).toString() })),
    };
    if (this.readModels) checks.readModels = await check(async () => (await this.readModels!.ping(), { checkpoint: (await this.readModels!.checkpoint()).toString() }));
    if (this.projector) {
      checks.projector = this.projector.failure ? { status: 'down', reason: String((this.projector.failure as Error).message ?? this.projector.failure) } : { status: 'up', checkpoint: this.projector.checkpoint.toString() };
    }
    // Only when NATS_URL is set: a ledger without the national link is ready without NATS.
    if (this.publisher || this.findingNotices) {
      const failure = this.publisher?.failure ?? this.findingNotices?.failure;
      checks.nats = failure
        ? { status: 'down', reason: String((failure as Error).message ?? failure) }
        : { status: 'up', ...(this.publisher ? { publishedUpTo: this.publisher.checkpoint.toString() } : {}) };
    }
    if (Object.values(checks).some((c) => c.status === 'down')) {
      throw problemException(503, 'NOT_READY', 'A store the ledger depends on is not answering', { checks });
    }
    return { status: 'ok', ...checks };
  }
}

async function check(probe: () => Promise<Record<string, unknown>>): Promise<Check> {
  try {
    return { status: 'up', ...(await probe()) };
  } catch (error) {
    return { status: 'down', reason: (error as Error).message };
  }
}
