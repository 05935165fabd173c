import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { openEventStore, type EventStore } from '@ledger/event-store';
import { AuditModule } from './audit/audit.module.js';
import { ConsoleModule } from './console/console.module.js';
import type { LedgerConfig } from './config/ledger-config.js';
import { HealthController } from './health/health.controller.js';
import { BeneficiaryIds, resolveBeneficiaryIds } from './ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from './ledger/ledger-identifiers.js';
import { ImportsModule } from './imports/imports.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { NationalLinkModule } from './national/national-link.module.js';
import { ReadSideModule } from './read-side/read-side.module.js';
import { EVENT_STORE, LEDGER_CONFIG } from './ledger.tokens.js';
import { AccessTokens } from './platform/auth/access-tokens.js';
import { AuthenticationGuard } from './platform/auth/authentication.guard.js';
import { resolveJwtSecret } from './platform/auth/jwt-secret.js';
import { RequestAuthenticator } from './platform/auth/request-authenticator.js';
import { RolesGuard } from './platform/auth/roles.guard.js';
import { IdempotencyInterceptor } from './platform/idempotency/idempotency.interceptor.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './platform/idempotency/idempotency.store.js';
import { openIdempotencyStore } from './platform/idempotency/open-idempotency-store.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { ProblemDetailsFilter } from './platform/problems/problem-details.filter.js';
import { LedgerValidationPipe } from './platform/validation/validation.pipe.js';

/** The feature modules (controllers and their handlers) the API serves. Add new ones here. */
const FEATURE_MODULES: NonNullable<ModuleMetadata['imports']> = [LedgerModule, ReadSideModule, AuditModule, ImportsModule, ConsoleModule, NationalLinkModule];

export interface AppModuleOptions {
  /** Defaults to the store the configuration points at (embedded SQLite or EventStoreDB). */
  readonly eventStore?: EventStore;
  /** More modules to serve beside FEATURE_MODULES: tests plug their own controllers in here. */
  readonly imports?: ModuleMetadata['imports'];
  /** How the store derives beneficiary ids, when main.ts has resolved it already; else resolved from the store at start. */
  readonly beneficiaryIds?: BeneficiaryIds;
}

class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly idempotencyStore: IdempotencyStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}
  async onApplicationShutdown() {
    await this.idempotencyStore.close();
    await this.eventStore.close();
  }
}

/**
 * All of the API's wiring, in one place. Global, so that feature modules inject the ledger's
 * ports (LEDGER_CONFIG, EVENT_STORE, IDEMPOTENCY_STORE, AccessTokens, BeneficiaryIds) without importing anything.
 */
@Module({})
export class AppModule {
  static register(config: LedgerConfig, { eventStore = openEventStore(config), imports = [], beneficiaryIds }: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [MetricsModule, ...FEATURE_MODULES, ...imports],
      controllers: [HealthController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: eventStore },
        // Once per process, before anything is served: every instance on the store reads the same record.
        { provide: BeneficiaryIds, useFactory: async () => beneficiaryIds ?? (await resolveBeneficiaryIds(eventStore, LedgerIdentifiers.fromConfig(config))) },
        { provide: IDEMPOTENCY_STORE, useFactory: () => openIdempotencyStore(config, eventStore) },
        { provide: AccessTokens, useFactory: () => new AccessTokens(resolveJwtSecret(config).secret) },
        { provide: RequestAuthenticator, useFactory: (tokens: AccessTokens) => new RequestAuthenticator(tokens), inject: [AccessTokens] },
        StorageLifecycle,
        // Order matters: who the caller is, then whether their role may call the route.
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_PIPE, useClass: LedgerValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [LEDGER_CONFIG, EVENT_STORE, IDEMPOTENCY_STORE, AccessTokens, RequestAuthenticator, BeneficiaryIds],
    };
  }
}
