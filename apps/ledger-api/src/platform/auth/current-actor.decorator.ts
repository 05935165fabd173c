import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { problemException } from '../problems/problem-details.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import type { Actor } from './actor.js';

export function actorOf(request: LedgerRequest): Actor {
  // Only a @Public() route has no actor, and such a route has no business asking for one.
  if (!request.actor) throw problemException(401, 'AUTHENTICATION_REQUIRED', 'This request needs an "Authorization: Bearer <token>" header.');
  return request.actor;
}

/** The authenticated caller: `handle(@CurrentActor() actor: Actor)`. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => actorOf(context.switchToHttp().getRequest<LedgerRequest>()));
