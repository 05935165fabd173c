import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, Post } from '@nestjs/common';
import { Roles } from '../../apps/ledger-api/src/platform/index.js';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import { accountNumberOf, actor, disbursementOf, enroll, enrollment, expectStatus, nationalIdFor, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

// A fault no real route can be made to throw on purpose: its message names nobody, its stack is what an operator needs.
@Controller('v1/log-test')
class FaultyController {
  @Post('fault')
  @Roles('operator')
  fault() {
    throw new Error('the read-model store went away');
  }
}

@Module({ controllers: [FaultyController] })
class FaultyModule {}

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly requestId?: string;
  readonly [field: string]: unknown;
}

const PEOPLE = [
  { n: 71, fullName: 'Nguyễn Thị Hoa', holderName: 'NGUYEN THI HOA' },
  { n: 72, fullName: 'Trần Văn Bình', holderName: 'TRAN VAN BINH' },
];

describe('request logs', () => {
  const written: string[] = [];
  let ledger: TestLedger;
  /** Every response the flow received, to find each in the log by the id it was given. */
  const responses: TestResponse[] = [];
  let maker: LedgerActor;
  let checker: LedgerActor;
  const secrets: string[] = [];
  let probes: TestResponse[];

  beforeAll(async () => {
    const started = await startTestLedger({}, { imports: [FaultyModule], logs: { write: (line) => void written.push(line) } });
    // The same ledger, remembering every response the flow gets.
    ledger = {
      ...started,
      request: async (...args) => {
        const response = await started.request(...args);
        responses.push(response);
        return response;
      },
    };
    maker = await actor(ledger, 'operator', ['899'], 'maker-logs');
    checker = await actor(ledger, 'operator', ['91'], 'checker-logs');
    secrets.push(maker.token, checker.token);

    for (const { n, fullName, holderName } of PEOPLE) {
      const beneficiaryId = await enroll(maker, n, { fullName });
      await openAccount(maker, beneficiaryId, { holderName });
      secrets.push(nationalIdFor(n), fullName, holderName, accountNumberOf(beneficiaryId));
    }
    expectStatus(await maker.post('/v1/beneficiaries/search', { name: 'nguyen thi hoa', unitCode: '899' }, null), 200);
    expectStatus(await maker.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(72) }, null), 200);
    secrets.push('nguyen thi hoa');
    // Personal data where a careless client puts it: in the query and in the path.
    await maker.get(`/v1/beneficiaries?unitCode=899&nationalId=${nationalIdFor(71)}`);
    await maker.get(`/v1/beneficiaries/${nationalIdFor(72)}`);
    await maker.get(`/v1/people/${nationalIdFor(71)}?name=Nguy%E1%BB%85n`);
    // Refused by Fastify before Nest sees it, and by the router before any hook runs.
    const asText = await ledger.request('POST', '/v1/beneficiaries', { body: `nationalId=${nationalIdFor(71)}`, headers: { 'content-type': 'text/plain', authorization: `Bearer ${maker.token}` } });
    expect(asText.status).toBe(415);
    expect((await maker.get(`/v1/beneficiaries/${nationalIdFor(71)}%E0%A4%A`)).status).toBe(400);

    const { sent } = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
    expect(sent.sent).toBe(2);
    const beneficiaryId = (await maker.post('/v1/beneficiaries/search', { nationalId: nationalIdFor(71) }, null)).body.items[0].beneficiaryId;
    const { disbursementId, amount } = await disbursementOf(maker, beneficiaryId, '2024-04');
    const settlement = { providerReference: 'FT24096000771', paidAt: '2024-04-05T09:30:00+07:00', amount };
    const key = 'settle-71-2024-04';
    expectStatus(await maker.post(`/v1/disbursements/${disbursementId}/settle`, settlement, key), 200);
    expectStatus(await maker.post(`/v1/disbursements/${disbursementId}/settle`, settlement, key), 200);
    expect((await maker.post('/v1/log-test/fault', {}, null)).status).toBe(500);
    // A caller's own request id is kept when it is a safe token, and replaced when it is not.
    probes = [
      await ledger.request('GET', '/health/live', { headers: { 'x-request-id': 'gateway-7f3a.01' } }),
      await ledger.request('GET', '/health/live', { headers: { 'x-request-id': 'a b"}\\n{"level":60' } }),
    ];
  });
  afterAll(() => ledger.close());

  const lines = () => written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
  const requestLines = () => lines().filter((line) => line.msg === 'request completed' || line.msg === 'request failed');

  it('writes every line as JSON', () => {
    expect(written.length).toBeGreaterThan(responses.length);
    expect(() => lines()).not.toThrow();
  });

  it('writes one line per request, found by the id echoed on its response', () => {
    const ids = responses.map((response) => response.headers.get('x-request-id'));
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const logged = requestLines().map((line) => line.requestId);
    expect(logged.sort()).toEqual([...ids].sort());
  });

  it('says who asked for what, by route template, with the status and the time taken', () => {
    const settle = requestLines().filter((line) => line.route === '/v1/disbursements/:disbursementId/settle');
    expect(settle).toHaveLength(2);
    expect(settle[0]).toEqual(
      expect.objectContaining({ level: 30, method: 'POST', status: 200, durationMs: expect.any(Number), sub: 'maker-logs', role: 'operator', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    );
    expect(requestLines().filter((line) => line.route === '/v1/beneficiaries/:beneficiaryId')).toEqual([expect.objectContaining({ status: 400 })]);
    expect(requestLines().filter((line) => line.route === null)).toEqual([expect.objectContaining({ method: 'GET', status: 404 }), expect.objectContaining({ method: 'GET', status: 400 })]);
    expect(requestLines().filter((line) => line.route === '/health/live').map((line) => line.sub)).toEqual([undefined, undefined]);
  });

  it("keeps a caller's request id only when it is a safe token", () => {
    const [kept, replaced] = probes.map((response) => response.headers.get('x-request-id'));
    expect(kept).toBe('gateway-7f3a.01');
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('logs a fault as an error with its stack, under the id of the request it failed', () => {
    const failed = requestLines().filter((line) => line.level === 50);
    expect(failed).toEqual([expect.objectContaining({ msg: 'request failed', route: '/v1/log-test/fault', status: 500 })]);
    const stack = lines().filter((line) => line.level === 50 && line.msg !== 'request failed');
    expect(stack).toEqual([expect.objectContaining({ requestId: failed[0]!.requestId, context: 'ProblemDetails', err: expect.objectContaining({ stack: expect.stringContaining('the read-model store went away') }) })]);
  });

  it('never writes a national id, an account number, a name, a search text or a token', () => {
    const text = written.join('');
    expect(secrets.length).toBe(2 + PEOPLE.length * 4 + 1);
    for (const secret of secrets) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    // Not the query text either, whatever it holds.
    expect(text).not.toContain('unitCode=899');
    expect(text).not.toMatch(/bearer/i);
  });
});
