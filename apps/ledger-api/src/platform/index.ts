// What controllers use from the HTTP platform.
export { EVERY_UNIT, ROLES, isRole, type Actor, type Role } from './auth/actor.js';
export { AccessTokens, InvalidAccessToken, type MintOptions } from './auth/access-tokens.js';
export { Public } from './auth/authentication.guard.js';
export { Roles } from './auth/roles.guard.js';
export { CurrentActor } from './auth/current-actor.decorator.js';
export { assertActorMayActIn, assertActorMayChangeRecordIn, mayReadUnit, readsEveryUnit, type UnitHierarchy } from './auth/unit-scope.js';
export { resolveJwtSecret } from './auth/jwt-secret.js';
export { CommandCtx, commandContextOf, type CommandContext } from './command-context/command-context.js';
export { Idempotent, type IdempotentOptions } from './idempotency/idempotency.interceptor.js';
export { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency/idempotency.store.js';
export { problem, problemException, PROBLEM_CONTENT_TYPE, type FieldError, type ProblemDetails } from './problems/problem-details.js';
export type { LedgerRequest } from './http/ledger-request.js';
