import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { integrationEventSubject, type IntegrationEvent } from '@ledger/integration-events';
import { describeWithNats } from '../../../libs/integration-events/src/testing/describe-with-nats.js';
import { natsAvailability, startScratchNatsServer, type ScratchNatsServer } from '../../../libs/integration-events/src/testing/nats-server.js';
import { describeWithPostgres } from '../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dropSchema, postgresAvailability } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { crossProvinceFindingId } from './ingest/cross-province-findings.js';
import { startNationalHub, type NationalHub } from './national-hub.js';
import { provinceEvents, publishEvents } from './testing/integration-events.js';
import { findingNotices, getFromHub, ministryToken, scratchHubSchema, testHubConfig, until } from './testing/hub-harness.js';

/**
 * Two provinces publish hand-built integration events into a NATS server of the suite's own; the
 * hub consumes them into a scratch PostgreSQL schema. One person (one national person key) is
 * enrolled in the same program in both provinces and paid in both for April 2024.
 */
const postgres = await postgresAvailability();
const nats = await natsAvailability();

const p91 = provinceEvents('91');
const p89 = provinceEvents('89');
const shared91 = { ...p91.person('shared'), beneficiaryRef: '91000000-0000-4000-8000-000000000001' };
const shared89 = { ...p89.person('shared'), beneficiaryRef: '89000000-0000-4000-8000-000000000001' };
const personA = p91.person('a');
const personB = p91.person('b');
const personC = p91.person('c');
const personD = p89.person('d');
const d1 = p91.snapshot(shared91, 'MERITORIOUS', '2024-04');
const d2 = p91.snapshot(personA, 'MERITORIOUS', '2024-04');
const d3 = p91.snapshot(personB, 'SOCIAL_ASSISTANCE', '2024-04', { amount: 360_000, channel: 'CASH' });
const d4 = p89.snapshot(shared89, 'MERITORIOUS', '2024-04', { channel: 'CASH' });
const d5 = p89.snapshot(personD, 'MERITORIOUS', '2024-03');

const province91: IntegrationEvent[] = [
  p91.enroll(shared91, 'MERITORIOUS'),
  p91.openAccount(shared91, 'VBA'),
  p91.enroll(personA, 'MERITORIOUS'),
  p91.enroll(personB, 'SOCIAL_ASSISTANCE'),
  p91.enroll(personC, 'MERITORIOUS'),
  p91.suspend(personC, 'MERITORIOUS'),
  p91.schedule(d1),
  p91.schedule(d2),
  p91.schedule(d3),
  p91.send(d1),
  p91.send(d2),
  p91.pay(d1),
  p91.pay(d2),
  p91.fail(d3),
];
const province89: IntegrationEvent[] = [
  p89.enroll(shared89, 'MERITORIOUS'),
  p89.openAccount(shared89, 'BIDV'),
  p89.enroll(personD, 'MERITORIOUS'),
  p89.schedule(d5),
  p89.pay(d5),
  p89.end(personD, 'MERITORIOUS'),
  p89.schedule(d4),
  p89.pay(d4),
];
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
/** The warnings of Redocly's recommended rules the document still gives, each for a reason; any other fails. */
const ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  'info-license #/info': 'no licence has been chosen; the document does not invent one',
  'operation-4xx-response #/paths/~1health~1live/get/responses': 'the liveness probe takes no input and needs no token: it has no 4xx to describe',
  'operation-4xx-response #/paths/~1health~1ready/get/responses': 'likewise; its refusal is a 503',
  'operation-4xx-response #/paths/~1metrics/get/responses': 'likewise for the metrics, which the hub does not rate-limit',
};

const enrolledTwice = crossProvinceFindingId('ENROLLED_IN_TWO_PROVINCES', shared91.personKey, 'MERITORIOUS', null);
const paidTwice = crossProvinceFindingId('PAID_IN_TWO_PROVINCES', shared91.personKey, 'MERITORIOUS', '2024-04');

