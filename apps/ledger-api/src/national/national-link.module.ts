import { Inject, Logger, Module, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { FindingNoticeReceiver, IntegrationPublisher, openPublisherCheckpoints } from '@ledger/integration-events';
import type { LedgerConfig } from '../config/ledger-config.js';
import { CataloguesModule } from '../ledger/catalogues.module.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../ledger.tokens.js';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics.js';
import { recordFindingNotice } from './finding-notices.js';
import { provinceCodeOf } from './national-link.js';

export const INTEGRATION_PUBLISHER = Symbol('IntegrationPublisher');
export const FINDING_NOTICE_RECEIVER = Symbol('FindingNoticeReceiver');

const messageOf = (error: unknown) => ((error as Error)?.message ?? String(error));

class NationalLinkLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NationalLink');

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Optional() @Inject(INTEGRATION_PUBLISHER) private readonly publisher?: IntegrationPublisher,
    @Optional() @Inject(FINDING_NOTICE_RECEIVER) private readonly receiver?: FindingNoticeReceiver,
  ) {}

  async onApplicationBootstrap() {
    if (!this.config.national) {
      this.logger.log('NATS_URL is not set: this ledger publishes nothing to the national hub and receives no cross-province findings');
      return;
    }
    await this.publisher?.start();
    this.receiver?.start();
  }

  async onApplicationShutdown() {
    await this.receiver?.stop();
    await this.publisher?.stop();
  }
}

/**
 * The province's link to the national hub, when NATS_URL is set: the integration-event publisher
 * (in the process that projects — here with the embedded projector, else apps/projector) and the
 * receiver of the hub's cross-province findings (in every API instance: recording one is a command).
 */
@Module({
  imports: [CataloguesModule],
  providers: [
    {
      provide: INTEGRATION_PUBLISHER,
      useFactory: async (config: LedgerConfig, eventStore: EventStore, catalogues: Catalogues, metrics: LedgerMetrics) => {
        if (!config.national || config.projector !== 'embedded') return undefined;
        const logger = new Logger('IntegrationPublisher');
        return new IntegrationPublisher(eventStore, await openPublisherCheckpoints(config, eventStore), {
          natsUrl: config.national.natsUrl,
          province: provinceCodeOf(config.national, catalogues),
          nationalKey: config.national.nationalKey,
          maxBatch: config.national.publisherBatch,
          onPublished: (count) => metrics.publishedIntegrationEvents.inc(count),
          onError: (error) => {
            metrics.publisherFailures.inc();
            logger.warn(`integration events not published yet, trying again: ${messageOf(error)}`);
          },
        });
      },
      inject: [LEDGER_CONFIG, EVENT_STORE, CATALOGUES, LedgerMetrics],
    },
    {
      provide: FINDING_NOTICE_RECEIVER,
      useFactory: (config: LedgerConfig, catalogues: Catalogues, commands: CommandBus, metrics: LedgerMetrics) => {
        if (!config.national) return undefined;
        const logger = new Logger('FindingNotices');
        const province = provinceCodeOf(config.national, catalogues);
        return new FindingNoticeReceiver({
          natsUrl: config.national.natsUrl,
          province,
          record: (notice) => recordFindingNotice(commands, notice, { province, metrics, logger }),
          onError: (error) => logger.warn(`a cross-province finding notice was not recorded and will be delivered again: ${messageOf(error)}`),
        });
      },
      inject: [LEDGER_CONFIG, CATALOGUES, CommandBus, LedgerMetrics],
    },
    NationalLinkLifecycle,
  ],
  exports: [INTEGRATION_PUBLISHER, FINDING_NOTICE_RECEIVER],
})
export class NationalLinkModule {}
