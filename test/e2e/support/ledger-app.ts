import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createLedgerClient, type LedgerClient } from '@ledger/api-client';
import { AppModule } from '../../../apps/ledger-api/src/app.module.js';
import { loadLedgerConfig, type LedgerConfig } from '../../../apps/ledger-api/src/config/ledger-config.js';
import { AccessTokens } from '../../../apps/ledger-api/src/platform/auth/access-tokens.js';
import type { Role } from '../../../apps/ledger-api/src/platform/auth/actor.js';
import { configureLedgerHttp, LEDGER_APP_OPTIONS, ledgerHttpAdapter } from '../../../apps/ledger-api/src/platform/http/configure-http.js';
import { setupOpenApi } from '../../../apps/ledger-api/src/platform/openapi/openapi.js';
import { answersAsDocumented, type OpenApiDocument } from './documented-responses.js';

export interface TestLedger {
  readonly app: NestFastifyApplication;
  readonly config: LedgerConfig;
  /** Where the API listens, on an ephemeral loopback port: tests speak real HTTP to it. */
  readonly url: string;
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  /** A bearer token the app accepts (signed with its secret); `ttl: '-1m'` gives an expired one. */
  tokenFor(claims: { role: Role; units: readonly string[]; sub?: string; ttl?: string }): Promise<string>;
  /**
   * The generated client (`@ledger/api-client`) as an integrator uses it, with `token` as its bearer.
   * Every answer is checked against the document the API serves: a status, a media type or a body
   * the document does not describe fails the call.
   */
  client(token?: string): LedgerClient;
  close(): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface TestLedgerOptions {
  /** Extra modules to serve (test-only controllers), through AppModule's registration hook. */
  readonly imports?: ModuleMetadata['imports'];
  /** Receives the API's JSON log lines at level info (without it, LOG_LEVEL decides: silent under Jest). */
  readonly logs?: { write(line: string): void };
}

/** The real API, configured as main.ts configures it, on a fresh embedded SQLite store in a temporary directory. */
export async function startTestLedger(env: Record<string, string> = {}, { imports = [], logs }: TestLedgerOptions = {}): Promise<TestLedger> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadLedgerConfig({ LEDGER_DATA_DIR: dataDirectory, LEDGER_SEED_DEMO: 'false', ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config, { imports })] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(ledgerHttpAdapter(config, logs && { level: 'info', destination: logs }), { ...LEDGER_APP_OPTIONS, logger: false });
  await configureLedgerHttp(app, config);
  setupOpenApi(app, { ui: false }); // Swagger UI's assets cannot load under Jest; main.ts serves them
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const tokens = app.get(AccessTokens);
  let servedDocument: Promise<OpenApiDocument> | undefined;
  const documentOf = () => (servedDocument ??= fetch(`${url}/docs-json`).then((response) => response.json() as Promise<OpenApiDocument>));
  return {
    app,
    config,
    url,
    async request(method, path, { body, headers = {} } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    tokenFor({ role, units, sub = `${role}-test`, ttl }) {
      return tokens.mint({ userId: sub, role, units }, ttl === undefined ? {} : { ttl });
    },
    client(token) {
      const client = createLedgerClient(url, token);
      client.use(answersAsDocumented(documentOf));
      return client;
    },
    async close() {
      await app.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
