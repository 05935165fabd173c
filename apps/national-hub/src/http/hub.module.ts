import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { HubLogger } from '../hub-logger.js';
import type { HubMetrics } from '../hub-metrics.js';
import type { HubQueries } from '../store/hub-queries.js';
import { FindingsController } from './findings.controller.js';
import { HubAccessTokens } from './hub-access-tokens.js';
import { MinistryGuard } from './hub-auth.guard.js';
import { HUB_ACCESS_TOKENS, HUB_LOGGER, HUB_METRICS, HUB_QUERIES, HUB_READINESS } from './hub.tokens.js';
import { NationalController } from './national.controller.js';
import { OperationsController, type HubReadiness } from './operations.controller.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';

export interface HubHttpDependencies {
  readonly queries: HubQueries;
  readonly readiness: HubReadiness;
  readonly metrics: HubMetrics;
  readonly logger: HubLogger;
  readonly jwtSecret: string;
}

/** All of the hub's HTTP wiring, in one place: the controllers read what startNationalHub opened. */
@Module({})
export class HubModule {
  static register(dependencies: HubHttpDependencies): DynamicModule {
    return {
      module: HubModule,
      controllers: [NationalController, FindingsController, OperationsController],
      providers: [
        { provide: HUB_QUERIES, useValue: dependencies.queries },
        { provide: HUB_READINESS, useValue: dependencies.readiness },
        { provide: HUB_METRICS, useValue: dependencies.metrics },
        { provide: HUB_LOGGER, useValue: dependencies.logger },
        { provide: HUB_ACCESS_TOKENS, useValue: new HubAccessTokens(dependencies.jwtSecret) },
        { provide: APP_GUARD, useClass: MinistryGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
