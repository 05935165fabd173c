import { webcrypto } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';

/** The role the hub's routes are for. A province's tokens are signed with another secret and name other roles. */
export const MINISTRY_ROLE = 'ministry';

/** Who is calling, as their token says. */
export interface HubCaller {
  readonly subject: string;
  readonly role: string;
}

/** Why a bearer token was refused: a 401. */
export class InvalidHubToken extends Error {
  override readonly name = 'InvalidHubToken';
  constructor(
    readonly code: 'AUTHENTICATION_REQUIRED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN',
    message: string,
  ) {
    super(message);
  }
}

/** As the ledger's tokens: a stolen one is worth a working day at most, counted from `iat`. */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
const CLOCK_SKEW_SECONDS = 60;

/**
 * HS256 bearer tokens under HUB_JWT_SECRET: `sub`, `role`, `exp` (and `iat`), at most 12 hours.
 * The same rules as the ledger's tokens (an app does not import another app's files, so the few
 * lines are here again), without the ledger's units: the ministry sees every province.
 */
export class HubAccessTokens {
  /** Imported once: given raw bytes, jose would import the key on every request. */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(secret: string) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.key.catch(() => undefined);
  }

  /** `ttl` a jose duration (`8h`, `-1m` for an expired token in tests), at most 12h. */
  async mint({ subject, role = MINISTRY_ROLE, ttl = '8h' }: { subject: string; role?: string; ttl?: string }): Promise<string> {
    const token = await new SignJWT({ role }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(subject).setExpirationTime(ttl).setIssuedAt().sign(await this.key);
    const { exp, iat } = decodeJwt(token);
    if (exp! - iat! > MAX_TOKEN_LIFETIME_SECONDS) throw new RangeError(`A bearer token lives at most ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours; ${JSON.stringify(ttl)} is longer.`);
    return token;
  }

  /** The caller of a request, from its Authorization header. */
  async callerOf(authorization: string | undefined): Promise<HubCaller> {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) throw new InvalidHubToken('AUTHENTICATION_REQUIRED', 'This request needs an "Authorization: Bearer <token>" header.');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1]!, await this.key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidHubToken('TOKEN_EXPIRED', 'The bearer token has expired.');
      // jose's message says which check failed without echoing the token.
      throw new InvalidHubToken('INVALID_TOKEN', `The bearer token is not valid: ${(error as Error).message}`);
    }
    const { sub, role, iat, exp } = payload;
    const now = Date.now() / 1000;
    if (iat !== undefined && !(iat <= now + CLOCK_SKEW_SECONDS)) throw new InvalidHubToken('INVALID_TOKEN', 'The bearer token was issued in the future.');
    if (!(exp! - (iat ?? now) <= MAX_TOKEN_LIFETIME_SECONDS + (iat === undefined ? CLOCK_SKEW_SECONDS : 0))) {
      throw new InvalidHubToken('INVALID_TOKEN', `The bearer token lives longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours.`);
    }
    if (typeof sub !== 'string' || sub.trim() === '' || /\p{Cc}|\p{Cf}/u.test(sub)) throw new InvalidHubToken('INVALID_TOKEN', 'The bearer token\'s "sub" claim does not name a user.');
    if (typeof role !== 'string' || role === '') throw new InvalidHubToken('INVALID_TOKEN', 'The bearer token has no "role" claim.');
    return { subject: sub, role };
  }
}

/** A token for the hub, signed with `secret`: the dev token printed at start, and the tests'. */
export function mintHubToken(secret: string, options: { subject?: string; role?: string; ttl?: string } = {}): Promise<string> {
  return new HubAccessTokens(secret).mint({ subject: options.subject ?? 'ministry-analyst', ...(options.role ? { role: options.role } : {}), ...(options.ttl ? { ttl: options.ttl } : {}) });
}
