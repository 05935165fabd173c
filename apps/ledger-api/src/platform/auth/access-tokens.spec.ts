import { describe, expect, it } from '@jest/globals';
import { decodeJwt, SignJWT } from 'jose';
import { AccessTokens, InvalidAccessToken, MAX_TOKEN_LIFETIME_SECONDS, TokenLifetimeTooLong, whyLifetimeRefused } from './access-tokens.js';

const SECRET = 'a-test-secret-that-is-at-least-32-characters';
const tokens = new AccessTokens(SECRET);

/** A token signed with the right secret whose `iat` and `exp` are exactly these (seconds), or absent. */
function signed(times: { iat?: number; exp: number }): Promise<string> {
  const jwt = new SignJWT({ role: 'operator', units: ['899'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(times.exp);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

/** The same, with the claims written as raw JSON: `1e400` is a number JSON allows and jose would refuse to sign. */
async function signedRaw(claims: string): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const body = `${part('{"alg":"HS256"}')}.${part(claims)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

describe('access tokens', () => {
  it('verifies what it minted back into the same actor', async () => {
    const actor = { userId: 'alice', role: 'operator' as const, units: ['899', '900'] };
    await expect(tokens.verify(await tokens.mint(actor))).resolves.toEqual(actor);
  });

  it('refuses an expired token as expired', async () => {
    const expired = await tokens.mint({ userId: 'alice', role: 'operator', units: ['899'] }, { ttl: '-1m' });
    await expect(tokens.verify(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a token it verified before once it has expired', async () => {
    const shortLived = await tokens.mint({ userId: 'alice', role: 'operator', units: ['899'] }, { ttl: '1s' });
    await expect(tokens.verify(shortLived)).resolves.toMatchObject({ userId: 'alice' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await expect(tokens.verify(shortLived)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new AccessTokens('another-secret-that-is-at-least-32-chars').mint({ userId: 'm', role: 'admin', units: ['*'] });
    await expect(tokens.verify(forged)).rejects.toBeInstanceOf(InvalidAccessToken);
  });

  describe('when the "sub" claim could pass for another identity', () => {
    // Maker-checker compares identities exactly: each of these reads like "alice" in a log.
    it.each([
      ['a leading space', ' alice'],
      ['a trailing space', 'alice '],
      ['a trailing tab', 'alice\t'],
      ['a leading no-break space', '\u00a0alice'],
      ['a trailing ideographic space', 'alice\u3000'],
      ['a line feed inside', 'ali\nce'],
      ['a NUL inside', 'ali\u0000ce'],
      ['DEL inside', 'ali\u007fce'],
      ['a C1 control inside', 'ali\u0085ce'],
      ['a zero-width space', 'alice\u200b'],
      ['a right-to-left override', '\u202ealice'],
    ])('refuses a token whose sub has %s', async (_, sub) => {
      const token = await tokens.mint({ userId: sub, role: 'operator', units: ['899'] });
      await expect(tokens.verify(token)).rejects.toMatchObject({ name: 'InvalidAccessToken', code: 'INVALID_TOKEN' });
    });

    it('still accepts white space between words and Vietnamese letters', async () => {
      const actor = { userId: 'Nguyễn Văn An', role: 'operator' as const, units: ['899'] };
      await expect(tokens.verify(await tokens.mint(actor))).resolves.toEqual(actor);
    });
  });

  it('refuses a token whose sub is not a string', async () => {
    const { SignJWT } = await import('jose');
    const key = new TextEncoder().encode('a-test-secret-that-is-at-least-32-characters');
    const token = await new SignJWT({ sub: 42 as unknown as string, role: 'operator', units: ['899'] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  describe('when a token would live longer than 12 hours', () => {
    it.each<[string, { iat?: number; exp: number }]>([
      ['exp 13 hours after iat', { iat: 0, exp: 13 * HOUR }],
      ['exp 12 hours and a second after iat', { iat: 0, exp: 12 * HOUR + 1 }],
      ['an iat in the future', { iat: 5 * 60, exp: 6 * 60 }],
      ['an exp in the year 10^300, iat now', { iat: 0, exp: 3.15e307 }],
      ['no iat and exp 13 hours ahead', { exp: 13 * HOUR }],
      ['no iat and exp in the year 10^300', { exp: 3.15e307 }],
    ])('refuses a token with %s', async (_, { iat, exp }) => {
      const now = nowSeconds();
      const token = await signed({ exp: now + exp, ...(iat === undefined ? {} : { iat: now + iat }) });
      await expect(tokens.verify(token)).rejects.toMatchObject({ name: 'InvalidAccessToken', code: 'INVALID_TOKEN' });
    });

    it.each([
      ['an exp of 1e400 (Infinity once parsed)', (now: number) => `{"sub":"alice","role":"operator","units":["899"],"iat":${now},"exp":1e400}`],
      ['an iat of -1e400', (now: number) => `{"sub":"alice","role":"operator","units":["899"],"iat":-1e400,"exp":${now + HOUR}}`],
      ['an iat of 1e400', (now: number) => `{"sub":"alice","role":"operator","units":["899"],"iat":1e400,"exp":${now + HOUR}}`],
    ])('refuses a token with %s', async (_, claims) => {
      await expect(tokens.verify(await signedRaw(claims(nowSeconds())))).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    });

    it('accepts exactly 12 hours from iat, an iat within a minute of clock skew, and 12 hours from now without iat', async () => {
      const now = nowSeconds();
      await expect(tokens.verify(await signed({ iat: now, exp: now + 12 * HOUR }))).resolves.toMatchObject({ userId: 'alice' });
      await expect(tokens.verify(await signed({ iat: now + 50, exp: now + 50 + HOUR }))).resolves.toMatchObject({ userId: 'alice' });
      await expect(tokens.verify(await signed({ iat: now - 11 * HOUR, exp: now + HOUR }))).resolves.toMatchObject({ userId: 'alice' });
      await expect(tokens.verify(await signed({ exp: now + 12 * HOUR }))).resolves.toMatchObject({ userId: 'alice' });
    });

    it('judges iat against a minute of clock skew, and a token without iat from the moment it is presented', () => {
      expect(whyLifetimeRefused(1_060, 2_000, 1_000)).toBeUndefined();
      expect(whyLifetimeRefused(1_061, 2_000, 1_000)).toMatch(/future/);
      expect(whyLifetimeRefused(undefined, 1_000 + MAX_TOKEN_LIFETIME_SECONDS + 60, 1_000)).toBeUndefined();
      expect(whyLifetimeRefused(undefined, 1_000 + MAX_TOKEN_LIFETIME_SECONDS + 61, 1_000)).toMatch(/12 hours/);
    });

    it('mints at most 12 hours', async () => {
      const actor = { userId: 'alice', role: 'operator' as const, units: ['899'] };
      const { iat, exp } = decodeJwt(await tokens.mint(actor, { ttl: '12h' }));
      expect(exp! - iat!).toBeLessThanOrEqual(MAX_TOKEN_LIFETIME_SECONDS);
      expect(exp! - iat!).toBeGreaterThanOrEqual(MAX_TOKEN_LIFETIME_SECONDS - 1);
      for (const ttl of ['13h', '24h', '721m', '1d', '1y']) await expect(tokens.mint(actor, { ttl })).rejects.toBeInstanceOf(TokenLifetimeTooLong);
    });
  });
});
