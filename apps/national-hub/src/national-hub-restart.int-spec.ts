import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureIntegrationStreams, type IntegrationEvent } from '@ledger/integration-events';
import { describeWithNats } from '../../../libs/integration-events/src/testing/describe-with-nats.js';
import { natsAvailability, startScratchNatsServer, type ScratchNatsServer } from '../../../libs/integration-events/src/testing/nats-server.js';
import { describeWithPostgres } from '../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dropSchema, postgresAvailability } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { startNationalHub, type NationalHub } from './national-hub.js';
import { provinceEvents, publishEvents } from './testing/integration-events.js';
import { CuttablePostgresProxy, findingNotices, getFromHub, ministryToken, scratchHubSchema, testHubConfig, until } from './testing/hub-harness.js';

/**
 * The hub stopped in the middle of a stream, once as a crash would (a batch committed and never
 * acknowledged) and once gracefully, while two provinces keep publishing; a third hub on the same
 * database and consumer finishes. Together they apply every event exactly once: the totals and the
 * findings are those of the events, and nothing is counted twice.
 */
const postgres = await postgresAvailability();
const nats = await natsAvailability();

const PEOPLE_PER_PROVINCE = 3_000;
/** Every this many people, one is enrolled and paid in both provinces. */
const SHARED_EVERY = 500;

function twoProvinces(): { events: IntegrationEvent[]; expectedTotals: Map<string, { count: number; totalAmount: number }>; shared: number } {
  const provinces = [provinceEvents('91'), provinceEvents('89')];
  const expectedTotals = new Map<string, { count: number; totalAmount: number }>();
  const streams = provinces.map((province) => {
    const events: IntegrationEvent[] = [];
    for (let n = 0; n < PEOPLE_PER_PROVINCE; n++) {
      const person = province.person(n % SHARED_EVERY === 0 ? `shared-${n}` : `${province.province}-${n}`);
      const program = n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE';
      const channel = n % 4 === 0 ? 'CASH' : 'BANK';
      const amount = 300_000 + (n % 7) * 10_000;
      const disbursement = province.snapshot(person, program, '2024-04', { amount, channel });
      const paid = n % 10 !== 9;
      events.push(province.enroll(person, program), province.schedule(disbursement), province.send(disbursement), paid ? province.pay(disbursement) : province.fail(disbursement));
      const key = `${province.province}|${program}|${channel}`;
      const total = expectedTotals.get(key) ?? { count: 0, totalAmount: 0 };
      expectedTotals.set(key, { count: total.count + 1, totalAmount: total.totalAmount + amount });
    }
    return events;
  });
  // The two provinces' events interleaved, as they reach JetStream from two ledgers at once.
  const events = streams[0]!.flatMap((event, index) => [event, streams[1]![index]!]);
  return { events, expectedTotals, shared: PEOPLE_PER_PROVINCE / SHARED_EVERY };
}

