import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LedgerRequest } from '../http/ledger-request.js';
import { REQUEST_ID_HEADER } from './request-id.js';

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
  fastify.addHook('onResponse', async (request, reply) => logRequest(request, reply));
}

/** The request's one line; called directly for the router's refusals, which no hook sees. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const { actor } = request as LedgerRequest;
  const line: RequestLogLine & { readonly requestId: string } = {
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    ...(actor ? { sub: actor.userId, role: actor.role } : {}),
  };
  const log = requestLineLogger(request.server.log);
  if (reply.statusCode >= 500) log.error(line, 'request failed');
  else log.info(line, 'request completed');
}

const requestLineLoggers = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

/**
 * The request line is written without the logger's redaction. The line is made of the fields
 * above alone, none of which is a path the redaction censors, so it could never change the line;
 * while walking its paths (wildcards included) over every line cost more than writing the line.
 * Every other line, an error's included, is still redacted.
 */
function requestLineLogger(root: FastifyBaseLogger): FastifyBaseLogger {
  let logger = requestLineLoggers.get(root);
  if (!logger) requestLineLoggers.set(root, (logger = root.child({}, { redact: [] })));
  return logger;
}
