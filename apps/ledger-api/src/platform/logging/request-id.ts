import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A UUID, or any other short token a gateway may stamp: nothing that could break a log line or carry a sentence. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The caller's X-Request-Id when it is a safe token (a proxy in front may have logged it already),
 * else a new UUID. Fastify calls this once per request, on the raw request, and echoes nothing
 * itself: request-logging.ts puts the id on the response.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const header = request.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
