import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { SignJWT } from 'jose';
import { Conflict, InvalidValue, NotFound, RuleViolation } from '@ledger/domain';
import { WrongExpectedRevision } from '@ledger/event-store';
import { AccessTokens } from '../../apps/ledger-api/src/platform/auth/access-tokens.js';
import { CommandCtx, CurrentActor, Idempotent, Roles, type Actor, type CommandContext } from '../../apps/ledger-api/src/platform/index.js';
import { startTestLedger, type TestLedger, type TestResponse } from './support/ledger-app.js';
import { enrollment, headPosition } from './support/ledger-flow.js';

// A test-only feature module, plugged in through AppModule's registration hook like a real one.
const handled = { commands: 0, payments: 0, slow: 0, flaky: 0 };

class DecisionDto {
  @IsString() @IsNotEmpty() number!: string;
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' }) date!: string;
}

class TestCommandDto {
  @IsString() @IsNotEmpty() fullName!: string;
  @IsInt() @Min(1) coefficient!: number;
  @ValidateNested() @Type(() => DecisionDto) decision!: DecisionDto;
}

class PaymentDto {
  @IsInt() amount!: number;
}

@Controller('v1/platform-test')
class PlatformTestController {
  @Post('commands')
  @Roles('operator')
  @Idempotent({ required: false })
  command(@Body() body: TestCommandDto, @CommandCtx() context: CommandContext) {
    handled.commands++;
    return { fullName: body.fullName, coefficient: body.coefficient, decisionNumber: body.decision.number, run: handled.commands, idempotencyKey: context.idempotencyKey };
  }

  @Post('payments')
  @HttpCode(200)
  @Idempotent({ required: true })
  pay(@Body() body: PaymentDto) {
    handled.payments++;
    return { paid: body.amount, run: handled.payments };
  }

  @Post('slow')
  @Idempotent({ required: true })
  async slow(@Body() body: PaymentDto) {
    handled.slow++;
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { amount: body.amount, run: handled.slow };
  }

  @Post('flaky')
  @Idempotent({ required: true })
  flaky() {
    handled.flaky++;
    if (handled.flaky === 1) throw new Error('database on fire at /secret/path');
    return { run: handled.flaky };
  }

  @Post('refusals/:kind')
  @Idempotent({ required: false })
  refuse(@Param('kind') kind: string) {
    switch (kind) {
      case 'conflict':
        throw new Conflict('ALREADY_ENROLLED', 'The beneficiary is already enrolled in MERITORIOUS.', { program: 'MERITORIOUS' });
      case 'not-found':
        throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with that id.');
      case 'rule':
        throw new RuleViolation('AMOUNT_MISMATCH', 'The settled amount differs from the disbursement.', { expected: 2055000, actual: 2000000 });
      case 'invalid':
        throw new InvalidValue('nationalId', 'nationalId must have 12 digits.');
      default:
        throw new WrongExpectedRevision('Beneficiary-1', 3n, 4n);
    }
  }

  @Get('audit')
  @Roles('auditor')
  audit(@CurrentActor() actor: Actor) {
    return { actor };
  }

  @Get('whoami')
  whoami(@CommandCtx() context: CommandContext) {
    return context;
  }
}

@Module({ controllers: [PlatformTestController] })
class PlatformTestModule {}

const PROBLEM = /^application\/problem\+json/;

function expectProblem(response: TestResponse, status: number, type: string) {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type });
  expect(response.headers.get('content-type')).toMatch(PROBLEM);
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), instance: expect.stringMatching(/^\//) });
}

const validCommand = { fullName: 'Bùi Trung Tài', coefficient: 1000, decision: { number: '123/QĐ-UBND', date: '2023-12-20' } };

