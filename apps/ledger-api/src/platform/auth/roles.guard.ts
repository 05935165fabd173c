import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problemException } from '../problems/problem-details.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import { routeMetadata } from '../http/route-metadata.js';
import type { Role } from './actor.js';
import { publicRoutes } from './authentication.guard.js';

const ALLOWED_ROLES = 'ledger:roles';

/** The roles that may call a route (or every route of a controller). Admins may always. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Global, after authentication. A route without @Roles is open to every authenticated role. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly isPublic: (context: ExecutionContext) => boolean;
  private readonly allowedRolesOf: (context: ExecutionContext) => Role[] | undefined;

  constructor(@Inject(Reflector) reflector: Reflector) {
    this.isPublic = publicRoutes(reflector);
    this.allowedRolesOf = routeMetadata<Role[]>(reflector, ALLOWED_ROLES);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    const allowed = this.allowedRolesOf(context);
    if (!allowed) return true;
    const { actor } = context.switchToHttp().getRequest<LedgerRequest>();
    if (!actor) throw problemException(401, 'AUTHENTICATION_REQUIRED', 'This request needs an "Authorization: Bearer <token>" header.');
    if (actor.role === 'admin' || allowed.includes(actor.role)) return true;
    throw problemException(403, 'ROLE_NOT_ALLOWED', `The ${actor.role} role may not do this; it is for: ${allowed.join(', ')}.`, { role: actor.role, allowedRoles: allowed });
  }
}
