import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithNats } from '../../libs/integration-events/src/testing/describe-with-nats.js';
import { natsAvailability, startScratchNatsServer, type ScratchNatsServer } from '../../libs/integration-events/src/testing/nats-server.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../../libs/read-models/src/testing/postgres-scratch.js';
import { sleep, until } from '../crash/support/crash-kit.js';
import { buildApi, clientFor, startApi, type ApiClient, type ApiProcess } from '../crash/support/ledger-process.js';
import { personFor, seedPeople } from '../crash/support/province.js';
import { enroll, expectOk, figuresOf, hubGet, ministryToken, NATIONAL_KEY, payMonth, peopleOf, provinceConfigDirectory, provinceFigures, startHub, type Figures, type HubProcess } from './support/national-kit.js';

jest.setTimeout(600_000);

const [nats, postgres] = await Promise.all([natsAvailability(), postgresAvailability()]);
const available = !nats.available ? nats : !postgres.available ? postgres : { available: true as const };

/**
 * Each fault in turn, on two provinces and the hub: the publisher SIGKILLed with a backlog half
 * sent, the NATS server stopped while both provinces keep paying, the hub SIGKILLed halfway through
 * a batch. After each, every event is counted once nationally: the hub's figures per province equal
 * the province's own summary.
 */
