import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE, type LedgerMetrics } from './ledger-metrics.js';

/**
 * Observes every response Fastify sends into the request-duration histogram, labelled by the route
 * template (`/v1/beneficiaries/:beneficiaryId`), never the path as sent: ids and query text stay
 * out, and the number of series stays the number of routes.
 */
export function measureEveryRequest(fastify: FastifyInstance, metrics: LedgerMetrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe({ method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
