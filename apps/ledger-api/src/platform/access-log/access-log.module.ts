import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { AccessLog, openAccessLogStore } from '@ledger/read-models';
import type { LedgerConfig } from '../../config/ledger-config.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../../ledger.tokens.js';
import { ReadSideModule } from '../../read-side/read-side.module.js';
import { READ_MODEL_STORE } from '../../read-side/read-side.tokens.js';
import { ACCESS_LOG } from './access-log.tokens.js';
import { PersonalDataAccessInterceptor } from './records-personal-data-access.js';

class AccessLogLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_LOG) private readonly accessLog: AccessLog) {}
  async onApplicationShutdown() {
    await this.accessLog.close();
  }
}

/**
 * The access log, for every route that reads a person's data (@RecordsPersonalDataAccess): global,
 * so that any feature module's routes can record without importing it.
 */
@Global()
@Module({
  imports: [ReadSideModule],
  providers: [
    {
      provide: ACCESS_LOG,
      // After the read models: their migrations create the access log's table.
      useFactory: async (config: LedgerConfig, eventStore: EventStore) => new AccessLog(await openAccessLogStore(config, eventStore)),
      inject: [LEDGER_CONFIG, EVENT_STORE, READ_MODEL_STORE],
    },
    PersonalDataAccessInterceptor,
    AccessLogLifecycle,
  ],
  exports: [ACCESS_LOG, PersonalDataAccessInterceptor],
})
export class AccessLogModule {}
