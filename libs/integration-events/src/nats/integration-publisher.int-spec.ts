import { afterAll, afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { everyInternalEvent, NATIONAL_KEY, PROVINCE } from '../contract/testing/every-internal-event.js';
import { publishHistory } from '../contract/testing/internal-history.js';
import type { IntegrationEvent } from '../contract/integration-events.js';
import { INTEGRATION_EVENTS_STREAM } from '../contract/subjects.js';
import { describeWithNats } from '../testing/describe-with-nats.js';
import { natsAvailability, startScratchNatsServer, type ScratchNatsServer } from '../testing/nats-server.js';
import { IntegrationPublisher } from './integration-publisher.js';
import { SqlitePublisherCheckpoints } from './publisher-checkpoints.js';

jest.setTimeout(60_000);

/** Every message of the stream, in stream order, with its Nats-Msg-Id. */
async function streamContent(url: string): Promise<Array<{ msgId: string | undefined; subject: string; event: IntegrationEvent }>> {
  const connection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(connection);
    const { state } = await jsm.streams.info(INTEGRATION_EVENTS_STREAM);
    const consumer = await jetstream(connection).consumers.get(INTEGRATION_EVENTS_STREAM);
    const content: Array<{ msgId: string | undefined; subject: string; event: IntegrationEvent }> = [];
    while (content.length < state.messages) {
      for await (const message of await consumer.fetch({ max_messages: 1_000, expires: 1_000 })) {
        content.push({ msgId: message.headers?.get('Nats-Msg-Id'), subject: message.subject, event: message.json<IntegrationEvent>() });
      }
    }
    return content;
  } finally {
    await connection.close();
  }
}

describeWithNats('the integration-event publisher, against a NATS server of its own', await natsAvailability(), () => {
  let server: ScratchNatsServer;
  let directory: string;
  let store: SqliteEventStore;
  let stored: RecordedEvent[];
  const running: IntegrationPublisher[] = [];

  beforeAll(async () => {
    server = await startScratchNatsServer();
    directory = mkdtempSync(join(tmpdir(), 'publisher-'));
    store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    // A person's whole story, every internal event type, written as the ledger writes it.
    for (const event of everyInternalEvent().events) {
      await store.appendToStream(event.streamName, [{ id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata }], event.streamRevision === 0n ? 'no_stream' : event.streamRevision - 1n);
    }
    stored = await store.readAll();
  });

  afterEach(async () => {
    for (const publisher of running.splice(0)) await publisher.stop();
  });

  afterAll(async () => {
    await store.close();
    await server.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  const publisher = (options: { maxBatch?: number; maxRememberedStreams?: number } = {}) => {
    const started = new IntegrationPublisher(store, new SqlitePublisherCheckpoints(store.db, false), { natsUrl: server.url, province: PROVINCE, nationalKey: NATIONAL_KEY, maxRetryPauseMs: 200, ...options });
    running.push(started);
    return started;
  };

  it('waits while NATS is away, says why, and once it is back publishes the log in order with each event id as Nats-Msg-Id, reading forgotten facts again from the streams', async () => {
    await server.stop();
    // Tiny batches and a memory of one stream: nearly every event needs its stream read again.
    const first = publisher({ maxBatch: 3, maxRememberedStreams: 1 });
    await first.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(first.checkpoint).toBe(-1n);
    expect(String((first.failure as Error)?.message ?? first.failure)).toMatch(/CONNECTION_REFUSED|connect|ECONNREFUSED/i);

    await server.start();
    await first.publishedUpTo(stored.at(-1)!.globalPosition);
    expect(first.failure).toBeUndefined();

    const expected = publishHistory(stored, { province: PROVINCE, nationalKey: NATIONAL_KEY }).published;
    expect(expected.length).toBeGreaterThan(10);
    const content = await streamContent(server.url);
    expect(content.map(({ event }) => event)).toEqual(expected);
    expect(content.map(({ msgId }) => msgId)).toEqual(expected.map((event) => event.id));
    expect(content.map(({ subject }) => subject)).toEqual(expected.map((event) => `ledger.events.${PROVINCE}.${event.type}`));
  });

  it('after a crash between the PubAcks and the checkpoint, sends the batch again and JetStream keeps each event once', async () => {
    const before = await streamContent(server.url);
    // As if the process died with every PubAck received and the checkpoint not yet written.
    await new SqlitePublisherCheckpoints(store.db, false).write(-1n);
    const again = publisher({ maxBatch: 1000 });
    await again.start();
    await again.publishedUpTo(stored.at(-1)!.globalPosition);
    expect(await streamContent(server.url)).toEqual(before);
  });

  it('carries on from its checkpoint: a restarted publisher sends only what came after', async () => {
    const before = await streamContent(server.url);
    const restarted = publisher();
    await restarted.start();
    expect(restarted.checkpoint).toBe(stored.at(-1)!.globalPosition);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await streamContent(server.url)).length).toBe(before.length);
  });

  it('with nothing to publish, still says NATS is down while it is, and up once the client has reconnected', async () => {
    const idle = publisher();
    await idle.start();
    await idle.publishedUpTo(stored.at(-1)!.globalPosition);
    expect(idle.failure).toBeUndefined();

    await server.stop();
    await until(() => idle.failure !== undefined, 10_000, 'the lost connection reported');
    // Whichever the client met first: the lost connection, a request of its that timed out meanwhile,
    // or its socket reset under a read (the server's process gone mid-exchange).
    expect(String((idle.failure as Error).message)).toMatch(/connect|timeout|ECONNRESET/i);

    await server.start();
    await until(() => idle.failure === undefined, 15_000, 'the reconnection reported');
    expect(idle.checkpoint).toBe(stored.at(-1)!.globalPosition);
  });
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
