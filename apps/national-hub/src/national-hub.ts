import 'reflect-metadata';
import helmet from '@fastify/helmet';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ensureIntegrationStreams, INTEGRATION_EVENTS_STREAM } from '@ledger/integration-events';
import type { HubConfig } from './hub-config.js';
import { createHubLogger, type HubLogger } from './hub-logger.js';
import { HubMetrics } from './hub-metrics.js';
import { HubModule } from './http/hub.module.js';
import { buildHubOpenApiDocument, OPENAPI_JSON_PATH } from './http/openapi.js';
import type { DependencyCheck, HubReadiness } from './http/operations.controller.js';
import { EventConsumer, type ConsumerProgress } from './ingest/event-consumer.js';
import { ensureConsumer } from './ingest/jetstream-topology.js';
import { NoticeRelay } from './ingest/notice-relay.js';
import { BatchWriter } from './store/batch-writer.js';
import { HubDatabase } from './store/hub-database.js';
import { HubQueries } from './store/hub-queries.js';
import { NoticeOutbox } from './store/notice-outbox.js';

export { HubConfigurationError, loadHubConfig, type HubConfig } from './hub-config.js';
export { mintHubToken, MINISTRY_ROLE } from './http/hub-access-tokens.js';
export { crossProvinceFindingId, CROSS_PROVINCE_FINDING_NAMESPACE } from './ingest/cross-province-findings.js';
export type { ConsumerProgress } from './ingest/event-consumer.js';

