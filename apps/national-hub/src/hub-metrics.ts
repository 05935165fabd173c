import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { CrossProvinceFindingKind } from '@ledger/integration-events';
import { CROSS_PROVINCE_FINDING_KINDS } from './ingest/cross-province-findings.js';

/** What the hub counts, for Prometheus at /metrics. Labels carry outcomes and kinds, never a person or a province's id for one. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly events = new Counter({
    name: 'hub_events_total',
    help: 'Integration events consumed: outcome="applied" (first seen), "duplicate" (the inbox held it already), "refused" (broke the contract; see refused_messages)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly batches = new Counter({ name: 'hub_batches_total', help: 'Batches committed (each one PostgreSQL transaction)', registers: [this.registry] });
  readonly batchFailures = new Counter({ name: 'hub_batch_failures_total', help: 'Batches that could not be committed and were given back to JetStream to be delivered again', registers: [this.registry] });
  readonly findings = new Counter({ name: 'hub_findings_total', help: 'Cross-province findings found for the first time', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly noticesPublished = new Counter({ name: 'hub_notices_published_total', help: 'Finding notices JetStream acknowledged', registers: [this.registry] });

  constructor(sources: { readonly consumerLag: () => Promise<number>; readonly checkpoint: () => number; readonly unpublishedNotices: () => Promise<number> }) {
    collectStandardProcessMetrics(this.registry);
    // Every series from the start, so that a dashboard's rate() sees the first one as an increase.
    for (const outcome of ['applied', 'duplicate', 'refused']) this.events.inc({ outcome }, 0);
    for (const kind of CROSS_PROVINCE_FINDING_KINDS) this.findings.inc({ kind }, 0);
    const gauge = (name: string, help: string, value: () => Promise<number> | number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await value());
        },
      });
    gauge('hub_consumer_lag_events', 'Integration events in the stream the hub has not acknowledged: not delivered yet, or delivered and not yet committed', sources.consumerLag);
    gauge('hub_checkpoint_stream_sequence', 'The last stream sequence of LEDGER_EVENTS the hub has committed', sources.checkpoint);
    gauge('hub_notices_unpublished', 'Finding notices in the outbox that JetStream has not acknowledged yet', sources.unpublishedNotices);
  }

  findingFound(kind: CrossProvinceFindingKind): void {
    this.findings.inc({ kind });
  }
}

/**
 * prom-client's default process and Node.js metrics, less the three gauges named like counters
 * (`nodejs_active_{handles,requests,resources}_total`), as the API and the projector serve them.
 */
function collectStandardProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const gaugeNamedLikeACounter of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(gaugeNamedLikeACounter);
  }
}
