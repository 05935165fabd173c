import type { Actor } from './actor.js';
import { InvalidAccessToken, type AccessTokens } from './access-tokens.js';

type RequestWithHeaders = { readonly headers: { readonly authorization?: string | undefined } };

/**
 * Verifies a request's bearer token once, however many times it is asked: the rate limiter (which
 * runs first, to count per user) and the authentication guard share the answer.
 */
export class RequestAuthenticator {
  private readonly verdicts = new WeakMap<object, Promise<Actor>>();

  constructor(private readonly tokens: AccessTokens) {}

  authenticate(request: RequestWithHeaders): Promise<Actor> {
    let verdict = this.verdicts.get(request);
    if (!verdict) {
      verdict = this.verify(request.headers.authorization);
      verdict.catch(() => undefined); // whoever asks handles the refusal; it must not be "unhandled" meanwhile
      this.verdicts.set(request, verdict);
    }
    return verdict;
  }

  private async verify(authorization: string | undefined): Promise<Actor> {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) throw new InvalidAccessToken('AUTHENTICATION_REQUIRED', 'This request needs an "Authorization: Bearer <token>" header.');
    return this.tokens.verify(match[1]!);
  }
}