/** The running hub, as startNationalHub answers it. */
export interface NationalHub {
  /** Where its HTTP routes are served, e.g. http://127.0.0.1:3100. */
  readonly url: string;
  readonly metrics: HubMetrics;
  /** What this process has consumed so far, and the checkpoint. */
  progress(): Readonly<ConsumerProgress>;
  /**
   * Resolves once JetStream holds nothing for the hub (every event delivered and acknowledged) and
   * every notice is published; rejects after `timeoutMs` (default 30 s). For tests and benchmarks.
   */
  waitUntilCaughtUp(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops serving, lets the batch being written commit and be acknowledged, gives the rest back to JetStream, and closes. */
  stop(): Promise<void>;
  /**
   * Stops as a crash would: the connection to NATS closes at once, the batch being written commits
   * or not but is never acknowledged, so JetStream delivers it again after the ack wait. For fault
   * tests; the next hub on the same database and consumer must lose and double count nothing.
   */
  abandon(): Promise<void>;
}

const CONSUMER_BUFFER_BATCHES = 4;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Starts the hub: migrates its PostgreSQL schema, creates or checks the JetStream streams and its
 * durable consumer, serves its HTTP routes, then consumes the provinces' events and relays the
 * findings' notices. Used as it is by main.ts, the tests and the benchmark.
 */
export async function startNationalHub(config: HubConfig, { logger = createHubLogger(config.logLevel) }: { logger?: HubLogger } = {}): Promise<NationalHub> {
  const cleanup: Array<() => Promise<unknown>> = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const database = await HubDatabase.open(config.databaseUrl, config.databaseSchema);
    cleanup.push(() => database.close());
    const queries = new HubQueries(database);
    const outbox = new NoticeOutbox(database);

    const nats = await connect({ servers: config.natsUrl, name: 'national-hub', maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    cleanup.push(() => nats.close());
    const manager = await jetstreamManager(nats);
    // Created by whichever party comes first (a province's publisher, the hub), with the same settings.
    await ensureIntegrationStreams(nats, manager);
    const checkpoint = await queries.checkpoint(config.consumerName);
    const consumerSetup = await ensureConsumer(manager, {
      name: config.consumerName,
      ackWaitMs: config.ackWaitMs,
      maxAckPending: config.maxBatch * CONSUMER_BUFFER_BATCHES,
      checkpoint,
    });
    if (consumerSetup.created) logger.info({ consumer: config.consumerName, startSequence: consumerSetup.startSequence }, 'hub: durable consumer created');
    const js = jetstream(nats);

    let lag = 0;
    let progress: () => ConsumerProgress = () => ({ applied: 0, duplicates: 0, refused: 0, batches: 0, checkpoint });
    const metrics: HubMetrics = new HubMetrics({
      consumerLag: async () => (lag = await withTimeout(consumerLagOf(manager, config.consumerName), PROBE_TIMEOUT_MS).catch(() => lag)),
      checkpoint: () => progress().checkpoint,
      unpublishedNotices: () => outbox.unpublishedCount(),
    });
    const relay = new NoticeRelay(outbox, js, metrics, logger);
    const consumer: EventConsumer = new EventConsumer({
      js,
      consumerName: config.consumerName,
      maxBatch: config.maxBatch,
      writer: new BatchWriter(database, config.consumerName),
      metrics,
      logger,
      checkpoint,
      postgresAnswers: () => withTimeout(database.ping(), PROBE_TIMEOUT_MS).then(
        () => true,
        () => false,
      ),
      onNotices: () => relay.wake(),
    });
    progress = () => consumer.progress;
    const readiness: HubReadiness = {
      async check() {
        const [postgres, natsCheck] = await Promise.all([probe(() => database.ping()), probe(() => natsAnswers(nats))]);
        const consumerCheck: DependencyCheck = consumer.failure ? { status: 'down', reason: consumer.failure } : { status: 'up' };
        return { postgres, nats: natsCheck, consumer: consumerCheck, checkpoint: consumer.progress.checkpoint };
      },
    };

    const app = await NestFactory.create<NestFastifyApplication>(
      HubModule.register({ queries, readiness, metrics, logger, jwtSecret: config.jwtSecret }),
      new FastifyAdapter({ bodyLimit: 16 * 1024 }),
      { logger: config.logLevel === 'silent' ? false : ['error', 'warn'], abortOnError: false },
    );
    cleanup.push(() => app.close());
    await app.register(helmet);
    const document = buildHubOpenApiDocument(app);
    app
      .getHttpAdapter()
      .getInstance()
      .get(OPENAPI_JSON_PATH, async () => document);
    await app.listen(config.port, config.host);
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    consumer.start();
    relay.start();
    logger.info({ url, consumer: config.consumerName, checkpoint, maxBatch: config.maxBatch }, 'hub: consuming integration events');

    let stopped = false;
    return {
      url,
      metrics,
      progress: () => ({ ...consumer.progress }),
      async waitUntilCaughtUp({ timeoutMs = 30_000 } = {}) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const [stream, info] = await Promise.all([
            manager.streams.info(INTEGRATION_EVENTS_STREAM).catch(() => undefined),
            manager.consumers.info(INTEGRATION_EVENTS_STREAM, config.consumerName).catch(() => undefined),
          ]);
          // Acknowledged up to the stream's last message: a batch given back (nak) is neither pending nor unacknowledged, but below the ack floor.
          const acknowledged = stream && info && info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= stream.state.last_seq;
          if (acknowledged && consumer.idle && !consumer.failure && (await outbox.unpublishedCount().catch(() => 1)) === 0) return;
          if (Date.now() > deadline) {
            throw new Error(
              `The hub did not catch up within ${timeoutMs} ms: ${info ? `${info.num_pending} pending, ${info.num_ack_pending} unacknowledged, acknowledged up to ${info.ack_floor.stream_seq}` : 'no consumer info'}; checkpoint ${consumer.progress.checkpoint}.`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        await consumer.stop();
        await relay.stop();
        // Drained, so that the last batch's acknowledgements and the naks of what it gave back reach the server.
        await nats.drain().catch(() => nats.close());
        await database.close();
      },
      async abandon() {
        if (stopped) return;
        stopped = true;
        const abandoned = consumer.abandon();
        await nats.close();
        await abandoned;
        await relay.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

async function consumerLagOf(manager: JetStreamManager, consumer: string): Promise<number> {
  const info = await manager.consumers.info(INTEGRATION_EVENTS_STREAM, consumer);
  return info.num_pending + info.num_ack_pending;
}

async function natsAnswers(nats: NatsConnection): Promise<void> {
  if (nats.isClosed()) throw new Error('the connection to NATS is closed');
  await nats.rtt();
}

async function probe(check: () => Promise<unknown>): Promise<DependencyCheck> {
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', reason: error instanceof Error ? error.message : String(error) };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
