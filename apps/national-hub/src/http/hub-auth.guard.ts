import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { HUB_ACCESS_TOKENS } from './hub.tokens.js';
import { InvalidHubToken, MINISTRY_ROLE, type HubAccessTokens } from './hub-access-tokens.js';
import { problemException } from './problem-details.js';

const IS_PUBLIC = 'national-hub:public';

/** Opens a route (or a controller) to callers without a token: the probes, the metrics, the OpenAPI document. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Global: every other route needs a valid ministry token. 401 without one or with one that does
 * not verify; 403 for a valid token of another role.
 */
@Injectable()
export class MinistryGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HUB_ACCESS_TOKENS) private readonly tokens: HubAccessTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    let role: string;
    try {
      ({ role } = await this.tokens.callerOf(request.headers.authorization));
    } catch (error) {
      if (error instanceof InvalidHubToken) throw problemException(401, error.code, error.message);
      throw error;
    }
    if (role !== MINISTRY_ROLE) throw problemException(403, 'ROLE_NOT_ALLOWED', `The ${role} role may not read the national hub; it is for: ${MINISTRY_ROLE}.`, { role, allowedRoles: [MINISTRY_ROLE] });
    return true;
  }
}