describe('the HTTP platform', () => {
  let ledger: TestLedger;
  let operator: Record<string, string>;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ledger = await startTestLedger({}, { imports: [PlatformTestModule] });
    operator = bearer(await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'alice' }));
  });
  afterAll(() => ledger.close());

  describe('when the caller has no valid token', () => {
    it('refuses a request without a token with a 401 and a Bearer challenge', async () => {
      const response = await ledger.request('GET', '/v1/platform-test/whoami?unit=899');
      expectProblem(response, 401, '/problems/authentication-required');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body.instance).toBe('/v1/platform-test/whoami');
    });

    it('refuses a token that is not a JWT', async () => {
      const response = await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer('not-a-token') });
      expectProblem(response, 401, '/problems/invalid-token');
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it('refuses a token signed with another secret', async () => {
      const forged = await new AccessTokens('another-secret-of-at-least-thirty-two-chars').mint({ userId: 'mallory', role: 'admin', units: ['*'] });
      expectProblem(await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(forged) }), 401, '/problems/invalid-token');
    });

    it('refuses an expired token', async () => {
      const expired = await ledger.tokenFor({ role: 'operator', units: ['899'], ttl: '-1m' });
      expectProblem(await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(expired) }), 401, '/problems/token-expired');
    });

    it('refuses a token without exp or with an unknown role', async () => {
      const secret = new TextEncoder().encode((await import('node:fs')).readFileSync(`${ledger.config.dataDirectory}/jwt-secret`, 'utf8').trim());
      const noExpiry = await new SignJWT({ role: 'operator', units: ['899'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').sign(secret);
      const badRole = await new SignJWT({ role: 'superuser', units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setExpirationTime('1h').sign(secret);
      expectProblem(await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(noExpiry) }), 401, '/problems/invalid-token');
      expectProblem(await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(badRole) }), 401, '/problems/invalid-token');
    });

    describe('when the token would live longer than 12 hours', () => {
      const now = () => Math.floor(Date.now() / 1000);
      const HOUR = 3600;
      const signedWith = async (times: { iat?: number; exp: number }) => {
        const secret = new TextEncoder().encode((await import('node:fs')).readFileSync(`${ledger.config.dataDirectory}/jwt-secret`, 'utf8').trim());
        const jwt = new SignJWT({ role: 'admin', units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setExpirationTime(times.exp);
        if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
        return jwt.sign(secret);
      };

      it.each<[string, () => { iat?: number; exp: number }]>([
        ['an exp in the year 10^300', () => ({ iat: now(), exp: 3.15e307 })],
        ['an exp in the year 10^300 and no iat', () => ({ exp: 3.15e307 })],
        ['an iat an hour in the future', () => ({ iat: now() + HOUR, exp: now() + 2 * HOUR })],
        ['an exp 13 hours after its iat', () => ({ iat: now(), exp: now() + 13 * HOUR })],
        ['no iat and an exp a day ahead', () => ({ exp: now() + 24 * HOUR })],
      ])('refuses a token with %s with a 401', async (_, times) => {
        const response = await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(await signedWith(times())) });
        expectProblem(response, 401, '/problems/invalid-token');
        expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      });

      it('accepts a token of exactly 12 hours, and one whose issuer clock runs a few seconds ahead', async () => {
        const issued = now();
        expect((await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(await signedWith({ iat: issued, exp: issued + 12 * HOUR })) })).status).toBe(200);
        expect((await ledger.request('GET', '/v1/platform-test/whoami', { headers: bearer(await signedWith({ iat: issued + 30, exp: issued + HOUR })) })).status).toBe(200);
      });
    });

    it('still answers the public health probes and the OpenAPI document', async () => {
      expect((await ledger.request('GET', '/health/live')).status).toBe(200);
      const docs = await ledger.request('GET', '/docs-json');
      expect(docs.status).toBe(200);
      expect(docs.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(docs.body.paths)).toContain('/v1/platform-test/commands');
    });
  });

  describe('when the caller is authenticated', () => {
    it('gives the handler the actor and a command context', async () => {
      const correlationId = '0b6f5c1e-8d2a-4f3b-9c7d-2e1f0a9b8c7d';
      const response = await ledger.request('GET', '/v1/platform-test/whoami', { headers: { ...operator, 'x-correlation-id': correlationId } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ actor: { userId: 'alice', role: 'operator', units: ['899'] }, correlationId, causationId: correlationId });
      expect(Date.parse(response.body.receivedAt)).not.toBeNaN();
    });

    it('replaces a correlation id that is not a UUID', async () => {
      const response = await ledger.request('GET', '/v1/platform-test/whoami', { headers: { ...operator, 'x-correlation-id': 'drop table' } });
      expect(response.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a role the route does not allow with a 403', async () => {
      expectProblem(await ledger.request('GET', '/v1/platform-test/audit', { headers: operator }), 403, '/problems/role-not-allowed');
    });

    it('lets the allowed role and an admin through', async () => {
      const auditor = await ledger.tokenFor({ role: 'auditor', units: ['*'] });
      const admin = await ledger.tokenFor({ role: 'admin', units: ['*'] });
      expect((await ledger.request('GET', '/v1/platform-test/audit', { headers: bearer(auditor) })).status).toBe(200);
      expect((await ledger.request('GET', '/v1/platform-test/audit', { headers: bearer(admin) })).status).toBe(200);
    });

    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(await ledger.request('GET', '/v1/nowhere', { headers: operator }), 404, '/problems/not-found');
    });
  });

  describe('when the body is not acceptable', () => {
    it('refuses malformed JSON with a 400', async () => {
      const response = await ledger.request('POST', '/v1/platform-test/commands', { headers: operator, body: '{"fullName": ' });
      expectProblem(response, 400, '/problems/malformed-json');
    });

    it('refuses an empty JSON body with a 400', async () => {
      expectProblem(await ledger.request('POST', '/v1/platform-test/commands', { headers: operator, body: '' }), 400, '/problems/malformed-json');
    });

    it('refuses a JSON value that is not an object', async () => {
      expectProblem(await ledger.request('POST', '/v1/platform-test/commands', { headers: operator, body: '[1, 2]' }), 400, '/problems/body-must-be-a-json-object');
      expectProblem(await ledger.request('POST', '/v1/platform-test/commands', { headers: operator, body: '"text"' }), 400, '/problems/body-must-be-a-json-object');
    });

    it('refuses a missing body where a DTO is expected', async () => {
      expectProblem(await ledger.request('POST', '/v1/platform-test/commands', { headers: operator }), 400, '/problems/body-must-be-a-json-object');
    });

    it('refuses another content type with a 415', async () => {
      const response = await ledger.request('POST', '/v1/platform-test/commands', { headers: { ...operator, 'content-type': 'text/plain' }, body: 'hello' });
      expectProblem(response, 415, '/problems/unsupported-media-type');
      const form = await ledger.request('POST', '/v1/platform-test/commands', { headers: { ...operator, 'content-type': 'application/x-www-form-urlencoded' }, body: 'fullName=x' });
      expectProblem(form, 415, '/problems/unsupported-media-type');
    });

    it('lists every invalid field, nested paths and unknown fields included', async () => {
      const response = await ledger.request('POST', '/v1/platform-test/commands', {
        headers: operator,
        body: { coefficient: 'many', decision: { date: '20/12/2023', signedBy: 'x' }, nickname: 'Tài' },
      });
      expectProblem(response, 400, '/problems/validation-failed');
      const fields = response.body.errors.map((error: { field: string }) => error.field);
      expect(new Set(fields)).toEqual(new Set(['fullName', 'coefficient', 'decision.number', 'decision.date', 'decision.signedBy', 'nickname']));
      for (const error of response.body.errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
    });
  });

  describe('when the domain refuses', () => {
    it.each([
      ['conflict', 409, '/problems/already-enrolled', { code: 'ALREADY_ENROLLED', program: 'MERITORIOUS' }],
      ['not-found', 404, '/problems/beneficiary-not-found', { code: 'BENEFICIARY_NOT_FOUND' }],
      ['rule', 422, '/problems/amount-mismatch', { code: 'AMOUNT_MISMATCH', expected: 2055000, actual: 2000000 }],
      ['invalid', 400, '/problems/invalid-value', { code: 'INVALID_VALUE', errors: [{ field: 'nationalId', message: 'nationalId must have 12 digits.' }] }],
      ['race', 409, '/problems/concurrency-conflict', { code: 'CONCURRENCY_CONFLICT' }],
    ])('maps a %s to %i %s', async (kind, status, type, extensions) => {
      const response = await ledger.request('POST', `/v1/platform-test/refusals/${kind}`, { headers: operator, body: {} });
      expectProblem(response, status, type);
      expect(response.body).toMatchObject(extensions);
    });

    it('answers an unexpected error with a 500 that does not echo it', async () => {
      const response = await ledger.request('POST', '/v1/platform-test/flaky', { headers: { ...operator, 'idempotency-key': 'flaky-1' }, body: {} });
      expectProblem(response, 500, '/problems/internal-error');
      expect(response.text).not.toContain('secret');
    });

    it('does not remember a 5xx, so the retry can succeed', async () => {
      const response = await ledger.request('POST', '/v1/platform-test/flaky', { headers: { ...operator, 'idempotency-key': 'flaky-1' }, body: {} });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ run: 2 });
    });
  });

  describe('when a command carries an Idempotency-Key', () => {
    it('replays the first response without running the handler again', async () => {
      const headers = { ...operator, 'idempotency-key': 'enroll-0001' };
      const first = await ledger.request('POST', '/v1/platform-test/commands', { headers, body: validCommand });
      const runs = handled.commands;
      const retry = await ledger.request('POST', '/v1/platform-test/commands', { headers, body: { decision: validCommand.decision, coefficient: 1000, fullName: validCommand.fullName } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ fullName: validCommand.fullName, idempotencyKey: 'enroll-0001' });
      expect(first.headers.get('idempotency-replayed')).toBeNull();
      expect(retry.status).toBe(201);
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('idempotency-replayed')).toBe('true');
      expect(handled.commands).toBe(runs);
    });

    it('keeps the status of a non-201 success', async () => {
      const headers = { ...operator, 'idempotency-key': 'pay-0001' };
      const first = await ledger.request('POST', '/v1/platform-test/payments', { headers, body: { amount: 5 } });
      const retry = await ledger.request('POST', '/v1/platform-test/payments', { headers, body: { amount: 5 } });
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(retry.body).toEqual(first.body);
    });

    it('refuses the same key with another body with a 409', async () => {
      const headers = { ...operator, 'idempotency-key': 'enroll-0002' };
      await ledger.request('POST', '/v1/platform-test/commands', { headers, body: validCommand });
      const reuse = await ledger.request('POST', '/v1/platform-test/commands', { headers, body: { ...validCommand, coefficient: 2000 } });
      expectProblem(reuse, 409, '/problems/idempotency-key-reused');
    });

    it('refuses the same key on another route with a 409', async () => {
      const headers = { ...operator, 'idempotency-key': 'pay-0001' };
      expectProblem(await ledger.request('POST', '/v1/platform-test/slow', { headers, body: { amount: 5 } }), 409, '/problems/idempotency-key-reused');
    });

    it('scopes keys per user', async () => {
      const bob = bearer(await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'bob' }));
      const runs = handled.commands;
      const response = await ledger.request('POST', '/v1/platform-test/commands', { headers: { ...bob, 'idempotency-key': 'enroll-0001' }, body: validCommand });
      expect(response.status).toBe(201);
      expect(response.headers.get('idempotency-replayed')).toBeNull();
      expect(handled.commands).toBe(runs + 1);
    });

    it('replays a refusal like any other response', async () => {
      const headers = { ...operator, 'idempotency-key': 'refuse-0001' };
      const first = await ledger.request('POST', '/v1/platform-test/refusals/conflict', { headers, body: {} });
      const retry = await ledger.request('POST', '/v1/platform-test/refusals/conflict', { headers, body: {} });
      expectProblem(retry, 409, '/problems/already-enrolled');
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('idempotency-replayed')).toBe('true');
    });

    it('runs concurrent requests with one key once', async () => {
      const headers = { ...operator, 'idempotency-key': 'slow-0001' };
      const responses = await Promise.all([1, 2, 3].map(() => ledger.request('POST', '/v1/platform-test/slow', { headers, body: { amount: 7 } })));
      expect(handled.slow).toBe(1);
      expect(responses.map((response) => response.status)).toEqual([201, 201, 201]);
      expect(new Set(responses.map((response) => response.text)).size).toBe(1);
      expect(responses.filter((response) => response.headers.get('idempotency-replayed') === 'true')).toHaveLength(2);
    });

    it('refuses a concurrent request with the same key and another body', async () => {
      const headers = { ...operator, 'idempotency-key': 'slow-0002' };
      const [first, second] = await Promise.all([
        ledger.request('POST', '/v1/platform-test/slow', { headers, body: { amount: 1 } }),
        ledger.request('POST', '/v1/platform-test/slow', { headers, body: { amount: 2 } }),
      ]);
      expect(first.status).toBe(201);
      expectProblem(second, 409, '/problems/idempotency-key-reused');
    });

    it('refuses a missing key where one is required', async () => {
      const runs = handled.payments;
      expectProblem(await ledger.request('POST', '/v1/platform-test/payments', { headers: operator, body: { amount: 5 } }), 400, '/problems/idempotency-key-required');
      expect(handled.payments).toBe(runs);
    });

    describe('when the caller may no longer make the request', () => {
      it('refuses a retry from the same user whose role may no longer call the route, without the stored body', async () => {
        const headers = { ...operator, 'idempotency-key': 'narrowed-role-0001' };
        const first = await ledger.request('POST', '/v1/platform-test/commands', { headers, body: validCommand });
        expect(first.status).toBe(201);
        const asReporter = bearer(await ledger.tokenFor({ role: 'reporter', units: ['899'], sub: 'alice' }));
        const retry = await ledger.request('POST', '/v1/platform-test/commands', { headers: { ...asReporter, 'idempotency-key': 'narrowed-role-0001' }, body: validCommand });
        expectProblem(retry, 403, '/problems/role-not-allowed');
        expect(retry.headers.get('idempotency-replayed')).toBeNull();
      });

      describe('because their units have narrowed since the first answer', () => {
        const suspension = { reason: 'Hospitalised abroad', effectiveFrom: '2024-07' };
        let suspendPath: string;
        let first: TestResponse;
        const asGrace = async (units: string[]) => bearer(await ledger.tokenFor({ role: 'operator', units, sub: 'grace' }));

        beforeAll(async () => {
          const both = await asGrace(['899', '900']);
          const enrolled = await ledger.request('POST', '/v1/beneficiaries', { headers: { ...both, 'idempotency-key': 'grace-enroll' }, body: enrollment(70_001) });
          expect(enrolled.status).toBe(201);
          suspendPath = `/v1/beneficiaries/${enrolled.body.beneficiaryId}/enrollments/MERITORIOUS/suspend`;
          first = await ledger.request('POST', suspendPath, { headers: { ...both, 'idempotency-key': 'grace-suspend' }, body: suspension });
          expect(first.status).toBe(200);
        });

        it('refuses a retry on a record now outside them as a new request would be refused, not with the stored body', async () => {
          const elsewhere = await asGrace(['900']);
          const retry = await ledger.request('POST', suspendPath, { headers: { ...elsewhere, 'idempotency-key': 'grace-suspend' }, body: suspension });
          const fresh = await ledger.request('POST', suspendPath, { headers: { ...elsewhere, 'idempotency-key': 'grace-suspend-new' }, body: suspension });
          expect(retry.status).toBeGreaterThanOrEqual(400);
          expect(retry.text).not.toBe(first.text);
          expect(retry.headers.get('idempotency-replayed')).toBeNull();
          expect({ status: retry.status, code: retry.body.code }).toEqual({ status: fresh.status, code: fresh.body.code });
        });

        it('answers a retry still inside them again, without applying the command twice', async () => {
          const head = await headPosition(ledger);
          const retry = await ledger.request('POST', suspendPath, { headers: { ...(await asGrace(['899'])), 'idempotency-key': 'grace-suspend' }, body: suspension });
          expect(retry.status).toBe(200);
          expect(retry.body).toMatchObject({ beneficiaryId: first.body.beneficiaryId });
          expect(await headPosition(ledger)).toBe(head);
        });

        it('still replays the stored response to the grant it was made under', async () => {
          const retry = await ledger.request('POST', suspendPath, { headers: { ...(await asGrace(['900', '899'])), 'idempotency-key': 'grace-suspend' }, body: suspension });
          expect(retry.text).toBe(first.text);
          expect(retry.headers.get('idempotency-replayed')).toBe('true');
        });
      });
    });

    it('refuses a key that is too long or not visible ASCII', async () => {
      for (const key of ['k'.repeat(201), 'has space']) {
        expectProblem(await ledger.request('POST', '/v1/platform-test/payments', { headers: { ...operator, 'idempotency-key': key }, body: { amount: 5 } }), 400, '/problems/invalid-idempotency-key');
      }
    });
  });
});

