import { describe, expect, it } from '@jest/globals';
import { HttpException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokens } from './access-tokens.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { RequestAuthenticator } from './request-authenticator.js';

const tokens = new AccessTokens('a-test-secret-that-is-at-least-32-characters');
const guard = new AuthenticationGuard(new Reflector(), new RequestAuthenticator(tokens));

/** A route that is not @Public(), called with `authorization`. */
function contextOf(authorization: string): { context: ExecutionContext; request: { headers: { authorization: string }; actor?: unknown } } {
  const request = { headers: { authorization } };
  const context = {
    getHandler: () => function route() {},
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('the authentication guard', () => {
  describe('when the token names its holder with a trailing space', () => {
    it('answers 401 invalid-token and attaches no actor', async () => {
      const { context, request } = contextOf(`Bearer ${await tokens.mint({ userId: 'checker ', role: 'operator', units: ['899'] })}`);
      const refusal = await guard.canActivate(context).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(HttpException);
      expect((refusal as HttpException).getStatus()).toBe(401);
      expect((refusal as HttpException).getResponse()).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      expect(request.actor).toBeUndefined();
    });
  });

  describe('when the token names its holder exactly', () => {
    it('lets the request through as that actor', async () => {
      const { context, request } = contextOf(`Bearer ${await tokens.mint({ userId: 'checker', role: 'operator', units: ['899'] })}`);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(request.actor).toEqual({ userId: 'checker', role: 'operator', units: ['899'] });
    });
  });
});
