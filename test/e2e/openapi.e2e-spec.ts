import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLedgerClient } from '@ledger/api-client';
import { API_CLIENT_FILES, apiClientFiles } from '../../libs/api-client/generate/client-files.js';
import { answersAsDocumented, type OpenApiDocument } from './support/documented-responses.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { servedRoutes } from './support/served-routes.js';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = join(REPOSITORY, 'node_modules/@redocly/cli/bin/cli.js');
/** `npm run generate:client` runs this suite with it set: the committed files are written rather than compared. */
const WRITE_CLIENT = process.env.LEDGER_API_CLIENT === 'write';

/**
 * Served by Swagger itself, or the web console's files (apps/ledger-api/src/console), rather than
 * described in the document. `GET /console*` is how Fastify's route tree prints `/console/*`.
 */
const THE_DOCUMENT_ITSELF = new Set(['GET /docs-json', 'GET /docs-yaml', 'GET /', 'GET /console', 'GET /console*', 'GET /console/catalogue.json', 'GET /console/demo-users.json']);
const PUBLIC_OPERATIONS = ['getLiveness', 'getReadiness', 'getMetrics'];

/**
 * The warnings Redocly's recommended rules still give, each for a reason: any other fails the suite,
 * so a new one is looked at rather than scrolled past.
 */
const ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  'info-license #/info': 'no licence has been chosen for the ledger; the document does not invent one',
  'operation-4xx-response #/paths/~1health~1live/get/responses': 'the liveness probe takes no input, needs no token and is never rate-limited: it has no 4xx to describe',
  'operation-4xx-response #/paths/~1health~1ready/get/responses': 'the readiness probe likewise; its refusal is a 503',
};

type Operations = {
  paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
};

let ledger: TestLedger;
let document: Operations & OpenApiDocument;

beforeAll(async () => {
  ledger = await startTestLedger();
  const served = await ledger.request('GET', '/docs-json');
  expect(served.status).toBe(200);
  document = served.body;
});

afterAll(async () => {
  await ledger?.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, ...operation })));

describe('the OpenAPI document the API serves', () => {
  it('describes every route the server answers, and none it does not', () => {
    const described = operations().map((operation) => operation.route).sort();
    expect(described).toEqual(servedRoutes(ledger.app).filter((route) => !THE_DOCUMENT_ITSELF.has(route)));
  });

  it('names every operation as a client generator can use it, once', () => {
    const ids = operations().map((operation) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('needs the bearer token on every operation but the probes and the metrics', () => {
    const open = operations().filter((operation) => operation.security !== undefined);
    expect(open.map((operation) => [operation.operationId, operation.security])).toEqual(PUBLIC_OPERATIONS.map((id) => [id, []]));
  });

  it('answers every refusal as problem details', () => {
    const otherwise = operations().flatMap(({ route, responses }) =>
      Object.entries(responses)
        .filter(([status]) => !status.startsWith('2'))
        .filter(([, response]) => Object.keys(response.content ?? {}).join() !== 'application/problem+json' || response.content!['application/problem+json']!.schema?.$ref !== '#/components/schemas/ProblemDetails')
        .map(([status]) => `${route} ${status}`),
    );
    expect(otherwise).toEqual([]);
  });

  it('passes Redocly’s recommended rules without an error', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
    try {
      const file = join(directory, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const report = JSON.parse(await lint(file)) as { totals: { errors: number }; problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
      const found = report.problems.map((problem) => ({ key: `${problem.ruleId} ${problem.location[0]?.pointer}`, severity: problem.severity, message: problem.message }));
      expect(found.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect(found.filter((problem) => !(problem.key in ACCEPTED_WARNINGS))).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 30_000);

  it('is the document the committed client was generated from (else: npm run generate:client)', async () => {
    const generated = await apiClientFiles(document);
    for (const [name, path] of Object.entries(API_CLIENT_FILES) as Array<[keyof typeof API_CLIENT_FILES, string]>) {
      const file = join(REPOSITORY, path);
      if (WRITE_CLIENT) writeFileSync(file, generated[name]);
      const committed = readFileSync(file, 'utf8');
      if (committed !== generated[name]) throw new Error(`${path} is not what the API's document generates now: run npm run generate:client, and commit the result.`);
    }
  });
});

describe('the typed client of the e2e tests', () => {
  it('refuses an answer its document does not describe, so that no test passes on one', async () => {
    const stricter = structuredClone(document);
    stricter.components.schemas.Liveness!.required = ['status', 'uptime'];
    const client = createLedgerClient(ledger.url);
    client.use(answersAsDocumented(async () => stricter));
    await expect(client.GET('/health/live')).rejects.toThrow('$.uptime: missing');

    delete stricter.paths['/health/ready']!.get!.responses['200'];
    await expect(client.GET('/health/ready')).rejects.toThrow('GET /health/ready → 200: the operation documents 500, 503 only');
  });
});

/** `redocly lint --format=json`: its report on stdout, whatever its exit code (1 when it found an error). */
function lint(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [REDOCLY, 'lint', file, '--format=json', `--config=${join(REPOSITORY, 'redocly.yaml')}`],
      { cwd: REPOSITORY, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NODE_OPTIONS: '' }, timeout: 25_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stdout.trim().startsWith('{')) return resolve(stdout);
        reject(new Error(`redocly lint gave no report: ${error?.message ?? ''}\n${stderr}`));
      },
    );
  });
}
