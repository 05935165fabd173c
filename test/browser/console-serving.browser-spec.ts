import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from '../e2e/support/ledger-app.js';
import { servedRoutes } from '../e2e/support/served-routes.js';
import { ensureConsoleBuilt } from './support/console-browser.js';

/** An answer read whole: a body left unread would keep its connection busy, and the server from closing. */
async function read(answer: Promise<Response>): Promise<{ status: number; headers: Headers; text: () => Promise<string>; json: () => Promise<unknown> }> {
  const response = await answer;
  const body = await response.text();
  return { status: response.status, headers: response.headers, text: async () => body, json: async () => JSON.parse(body) };
}

/** What production insists on: its secrets and the province's paying account. */
function productionEnvironment(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    NODE_ENV: 'production',
    LEDGER_JWT_SECRET: 'console-serving-spec-secret-0123456789abcdef',
    LEDGER_ID_KEY: 'console-serving-spec-identifier-key-0123456789',
    LEDGER_AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    LEDGER_PAYING_ACCOUNT_NAME: 'So Lao dong - Thuong binh va Xa hoi',
    LEDGER_PAYING_ACCOUNT_NUMBER: '3711000000091',
    LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
    LEDGER_PAYING_ACCOUNT_BANK_BIC: 'VBAAVNVX',
  };
}

describe('the console, served by the API', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ledger = await startTestLedger();
  }, 60_000);
  afterAll(() => ledger?.close(), 30_000);

  const get = (path: string, headers: Record<string, string> = {}) => read(fetch(`${ledger.url}${path}`, { redirect: 'manual', headers }));

  it('sends / and /console to /console/', async () => {
    for (const path of ['/', '/console']) {
      const response = await get(path);
      expect({ status: response.status, location: response.headers.get('location') }).toEqual({ status: 302, location: '/console/' });
    }
  });

  it('answers every screen with the page the console starts from, under the API’s security headers', async () => {
    for (const path of ['/console/', '/console/payroll-runs', '/console/people/5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60?x=1']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      // The console loads its own scripts only: no inline script, nothing from elsewhere.
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).toContain('<html lang="vi">');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('serves the built files, cached for good, and nothing else', async () => {
    const html = await (await get('/console/')).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await get(script!);
    expect({ status: asset.status, type: asset.headers.get('content-type'), cache: asset.headers.get('cache-control') }).toEqual({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    });
    for (const path of ['/console/assets/missing.js', '/console/..%2F..%2Fpackage.json', '/console/%2e%2e/%2e%2e/package.json', '/console/favicon.ico']) {
      const response = await get(path);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
    }
  });

  it('names the units and programs the API is configured with, for the console’s labels', async () => {
    const response = await get('/console/catalogue.json');
    expect(response.status).toBe(200);
    const catalogue = (await response.json()) as { units: Array<{ code: string; name: string; parentCode: string | null }>; programs: Array<{ code: string }> };
    expect(catalogue.units).toContainEqual({ code: '899', name: 'Thành phố Rạch Giá', parentCode: '91' });
    expect(catalogue.programs.map((program) => program.code).sort()).toEqual(['MERITORIOUS', 'SOCIAL_ASSISTANCE']);
  });

  it('outside production, hands the demo users’ tokens to the sign-in screen, each accepted by the API', async () => {
    const response = await get('/console/demo-users.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { users } = (await response.json()) as { users: Array<{ userId: string; role: string; units: string[]; token: string }> };
    expect(users.map(({ userId, role, units }) => ({ userId, role, units }))).toEqual([
      { userId: 'lan.operator', role: 'operator', units: ['91'] },
      { userId: 'minh.operator', role: 'operator', units: ['91'] },
      { userId: 'thu.auditor', role: 'auditor', units: ['*'] },
      { userId: 'bao.reporter', role: 'reporter', units: ['*'] },
      { userId: 'admin', role: 'admin', units: ['*'] },
    ]);
    for (const { token } of users) expect((await get('/v1/beneficiaries?limit=1', { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

describe('the console in production', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await startTestLedger(productionEnvironment());
  }, 60_000);
  afterAll(() => ledger?.close(), 30_000);

  it('has no demo sign-in: the route is not served, and its address is a 404', async () => {
    expect(servedRoutes(ledger.app).filter((route) => route.includes('demo'))).toEqual([]);
    const response = await read(fetch(`${ledger.url}/console/demo-users.json`));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await read(fetch(`${ledger.url}/console/`))).status).toBe(200);
  });
});
