import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeWithNats } from '../../libs/integration-events/src/testing/describe-with-nats.js';
import { natsAvailability, startScratchNatsServer, type ScratchNatsServer } from '../../libs/integration-events/src/testing/nats-server.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../../libs/read-models/src/testing/postgres-scratch.js';
import { until } from '../crash/support/crash-kit.js';
import { buildApi, clientFor, startApi, type ApiClient, type ApiProcess } from '../crash/support/ledger-process.js';
import {
  enroll,
  expectOk,
  hubGet,
  ministryToken,
  NATIONAL_KEY,
  payMonth,
  peopleOf,
  provinceConfigDirectory,
  provinceFigures,
  startHub,
  figuresOf,
  type Figures,
  type HubProcess,
} from './support/national-kit.js';

jest.setTimeout(300_000);

const [nats, postgres] = await Promise.all([natsAvailability(), postgresAvailability()]);
const available = !nats.available ? nats : !postgres.available ? postgres : { available: true as const };

/** Born in An Giang, enrolled in both provinces as a war invalid's relative (MERITORIOUS): the double receipt no province sees alone. */
const SHARED_NATIONAL_ID = '089150123456';

interface Province {
  readonly code: '91' | '89';
  readonly directory: string;
  api: ApiProcess;
  maker: ApiClient;
  checker: ApiClient;
  reporter: ApiClient;
  sharedBeneficiaryId: string;
}

