import { Controller, Get, Header, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Gauge } from 'prom-client';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { Projector, ReadModelStore } from '@ledger/read-models';
import { EVENT_STORE } from '../ledger.tokens.js';
import { Public } from '../platform/index.js';
import { ApiPublic } from '../platform/openapi/api-route.decorators.js';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics.js';
import { PROJECTOR, READ_MODEL_STORE } from './read-side.tokens.js';

/**
 * Prometheus metrics: the API's registry (requests, commands, settlements, Node's process metrics)
 * and, read when scraped, the positions of the log and the read models. Positions and counts only:
 * no identifier of a person ever appears here.
 */
@Public()
@ApiTags('Operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(LedgerMetrics) private readonly ledgerMetrics: LedgerMetrics,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
  ) {
    const gauge = (name: string, help: string, collect: () => Promise<number>) =>
      new Gauge({
        name,
        help,
        registers: [ledgerMetrics.registry],
        async collect() {
          this.set(await collect());
        },
      });
    gauge('ledger_event_store_head_position', 'Global position of the last event in the log', async () => Number(await this.eventStore.headPosition()));
    gauge('ledger_read_models_checkpoint_position', 'Global position the read models have reached', async () => Number(await this.checkpoint()));
    gauge('ledger_projection_lag_events', 'Events in the log not yet in the read models', async () => this.lagEvents());
    gauge('ledger_projection_lag_seconds', 'Age of the oldest event not yet in the read models', async () => {
      const [oldest] = await this.eventStore.readAll({ after: await this.checkpoint(), maxCount: 1 });
      return oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0;
    });
    if (projector) gauge('ledger_projector_halted', '1 once the read models refused an event and the embedded projector stopped (see /health/ready), else 0', async () => (projector.halted ? 1 : 0));
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiPublic({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description: 'Requests, commands, settlements, projection lag and the process’s own metrics, in the Prometheus text format (0.0.4). Counts and positions only: no identifier of a person.',
    response: { description: 'The metrics.', text: 'The Prometheus text exposition format, version 0.0.4.' },
  })
  metrics() {
    return this.ledgerMetrics.registry.metrics();
  }

  private async checkpoint() {
    return this.projector ? this.projector.checkpoint : this.readModels.checkpoint();
  }

  private async lagEvents(): Promise<number> {
    const checkpoint = await this.checkpoint();
    // SQLite positions are dense, so their difference counts events; EventStoreDB's are byte offsets.
    if (this.eventStore instanceof SqliteEventStore) return Math.max(0, Number((await this.eventStore.headPosition()) - (checkpoint < 0n ? 0n : checkpoint)));
    return (await this.eventStore.readAll({ after: checkpoint, maxCount: 10_000 })).length;
  }
}
