import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problemException } from '../problems/problem-details.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import { routeMetadata } from '../http/route-metadata.js';
import { InvalidAccessToken } from './access-tokens.js';
import { RequestAuthenticator } from './request-authenticator.js';

const IS_PUBLIC = 'ledger:public';

/** Opens a route (or a whole controller) to callers without a token: health, metrics, docs. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Whether the route is @Public(), asked of each route once. */
export function publicRoutes(reflector: Reflector): (context: ExecutionContext) => boolean {
  const publicOf = routeMetadata<boolean>(reflector, IS_PUBLIC);
  return (context) => publicOf(context) === true;
}

/** Global: every route needs a valid bearer token unless it is @Public(). Attaches the Actor. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly isPublic: (context: ExecutionContext) => boolean;

  constructor(
    @Inject(Reflector) reflector: Reflector,
    @Inject(RequestAuthenticator) private readonly authenticator: RequestAuthenticator,
  ) {
    this.isPublic = publicRoutes(reflector);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<LedgerRequest>();
    try {
      request.actor = await this.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof InvalidAccessToken) throw problemException(401, error.code, error.message);
      throw error;
    }
    return true;
  }
}
