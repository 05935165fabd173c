import { describe, expect, it } from '@jest/globals';
import { AccessTokens, InvalidAccessToken } from './access-tokens.js';

const tokens = new AccessTokens('a-test-secret-that-is-at-least-32-characters');

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
});
