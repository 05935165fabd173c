import { webcrypto } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
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

/**
 * Why a `sub` cannot name an operator, or undefined when it can. Maker-checker compares identities
 * exactly, so an identity must not have a look-alike: `"alice "` or `"alice\u200b"` would pass as a
 * second person next to `"alice"` while reading the same in every log and report. White space at
 * either end, control characters (C0, DEL, C1) and invisible format characters (zero-width spaces
 * and joiners, bidirectional overrides) are refused anywhere a token is verified.
 */
export function whyUnusableSubject(sub: string): string | undefined {
  if (/^\s|\s$/u.test(sub)) return 'has white space at its start or end';
  if (/\p{Cc}/u.test(sub)) return 'contains a control character';
  if (/\p{Cf}/u.test(sub)) return 'contains an invisible format character';
  return undefined;
}

/** Enough for every user of a province at once; past it the oldest verification is forgotten. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * The longest a token lives: a stolen token is worth a working day at most. Counted from its `iat`,
 * or from the moment it is first presented when it has none, so a far-away `exp` is refused rather
 * than honoured until the year it names.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/**
 * How far ahead of this server's clock an issuer's clock may run: an `iat` up to a minute in the
 * future is the issuer's clock, not a token minted ahead of time to outlive the lifetime rule.
 */
export const CLOCK_SKEW_SECONDS = 60;

export interface MintOptions {
  /** A jose duration (`8h`, `30m`, `-1m` for an already expired token in tests), at most 12h. Defaults to 8h. */
  readonly ttl?: string;
}

/** Asked to mint a token that would live longer than MAX_TOKEN_LIFETIME_SECONDS. */
export class TokenLifetimeTooLong extends RangeError {
  override readonly name = 'TokenLifetimeTooLong';
  constructor(ttl: string) {
    super(`A bearer token lives at most ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours; ${JSON.stringify(ttl)} is longer.`);
  }
}

/**
 * HS256 bearer tokens: `sub`, `role`, `units`, `exp`. Plain TypeScript with no Nest
 * dependency, so the CLI mints with exactly the code the API verifies with.
 */
export class AccessTokens {
  /** Imported once: handed raw bytes, jose would import the key again on every request it verifies. */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(secret: string) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.key.catch(() => undefined); // a key that cannot be imported fails each mint and verify, not the process
  }

  /** Throws TokenLifetimeTooLong for a ttl over 12 hours, and jose's TypeError for one it cannot read. */
  async mint(actor: Actor, { ttl = '8h' }: MintOptions = {}): Promise<string> {
    const token = await new SignJWT({ role: actor.role, units: [...actor.units] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.userId)
      // `iat` is read after jose has turned the ttl into `exp`, so that a second ticking over in
      // between shortens the token rather than stretching a 12h token past the limit.
      .setExpirationTime(ttl)
      .setIssuedAt()
      .sign(await this.key);
    const { exp, iat } = decodeJwt(token);
    if (exp! - iat! > MAX_TOKEN_LIFETIME_SECONDS) throw new TokenLifetimeTooLong(ttl);
    return token;
  }

  /**
   * Tokens already verified, with their expiry: an operator's client sends the same token with every
   * request, and checking its HMAC again through WebCrypto costs more than the rest of the
   * authentication. Only a token that verified is kept, so a forged one is checked every time.
   */
  private readonly verified = new Map<string, { readonly actor: Actor; readonly expiresAt: number }>();

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known) {
      // jose's rule: a token is expired from the second its `exp` names.
      if (Math.floor(Date.now() / 1000) >= known.expiresAt) {
        this.verified.delete(token);
        throw new InvalidAccessToken('TOKEN_EXPIRED', 'The bearer token has expired.');
      }
      return known.actor;
    }
    const checked = await this.verifySignedClaims(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, checked);
    return checked.actor;
  }

  private async verifySignedClaims(token: string): Promise<{ actor: Actor; expiresAt: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidAccessToken('TOKEN_EXPIRED', 'The bearer token has expired.');
      // jose's own message says which check failed without echoing the token.
      throw new InvalidAccessToken('INVALID_TOKEN', `The bearer token is not valid: ${(error as Error).message}`);
    }
    const { sub, role, units } = payload;
    const lifetime = whyLifetimeRefused(payload.iat, payload.exp!, Date.now() / 1000);
    if (lifetime) throw new InvalidAccessToken('INVALID_TOKEN', `The bearer token ${lifetime}.`);
    if (typeof sub !== 'string' || !sub) throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token has an empty "sub" claim.');
    const unusable = whyUnusableSubject(sub);
    if (unusable) throw new InvalidAccessToken('INVALID_TOKEN', `The bearer token's "sub" claim ${unusable}.`);
    if (!isRole(role)) throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token\'s "role" claim must be operator, auditor, reporter or admin.');
    if (!Array.isArray(units) || !units.every((unit) => typeof unit === 'string' && unit !== '')) {
      throw new InvalidAccessToken('INVALID_TOKEN', 'The bearer token\'s "units" claim must be an array of unit codes or ["*"].');
    }
    return { actor: { userId: sub, role, units }, expiresAt: payload.exp! };
  }
}

/**
 * Why a token's `iat` and `exp` break the lifetime rule, or undefined when they keep it. jose has
 * already checked that both are numbers and that `exp` has not passed; JSON can still carry
 * 1e400, which parses as Infinity and fails every comparison below as it should.
 */
export function whyLifetimeRefused(iat: number | undefined, exp: number, now: number): string | undefined {
  if (iat !== undefined) {
    if (!(iat <= now + CLOCK_SKEW_SECONDS)) return 'was issued in the future ("iat" is ahead of this server\'s clock)';
    if (!(exp - iat <= MAX_TOKEN_LIFETIME_SECONDS)) return `lives longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours ("exp" is too far after "iat")`;
    return undefined;
  }
  if (!(exp - now <= MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)) return `expires more than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours from now`;
  return undefined;
}