describeWithPostgres('the national hub stopped mid-stream', postgres, () => {
  describeWithNats('the national hub stopped mid-stream', nats, () => {
    let server: ScratchNatsServer;
    let connection: NatsConnection;
    const hubs: NationalHub[] = [];
    const schema = scratchHubSchema('restart');
    const { events, expectedTotals, shared } = twoProvinces();
    const config = () => testHubConfig(server.url, schema, { maxBatch: 500 });

    beforeAll(async () => {
      server = await startScratchNatsServer();
      connection = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      await ensureIntegrationStreams(connection);
    });

    afterAll(async () => {
      for (const hub of hubs) await hub.stop().catch(() => undefined);
      await connection?.close();
      await server?.dispose();
      await dropSchema(schema);
    });

    it('loses nothing and counts nothing twice, after a crash and after a stop', async () => {
      const publishing = publishEvents(connection, events, { window: 500 });
      const first = await startNationalHub(config());
      hubs.push(first);
      await until(() => first.progress().applied > events.length / 4, 'the first hub to be a quarter through');
      await first.abandon();

      const second = await startNationalHub(config());
      hubs.push(second);
      await until(() => second.progress().checkpoint > (events.length * 2) / 3, 'the second hub to be two thirds through', 30_000);
      await second.stop();

      const third = await startNationalHub(config());
      hubs.push(third);
      await publishing;
      await third.waitUntilCaughtUp({ timeoutMs: 30_000 });

      const applied = hubs.reduce((sum, hub) => sum + hub.progress().applied, 0);
      expect(applied).toBe(events.length);
      // The crash left a committed batch unacknowledged: delivered again, and found in the inbox.
      expect(second.progress().duplicates + third.progress().duplicates).toBeGreaterThan(0);

      const { body } = await getFromHub(third.url, '/v1/national/totals?period=2024-04', await ministryToken());
      const totals = new Map((body.items as Array<{ province: string; program: string; channel: string; count: number; totalAmount: number }>).map((item) => [`${item.province}|${item.program}|${item.channel}`, { count: item.count, totalAmount: item.totalAmount }]));
      expect(totals).toEqual(expectedTotals);

      const notices = await findingNotices(connection);
      // Each shared person is enrolled in both provinces and paid in both: two findings, a notice to each province of each.
      const kinds = notices.map(({ notice }) => notice.kind);
      expect(kinds.filter((kind) => kind === 'ENROLLED_IN_TWO_PROVINCES')).toHaveLength(shared * 2);
      expect(kinds.filter((kind) => kind === 'PAID_IN_TWO_PROVINCES')).toHaveLength(shared * 2);
      expect(new Set(notices.map(({ notice }) => `${notice.findingId}:${notice.province}`)).size).toBe(notices.length);
    }, 60_000);

    it('answers not ready while NATS is away, naming it, and consumes again once it is back', async () => {
      const hub = hubs.at(-1)!;
      await server.stop();
      await until(async () => (await getFromHub(hub.url, '/health/ready')).status === 503, 'readiness to fail');
      const ready = await getFromHub(hub.url, '/health/ready');
      expect([ready.body.code, ready.body.detail, ready.body.checks.nats.status, ready.body.checks.postgres.status]).toEqual(['NOT_READY', 'NATS is not answering.', 'down', 'up']);

      await server.start();
      await until(async () => (await getFromHub(hub.url, '/health/ready')).status === 200, 'readiness to come back', 20_000);
      const before = hub.progress().applied;
      const later = provinceEvents('91', { firstPosition: 1_000_000n });
      await publishEvents(connection, [later.enroll(later.person('after-the-outage'), 'MERITORIOUS')]);
      await until(() => hub.progress().applied === before + 1, 'the event published after the outage', 20_000);
    }, 45_000);

    it('gives a batch back while PostgreSQL is away, says so, and applies it once PostgreSQL is back', async () => {
      // The other hubs stopped: this one alone applies what is published during the outage.
      for (const running of hubs) await running.stop();
      const proxy = new CuttablePostgresProxy();
      await proxy.open();
      try {
        const hub = await startNationalHub(testHubConfig(server.url, schema, { databaseUrl: proxy.url, consumerName: 'national-hub-outage', maxBatch: 500 }));
        hubs.push(hub);
        // A consumer of its own starts at the stream's start: everything there is already in the inbox.
        await hub.waitUntilCaughtUp({ timeoutMs: 30_000 });
        expect(hub.progress().applied).toBe(0);

        await proxy.cut();
        const during = provinceEvents('89', { firstPosition: 2_000_000n });
        const person = during.person('during-the-outage');
        const disbursement = during.snapshot(person, 'MERITORIOUS', '2024-06', { amount: 777_000 });
        await publishEvents(connection, [during.enroll(person, 'MERITORIOUS'), during.schedule(disbursement), during.pay(disbursement)]);
        await until(async () => {
          const ready = await getFromHub(hub.url, '/health/ready');
          return ready.status === 503 && ready.body.checks.postgres.status === 'down' && ready.body.checks.consumer.status === 'down';
        }, 'readiness to name PostgreSQL and the consumer');
        expect(hub.progress().applied).toBe(0);

        await proxy.open();
        await hub.waitUntilCaughtUp({ timeoutMs: 30_000 });
        expect(hub.progress()).toMatchObject({ applied: 3, refused: 0 });
        expect((await getFromHub(hub.url, '/health/ready')).status).toBe(200);
        const { body } = await getFromHub(hub.url, '/v1/national/totals?period=2024-06', await ministryToken());
        expect(body.items).toEqual([expect.objectContaining({ province: '89', count: 1, totalAmount: 777_000, byStatus: { PAID: { count: 1, totalAmount: 777_000 } } })]);
        await hub.stop();
      } finally {
        await proxy.cut().catch(() => undefined);
      }
    }, 45_000);
  });
});
