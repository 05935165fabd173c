import Fastify from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { openEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { IntegrationPublisher, openPublisherCheckpoints } from '@ledger/integration-events';
import { openReadModelStore, Projector, type ProjectionHalted, type ReadModelStore } from '@ledger/read-models';
import { loadCatalogues } from '../../ledger-api/src/ledger/ledger-catalogues.js';
import { provinceCodeOf } from '../../ledger-api/src/national/national-link.js';
import type { ProjectorConfig } from './projector-config.js';
import { ProjectorLead } from './projector-lead.js';

export interface ProjectorProcess {
  /** The projector of this process's current lead, or of its last one (not started while it has never led). */
  readonly projector: Projector;
  /** When NATS_URL is set: the publisher of the current or last lead. */
  readonly publisher: IntegrationPublisher | undefined;
  /** 'leader' while this process projects and publishes; 'standby' while another one does. */
  readonly role: 'leader' | 'standby';
  /** Where /health and /metrics are served. */
  readonly url: string;
  stop(): Promise<void>;
}

/** How often a standby tries to take the lead. */
const STANDBY_RETRY_MS = 1_000;

/**
 * The production projector: follows the global log from the read models' checkpoint and writes
 * them, batch by batch, each batch and its checkpoint in one transaction. Serves /health/ready and
 * /metrics for the orchestrator.
 *
 * With the read models in PostgreSQL a second process can stand by: only the one holding the lead
 * (a PostgreSQL advisory lock, see ProjectorLead) projects and publishes; the other tries every
 * second and takes over when the leader dies or loses its lock connection (which stops its
 * projecting and publishing at once). On SQLite read models the projector always leads.
 *
 * A batch the read models cannot be reached for is tried again until they are back; an event they
 * refuse stops the projection at the event before it (ProjectionHalted): logged with its position,
 * counted, and /health/ready answers 503 with the reason until the process is restarted. The
 * process itself keeps running, so that the orchestrator and the metrics can say why.
 */
export async function startProjectorProcess(config: ProjectorConfig): Promise<ProjectorProcess> {
  const { port, maxBatch } = config;
  const lead = config.databaseUrl ? await ProjectorLead.open(config.databaseUrl) : undefined;
  const eventStore: EventStore = openEventStore(config);
  // The leader's read-model connections carry the lead's name, so that a successor can wait for its last batch.
  const readModelLocation = lead ? { ...config, databaseUrl: withApplicationName(config.databaseUrl!, lead.applicationName) } : config;
  const readModels: ReadModelStore = await openReadModelStore(readModelLocation, eventStore);
  const registry = new Registry();
  collectStandardProcessMetrics(registry);
  const events = new Counter({ name: 'ledger_projector_events_total', help: 'Events projected by this process', registers: [registry] });
  const failures = new Counter({
    name: 'ledger_projector_failures_total',
    help: 'Read-model batches that failed or leads lost with the lock connection: reason="connection_lost" (tried again) or "refused" (the projector halts)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Both series from the start, so a dashboard's rate() sees the first failure as an increase.
  failures.inc({ reason: 'connection_lost' }, 0);
  failures.inc({ reason: 'refused' }, 0);
  const newProjector = () =>
    new Projector(eventStore, readModels, {
      maxBatch,
      onBatch: (count) => events.inc(count),
      onError: (error) => {
        failures.inc({ reason: 'connection_lost' });
        console.error(`read models: a batch could not be written and will be tried again: ${messageOf(error)}`);
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

  /** What one lead runs; a lead lost is stopped whole and the next one starts afresh from the checkpoints. */
  let term: { projector: Projector; publisher: IntegrationPublisher | undefined } | undefined;
  let latest: { projector: Projector; publisher: IntegrationPublisher | undefined } = { projector: newProjector(), publisher: undefined };
  // A standby reports where the leader has brought the read models; a leader where it has.
  const checkpoint = async () => (term ? term.projector.checkpoint : await readModels.checkpoint());

  gauge('ledger_projector_leader', '1 while this process holds the lead and projects, 0 while it stands by', () => (term ? 1 : 0));
  gauge('ledger_projector_halted', '1 once the read models refused an event and the projector stopped (see /health/ready), else 0', () => (term?.projector.halted ? 1 : 0));
  gauge('ledger_read_models_checkpoint_position', 'Global position the read models have reached', async () => Number(await checkpoint()));
  gauge('ledger_event_store_head_position', 'Global position of the last event in the log', async () => Number(await eventStore.headPosition()));
  gauge('ledger_projection_lag_events', 'Events in the log not yet in the read models', async () => {
    const at = await checkpoint();
    // SQLite positions are dense, so their difference counts events; EventStoreDB's are byte offsets.
    if (eventStore instanceof SqliteEventStore) return Math.max(0, Number((await eventStore.headPosition()) - (at < 0n ? 0n : at)));
    return (await eventStore.readAll({ after: at, maxCount: 10_000 })).length;
  });
  gauge('ledger_projection_lag_seconds', 'Age of the oldest event not yet in the read models', async () => {
    const [oldest] = await eventStore.readAll({ after: await checkpoint(), maxCount: 1 });
    return oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0;
  });

  const published = config.national
    ? {
        events: new Counter({ name: 'ledger_publisher_events_total', help: 'Integration events JetStream acknowledged from this process', registers: [registry] }),
        failures: new Counter({ name: 'ledger_publisher_failures_total', help: 'Tries to publish a batch of integration events that failed (each is tried again)', registers: [registry] }),
      }
    : undefined;
  if (config.national) gauge('ledger_publisher_checkpoint_position', 'Global position whose integration events JetStream has acknowledged', () => Number(latest.publisher?.checkpoint ?? -1n));
  else console.log('NATS_URL is not set: the projector publishes nothing to the national hub');

  /** Starts a lead's projector and publisher, unless the lead is lost meanwhile. */
  async function startLeading(): Promise<void> {
    const projector = newProjector();
    const leading: typeof latest = { projector, publisher: undefined };
    term = latest = leading;
    const stoodDown = () => term !== leading;
    await projector.start();
    if (stoodDown()) return void (await projector.stop());
    console.log(`projector: leading${lead ? ` ${lead.scope}` : ''}, projecting from position ${projector.checkpoint}`);
    // The integration events follow the same log from their own checkpoint: the national hub hears of
    // a fact as soon as it is committed, whether or not the read models are behind.
    if (config.national && published) {
      const publisher = new IntegrationPublisher(eventStore, await openPublisherCheckpoints(config, eventStore), {
        natsUrl: config.national.natsUrl,
        province: provinceCodeOf(config.national, loadCatalogues()),
        nationalKey: config.national.nationalKey,
        maxBatch: config.national.publisherBatch,
        onPublished: (count) => published.events.inc(count),
        onError: (error) => {
          published.failures.inc();
          console.error(`integration events: not published yet, trying again: ${messageOf(error)}`);
        },
      });
      leading.publisher = publisher;
      if (stoodDown()) return void (await publisher.stop());
      await publisher.start();
      if (stoodDown()) await publisher.stop();
    }
  }

  /**
   * Stops the lead's projector and publisher. Both stop at once (no further batch, no further
   * publish); what resolves later is the end of the batch in flight.
   */
  function standDown(): Promise<void> {
    const ending = term;
    term = undefined;
    if (!ending) return Promise.resolve();
    return Promise.all([ending.projector.stop(), ending.publisher?.stop()]).then(() => undefined);
  }

  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  /** Stands by until the lock is free, leads until it is lost, and stands by again. */
  async function campaign(lock: ProjectorLead): Promise<void> {
    let announced = false;
    let unreachable = false;
    while (!stopping) {
      let lost: Promise<void> | undefined;
      let acquired = false;
      try {
        acquired = await lock.tryAcquire(() => {
          // The lock may be gone already: no further batch, no further publish, from now.
          if (term) {
            failures.inc({ reason: 'connection_lost' });
            console.error(`projector: lost the lock connection and may no longer lead ${lock.scope}; it stops projecting and stands by`);
          }
          lost = standDown();
          wake?.();
        });
        unreachable = false;
      } catch (error) {
        if (!unreachable) console.error(`projector: cannot reach PostgreSQL to take the lead, trying every second: ${messageOf(error)}`);
        unreachable = true;
      }
      if (!acquired) {
        if (!announced && !unreachable) console.log(`projector: standing by; another projector leads ${lock.scope}`);
        announced = !unreachable;
        await sleep(STANDBY_RETRY_MS);
        continue;
      }
      announced = false;
      try {
        for (let waited = 0; lock.isHeld && !stopping && (await lock.predecessorsWriting()) > 0; waited++) {
          if (waited % 50 === 0) console.log("projector: took the lead; waiting for the previous leader's last batch to end");
          await sleep(100);
        }
        if (lock.isHeld && !stopping) {
          await startLeading();
          // Until the lock is lost or the process stops.
          if (lock.isHeld && !stopping) await new Promise<void>((resolve) => (wake = resolve));
        }
      } catch (error) {
        console.error(`projector: could not start leading, standing by: ${messageOf(error)}`);
        await standDown();
        await lock.release();
        await sleep(STANDBY_RETRY_MS);
      }
      // A lost lead's last batch ends before the next try: never two projectors in one process.
      await lost;
    }
  }

  let campaigning: Promise<void> | undefined;
  if (lead) campaigning = campaign(lead);
  else {
    console.log('projector: the read models are in SQLite (no DATABASE_URL): this process leads alone; a standby needs them in PostgreSQL');
    await startLeading();
  }

  const http = Fastify();
  http.get('/health/live', async () => ({ status: 'ok' }));
  // A standby is ready: it answers 200 so that no orchestrator restarts it or holds a rollout for
  // being what it should be, and 503 only when it could not take over (PostgreSQL or the log unreachable).
  http.get('/health/ready', async (_, reply) => {
    const leading = term;
    try {
      if (leading?.projector.failure) throw leading.projector.failure;
      if (leading?.publisher?.failure) throw new Error(`NATS: ${messageOf(leading.publisher.failure)}`);
      await readModels.ping();
      if (!leading) await lead!.ping();
      await eventStore.headPosition();
      return { status: 'ok', role: leading ? 'leader' : 'standby', checkpoint: (await checkpoint()).toString() };
    } catch (error) {
      const halted = leading?.projector.halted;
      return reply.code(503).send({
        status: halted ? 'halted' : 'unavailable',
        role: leading ? 'leader' : 'standby',
        reason: messageOf(error),
        checkpoint: (leading ?? latest).projector.checkpoint.toString(),
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
    get projector() {
      return latest.projector;
    },
    get publisher() {
      return latest.publisher;
    },
    get role() {
      return term ? 'leader' : 'standby';
    },
    url,
    async stop() {
      stopping = true;
      wake?.();
      await campaigning;
      await http.close();
      await standDown();
      await lead?.release();
      await readModels.close();
      await eventStore.close();
    },
  };
}

const messageOf = (error: unknown) => (error as Error)?.message ?? String(error);

/** The URL with `application_name` set, which PostgreSQL shows in pg_stat_activity. */
function withApplicationName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', name);
  return url.toString();
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
