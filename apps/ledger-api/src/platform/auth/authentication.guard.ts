import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problemException } from '../problems/problem-details.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import { InvalidAccessToken } from './access-tokens.js';
import { RequestAuthenticator } from './request-authenticator.js';

const IS_PUBLIC = 'ledger:public';

/** Opens a route (or a whole controller) to callers without a token: health, metrics, docs. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

/** Global: every route needs a valid bearer token unless it is @Public(). Attaches the Actor. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RequestAuthenticator) private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
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
