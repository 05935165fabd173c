import { Inject, Module, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { openReadModelStore, Projector, ReadModelQueries, type ReadModelStore } from '@ledger/read-models';
import type { LedgerConfig } from '../config/ledger-config.js';
import { CataloguesModule } from '../ledger/catalogues.module.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../ledger.tokens.js';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { QueriesController } from './queries.controller.js';
import { ReadModelFreshness } from './read-model-freshness.js';
import { PROJECTOR, READ_MODEL_QUERIES, READ_MODEL_STORE } from './read-side.tokens.js';
import { ReportsController } from './reports.controller.js';

class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
  ) {}
  async onApplicationBootstrap() {
    await this.projector?.start();
  }
  async onApplicationShutdown() {
    await this.projector?.stop();
    await this.store.close();
  }
}

/** The read side: read-model store, the embedded projector, query, report and metrics routes. */
@Module({
  imports: [CataloguesModule],
  controllers: [QueriesController, ReportsController, MetricsController],
  providers: [
    { provide: READ_MODEL_STORE, useFactory: (config: LedgerConfig, eventStore: EventStore) => openReadModelStore(config, eventStore), inject: [LEDGER_CONFIG, EVENT_STORE] },
    { provide: READ_MODEL_QUERIES, useFactory: (store: ReadModelStore) => new ReadModelQueries(store), inject: [READ_MODEL_STORE] },
    {
      provide: PROJECTOR,
      // In the production topology apps/projector does this work in its own process.
      useFactory: (config: LedgerConfig, eventStore: EventStore, store: ReadModelStore, metrics: LedgerMetrics) =>
        config.projector === 'embedded'
          ? new Projector(eventStore, store, {
              onError: (error) => {
                metrics.projectorFailures.inc({ reason: 'connection_lost' });
                console.error(`read models: a batch failed and will be tried again: ${(error as Error).message ?? String(error)}`);
              },
              // Loud, and for good: /health/ready answers 503 with the position until someone looks at the refused event.
              onHalt: (halt) => {
                metrics.projectorFailures.inc({ reason: 'refused' });
                console.error(`PROJECTION HALTED: ${halt.message}`);
              },
            })
          : undefined,
      inject: [LEDGER_CONFIG, EVENT_STORE, READ_MODEL_STORE, LedgerMetrics],
    },
    ReadModelFreshness,
    MinPositionInterceptor,
    ProjectorLifecycle,
  ],
  exports: [READ_MODEL_STORE, READ_MODEL_QUERIES, PROJECTOR, ReadModelFreshness, MinPositionInterceptor],
})
export class ReadSideModule {}
