import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { LedgerRequest } from '../http/ledger-request.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The logger of the request being handled (a child carrying its id), for log lines written deep inside Nest. */
export const requestLogs = new AsyncLocalStorage<Logger>();

/** What one request leaves in the log: never its URL, headers or body, which may name a person. */
export interface RequestLogLine {
  readonly method: string;
  /** The route template (`/v1/beneficiaries/:beneficiaryId`), or null when no route matched. */
  readonly route: string | null;
  readonly status: number;
  readonly durationMs: number;
  /** The caller's token subject and role, once authenticated. */
  readonly sub?: string;
  readonly role?: string;
}

/**
 * One JSON line per request, written when its response is sent, by Fastify's own pino logger:
 * every request Fastify routes gets one, refusals made in hooks (a 413, a 415, a 429) as well as
 * those from Nest. The request id goes back on the response, refusals included.
 */
export function logEveryRequest(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  // After the body is read: a stream's events would lose the context entered before it.
  fastify.addHook('preHandler', (request, _reply, done) => requestLogs.run(request.log as Logger, done));
  fastify.addHook('onResponse', async (request, reply) => logRequest(request, reply));
}

/** The request's one line; called directly for the router's refusals, which no hook sees. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const { actor } = request as LedgerRequest;
  const line: RequestLogLine = {
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    ...(actor ? { sub: actor.userId, role: actor.role } : {}),
  };
  if (reply.statusCode >= 500) request.log.error(line, 'request failed');
  else request.log.info(line, 'request completed');
}
