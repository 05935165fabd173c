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
});
