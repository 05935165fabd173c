import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { openEventStore, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from './config/ledger-config.js';
import { HealthController } from './health/health.controller.js';
import { EVENT_STORE, LEDGER_CONFIG } from './ledger.tokens.js';

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}
  async onApplicationShutdown() {
    await this.eventStore.close();
  }
}

/** All of the API's wiring, in one place. */
@Module({})
export class AppModule {
  static register(config: LedgerConfig, eventStore: EventStore = openEventStore(config)): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: eventStore },
        EventStoreLifecycle,
      ],
    };
  }
}
