import { Global, Module } from '@nestjs/common';
import { CommandMetrics } from './command-metrics.js';
import { LedgerMetrics } from './ledger-metrics.js';

/** The API's metrics registry, injectable everywhere, and the counting of every command at the bus. */
@Global()
@Module({
  providers: [{ provide: LedgerMetrics, useFactory: () => new LedgerMetrics() }, CommandMetrics],
  exports: [LedgerMetrics],
})
export class MetricsModule {}