describe('the security headers', () => {
  let ledger: TestLedger;
  let operator: Record<string, string>;
  beforeAll(async () => {
    ledger = await startTestLedger({}, { imports: [PlatformTestModule] });
    operator = { authorization: `Bearer ${await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'heidi' })}` };
  });
  afterAll(() => ledger.close());

  /** A request on its own socket, written as is: fetch would refuse to send some of these. */
  async function raw(text: string): Promise<string> {
    const { connect } = await import('node:net');
    const { port } = new URL(ledger.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  describe('when a /v1 response may carry personal data', () => {
    it.each<[string, () => Promise<TestResponse>]>([
      ['an answer', () => ledger.request('GET', '/v1/platform-test/whoami', { headers: operator })],
      ['a command’s answer', () => ledger.request('POST', '/v1/platform-test/commands', { headers: { ...operator, 'idempotency-key': 'headers-1' }, body: validCommand })],
      ['a replayed answer', () => ledger.request('POST', '/v1/platform-test/commands', { headers: { ...operator, 'idempotency-key': 'headers-1' }, body: validCommand })],
      ['a refusal of the body', () => ledger.request('POST', '/v1/platform-test/commands', { headers: operator, body: { fullName: 'Bùi Trung Tài' } })],
      ['a refusal of the token', () => ledger.request('GET', '/v1/platform-test/whoami')],
      ['a route that does not exist', () => ledger.request('GET', '/v1/nowhere', { headers: operator })],
      ['a path the router cannot decode', () => ledger.request('GET', '/v1/beneficiaries/%zz', { headers: operator })],
      ['an answer to a percent-encoded path the router decodes to /v1', () => ledger.request('GET', '/%761/platform-test/whoami', { headers: operator })],
    ])('marks %s Cache-Control: no-store and X-Content-Type-Options: nosniff', async (_, send) => {
      const response = await send();
      expect({ cacheControl: response.headers.get('cache-control'), contentTypeOptions: response.headers.get('x-content-type-options') }).toEqual({ cacheControl: 'no-store', contentTypeOptions: 'nosniff' });
    });
  });

  it('sends nosniff on the public routes too, and lets them be cached: they carry no personal data', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
      const response = await ledger.request('GET', path);
      expect({ path, contentTypeOptions: response.headers.get('x-content-type-options'), cacheControl: response.headers.get('cache-control') }).toEqual({ path, contentTypeOptions: 'nosniff', cacheControl: null });
    }
  });

  it('sends nosniff and no-store with the answer to a request Node cannot parse', async () => {
    const answer = await raw('GET /v1/beneficiaries HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(answer.toLowerCase()).toContain('cache-control: no-store');
  });

  it('sets a Content-Security-Policy that Swagger UI at /docs can live with', async () => {
    // Swagger UI's page loads its scripts and styles from /docs itself, has inline <style> blocks
    // and style attributes, and data: images in its stylesheet; it is served over plain HTTP locally.
    const policy = (await ledger.request('GET', '/docs-json')).headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));
    expect(directives.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.has('upgrade-insecure-requests')).toBe(false);
  });
});

