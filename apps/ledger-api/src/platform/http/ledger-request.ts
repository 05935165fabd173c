import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';

/** What the platform learns about a request on its way to a handler. */
export interface LedgerRequestState {
  /** Set by the authentication guard on every non-public route. */
  actor?: Actor;
  /** Set by the idempotency interceptor when the request carried an `Idempotency-Key`. */
  idempotencyKey?: string;
  /** Stamped when the request arrived (an onRequest hook), before any waiting or parsing. */
  receivedAt?: Date;
}

export type LedgerRequest = FastifyRequest & LedgerRequestState;