describeWithPostgres('the national hub', postgres, () => {
  describeWithNats('the national hub', nats, () => {
    let server: ScratchNatsServer;
    let connection: NatsConnection;
    let hub: NationalHub;
    let token: string;
    const schema = scratchHubSchema('main');

    beforeAll(async () => {
      server = await startScratchNatsServer();
      connection = await connect({ servers: server.url });
      hub = await startNationalHub(testHubConfig(server.url, schema));
      token = await ministryToken();
      await publishEvents(connection, province91);
      await publishEvents(connection, province89);
      await hub.waitUntilCaughtUp();
    }, 30_000);

    afterAll(async () => {
      await hub?.stop();
      await connection?.close();
      await server?.dispose();
      await dropSchema(schema);
    });

    describe('when two provinces have published their month', () => {
      it('applies every event once', () => {
        expect(hub.progress()).toMatchObject({ applied: province91.length + province89.length, duplicates: 0, refused: 0 });
      });

      it('totals each province’s disbursements by period, program and channel, with the amounts by status', async () => {
        const { status, body } = await getFromHub(hub.url, '/v1/national/totals', token);
        expect(status).toBe(200);
        expect(body.items).toEqual([
          { province: '89', period: '2024-03', program: 'MERITORIOUS', channel: 'BANK', count: 1, totalAmount: 500_000, byStatus: { PAID: { count: 1, totalAmount: 500_000 } } },
          { province: '89', period: '2024-04', program: 'MERITORIOUS', channel: 'CASH', count: 1, totalAmount: 500_000, byStatus: { PAID: { count: 1, totalAmount: 500_000 } } },
          { province: '91', period: '2024-04', program: 'MERITORIOUS', channel: 'BANK', count: 2, totalAmount: 1_000_000, byStatus: { PAID: { count: 2, totalAmount: 1_000_000 } } },
          { province: '91', period: '2024-04', program: 'SOCIAL_ASSISTANCE', channel: 'CASH', count: 1, totalAmount: 360_000, byStatus: { FAILED: { count: 1, totalAmount: 360_000 } } },
        ]);
        const filtered = await getFromHub(hub.url, '/v1/national/totals?period=2024-04&province=91&program=MERITORIOUS', token);
        expect(filtered.body.items).toEqual([expect.objectContaining({ province: '91', period: '2024-04', program: 'MERITORIOUS', channel: 'BANK', count: 2 })]);
      });

      it('counts who is enrolled where, each person once across provinces, and the bank accounts opened', async () => {
        const { status, body } = await getFromHub(hub.url, '/v1/national/coverage', token);
        expect(status).toBe(200);
        expect(body).toEqual({
          enrollments: [
            { province: '89', program: 'MERITORIOUS', active: 1, suspended: 0, distinctPersons: 1 },
            { province: '91', program: 'MERITORIOUS', active: 2, suspended: 1, distinctPersons: 3 },
            { province: '91', program: 'SOCIAL_ASSISTANCE', active: 1, suspended: 0, distinctPersons: 1 },
          ],
          programs: [
            { program: 'MERITORIOUS', distinctPersons: 3, provinces: 2 },
            { program: 'SOCIAL_ASSISTANCE', distinctPersons: 1, provinces: 1 },
          ],
          bankAccounts: [
            { province: '89', opened: 1, byBank: { BIDV: 1 } },
            { province: '91', opened: 1, byBank: { VBA: 1 } },
          ],
        });
      });

      it('finds the person enrolled in two provinces and paid in both for April, and tells each province about its own person', async () => {
        const notices = await findingNotices(connection);
        const summary = notices
          .map(({ subject, notice }) => [subject, notice.kind, notice.findingId, notice.beneficiaryRef, notice.otherProvinces.join(), notice.period ?? null])
          .sort((a, b) => String(a).localeCompare(String(b)));
        expect(summary).toEqual(
          [
            ['ledger.findings.89', 'ENROLLED_IN_TWO_PROVINCES', enrolledTwice, shared89.beneficiaryRef, '91', null],
            ['ledger.findings.89', 'PAID_IN_TWO_PROVINCES', paidTwice, shared89.beneficiaryRef, '91', '2024-04'],
            ['ledger.findings.91', 'ENROLLED_IN_TWO_PROVINCES', enrolledTwice, shared91.beneficiaryRef, '89', null],
            ['ledger.findings.91', 'PAID_IN_TWO_PROVINCES', paidTwice, shared91.beneficiaryRef, '89', '2024-04'],
          ].sort((a, b) => String(a).localeCompare(String(b))),
        );
        for (const { subject, notice } of notices) {
          expect(notice).toMatchObject({ version: 1, province: subject.split('.')[2], personKey: shared91.personKey, program: 'MERITORIOUS' });
          expect(Date.parse(notice.foundAt)).not.toBeNaN();
        }
        const { body } = await getFromHub(hub.url, '/v1/findings?status=OPEN', token);
        expect(body.items.map((finding: { kind: string }) => finding.kind).sort()).toEqual(['ENROLLED_IN_TWO_PROVINCES', 'PAID_IN_TWO_PROVINCES']);
        expect(body.items[0].parties.map((party: { province: string }) => party.province)).toEqual(['89', '91']);
        // The ministry sees provinces, never a province's beneficiary id or the person key.
        expect(JSON.stringify(body)).not.toContain(shared91.beneficiaryRef);
        expect(JSON.stringify(body)).not.toContain(shared91.personKey);
      });

      it('finds each of them once, however often the events that make them come again', async () => {
        await publishEvents(connection, [p91.pay(d1), p89.pay(d4), p91.resume(shared91, 'MERITORIOUS')]);
        await hub.waitUntilCaughtUp();
        expect(await findingNotices(connection)).toHaveLength(4);
        const metrics = (await getFromHub(hub.url, '/metrics')).body as string;
        expect(metrics).toContain('hub_findings_total{kind="ENROLLED_IN_TWO_PROVINCES"} 1');
        expect(metrics).toContain('hub_findings_total{kind="PAID_IN_TWO_PROVINCES"} 1');
      });
    });

    describe('when an event comes again', () => {
      it('counts it once, whether JetStream drops it in its window or the inbox finds it after', async () => {
        const before = hub.progress();
        const again = [province91[11]!, province89[7]!, province91[0]!];
        const js = jetstream(connection);
        // The same Nats-Msg-Id within the two-minute window: JetStream itself drops it.
        const acks = await Promise.all(again.map((event) => js.publish(integrationEventSubject(event.province, event.type), JSON.stringify(event), { msgID: event.id })));
        expect(acks.every((ack) => ack.duplicate)).toBe(true);
        // The same event under a msgID JetStream has not seen, as after the window: delivered, and found in the inbox.
        await publishEvents(connection, again, { msgId: (event) => `${event.id}:republished` });
        await publishEvents(connection, again, { msgId: (event) => `${event.id}:republished-twice` });
        await hub.waitUntilCaughtUp();
        expect(hub.progress()).toMatchObject({ applied: before.applied, duplicates: before.duplicates + 6 });
        const { body } = await getFromHub(hub.url, '/v1/national/totals?period=2024-04&province=91&program=MERITORIOUS', token);
        expect(body.items[0]).toMatchObject({ count: 2, totalAmount: 1_000_000 });
        const metrics = (await getFromHub(hub.url, '/metrics')).body as string;
        expect(metrics).toMatch(new RegExp(`hub_events_total\\{outcome="duplicate"\\} ${before.duplicates + 6}\\n`));
      });

      it('applies an older snapshot of a disbursement after a newer one without going back', async () => {
        const late = p91.snapshot(personA, 'MERITORIOUS', '2024-05');
        const scheduled = p91.schedule(late);
        const paid = p91.pay(late);
        await publishEvents(connection, [paid]);
        await hub.waitUntilCaughtUp();
        await publishEvents(connection, [scheduled]);
        await hub.waitUntilCaughtUp();
        const { body } = await getFromHub(hub.url, '/v1/national/totals?period=2024-05', token);
        expect(body.items).toEqual([expect.objectContaining({ province: '91', count: 1, byStatus: { PAID: { count: 1, totalAmount: 500_000 } } })]);
      });
    });

    describe('when the provinces resolve a finding', () => {
      it('keeps it open until every province concerned has resolved its side', async () => {
        await publishEvents(connection, [p91.resolve(shared91, enrolledTwice, 'MERITORIOUS', 'KEEP')]);
        await hub.waitUntilCaughtUp();
        const open = await getFromHub(hub.url, '/v1/findings?status=OPEN&kind=ENROLLED_IN_TWO_PROVINCES', token);
        expect(open.body.items).toHaveLength(1);
        expect(open.body.items[0].parties).toEqual([
          { province: '89', joinedAt: expect.any(String) },
          { province: '91', joinedAt: expect.any(String), decision: 'KEEP', resolvedAt: expect.any(String) },
        ]);

        await publishEvents(connection, [p89.resolve(shared89, enrolledTwice, 'MERITORIOUS', 'TERMINATE')]);
        await hub.waitUntilCaughtUp();
        const resolved = await getFromHub(hub.url, '/v1/findings?status=RESOLVED', token);
        expect(resolved.body.items).toEqual([
          expect.objectContaining({
            findingId: enrolledTwice,
            kind: 'ENROLLED_IN_TWO_PROVINCES',
            program: 'MERITORIOUS',
            status: 'RESOLVED',
            resolvedAt: expect.any(String),
            parties: [expect.objectContaining({ province: '89', decision: 'TERMINATE' }), expect.objectContaining({ province: '91', decision: 'KEEP' })],
          }),
        ]);
        expect((await getFromHub(hub.url, '/v1/findings?status=OPEN', token)).body.items.map((finding: { findingId: string }) => finding.findingId)).toEqual([paidTwice]);
      });
    });

    describe('when a message breaks the contract', () => {
      it('refuses it, keeps none of it, and goes on with the next', async () => {
        const before = hub.progress();
        const js = jetstream(connection);
        await js.publish(integrationEventSubject('91', 'EnrollmentStarted'), 'not json', { msgID: 'not-json' });
        await js.publish(integrationEventSubject('91', 'EnrollmentStarted'), JSON.stringify({ ...province89[0]!, id: '11111111-1111-4111-8111-111111111111' }), { msgID: 'province-89-on-91' });
        await publishEvents(connection, [p91.enroll(p91.person('e'), 'MERITORIOUS')]);
        await hub.waitUntilCaughtUp();
        expect(hub.progress()).toMatchObject({ refused: before.refused + 2, applied: before.applied + 1 });
      });
    });

    describe('over HTTP', () => {
      it('refuses the /v1 routes without a ministry token: 401 without a valid one, 403 for another role', async () => {
        for (const path of ['/v1/national/totals', '/v1/national/coverage', '/v1/findings']) {
          const anonymous = await getFromHub(hub.url, path);
          expect([anonymous.status, anonymous.type, anonymous.body.code]).toEqual([401, expect.stringMatching(/^application\/problem\+json/), 'AUTHENTICATION_REQUIRED']);
          const forged = await getFromHub(hub.url, path, await ministryToken({ secret: 'another-secret-of-at-least-32-characters!' }));
          expect([forged.status, forged.body.code]).toEqual([401, 'INVALID_TOKEN']);
          const expired = await getFromHub(hub.url, path, await ministryToken({ ttl: '-1m' }));
          expect([expired.status, expired.body.code]).toEqual([401, 'TOKEN_EXPIRED']);
          const operator = await getFromHub(hub.url, path, await ministryToken({ role: 'operator' }));
          expect([operator.status, operator.type, operator.body.code, operator.body.instance]).toEqual([403, expect.stringMatching(/^application\/problem\+json/), 'ROLE_NOT_ALLOWED', path]);
        }
      });

      it('refuses a query it does not understand with the field at fault', async () => {
        const month = await getFromHub(hub.url, '/v1/national/totals?period=2024-13', token);
        expect([month.status, month.body.code, month.body.errors]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'period', message: 'period must be a month YYYY-MM' }]]);
        expect((await getFromHub(hub.url, '/v1/national/totals?provice=91', token)).status).toBe(400);
        expect((await getFromHub(hub.url, '/v1/national/totals?period=2024-04&period=2024-05', token)).status).toBe(400);
        expect((await getFromHub(hub.url, '/v1/findings?status=CLOSED', token)).body.errors).toEqual([{ field: 'status', message: 'status must be OPEN or RESOLVED' }]);
        expect((await getFromHub(hub.url, '/v1/findings?cursor=bm9wZQ', token)).body.errors[0].field).toBe('cursor');
        const unknown = await getFromHub(hub.url, '/v1/nowhere?nationalId=001', token);
        expect([unknown.status, unknown.body.code, unknown.body.detail]).toEqual([404, 'NOT_FOUND', 'Cannot GET /v1/nowhere']);
      });

      it('pages the findings', async () => {
        const first = await getFromHub(hub.url, '/v1/findings?limit=1', token);
        expect(first.body.items).toHaveLength(1);
        const second = await getFromHub(hub.url, `/v1/findings?limit=1&cursor=${first.body.next}`, token);
        expect(second.body.items).toHaveLength(1);
        expect(second.body.next).toBeNull();
        expect([first.body.items[0].findingId, second.body.items[0].findingId].sort()).toEqual([enrolledTwice, paidTwice].sort());
      });

      it('answers the probes and the metrics without a token', async () => {
        expect((await getFromHub(hub.url, '/health/live')).body).toEqual({ status: 'ok' });
        const ready = await getFromHub(hub.url, '/health/ready');
        expect([ready.status, ready.body]).toEqual([200, { status: 'ok', postgres: { status: 'up' }, nats: { status: 'up' }, consumer: { status: 'up' }, checkpoint: hub.progress().checkpoint }]);
        const metrics = await getFromHub(hub.url, '/metrics');
        expect(metrics.type).toContain('text/plain');
        expect(metrics.body).toContain(`hub_events_total{outcome="applied"} ${hub.progress().applied}`);
        expect(metrics.body).toContain('hub_events_total{outcome="refused"} 2');
        expect(metrics.body).toContain(`hub_batches_total ${hub.progress().batches}`);
        expect(metrics.body).toContain('hub_consumer_lag_events 0');
        expect(metrics.body).toContain('hub_notices_unpublished 0');
      });

      it('serves its OpenAPI 3.1 document: every route, the /v1 ones behind the bearer token', async () => {
        const { status, body } = await getFromHub(hub.url, '/openapi.json');
        expect(status).toBe(200);
        expect(body.openapi).toBe('3.1.0');
        const operations = Object.entries(body.paths as Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>>).flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, ...operation })),
        );
        expect(operations.map((operation) => operation.route).sort()).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /v1/findings', 'GET /v1/national/coverage', 'GET /v1/national/totals']);
        for (const operation of operations) {
          if (operation.route.includes('/v1/')) expect([operation.route, operation.security, Object.keys(operation.responses)]).toEqual([operation.route, undefined, expect.arrayContaining(['200', '401', '403'])]);
          else expect([operation.route, operation.security]).toEqual([operation.route, []]);
        }
        expect(JSON.stringify(body)).not.toContain('"nullable"');
        expect(body.components.schemas.FindingPage.properties.next.type).toEqual(['string', 'null']);
        expect(body.paths['/v1/national/totals'].get.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual(['period', 'program', 'province']);
      });

      it('passes Redocly’s recommended rules, as the ledger’s document does', async () => {
        const directory = mkdtempSync(join(tmpdir(), 'hub-openapi-'));
        try {
          const file = join(directory, 'openapi.json');
          writeFileSync(file, JSON.stringify((await getFromHub(hub.url, '/openapi.json')).body));
          const report = JSON.parse(await redoclyLint(file)) as { problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
          const found = report.problems.map((problem) => ({ key: `${problem.ruleId} ${problem.location[0]?.pointer}`, severity: problem.severity, message: problem.message }));
          expect(found.filter((problem) => problem.severity === 'error' || !(problem.key in ACCEPTED_WARNINGS))).toEqual([]);
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      }, 30_000);
    });
  });
});


/** `redocly lint --format=json`: its report on stdout, whatever its exit code. */
function redoclyLint(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(REPOSITORY, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--format=json', `--config=${join(REPOSITORY, 'redocly.yaml')}`],
      { cwd: REPOSITORY, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NODE_OPTIONS: '' }, timeout: 25_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stdout.trim().startsWith('{')) return resolve(stdout);
        reject(new Error(`redocly lint gave no report: ${error?.message ?? ''}\n${stderr}`));
      },
    );
  });
}
