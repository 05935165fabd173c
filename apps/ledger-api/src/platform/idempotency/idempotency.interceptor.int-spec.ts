import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { defer, lastValueFrom } from 'rxjs';
import { describeWithPostgres } from '../../../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../../../../../libs/read-models/src/testing/postgres-scratch.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import { LedgerMetrics } from '../metrics/ledger-metrics.js';
import { IDEMPOTENCY_REPLAYED_HEADER, Idempotent, IdempotencyInterceptor } from './idempotency.interceptor.js';
import { PostgresIdempotencyStore } from './postgres-idempotency.store.js';

const postgres = await postgresAvailability();

class SettlementRoutes {
  @Idempotent({ required: true })
  settle(): void {}
}

interface Answer {
  readonly statusCode: number;
  readonly body: unknown;
  readonly replayed: boolean;
}

/** One API instance: the interceptor on its own store (its own pools), answering a settlement with `decide`. */
function apiInstance(store: PostgresIdempotencyStore) {
  const interceptor = new IdempotencyInterceptor(new Reflector(), store, new LedgerMetrics());
  return async (key: string, decide: () => Promise<unknown>): Promise<Answer> => {
    const request = {
      method: 'POST',
      url: '/v1/disbursements/d-1/settle',
      body: { outcome: 'PAID', amount: 1_500_000 },
      headers: { 'idempotency-key': key },
      actor: { userId: 'alice', role: 'operator', units: ['899'] },
    } as unknown as LedgerRequest;
    const headers: Record<string, string> = {};
    const reply = {
      statusCode: 201,
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      header(name: string, value: string) {
        headers[name] = value;
        return this;
      },
    };
    const context = {
      getHandler: () => SettlementRoutes.prototype.settle,
      getClass: () => SettlementRoutes,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply as unknown as FastifyReply }),
    } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => defer(decide) };
    const body = await lastValueFrom(await interceptor.intercept(context, next));
    return { statusCode: reply.statusCode, body, replayed: headers[IDEMPOTENCY_REPLAYED_HEADER] === 'true' };
  };
}

describeWithPostgres('IdempotencyInterceptor on two API instances sharing PostgreSQL', postgres, () => {
  let schema: string;
  let stores: PostgresIdempotencyStore[];
  beforeEach(async () => {
    schema = `scratch_idempotency_${randomBytes(4).toString('hex')}`;
    stores = await Promise.all([PostgresIdempotencyStore.open(postgresUrl(), { schema }), PostgresIdempotencyStore.open(postgresUrl(), { schema })]);
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropSchema(schema);
  });

  describe('when the same key reaches both at once', () => {
    it('decides it once, and answers the other with the first response, replayed', async () => {
      const [first, second] = stores.map(apiInstance) as [ReturnType<typeof apiInstance>, ReturnType<typeof apiInstance>];
      let effects = 0;
      const decide = (instance: string) => async () => {
        effects++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { settledBy: instance };
      };
      const answers = await Promise.all([first('settle-d-1', decide('first')), second('settle-d-1', decide('second'))]);

      expect(effects).toBe(1);
      const [decided, replayed] = answers[0].replayed ? [answers[1], answers[0]] : [answers[0], answers[1]];
      expect(decided).toMatchObject({ statusCode: 201, replayed: false });
      expect(replayed).toEqual({ statusCode: 201, body: JSON.stringify(decided.body), replayed: true });
    });
  });

  describe('when a key was answered on one instance', () => {
    it('replays that answer on the other', async () => {
      const [first, second] = stores.map(apiInstance) as [ReturnType<typeof apiInstance>, ReturnType<typeof apiInstance>];
      await first('settle-d-2', async () => ({ settledBy: 'first' }));
      await expect(second('settle-d-2', async () => ({ settledBy: 'second' }))).resolves.toEqual({ statusCode: 201, body: '{"settledBy":"first"}', replayed: true });
    });
  });
});
