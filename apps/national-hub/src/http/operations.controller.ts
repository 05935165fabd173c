import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { HubMetrics } from '../hub-metrics.js';
import { HUB_METRICS, HUB_READINESS } from './hub.tokens.js';
import { Public } from './hub-auth.guard.js';
import { LivenessDto, ReadinessDto } from './hub.dto.js';
import { ApiPublicRead } from './openapi.js';
import { problemException } from './problem-details.js';

export type DependencyCheck = { status: 'up' } | { status: 'down'; reason: string };

/** What readiness asks of the running hub. */
export interface HubReadiness {
  check(): Promise<{ postgres: DependencyCheck; nats: DependencyCheck; consumer: DependencyCheck; checkpoint: number }>;
}

const WHEN_DOWN = { postgres: 'PostgreSQL is not answering.', nats: 'NATS is not answering.', consumer: 'The consumer is waiting to try a batch again.' } as const;

/** Probes and metrics answer without a token. */
@Public()
@ApiTags('Operations')
@Controller()
export class OperationsController {
  constructor(
    @Inject(HUB_READINESS) private readonly readiness: HubReadiness,
    @Inject(HUB_METRICS) private readonly metrics: HubMetrics,
  ) {}

  @Get('health/live')
  @ApiPublicRead({ operationId: 'getLiveness', summary: 'Liveness probe', description: 'The process answers.', response: LivenessDto, responseDescription: 'Alive.' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiPublicRead({
    operationId: 'getReadiness',
    summary: 'Readiness probe',
    description: 'PostgreSQL and NATS answer, and the consumer is not waiting to try a batch again.',
    response: ReadinessDto,
    responseDescription: 'Ready.',
    unavailable: 'NOT_READY: PostgreSQL, NATS or the consumer is down; `detail` names which and `checks` says why.',
  })
  async ready() {
    const { checkpoint, ...checks } = await this.readiness.check();
    const down = (Object.keys(checks) as Array<keyof typeof checks>).filter((name) => checks[name].status === 'down');
    if (down.length > 0) throw problemException(503, 'NOT_READY', down.map((name) => WHEN_DOWN[name]).join(' '), { checks, checkpoint });
    return { status: 'ok', ...checks, checkpoint };
  }

  @Get('metrics')
  @ApiPublicRead({ operationId: 'getMetrics', summary: 'Prometheus metrics', text: 'The Prometheus text exposition format.', responseDescription: 'The metrics.' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
