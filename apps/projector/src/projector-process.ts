import Fastify from 'fastify';
import { openEventStore, type EventStore } from '@ledger/event-store';
import { openReadModelStore, Projector, type ReadModelStore } from '@ledger/read-models';
import type { ProjectorConfig } from './projector-config.js';

export interface ProjectorProcess {
  readonly projector: Projector;
  /** Where /health and /metrics are served. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The production projector: follows the global log from the read models' checkpoint and writes
 * them, batch by batch, each batch and its checkpoint in one transaction. Serves /health/ready and
 * /metrics for the orchestrator.
 */
export async function startProjectorProcess(config: ProjectorConfig): Promise<ProjectorProcess> {
  const { port, maxBatch } = config;
  const eventStore: EventStore = openEventStore(config);
  const readModels: ReadModelStore = await openReadModelStore(config, eventStore);
  let events = 0;
  const projector = new Projector(eventStore, readModels, {
    maxBatch,
    onBatch: (count) => (events += count),
    onError: (error) => console.error(`read models: a batch failed and will be tried again: ${(error as Error).message ?? String(error)}`),
  });
  await projector.start();

  const http = Fastify();
  http.get('/health/live', async () => ({ status: 'ok' }));
  http.get('/health/ready', async (_, reply) => {
    try {
      await readModels.ping();
      await eventStore.headPosition();
      if (projector.failure) throw projector.failure;
      return { status: 'ok', checkpoint: projector.checkpoint.toString() };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  http.get('/metrics', async (_, reply) => {
    const head = await eventStore.headPosition();
    const [oldest] = await eventStore.readAll({ after: projector.checkpoint, maxCount: 1 });
    const lagSeconds = oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0;
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return [
      '# HELP ledger_projector_events_total Events projected by this process',
      '# TYPE ledger_projector_events_total counter',
      `ledger_projector_events_total ${events}`,
      '# HELP ledger_read_models_checkpoint_position Global position the read models have reached',
      '# TYPE ledger_read_models_checkpoint_position gauge',
      `ledger_read_models_checkpoint_position ${projector.checkpoint}`,
      '# HELP ledger_event_store_head_position Global position of the last event in the log',
      '# TYPE ledger_event_store_head_position gauge',
      `ledger_event_store_head_position ${head}`,
      '# HELP ledger_projection_lag_seconds Age of the oldest event not yet in the read models',
      '# TYPE ledger_projection_lag_seconds gauge',
      `ledger_projection_lag_seconds ${lagSeconds}`,
      '',
    ].join('\n');
  });
  const url = await http.listen({ port, host: config.host });

  return {
    projector,
    url,
    async stop() {
      await http.close();
      await projector.stop();
      await readModels.close();
      await eventStore.close();
    },
  };
}
