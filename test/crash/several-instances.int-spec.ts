// Two compiled API processes on one PostgreSQL event store (and PostgreSQL idempotency records),
// raced against each other as a load balancer would spread one operator's retries and a province's
// settlements across instances.
//   NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects crash -t "several API instances"
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { DisbursementEventType, PayrollRunEventType } from '@ledger/domain';
import { PostgresEventStore } from '@ledger/event-store';
import { describeWithPostgres } from '../../libs/read-models/src/testing/describe-with-postgres.js';
import { postgresAvailability } from '../../libs/read-models/src/testing/postgres-scratch.js';
import { createScratchDatabase } from './support/crash-topology.js';
import { buildApi, clientFor, startApi, type ApiClient, type ApiProcess } from './support/ledger-process.js';
import { personFor, RUN_PERIOD, seedPeople } from './support/province.js';

jest.setTimeout(300_000);

const PEOPLE = 400;
describeWithPostgres('several API instances on one PostgreSQL event store', await postgresAvailability(), () => {
  const directories: string[] = [];
  const instances: ApiProcess[] = [];
  let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let log: pg.Pool;
  const clients: Array<{ maker: ApiClient; checker: ApiClient }> = [];
  let runId: string;

  beforeAll(async () => {
    database = await createScratchDatabase(`ledger_instances_${process.pid}`);
    const databaseUrl = database.url;
    const store = await PostgresEventStore.open(databaseUrl);
    await seedPeople(store, Array.from({ length: PEOPLE }, (_, serial) => personFor(serial)));
    await store.close();
    const main = buildApi().main;
    // Both instances as production runs them: the same keys, the projector elsewhere (not needed here).
    const env = { EVENTSTORE_CONNECTION_STRING: databaseUrl, DATABASE_URL: databaseUrl, LEDGER_PROJECTOR: 'external', LEDGER_ID_KEY: 'several-instances-id-key-0123456789abcdef' };
    for (let index = 0; index < 2; index++) {
      const directory = mkdtempSync(join(tmpdir(), `ledger-instance-${index}-`));
      directories.push(directory);
      const api = await startApi(main, directory, env);
      instances.push(api);
      clients.push({ maker: await clientFor(() => api, { role: 'operator', sub: 'lan.operator' }), checker: await clientFor(() => api, { role: 'operator', sub: 'minh.checker' }) });
    }
    log = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }, 300_000);

  afterAll(async () => {
    for (const api of instances) await api.stop();
    await log?.end();
    await database?.drop();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  const countOf = async (type: string) => Number((await log.query<{ n: string }>('SELECT COUNT(*) AS n FROM event_store.events WHERE type = $1', [type])).rows[0]!.n);

  it('the same payroll run asked of both, with the same Idempotency-Key: one run, each person once, the second answer the first replayed', async () => {
    const key = randomUUID();
    const [first, second] = await Promise.all(clients.map(({ maker }) => maker.post('/v1/payroll-runs', { period: RUN_PERIOD }, key)));
    expect([first!.status, second!.status]).toEqual([201, 201]);
    expect(second!.body).toEqual(first!.body);
    expect([first!.headers.get('idempotency-replayed'), second!.headers.get('idempotency-replayed')].sort()).toEqual([null, 'true']);
    expect(await countOf(PayrollRunEventType.Created)).toBe(1);
    runId = first!.body.runId;
    const scheduled = await countOf(DisbursementEventType.Scheduled);
    expect(scheduled).toBe(first!.body.scheduled);
    // Each person's month once: one disbursement stream per person, program and month, never two Scheduled in one.
    const repeated = await log.query(`SELECT s.stream_name FROM event_store.events e JOIN event_store.streams s USING (stream_id) WHERE e.type = $1 GROUP BY s.stream_name HAVING COUNT(*) > 1`, [DisbursementEventType.Scheduled]);
    expect(repeated.rows).toEqual([]);
  });

  it('the same month asked of both under different keys: the second run schedules nobody again', async () => {
    const before = await countOf(DisbursementEventType.Scheduled);
    const answers = await Promise.all(clients.map(({ maker }) => maker.post('/v1/payroll-runs', { period: RUN_PERIOD }, randomUUID())));
    for (const answer of answers) expect(answer.status).toBeLessThan(500);
    expect(await countOf(DisbursementEventType.Scheduled)).toBe(before);
  });

  it('thirty settlements of one payment split across both instances: exactly one PAID', async () => {
    expect((await clients[1]!.checker.post(`/v1/payroll-runs/${runId}/approve`, {})).status).toBe(200);
    expect((await clients[0]!.maker.post(`/v1/payroll-runs/${runId}/send`, {})).status).toBe(200);
    const sent = await log.query<{ stream_name: string; data: { amount: number } }>(
      `SELECT s.stream_name, e.data FROM event_store.events e JOIN event_store.streams s USING (stream_id) WHERE e.type = $1 ORDER BY e.position LIMIT 1`,
      [DisbursementEventType.Scheduled],
    );
    const disbursementId = sent.rows[0]!.stream_name.slice('disbursement-'.length);
    const amount = sent.rows[0]!.data.amount;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        clients[index % 2]!.maker.post(`/v1/disbursements/${disbursementId}/settle`, { providerReference: `FT-RACE-${index}`, paidAt: `${RUN_PERIOD}-05T09:30:00+07:00`, amount }, randomUUID()),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    const paid = await log.query(`SELECT e.position FROM event_store.events e JOIN event_store.streams s USING (stream_id) WHERE s.stream_name = $1 AND e.type = $2`, [`disbursement-${disbursementId}`, DisbursementEventType.Paid]);
    expect(paid.rows).toHaveLength(1);
  });
});