describeWithNats('the national link through its faults', available, () => {
  let server: ScratchNatsServer;
  let hub: HubProcess;
  let hubMain: string;
  let apiMain: string;
  let token: string;
  const schema = `hub_faults_${process.pid}`;
  const directories: string[] = [];
  const provinces = new Map<'91' | '89', { api: ApiProcess; directory: string; env: Record<string, string>; maker: ApiClient; checker: ApiClient; reporter: ApiClient }>();

  const hubEnv = () => ({ NATS_URL: server.url, HUB_DATABASE_URL: postgresUrl(), HUB_DATABASE_SCHEMA: schema, HUB_MAX_BATCH: '250', HUB_ACK_WAIT_MS: '2000' });
  const hubCheckpoint = async () => Number(((await (await fetch(`${hub.url}/health/ready`)).json()) as { checkpoint?: number }).checkpoint ?? 0);
  const hubFigures = async (province: string): Promise<Figures> => figuresOf(expectOk(await hubGet(() => hub, `/v1/national/totals?province=${province}`, token)).body.items);

  async function startProvince(code: '91' | '89'): Promise<void> {
    const existing = provinces.get(code);
    const directory = existing?.directory ?? mkdtempSync(join(tmpdir(), `ledger-faults-${code}-`));
    if (!existing) directories.push(directory);
    const env = existing?.env ?? { NATS_URL: server.url, LEDGER_NATIONAL_KEY: NATIONAL_KEY, LEDGER_CONFIG_DIR: provinceConfigDirectory(code), LEDGER_PUBLISHER_BATCH: '400' };
    const api = await startApi(apiMain, directory, env);
    const province = { api, directory, env, maker: undefined as unknown as ApiClient, checker: undefined as unknown as ApiClient, reporter: undefined as unknown as ApiClient };
    province.maker = await clientFor(() => province.api, { role: 'operator', sub: `maker-${code}` });
    province.checker = await clientFor(() => province.api, { role: 'operator', sub: `checker-${code}` });
    province.reporter = await clientFor(() => province.api, { role: 'reporter', sub: `reporter-${code}` });
    provinces.set(code, province);
  }

  /** Every event counted once nationally: the hub's figures per province are the province's own, to the đồng. */
  async function expectNationalFiguresEqualProvinces(after: string): Promise<void> {
    for (const [code, province] of provinces) {
      const own = await provinceFigures(province.reporter);
      await until(async () => isDeepStrictEqual(await hubFigures(code), own), 120_000, `the hub's figures for ${code} after ${after}`, 250).catch(() => undefined);
      expect({ after, code, figures: await hubFigures(code) }).toEqual({ after, code, figures: own });
    }
  }

  /** Where the province's publisher has got to, read from its own SQLite file as an operator's tool would. */
  function publisherCheckpoint(directory: string): bigint {
    const db = new Database(join(directory, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT position FROM integration_publisher_checkpoint WHERE id = 1').get() as { position: string } | undefined;
      return row ? BigInt(row.position) : -1n;
    } catch {
      return -1n;
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    apiMain = buildApi().main;
    hubMain = apiMain.replace(join('apps', 'ledger-api', 'src', 'main.js'), join('apps', 'national-hub', 'src', 'main.js'));
    server = await startScratchNatsServer();
    token = await ministryToken();
    hub = await startHub(hubMain, hubEnv());
    await startProvince('91');
    await startProvince('89');
    await enroll(provinces.get('89')!.maker, peopleOf('89', 12), '2024-09');
    await payMonth(provinces.get('89')!.maker, provinces.get('89')!.checker, '2024-09', 'FT89S');
  }, 300_000);

  afterAll(async () => {
    for (const province of provinces.values()) await province.api.stop();
    await hub?.stop();
    await server?.dispose();
    await dropSchema(schema).catch(() => undefined);
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('the publisher SIGKILLed with a backlog half sent, and restarted: nothing lost, nothing counted twice', async () => {
    const kienGiang = provinces.get('91')!;
    await kienGiang.api.stop();
    // A backlog: three thousand people written into the ledger while its API (and publisher) was down.
    const store = SqliteEventStore.open(join(kienGiang.directory, 'ledger.sqlite'));
    await seedPeople(store, Array.from({ length: 3_000 }, (_, serial) => personFor(serial)));
    const head = await store.headPosition();
    await store.close();
    const before = publisherCheckpoint(kienGiang.directory);

    await startProvince('91');
    await until(() => publisherCheckpoint(kienGiang.directory) > before, 60_000, 'the first batches published', 2);
    const atKill = publisherCheckpoint(kienGiang.directory);
    await provinces.get('91')!.api.kill();
    expect(atKill).toBeLessThan(head);

    await startProvince('91');
    await payMonth(provinces.get('91')!.maker, provinces.get('91')!.checker, '2024-09', 'FT91S');
    await expectNationalFiguresEqualProvinces('the publisher was killed');
    const coverage = expectOk(await hubGet(() => hub, '/v1/national/coverage', token)).body;
    const enrolled91 = (coverage.enrollments as Array<{ province: string; active: number; suspended: number }>).filter((row) => row.province === '91').reduce((sum, row) => sum + row.active + row.suspended, 0);
    // Each enrollment of the backlog once: none lost in the kill, none counted again when it was sent again.
    expect(enrolled91).toBe(Array.from({ length: 3_000 }, (_, serial) => personFor(serial).enrollments.length).reduce((sum, count) => sum + count, 0));
  });

  it('the NATS server stopped while both provinces keep paying, then started again: every event reaches the hub once', async () => {
    await server.stop();
    for (const [code, province] of provinces) {
      await enroll(province.maker, peopleOf(code, 4).slice(0, 4).map((person, index) => ({ ...person, nationalId: `${person.nationalId.slice(0, 6)}9${String(index).padStart(5, '0')}` })), '2024-10');
      await payMonth(province.maker, province.checker, '2024-10', `FT${code}O`);
      // Readiness says what is missing while the ledger goes on paying.
      await until(async () => (await province.maker.get('/health/ready')).status === 503, 30_000, `readiness of ${code} to report NATS`, 100);
      expect((await province.maker.get('/health/ready')).body.checks.nats.status).toBe('down');
    }
    await sleep(1_000);
    await server.start();
    await expectNationalFiguresEqualProvinces('NATS was stopped');
    for (const province of provinces.values()) await until(async () => (await province.maker.get('/health/ready')).status === 200, 30_000, 'readiness again', 100);
  });

  it('the hub SIGKILLed halfway through its backlog, and restarted: every event counted once', async () => {
    await hub.stop();
    const kienGiang = provinces.get('91')!;
    // Three thousand payments scheduled and sent while the hub is down: a backlog of thousands of events in JetStream.
    const run = expectOk(await kienGiang.maker.post('/v1/payroll-runs', { period: '2024-11' }), 201);
    expectOk(await kienGiang.checker.post(`/v1/payroll-runs/${run.body.runId}/approve`, {}));
    expectOk(await kienGiang.maker.post(`/v1/payroll-runs/${run.body.runId}/send`, {}));
    await sleep(2_000);

    hub = await startHub(hubMain, hubEnv());
    const start = await hubCheckpoint();
    await until(async () => (await hubCheckpoint()) > start, 60_000, 'the hub to commit its first batches', 2);
    await hub.kill();
    hub = await startHub(hubMain, hubEnv());
    await expectNationalFiguresEqualProvinces('the hub was killed');
  });
});