describeWithNats('two provinces and the national hub over NATS JetStream', available, () => {
  let server: ScratchNatsServer;
  let hub: HubProcess;
  let hubMain: string;
  let apiMain: string;
  let token: string;
  const schema = `hub_e2e_${process.pid}`;
  const provinces: Province[] = [];

  const hubEnv = () => ({ NATS_URL: server.url, HUB_DATABASE_URL: postgresUrl(), HUB_DATABASE_SCHEMA: schema });

  async function startProvince(code: '91' | '89'): Promise<Province> {
    const directory = mkdtempSync(join(tmpdir(), `ledger-province-${code}-`));
    const configDirectory = provinceConfigDirectory(code);
    const env = { NATS_URL: server.url, LEDGER_NATIONAL_KEY: NATIONAL_KEY, LEDGER_CONFIG_DIR: configDirectory };
    const province = { code, directory, api: await startApi(apiMain, directory, env), sharedBeneficiaryId: '' } as Province;
    const api = () => province.api;
    province.maker = await clientFor(api, { role: 'operator', sub: `maker-${code}` });
    province.checker = await clientFor(api, { role: 'operator', sub: `checker-${code}` });
    province.reporter = await clientFor(api, { role: 'reporter', sub: `reporter-${code}` });
    return province;
  }

  async function hubFigures(province: string): Promise<Figures> {
    const response = expectOk(await hubGet(() => hub, `/v1/national/totals?province=${province}`, token));
    return figuresOf(response.body.items);
  }

  beforeAll(async () => {
    apiMain = buildApi().main;
    hubMain = apiMain.replace(join('apps', 'ledger-api', 'src', 'main.js'), join('apps', 'national-hub', 'src', 'main.js'));
    server = await startScratchNatsServer();
    token = await ministryToken();
    provinces.push(await startProvince('91'), await startProvince('89'));
  }, 300_000);

  afterAll(async () => {
    for (const province of provinces) {
      await province.api.stop();
      rmSync(province.directory, { recursive: true, force: true });
    }
    await hub?.stop();
    await server?.dispose();
    await dropSchema(schema).catch(() => undefined);
  });

  it('finds the person enrolled and paid for the same month in both provinces, tells both, and each holds their next payment; the hub’s totals per province equal each province’s own summary to the đồng', async () => {
    const [kienGiang, anGiang] = provinces as [Province, Province];
    const shared = peopleOf('89', 0, [SHARED_NATIONAL_ID])[0]!;
    for (const province of provinces) {
      const people = peopleOf(province.code, province.code === '91' ? 14 : 9, [SHARED_NATIONAL_ID]).map((person, index) => (index === 0 ? { ...person, program: shared.program } : person));
      const ids = await enroll(province.maker, people, '2024-09');
      province.sharedBeneficiaryId = ids[0]!;
      const september = await payMonth(province.maker, province.checker, '2024-09', `FT${province.code}S`);
      expect(september.paid).toBe(people.length);
    }
    // The hub starts only now, as after an outage (or on the day it is first deployed): with the hub
    // running, the double enrollment would have been found before September and nobody paid twice.
    // Everything the provinces published waited in JetStream.
    hub = await startHub(hubMain, hubEnv());

    // The hub finds both: enrolled in two provinces, and paid twice for September.
    let findings: Array<{ kind: string; program: string; period?: string | null; parties: Array<{ province: string }> }> = [];
    await until(
      async () => {
        const response = await hubGet(() => hub, '/v1/findings?status=OPEN', token);
        findings = response.status === 200 ? response.body.items : [];
        return findings.length >= 2;
      },
      60_000,
      'the hub’s findings',
      200,
    );
    expect(findings.map((finding) => ({ kind: finding.kind, program: finding.program, period: finding.period ?? null, provinces: finding.parties.map((party) => party.province).sort() })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'ENROLLED_IN_TWO_PROVINCES', program: shared.program, period: null, provinces: ['89', '91'] },
      { kind: 'PAID_IN_TWO_PROVINCES', program: shared.program, period: '2024-09', provinces: ['89', '91'] },
    ]);

    // Each province is told, records it on the person, and holds their October.
    for (const province of provinces) {
      const other = province.code === '91' ? '89' : '91';
      let recorded: Array<{ beneficiaryId: string; kind: string; program: string; otherProvinces: string[]; status: string }> = [];
      await until(
        async () => {
          const response = await province.maker.get('/v1/cross-province-findings?status=OPEN');
          recorded = response.status === 200 ? response.body.items : [];
          return recorded.length >= 2;
        },
        60_000,
        `the findings recorded in ${province.code}`,
        200,
      );
      expect(recorded.map(({ beneficiaryId, kind, program, otherProvinces }) => ({ beneficiaryId, kind, program, otherProvinces })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { beneficiaryId: province.sharedBeneficiaryId, kind: 'ENROLLED_IN_TWO_PROVINCES', program: shared.program, otherProvinces: [other] },
        { beneficiaryId: province.sharedBeneficiaryId, kind: 'PAID_IN_TWO_PROVINCES', program: shared.program, otherProvinces: [other] },
      ]);
      const october = await payMonth(province.maker, province.checker, '2024-10', `FT${province.code}O`);
      expect(october.skipped).toEqual({ CROSS_PROVINCE_FINDING: 1 });
      const held = expectOk(await province.maker.get(`/v1/disbursements?beneficiaryId=${province.sharedBeneficiaryId}&period=2024-10`));
      expect(held.body.items).toEqual([]);
    }

    // Every event counted once nationally: the hub's figures per province are the province's own.
    for (const province of [kienGiang, anGiang]) {
      const own = await provinceFigures(province.reporter);
      expect(Object.keys(own).length).toBeGreaterThan(0);
      await until(async () => isDeepStrictEqual(await hubFigures(province.code), own), 60_000, `the hub’s figures for ${province.code}`, 200).catch(() => undefined);
      expect(await hubFigures(province.code)).toEqual(own);
    }
  });

  it('with the hub running, a person enrolled in a second province is held there and in the first before either pays the month: nobody is paid twice', async () => {
    const [kienGiang, anGiang] = provinces as [Province, Province];
    const second = { ...peopleOf('91', 0, ['091060777001'])[0]!, program: 'SOCIAL_ASSISTANCE' };
    const [inKienGiang] = await enroll(kienGiang.maker, [second], '2024-11');
    const [inAnGiang] = await enroll(anGiang.maker, [{ ...second, unitCode: '883' }], '2024-11');
    for (const [province, beneficiaryId] of [[kienGiang, inKienGiang], [anGiang, inAnGiang]] as const) {
      await until(
        async () => {
          const response = await province.maker.get('/v1/cross-province-findings?status=OPEN');
          return response.status === 200 && (response.body.items as Array<{ beneficiaryId: string; kind: string }>).some((finding) => finding.beneficiaryId === beneficiaryId && finding.kind === 'ENROLLED_IN_TWO_PROVINCES');
        },
        60_000,
        `the double enrollment recorded in ${province.code}`,
        100,
      );
      const november = await payMonth(province.maker, province.checker, '2024-11', `FT${province.code}N`);
      // The first shared person is still held, and now the second.
      expect(november.skipped).toEqual({ CROSS_PROVINCE_FINDING: 2 });
      expect(expectOk(await province.maker.get(`/v1/disbursements?beneficiaryId=${beneficiaryId}&period=2024-11`)).body.items).toEqual([]);
    }
    const findings = expectOk(await hubGet(() => hub, '/v1/findings?status=OPEN', token)).body.items as Array<{ kind: string; program: string }>;
    expect(findings.filter((finding) => finding.program === 'SOCIAL_ASSISTANCE').map((finding) => finding.kind)).toEqual(['ENROLLED_IN_TWO_PROVINCES']);
  });
});
