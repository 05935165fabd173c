// node --import tsx bench/replay-check.bench.ts — does the API keep answering while an auditor runs
// the replay check? The built API (dist) in a child process on a copy of a seeded demo province
// (embedded SQLite, projector in the same process), one POST /v1/audit/replay-check, and meanwhile
// GET /health/live probed from this process one after another, 10 ms apart. Prints the probes'
// latencies (max, p99, p50) before and during the check, how long the check took, and when the
// slowest probes were sent.
//
//   BENCH_LEDGER_DIR=<dir>   a data directory `npm run ledger -- seed` wrote (copied, never changed);
//                            without it the demo is seeded first (about 35-50 s)
//   BENCH_SKIP_BUILD=1       use dist as it is
//   BENCH_API_DIST=<dir>     run another build's dist (a before/after comparison; implies BENCH_SKIP_BUILD)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { AccessTokens } from '../apps/ledger-api/src/platform/auth/access-tokens.js';
import { machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(process.env.BENCH_API_DIST ?? join(ROOT, 'dist'));
const PROBE_PAUSE_MS = 10;

if (process.env.BENCH_SKIP_BUILD !== '1' && process.env.BENCH_API_DIST === undefined) {
  process.stdout.write('building dist… ');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
  console.log('done');
}

const directory = scratchDirectory('replay-check');
const dataDirectory = join(directory, 'data');
if (process.env.BENCH_LEDGER_DIR) {
  cpSync(resolve(process.env.BENCH_LEDGER_DIR), dataDirectory, { recursive: true });
} else {
  const seeded = await timed(() => execFileSync('npm', ['run', '--silent', 'ledger', '--', 'seed'], { cwd: ROOT, env: { ...process.env, LEDGER_DATA_DIR: dataDirectory }, stdio: 'pipe' }));
  console.log(`demo seeded in ${seeded.seconds.toFixed(1)} s`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const port = await freePort();
const api = `http://127.0.0.1:${port}`;
let stopping = false;
const log = createWriteStream(join(directory, 'api.log'));
const child: ChildProcess = spawn(process.execPath, [join(DIST, 'apps/ledger-api/src/main.js')], {
  cwd: ROOT,
  // As deployed: production mode, with the secrets the seed left in the data directory.
  env: {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LEDGER_DATA_DIR: dataDirectory,
    LEDGER_JWT_SECRET: readFileSync(join(dataDirectory, 'jwt-secret'), 'utf8').trim(),
    LEDGER_ID_KEY: readFileSync(join(dataDirectory, 'id-key'), 'utf8').trim(),
    LEDGER_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    LEDGER_SEED_DEMO: 'false',
    LEDGER_PROJECTOR: 'embedded',
    LEDGER_PAYING_ACCOUNT_NAME: 'SO LAO DONG THUONG BINH VA XA HOI',
    LEDGER_PAYING_ACCOUNT_NUMBER: '1200100009999',
    LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
    LEDGER_RATE_LIMIT_PER_MINUTE: '1000000000',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stdout!.pipe(log);
child.stderr!.pipe(log);
child.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the API exited early (${code ?? signal}); its log:\n${readFileSync(join(directory, 'api.log'), 'utf8').slice(-4_000)}`);
  process.exit(1);
});
process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));

/** Until the API answers and its read models hold every event (the check compares at their checkpoint). */
const started = await timed(async () => {
  for (;;) {
    try {
      const response = await fetch(`${api}/health/ready`);
      if (response.status === 200) {
        const ready = (await response.json()) as { eventStore: { headPosition: string }; readModels?: { checkpoint: string } };
        if (ready.readModels?.checkpoint === ready.eventStore.headPosition) return ready.eventStore.headPosition;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});
console.log(`API up on ${started.result === '-1' ? 'an empty log' : `${Number(started.result).toLocaleString('en-US')} events`}, read models caught up, after ${started.seconds.toFixed(1)} s`);

const token = await new AccessTokens(readFileSync(join(dataDirectory, 'jwt-secret'), 'utf8').trim()).mint({ userId: 'bench-auditor', role: 'auditor', units: ['*'] });

/** When each probe was sent (ms since the first) and how long it took. */
const slowest: Array<{ at: number; ms: number }> = [];

/** Probes /health/live one after another until `done` says stop; latencies in ms. */
async function probe(done: () => boolean, keepSlowest = false): Promise<number[]> {
  const latencies: number[] = [];
  const start = performance.now();
  while (!done()) {
    const sent = performance.now();
    const response = await fetch(`${api}/health/live`);
    await response.arrayBuffer();
    latencies.push(performance.now() - sent);
    if (keepSlowest) slowest.push({ at: sent - start, ms: performance.now() - sent });
    if (response.status !== 200) throw new Error(`/health/live answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return latencies;
}

const idleUntil = performance.now() + 3_000;
const idle = await probe(() => performance.now() > idleUntil);

let checking = true;
const during = probe(() => !checking, true);
const check = await timed(async () => {
  const response = await fetch(`${api}/v1/audit/replay-check`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  const body = (await response.json()) as { differences?: unknown[]; eventsReplayed?: number; rowsCompared?: number };
  if (response.status !== 200) throw new Error(`the replay check answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body;
});
checking = false;
const duringCheck = await during;

stopping = true;
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const row = (label: string, values: number[]) => [label, values.length, Math.max(...values).toFixed(1), percentile(values, 99).toFixed(1), percentile(values, 50).toFixed(1)];
printTable(
  `GET /health/live while POST /v1/audit/replay-check runs (${DIST === join(ROOT, 'dist') ? 'this build' : DIST}) — ${machineLine()}`,
  ['probes', 'count', 'max ms', 'p99 ms', 'p50 ms'],
  [row('idle, 3 s before the check', idle), row('during the replay check', duringCheck)],
);
console.log(
  `\nreplay check: ${check.seconds.toFixed(1)} s, ${check.result.eventsReplayed?.toLocaleString('en-US')} events replayed, ${check.result.rowsCompared?.toLocaleString('en-US')} rows compared, ${check.result.differences?.length} differences`,
);
const worst = slowest.sort((a, b) => b.ms - a.ms).slice(0, 3);
console.log(`slowest probes: ${worst.map(({ at, ms }) => `${ms.toFixed(1)} ms at ${(at / 1000).toFixed(2)} s`).join(', ')} into the check`);
process.exit(0);
