import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { actorOf } from '../auth/current-actor.decorator.js';
import type { LedgerRequest } from '../http/ledger-request.js';

/** Who asked, when, and under which correlation: what every event written for a request carries. */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  /** For a command arriving over HTTP the cause is the request itself, so it equals the correlation id. */
  readonly causationId: string;
  /** The request's Idempotency-Key, from which handlers derive deterministic event ids. */
  readonly idempotencyKey?: string;
  readonly receivedAt: Date;
}

export const CORRELATION_ID_HEADER = 'x-correlation-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const correlationIds = new WeakMap<object, string>();

export function commandContextOf(request: LedgerRequest): CommandContext {
  const correlationId = correlationIdOf(request);
  return {
    actor: actorOf(request),
    correlationId,
    causationId: correlationId,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    receivedAt: request.receivedAt ?? new Date(),
  };
}

/** The caller's X-Correlation-Id when it is a UUID (anything else could be used to inject), else a new one, stable per request. */
function correlationIdOf(request: LedgerRequest): string {
  let id = correlationIds.get(request);
  if (!id) {
    const header = request.headers[CORRELATION_ID_HEADER];
    id = typeof header === 'string' && UUID.test(header) ? header.toLowerCase() : randomUUID();
    correlationIds.set(request, id);
  }
  return id;
}

/** `handle(@CommandCtx() context: CommandContext)`. */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => commandContextOf(context.switchToHttp().getRequest<LedgerRequest>()));
