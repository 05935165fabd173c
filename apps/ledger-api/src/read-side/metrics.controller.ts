import { Controller, Get, Header, Inject, Optional } from '@nestjs/common';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { Projector, ReadModelStore } from '@ledger/read-models';
import { EVENT_STORE } from '../ledger.tokens.js';
import { Public } from '../platform/index.js';
import { PROJECTOR, READ_MODEL_STORE } from './read-side.tokens.js';

/** Prometheus metrics. Positions and counts only: no identifier of a person ever appears here. */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
    const gauge = (name: string, help: string, collect: () => Promise<number>) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
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
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics() {
    return this.registry.metrics();
  }

  private async checkpoint() {
    return this.projector ? this.projector.checkpoint : this.readModels.checkpoint();
  }

  private async lagEvents(): Promise<number> {
    const checkpoint = await this.checkpoint();
    // SQLite positions are dense, so their difference counts events; EventStoreDB's are byte offsets.
    if (this.eventStore instanceof SqliteEventStore) return Number((await this.eventStore.headPosition()) - (checkpoint < 0n ? 0n : checkpoint));
    return (await this.eventStore.readAll({ after: checkpoint, maxCount: 10_000 })).length;
  }
}
