import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccessTokens } from '../../../apps/ledger-api/src/platform/auth/access-tokens.js';
import type { Role } from '../../../apps/ledger-api/src/platform/auth/actor.js';
import { processPort } from '../../../libs/integration-events/src/testing/process-port.js';

export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
export const JWT_SECRET = 'crash-test-secret-0123456789abcdef-0123456789';
/** Compiled APIs, one directory per version of the sources: the `npm run build` output, kept apart from dist/. */
const BUILD_CACHE = join(REPOSITORY, 'node_modules/.cache/ledger-crash-api');

/** The sources `npm run build` compiles (tests and testing helpers excluded), and its configuration. */
function buildInputs(): string[] {
  const files: string[] = [];
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') visit(path);
      } else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const root of ['apps', 'libs']) {
    for (const project of readdirSync(join(REPOSITORY, root))) {
      const source = join(REPOSITORY, root, project, 'src');
      if (existsSync(source)) visit(source);
    }
  }
  return [...files.sort(), join(REPOSITORY, 'tsconfig.base.json'), join(REPOSITORY, 'scripts/build.mjs')];
}

/**
 * The crash tests kill the API users run, so they run it compiled exactly as `npm run build`
 * compiles it (scripts/build.mjs: SWC, its server part), into a directory of its own named after a
 * hash of the sources. dist/ is shared with whoever else builds in this tree: a build there halfway
 * through cannot start. A cached build for the same sources is reused.
 */
export function buildApi(): { main: string; built: boolean } {
  const hash = createHash('sha256');
  for (const file of buildInputs()) hash.update(relative(REPOSITORY, file)).update('\0').update(readFileSync(file)).update('\0');
  const directory = join(BUILD_CACHE, hash.digest('hex').slice(0, 16));
  const main = join(directory, 'apps/ledger-api/src/main.js');
  if (existsSync(main)) return { main, built: false };

  mkdirSync(BUILD_CACHE, { recursive: true });
  const staging = mkdtempSync(join(BUILD_CACHE, 'building-'));
  const outDir = relative(REPOSITORY, staging);
  try {
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts/build.mjs'), '--server-only', '--out-dir', outDir], { cwd: REPOSITORY, stdio: 'pipe', timeout: 180_000 });
    // Published whole or not at all; a concurrent run may have published the same build first.
    if (!existsSync(main)) renameSync(staging, directory);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building the API failed: ${(error as Error).message}\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // Builds of older sources are of no more use; spare any another run might still be starting from.
  for (const entry of readdirSync(BUILD_CACHE)) {
    const path = join(BUILD_CACHE, entry);
    if (path !== directory && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  return { main, built: true };
}

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines the process printed, for a failure message. */
  output(): string;
  /** "running", or how it ended (exit code or signal): for a failure message. */
  state(): string;
  /** SIGKILL: no shutdown hook, no flush, no goodbye. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown, as an orchestrator would ask for. */
  stop(): Promise<void>;
}

/** The real API (`node <build>/apps/ledger-api/src/main.js`, see buildApi) on the embedded SQLite store in `dataDirectory`. */
export async function startApi(main: string, dataDirectory: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnApi(main, dataDirectory, await processPort(), env);
    } catch (error) {
      // Another process may take the port between the probe and the listen: try another one.
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}

async function spawnApi(main: string, dataDirectory: string, port: number, env: Record<string, string>): Promise<ApiProcess> {
  return spawnService('the API', main, port, {
    LEDGER_DATA_DIR: dataDirectory,
    LEDGER_SEED_DEMO: 'false',
    LEDGER_JWT_SECRET: JWT_SECRET,
    LEDGER_RATE_LIMIT_PER_MINUTE: '10000000',
    ...env,
  });
}

/**
 * A compiled service (the API, the national hub) as a process of its own on `port`, ready once it
 * answers its liveness probe (the banner it prints is not a contract), so a test can SIGKILL it.
 */
export async function spawnService(label: string, main: string, port: number, env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [main], {
    cwd: REPOSITORY,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = String(code ?? signal)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exit !== undefined) throw new Error(`${label} exited on start (${exit}):\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not start within 60 s:\n${lines.join('\n')}`);
    }
    try {
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    child,
    output: () => lines.join('\n'),
    state: () => (exit === undefined ? `running (pid ${child.pid})` : `exited (${exit})`),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly text: string;
}

/** One user of the API: a bearer token signed with the API's secret. */
export async function clientFor(api: () => ApiProcess, { role, sub, units = ['*'] }: { role: Role; sub: string; units?: string[] }) {
  const token = await new AccessTokens(JWT_SECRET).mint({ userId: sub, role, units }, { ttl: '1h' });
  const request = async (method: string, path: string, { body, key, headers = {} }: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {}): Promise<HttpResponse> => {
    const file = body instanceof Uint8Array;
    const response = await fetch(`${api().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': file ? 'text/csv' : 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : file ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    sub,
    post: (path: string, body: unknown, key: string | null = randomUUID()) => request('POST', path, { body, key }),
    get: (path: string, headers?: Record<string, string>) => request('GET', path, { headers }),
    /** A file as the import routes take it: its bytes as the body. */
    upload: (path: string, file: Uint8Array) => request('POST', path, { body: file }),
  };
}

export type ApiClient = Awaited<ReturnType<typeof clientFor>>;
