import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { LedgerConfig } from '../../config/ledger-config.js';
import { RequestAuthenticator } from '../auth/request-authenticator.js';
import { pathOf, problemException } from '../problems/problem-details.js';
import { bodyMustBeAnObject } from '../validation/validation.pipe.js';
import type { LedgerRequest } from './ledger-request.js';

/** Fastify with the configured body limit; a larger body is refused with a 413 before it is read whole. */
export function ledgerHttpAdapter(config: Pick<LedgerConfig, 'bodyLimitBytes'>): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
}

/** Nest must not register its own parsers (it would accept form bodies): `configureLedgerHttp` installs JSON only. */
export const LEDGER_APP_OPTIONS = { bodyParser: false } as const satisfies NestApplicationOptions;

/**
 * What has to be set on the Fastify instance itself, before the app listens: JSON-object bodies
 * only, the arrival stamp, and the per-user rate limit. Shared by main.ts and the e2e harness.
 */
export async function configureLedgerHttp(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();

  // Any other content type (form, text) is then a 415 from Fastify, never a body the DTOs half-understand.
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: config.bodyLimitBytes }, (request, body, done) => {
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return done(bodyMustBeAnObject(), undefined);
      done(null, value);
    });
  });

  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    (request as LedgerRequest).receivedAt = new Date();
  });

  const authenticator = app.get(RequestAuthenticator);
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Counted per user, so colleagues behind one NAT do not starve each other; a caller without a
    // valid token is counted by address. The verdict is cached, so the guard does not verify twice.
    keyGenerator: async (request: FastifyRequest) => {
      try {
        return `user:${(await authenticator.authenticate(request)).userId}`;
      } catch {
        return `ip:${request.ip}`;
      }
    },
    allowList: (request: FastifyRequest) => pathOf(request.url).startsWith('/health/'),
    errorResponseBuilder: (_request, { max, after }) =>
      problemException(429, 'TOO_MANY_REQUESTS', `More than ${max} requests in a minute; retry in ${after}.`),
  });
}
