import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { storedJsonOf, type RecordedEvent } from '../event-store.port.js';
import { describeEventStoreContract, event } from '../testing/event-store.contract.js';
import { describeWithPostgres, dropScratchSchema, postgresAvailability, scratchSchemaName, testPostgresUrl } from '../testing/postgres-test-database.js';
import { eventLogStatements } from './postgres-event-log.js';
import { appendWithinTransaction, PostgresEventStore } from './postgres-event-store.js';

const postgres = await postgresAvailability();
const url = testPostgresUrl();

describeWithPostgres('PostgreSQL event store', postgres, () => {
  const schemas: string[] = [];
  const scratch = (label: string) => {
    const schema = scratchSchemaName(label);
    schemas.push(schema);
    return schema;
  };
  afterAll(async () => {
    for (const schema of schemas) await dropScratchSchema(schema, url);
  });

  const contractSchema = scratch('contract');
  describeEventStoreContract('PostgreSQL', {
    open: () => PostgresEventStore.open(url, { schema: contractSchema, pollIntervalMs: 100 }),
    durabilityChild: (streamName, eventId) => ({
      command: process.execPath,
      args: ['--import', 'tsx', fileURLToPath(new URL('./durability-child.ts', import.meta.url)), url, contractSchema, streamName, eventId],
    }),
  });

  describe('when a transaction holding a position commits after another append was requested', () => {
    let store: PostgresEventStore;
    let holder: pg.Client;
    const schema = scratch('commit_order');
    beforeAll(async () => {
      store = await PostgresEventStore.open(url, { schema, pollIntervalMs: 20 });
      holder = new pg.Client({ connectionString: url });
      await holder.connect();
    });
    afterAll(async () => {
      await holder.end();
      await store.close();
    });

    it('delivers the held append, then the one that waited for it, in order, once, and neither before the held one commits', async () => {
      const start = await store.headPosition();
      const subscription = store.subscribeToAll({ after: start });
      const received: RecordedEvent[] = [];
      const consuming = (async () => {
        for await (const recorded of subscription) {
          received.push(recorded);
          if (received.length === 2) break;
        }
      })();

      // Transaction A, through the adapter's own append path on a connection of the test's, left open.
      const held = event('held-open');
      const { outcomes } = await appendWithinTransaction(holder, eventLogStatements(schema), [{ streamName: `held-${randomUUID()}`, events: [held], expectedRevision: 'no_stream' }], new Date());
      const heldPosition = (outcomes[0] as PromiseFulfilledResult<{ position: bigint }>).value.position;

      // Transaction B is requested after A took its position: with a sequence it could commit first.
      const waited = event('waited');
      let settled = false;
      const appended = store.appendToStream(`waited-${randomUUID()}`, [waited], 'no_stream').finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(settled).toBe(false);
      expect(received).toEqual([]);
      expect(await store.readAll({ after: start })).toEqual([]);

      await holder.query('COMMIT');
      const { position } = await appended;
      await consuming;
      await subscription.close();

      expect(received.map((recorded) => [recorded.id, recorded.globalPosition])).toEqual([
        [held.id, heldPosition],
        [waited.id, position],
      ]);
      expect(position).toBe(heldPosition + 1n);
    });

    it('leaves no gap and no stall when the held transaction rolls back', async () => {
      const start = await store.headPosition();
      await appendWithinTransaction(holder, eventLogStatements(schema), [{ streamName: `rolled-back-${randomUUID()}`, events: [event()], expectedRevision: 'no_stream' }], new Date());
      const kept = event('kept');
      const appended = store.appendToStream(`kept-${randomUUID()}`, [kept], 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await holder.query('ROLLBACK');
      expect((await appended).position).toBe(start + 1n);

      const subscription = store.subscribeToAll({ after: start });
      for await (const recorded of subscription) {
        expect([recorded.id, recorded.globalPosition]).toEqual([kept.id, start + 1n]);
        break;
      }
    });

    it('hands out contiguous positions in commit order to writers racing from several connections', async () => {
      const writers = await Promise.all(Array.from({ length: 4 }, () => PostgresEventStore.open(url, { schema })));
      try {
        const start = await store.headPosition();
        const subscription = store.subscribeToAll({ after: start });
        const total = 4 * 25 * 3;
        const received: RecordedEvent[] = [];
        const consuming = (async () => {
          for await (const recorded of subscription) {
            received.push(recorded);
            if (received.length === total) break;
          }
        })();
        await Promise.all(
          writers.flatMap((writer, w) =>
            Array.from({ length: 25 }, async (_, n) => {
              const stream = `racer-${w}-${n}-${randomUUID()}`;
              for (let k = 0; k < 3; k++) await writer.appendToStream(stream, [event('raced', { w, n, k })], k === 0 ? 'no_stream' : BigInt(k - 1));
            }),
          ),
        );
        await consuming;
        await subscription.close();
        // Every position from the start on, once: nothing committed out of order could be passed over.
        expect(received.map((recorded) => recorded.globalPosition)).toEqual(Array.from({ length: total }, (_, index) => start + 1n + BigInt(index)));
      } finally {
        await Promise.all(writers.map((writer) => writer.close()));
      }
    });
  });

  describe('when appends are group-committed', () => {
    const schema = scratch('group');
    let store: PostgresEventStore;
    beforeAll(async () => {
      store = await PostgresEventStore.open(url, { schema });
    });
    afterAll(async () => {
      await store.close();
    });

    it('commits the appends of one event-loop turn together, at one recorded time, at consecutive positions', async () => {
      const start = await store.headPosition();
      const results = await Promise.all(Array.from({ length: 64 }, () => store.appendToStream(`group-${randomUUID()}`, [event()], 'no_stream')));
      const recorded = await store.readAll({ after: start });
      expect(results.map((result) => result.position)).toEqual(recorded.map((e) => e.globalPosition));
      // Positions start at 1, after the -1 of an empty log.
      const first = start < 0n ? 1n : start + 1n;
      expect(recorded.map((e) => e.globalPosition)).toEqual(Array.from({ length: 64 }, (_, index) => first + BigInt(index)));
      expect(new Set(recorded.map((e) => e.recordedAt.getTime())).size).toBe(1);
    });

    it('hands back the global log with the stored JSON of data and metadata, the very text the parsed event serialises to', async () => {
      const data = { name: 'Đặng Thị Ánh', amount: 2_055_000, nested: { list: [1, 2.5, -0.125], flag: true }, '10': 'integer-like key', nul: 'a\u0000b' };
      const stream = `stored-json-${randomUUID()}`;
      const before = await store.headPosition();
      await store.appendToStream(stream, [{ ...event(), data }], 'no_stream');
      const read = (await store.readAll({ after: before })).find((recorded) => recorded.streamName === stream);
      expect(read!.data).toEqual(data);
      expect(storedJsonOf(read!)).toEqual({ data: JSON.stringify(read!.data), metadata: JSON.stringify(read!.metadata) });
      expect(Object.keys(read!)).not.toContain('storedJson');
      // A stream read to decide on keeps only the parsed event: the text would double what a batch holds.
      const [decidedOn] = await store.readStream(stream);
      expect(decidedOn).toEqual(read);
      expect(storedJsonOf(decidedOn!)).toBeUndefined();
    });

    it('rolls back only the append whose write fails, keeping its neighbours', async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE FUNCTION ${schema}.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
        await admin.query(`CREATE TRIGGER refuse BEFORE INSERT ON ${schema}.events FOR EACH ROW WHEN (NEW.type = 'poison') EXECUTE FUNCTION ${schema}.refuse_poison()`);
        const [ok, poisoned] = [`ok-${randomUUID()}`, `poisoned-${randomUUID()}`];
        const outcomes = await Promise.allSettled([store.appendToStream(ok, [event()], 'no_stream'), store.appendToStream(poisoned, [event('poison')], 'no_stream')]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
        expect(await store.readStream(poisoned)).toEqual([]);
        expect(await store.readStream(ok)).toHaveLength(1);
      } finally {
        await admin.query(`DROP TRIGGER IF EXISTS refuse ON ${schema}.events`);
        await admin.end();
      }
    });

    it('refuses a stream name PostgreSQL cannot store, alone', async () => {
      const outcomes = await store.appendToStreams([
        { streamName: 'nul-\u0000', events: [event()], expectedRevision: 'any' },
        { streamName: `fine-${randomUUID()}`, events: [event()], expectedRevision: 'no_stream' },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    });
  });

  describe('when a category sits beside a much larger one', () => {
    const schema = scratch('category');
    let store: PostgresEventStore;
    let admin: pg.Client;
    beforeAll(async () => {
      store = await PostgresEventStore.open(url, { schema });
      admin = new pg.Client({ connectionString: url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin.end();
      await store.close();
    });

    it('reads the category page by page along the stream-name index, without scanning the log', async () => {
      const wanted = Array.from({ length: 2_100 }, (_, n) => `wanted-${String(n).padStart(5, '0')}-${randomUUID().slice(0, 4)}`);
      const others = Array.from({ length: 20_000 }, () => `other-${randomUUID()}`);
      const appends = [...others, ...wanted].map((name) => ({ streamName: name, events: [event('opened'), event('changed')], expectedRevision: 'no_stream' as const }));
      for (let start = 0; start < appends.length; start += 5_000) {
        const outcomes = await store.appendToStreams(appends.slice(start, start + 5_000));
        expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
      }
      await admin.query(`ANALYZE ${schema}.streams`);
      await admin.query(`ANALYZE ${schema}.events`);

      const read: string[] = [];
      for await (const { streamName, events } of store.readCategory('wanted')) {
        expect(events.map((e) => e.type)).toEqual(['opened', 'changed']);
        read.push(streamName);
      }
      expect(read).toEqual([...wanted].sort());

      const { rows } = await admin.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${eventLogStatements(schema).categoryPage}`, ['wanted-', 'wanted.', 1_000]);
      const plan = JSON.stringify(rows[0]!['QUERY PLAN']);
      expect(plan).not.toContain('Seq Scan');
      expect(plan).toContain('streams_stream_name_key');
    }, 60_000);
  });

  describe('when PostgreSQL drops the store connections under a live subscription', () => {
    const schema = scratch('outage');
    it('resumes from its checkpoint and misses nothing, and appends go on', async () => {
      const applicationName = `es-outage-${randomUUID().slice(0, 8)}`;
      const store = await PostgresEventStore.open(`${url}${url.includes('?') ? '&' : '?'}application_name=${applicationName}`, { schema, pollIntervalMs: 50 });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const stream = `outage-${randomUUID()}`;
        const subscription = store.subscribeToAll();
        const received: RecordedEvent[] = [];
        const consuming = (async () => {
          for await (const recorded of subscription) {
            received.push(recorded);
            if (received.length === 20) break;
          }
        })();
        for (let n = 0; n < 20; n++) {
          if (n === 10) {
            const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
            expect(rows.length).toBeGreaterThan(0);
          }
          // The writer's pooled connection is dead after the kill: the store finds out before writing, and tries again.
          await store.appendToStream(stream, [event('numbered', { n })], n === 0 ? 'no_stream' : BigInt(n - 1));
        }
        await consuming;
        await subscription.close();
        expect(received.map((recorded) => recorded.data.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
      } finally {
        await admin.end();
        await store.close();
      }
    }, 30_000);
  });
});
