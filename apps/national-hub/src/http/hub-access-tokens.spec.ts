import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { HubAccessTokens, InvalidHubToken, mintHubToken } from './hub-access-tokens.js';

const secret = 'national-hub-spec-secret-0123456789abcdef';
const tokens = new HubAccessTokens(secret);
const signed = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
  build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(new TextEncoder().encode(secret));
const refusal = (authorization: string | undefined) =>
  tokens.callerOf(authorization).then(
    () => 'accepted',
    (error: InvalidHubToken) => `${error.code}: ${error.message}`,
  );

describe('ministry tokens', () => {
  it('name the caller and their role', async () => {
    await expect(tokens.callerOf(`Bearer ${await mintHubToken(secret, { subject: 'analyst-7' })}`)).resolves.toEqual({ subject: 'analyst-7', role: 'ministry' });
  });

  it('are refused without the Bearer scheme, expired, or living longer than 12 hours', async () => {
    expect(await refusal(undefined)).toMatch(/^AUTHENTICATION_REQUIRED/);
    expect(await refusal(`Basic ${await mintHubToken(secret)}`)).toMatch(/^AUTHENTICATION_REQUIRED/);
    expect(await refusal(`Bearer ${await mintHubToken(secret, { ttl: '-1m' })}`)).toMatch(/^TOKEN_EXPIRED/);
    expect(await refusal(`Bearer ${await signed({ sub: 'a', role: 'ministry' }, (jwt) => jwt.setIssuedAt().setExpirationTime('13h'))}`)).toMatch(/^INVALID_TOKEN: .*longer than 12 hours/);
    await expect(mintHubToken(secret, { ttl: '13h' })).rejects.toThrow('at most 12 hours');
  });

  it('are refused without a subject or a role, or signed with another key or algorithm', async () => {
    expect(await refusal(`Bearer ${await signed({ role: 'ministry' }, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'))}`)).toMatch(/^INVALID_TOKEN/);
    expect(await refusal(`Bearer ${await signed({ sub: 'a' }, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'))}`)).toMatch(/^INVALID_TOKEN: .*"role"/);
    expect(await refusal(`Bearer ${await mintHubToken('another-secret-0123456789abcdef-0123456789')}`)).toMatch(/^INVALID_TOKEN/);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a', role: 'ministry', exp: Date.now() / 1000 + 60 })).toString('base64url')}.`;
    expect(await refusal(`Bearer ${unsigned}`)).toMatch(/^INVALID_TOKEN/);
  });
});
