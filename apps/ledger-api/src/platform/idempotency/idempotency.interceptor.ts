import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { LedgerRequest } from '../http/ledger-request.js';
import { routeMetadata } from '../http/route-metadata.js';
import { LedgerMetrics } from '../metrics/ledger-metrics.js';
import { pathOf, PROBLEM_CONTENT_TYPE, problemException } from '../problems/problem-details.js';
import { toProblem } from '../problems/problem-mapping.js';
import { IDEMPOTENCY_STORE, sameGrant, type AccessGrant, type IdempotencyRecord, type IdempotencyStore, type ReleaseKey, type StoredResponse } from './idempotency.store.js';
import { requestFingerprint } from './request-fingerprint.js';

export interface IdempotentOptions {
  /** When true, a request without an `Idempotency-Key` header is refused (400). */
  readonly required: boolean;
}

const IDEMPOTENT = 'ledger:idempotent';

/** The route honours `Idempotency-Key`: a retry gets the first response again. */
export const Idempotent = (options: IdempotentOptions = { required: false }) => SetMetadata(IDEMPOTENT, options);

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotency-replayed';
const VISIBLE_ASCII_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Global; acts only on @Idempotent() routes. Runs after the guards, so keys are scoped to the
 * authenticated user, and around the pipes, so a validation refusal is remembered like any other.
 * A request holds its key from before the lookup until its response is stored, in this process
 * and, through the store, in every API instance sharing it: a concurrent retry anywhere waits for
 * the first response and is answered with it.
 *
 * A replay is answered only to a caller who may still make the request. The guards run on every
 * request, a replayed one too, so a role that may no longer call the route is refused before the
 * key is looked up. What they cannot see is the unit scope, which the handler checks against the
 * record it loads: so each response is stored with the grant (role and units) it was made under,
 * and a retry under another grant is not replayed but decided again, by the handler, as if made
 * now. A record outside the caller's units is then refused like any other request for it, and one
 * still inside is answered again without being applied twice, because the handler derives its event
 * ids from the key and finds the events the first attempt wrote.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** Requests running right now, per user and key: a concurrent retry waits for the first. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly optionsOf: (context: ExecutionContext) => IdempotentOptions | undefined;

  constructor(
    @Inject(Reflector) reflector: Reflector,
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(LedgerMetrics) private readonly metrics: LedgerMetrics,
  ) {
    this.optionsOf = routeMetadata<IdempotentOptions>(reflector, IDEMPOTENT);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.optionsOf(context);
    if (!options) return next.handle();
    const request = context.switchToHttp().getRequest<LedgerRequest>();
    const key = idempotencyKeyOf(request, options);
    if (key === undefined) return next.handle();
    request.idempotencyKey = key;
    // One promise for the whole exchange rather than a chain of operators: this runs on every command.
    return from(this.answer(request, context.switchToHttp().getResponse<FastifyReply>(), key, next));
  }

  private async answer(request: LedgerRequest, reply: FastifyReply, key: string, next: CallHandler): Promise<unknown> {
    const scope = request.actor?.userId ?? '';
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const slot = JSON.stringify([scope, key]);
    for (let first = this.running.get(slot); first; first = this.running.get(slot)) await first;
    // Claimed with no await since the loop saw the slot free, so no second request can slip in.
    const releaseHere = this.claim(slot);
    // Then held against the other API instances on the store, until the response is stored.
    let releaseEverywhere: ReleaseKey = async () => undefined;
    try {
      releaseEverywhere = await this.store.hold(scope, key);
      const previous = await this.store.find(scope, key);
      const grant = grantOf(request);
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          throw problemException(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
        }
        if (sameGrant(previous.grant, grant)) {
          this.metrics.idempotentReplays.inc();
          return replay(previous, reply);
        }
        // Made under another grant: decided again below, and the first response stays the one kept.
      }
      const remember = async (response: StoredResponse) => {
        if (!previous) await this.store.save(scope, key, { fingerprint, response, ...(grant ? { grant } : {}), createdAt: new Date() });
      };
      let body: unknown;
      try {
        body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        const { problem } = toProblem(error, pathOf(request.url));
        // A 5xx is not remembered: the retry it invites must be able to succeed.
        if (problem.status < 500) await remember({ statusCode: problem.status, contentType: PROBLEM_CONTENT_TYPE, body: JSON.stringify(problem) });
        throw error;
      }
      await remember(responseOf(reply.statusCode, body));
      return body;
    } finally {
      void releaseEverywhere().then(releaseHere, releaseHere);
    }
  }

  private claim(slot: string): () => void {
    let settle!: () => void;
    this.running.set(slot, new Promise<void>((resolve) => (settle = resolve)));
    return () => {
      this.running.delete(slot);
      settle();
    };
  }
}

function idempotencyKeyOf(request: LedgerRequest, { required }: IdempotentOptions): string | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined) {
    if (required) throw problemException(400, 'IDEMPOTENCY_KEY_REQUIRED', 'This request changes money or eligibility and needs an Idempotency-Key header.');
    return undefined;
  }
  if (typeof header !== 'string' || !VISIBLE_ASCII_KEY.test(header)) {
    throw problemException(400, 'INVALID_IDEMPOTENCY_KEY', 'The Idempotency-Key header must be 1 to 200 visible ASCII characters, given once.');
  }
  return header;
}

function grantOf(request: LedgerRequest): AccessGrant | undefined {
  return request.actor ? { role: request.actor.role, units: request.actor.units } : undefined;
}

function replay(previous: IdempotencyRecord, reply: FastifyReply): string {
  const { statusCode, contentType, body } = previous.response;
  void reply.status(statusCode).header('content-type', contentType).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
  return body;
}

function responseOf(statusCode: number, body: unknown): StoredResponse {
  if (body === undefined || body === null) return { statusCode, contentType: 'application/json; charset=utf-8', body: '' };
  if (typeof body === 'string') return { statusCode, contentType: 'text/plain; charset=utf-8', body };
  return { statusCode, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}
