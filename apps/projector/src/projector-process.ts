import Fastify from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { openEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { IntegrationPublisher, openPublisherCheckpoints } from '@ledger/integration-events';
import { openReadModelStore, Projector, type ProjectionHalted, type ReadModelStore } from '@ledger/read-models';
import { loadCatalogues } from '../../ledger-api/src/ledger/ledger-catalogues.js';
import { provinceCodeOf } from '../../ledger-api/src/national/national-link.js';
import type { ProjectorConfig } from './projector-config.js';

export interface ProjectorProcess {
  readonly projector: Projector;
  /** When NATS_URL is set. */
  readonly publisher: IntegrationPublisher | undefined;
  /** Where /health and /metrics are served. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The production projector: follows the global log from the read models' checkpoint and writes
 * them, batch by batch, each batch and its checkpoint in one transaction. Serves /health/ready and
 * /metrics for the orchestrator.
 *
 * A batch the read models cannot be reached for is tried again until they are back; an event they
 * refuse stops the projection at the event before it (ProjectionHalted): logged with its position,
 * counted, and /health/ready answers 503 with the reason until the process is restarted. The
 * process itself keeps running, so that the orchestrator and the metrics can say why.
 */
export async function startProjectorProcess(config: ProjectorConfig): Promise<ProjectorProcess> {
  const { port, maxBatch } = config;
  const eventStore: EventStore = openEventStore(config);
  const readModels: ReadModelStore = await openReadModelStore(config, eventStore);
  const registry = new Registry();
  collectStandardProcessMetrics(registry);
  const events = new Counter({ name: 'ledger_projector_events_total', help: 'Events projected by this process', registers: [registry] });
  const failures = new Counter({
    name: 'ledger_projector_failures_total',
    help: 'Read-model batches that failed: reason="connection_lost" (tried again) or "refused" (the projector halts)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Both series from the start, so a dashboard's rate() sees the first failure as an increase.
  failures.inc({ reason: 'connection_lost' }, 0);
  failures.inc({ reason: 'refused' }, 0);
  const projector = new Projector(eventStore, readModels, {
    maxBatch,
    onBatch: (count) => events.inc(count),
    onError: (error) => {
      failures.inc({ reason: 'connection_lost' });
      console.error(`read models: a batch could not be written and will be tried again: ${(error as Error).message ?? String(error)}`);
    },
    onHalt: (halt: ProjectionHalted) => {
      failures.inc({ reason: 'refused' });
      console.error(`read models: PROJECTION HALTED at position ${halt.checkpoint}, refused event ${halt.position}. ${halt.message}`);
    },
  });
  const gauge = (name: string, help: string, value: () => Promise<number> | number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await value());
      },
    });
  gauge('ledger_projector_halted', '1 once the read models refused an event and the projector stopped (see /health/ready), else 0', () => (projector.halted ? 1 : 0));
  gauge('ledger_read_models_checkpoint_position', 'Global position the read models have reached', () => Number(projector.checkpoint));
  gauge('ledger_event_store_head_position', 'Global position of the last event in the log', async () => Number(await eventStore.headPosition()));
  gauge('ledger_projection_lag_events', 'Events in the log not yet in the read models', async () => {
    // SQLite positions are dense, so their difference counts events; EventStoreDB's are byte offsets.
    if (eventStore instanceof SqliteEventStore) return Math.max(0, Number((await eventStore.headPosition()) - (projector.checkpoint < 0n ? 0n : projector.checkpoint)));
    return (await eventStore.readAll({ after: projector.checkpoint, maxCount: 10_000 })).length;
  });
  gauge('ledger_projection_lag_seconds', 'Age of the oldest event not yet in the read models', async () => {
    const [oldest] = await eventStore.readAll({ after: projector.checkpoint, maxCount: 1 });
    return oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0;
  });
  await projector.start();

  // The integration events follow the same log from their own checkpoint: the national hub hears of
  // a fact as soon as it is committed, whether or not the read models are behind.
  let publisher: IntegrationPublisher | undefined;
  if (config.national) {
    const published = new Counter({ name: 'ledger_publisher_events_total', help: 'Integration events JetStream acknowledged from this process', registers: [registry] });
    const publishFailures = new Counter({ name: 'ledger_publisher_failures_total', help: 'Tries to publish a batch of integration events that failed (each is tried again)', registers: [registry] });
    publisher = new IntegrationPublisher(eventStore, await openPublisherCheckpoints(config, eventStore), {
      natsUrl: config.national.natsUrl,
      province: provinceCodeOf(config.national, loadCatalogues()),
      nationalKey: config.national.nationalKey,
      maxBatch: config.national.publisherBatch,
      onPublished: (count) => published.inc(count),
      onError: (error) => {
        publishFailures.inc();
        console.error(`integration events: not published yet, trying again: ${(error as Error).message ?? String(error)}`);
      },
    });
    gauge('ledger_publisher_checkpoint_position', 'Global position whose integration events JetStream has acknowledged', () => Number(publisher!.checkpoint));
    await publisher.start();
  } else {
    console.log('NATS_URL is not set: the projector publishes nothing to the national hub');
  }

  const http = Fastify();
  http.get('/health/live', async () => ({ status: 'ok' }));
  http.get('/health/ready', async (_, reply) => {
    try {
      if (projector.failure) throw projector.failure;
      if (publisher?.failure) throw new Error(`NATS: ${(publisher.failure as Error).message ?? String(publisher.failure)}`);
      await readModels.ping();
      await eventStore.headPosition();
      return { status: 'ok', checkpoint: projector.checkpoint.toString() };
    } catch (error) {
      const halted = projector.halted;
      return reply.code(503).send({
        status: halted ? 'halted' : 'unavailable',
        reason: (error as Error).message ?? String(error),
        checkpoint: projector.checkpoint.toString(),
        ...(halted ? { refusedPosition: halted.position.toString() } : {}),
      });
    }
  });
  http.get('/metrics', async (_, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  const url = await http.listen({ port, host: config.host });

  return {
    projector,
    publisher,
    url,
    async stop() {
      await http.close();
      await publisher?.stop();
      await projector.stop();
      await readModels.close();
      await eventStore.close();
    },
  };
}

/**
 * prom-client's default process and Node.js metrics, unprefixed, under the names dashboards expect,
 * less three gauges named like counters (`nodejs_active_{handles,requests,resources}_total`):
 * `sum(nodejs_active_handles)` says the same without breaking the `_total` convention. The API
 * does the same (an app does not import another app's files).
 */
function collectStandardProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const gaugeNamedLikeACounter of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(gaugeNamedLikeACounter);
  }
}
