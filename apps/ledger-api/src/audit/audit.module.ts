import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import type { ReadModelStore } from '@ledger/read-models';
import type { LedgerConfig } from '../config/ledger-config.js';
import { EVENT_STORE, LEDGER_CONFIG } from '../ledger.tokens.js';
import { ReadSideModule } from '../read-side/read-side.module.js';
import { READ_MODEL_STORE } from '../read-side/read-side.tokens.js';
import { AuditController } from './audit.controller.js';
import { AUDIT_SIGNING_KEY, TAMPER_EVIDENCE } from './audit.tokens.js';
import { resolveAuditSigningKey, type AuditSigningKey } from './audit-signing-key.js';
import { TamperEvidence } from './tamper-evidence.js';

/** The audit trail: its routes, the ledger's signing key, and digests with their verification. */
@Module({
  imports: [ReadSideModule],
  controllers: [AuditController],
  providers: [
    // Resolved at start: a fresh embedded data directory gets its key before the first digest is asked for.
    { provide: AUDIT_SIGNING_KEY, useFactory: (config: LedgerConfig) => resolveAuditSigningKey(config), inject: [LEDGER_CONFIG] },
    {
      provide: TAMPER_EVIDENCE,
      useFactory: (store: EventStore, readModels: ReadModelStore, key: AuditSigningKey) => new TamperEvidence(store, readModels, key),
      inject: [EVENT_STORE, READ_MODEL_STORE, AUDIT_SIGNING_KEY],
    },
  ],
})
export class AuditModule {}
