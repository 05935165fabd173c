import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import type { Projector, ReadModelStore } from '@ledger/read-models';
import type { LedgerConfig } from '../config/ledger-config.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../ledger.tokens.js';
import { CataloguesModule } from '../ledger/catalogues.module.js';
import { AccessLogModule } from '../platform/access-log/access-log.module.js';
import { ReadSideModule } from '../read-side/read-side.module.js';
import { PROJECTOR, READ_MODEL_STORE } from '../read-side/read-side.tokens.js';
import { AuditController } from './audit.controller.js';
import { AUDIT_SIGNING_KEY, REPLAY_CHECKS, TAMPER_EVIDENCE } from './audit.tokens.js';
import { resolveAuditSigningKey, type AuditSigningKey } from './audit-signing-key.js';
import { ReplayChecks } from './replay-checks.js';
import { TamperEvidence } from './tamper-evidence.js';

/**
 * The audit trail: its routes, the ledger's signing key, digests with their verification, the
 * replay check, and the access log (global: every feature's routes record into it).
 */
@Module({
  imports: [ReadSideModule, AccessLogModule, CataloguesModule],
  controllers: [AuditController],
  providers: [
    // Resolved at start: a fresh embedded data directory gets its key before the first digest is asked for.
    { provide: AUDIT_SIGNING_KEY, useFactory: (config: LedgerConfig) => resolveAuditSigningKey(config), inject: [LEDGER_CONFIG] },
    {
      provide: TAMPER_EVIDENCE,
      useFactory: (store: EventStore, readModels: ReadModelStore, key: AuditSigningKey) => new TamperEvidence(store, readModels, key),
      inject: [EVENT_STORE, READ_MODEL_STORE, AUDIT_SIGNING_KEY],
    },
    {
      provide: REPLAY_CHECKS,
      useFactory: (config: LedgerConfig, store: EventStore, projector?: Projector) => new ReplayChecks(config, store, projector),
      inject: [LEDGER_CONFIG, EVENT_STORE, { token: PROJECTOR, optional: true }],
    },
  ],
})
export class AuditModule {}