describe('the HTTP platform limits', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '3', LEDGER_BODY_LIMIT_BYTES: '2048' }, { imports: [PlatformTestModule] });
  });
  afterAll(() => ledger.close());

  it('refuses a body over the limit with a 413', async () => {
    const token = await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'big-body' });
    const response = await ledger.request('POST', '/v1/platform-test/commands', {
      headers: { authorization: `Bearer ${token}` },
      body: { ...validCommand, fullName: 'x'.repeat(4096) },
    });
    expectProblem(response, 413, '/problems/payload-too-large');
  });

  it('limits each user to the configured requests per minute with a 429 and Retry-After', async () => {
    const carol = { authorization: `Bearer ${await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'carol' })}` };
    const dave = { authorization: `Bearer ${await ledger.tokenFor({ role: 'operator', units: ['899'], sub: 'dave' })}` };
    for (let i = 0; i < 3; i++) expect((await ledger.request('GET', '/v1/platform-test/whoami', { headers: carol })).status).toBe(200);
    const limited = await ledger.request('GET', '/v1/platform-test/whoami', { headers: carol });
    expectProblem(limited, 429, '/problems/too-many-requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ledger.request('GET', '/v1/platform-test/whoami', { headers: dave })).status).toBe(200);
  });

  it('does not limit the health probes', async () => {
    for (let i = 0; i < 5; i++) expect((await ledger.request('GET', '/health/live')).status).toBe(200);
  });
});
