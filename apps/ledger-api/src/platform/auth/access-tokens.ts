import { errors, jwtVerify, SignJWT } from 'jose';
import { isRole, type Actor } from './actor.js';

/** Why a bearer token was refused; the authentication guard turns it into a 401. */
export class InvalidAccessToken extends Error {
  override readonly name = 'InvalidAccessToken';
  constructor(
    readonly code: 'AUTHENTICATION_REQUIRED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN',
    message: string,
  ) {
    super(message);
  }
}

export interface MintOptions {
  /** A jose duration (`8h`, `30m`, `-1m` for an already expired token in tests). Defaults to 8h. */
  readonly ttl?: string;
}

/**
 * HS256 bearer tokens (SPEC 6): `sub`, `role`, `units`, `exp`. Plain TypeScript with no Nest
 * dependency, so the CLI mints with exactly the code the API verifies with.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async mint(actor: Actor, { ttl = '8h' }: MintOptions = {}): Promise<string> {
    return new SignJWT({ role: actor.role, units: [...actor.units] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.userId)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.key);
  }

  async verify(token: string): Promise<Actor> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidAccessToken('TOKEN_EXPIRED', 'The bearer token has expired.');
      // jose's own message says which check failed without echoing the token.
      throw new InvalidAccessToken('INVALID_TOKEN', `The bearer token is not valid: ${(error as Error).message}`);
    }
    const { sub, role, units } = payload;
    if (!sub) throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token has an empty "sub" claim.');
    if (!isRole(role)) throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token\'s "role" claim must be operator, auditor, reporter or admin.');
    if (!Array.isArray(units) || !units.every((unit) => typeof unit === 'string' && unit !== '')) {
      throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token\'s "units" claim must be an array of unit codes or ["*"].');
    }
    return { userId: sub, role, units };
  }
}
