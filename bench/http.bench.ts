// npm run bench:http — the HTTP API under load, as deployed: the built API (dist) in a child process
// on the embedded default (SQLite, WAL, synchronous=FULL, projector in the same process), driven
// by autocannon from this process. Three runs, one table:
//   settle   — every request settles a different SENT disbursement, with its own Idempotency-Key
//   enroll   — every request enrolls a new person
//   read     — every request reads a beneficiary's record (GET /v1/beneficiaries/{id}), a different
//              person each time, as an operator: unmasked, so recorded in the access log where the
//              route carries @RecordsPersonalDataAccess (compare two builds with BENCH_API_DIST)
//   ceiling  — a bare Fastify route (JSON body in, JSON out) in a child process of its own
// and, for reading the figures, the API's floor: GET /health/live, which does no work at all.
//
//   BENCH_SECONDS (30)       length of each run          BENCH_CONNECTIONS (64)   concurrent connections
//   BENCH_WARMUP_SECONDS (3) untimed warm-up per run     BENCH_SETTLEMENTS        SENT disbursements prepared
//   BENCH_SKIP_BUILD=1       use dist as it is           BENCH_CPU_PROF=1         write a .cpuprofile of the API
//   BENCH_API_DIST=<dir>     run another build's dist (an A/B comparison; implies BENCH_SKIP_BUILD)
//   BENCH_RUNS=read,floor    only these runs (settle, enroll, read, ceiling, floor; default all)
//                                                        (to BENCH_PROFILE_DIR, default <tmp>/ledger-http-profiles)
//
// The settle run stops early, and says so, if the prepared disbursements run out before its time.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon, { type Instance, type Options, type Result } from 'autocannon';
import {
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  disbursementIdFor,
  eventsToRecord,
  type Period,
} from '../libs/domain/src/index.js';
import { NO_STREAM, SqliteEventStore, toEventToAppend } from '../libs/event-store/src/index.js';
import { LEDGER_DATABASE_FILE } from '../libs/event-store/src/open-event-store.js';
import { AccessTokens } from '../apps/ledger-api/src/platform/auth/access-tokens.js';
import { personEnrollment, personNationalId, formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? Math.min(3, Math.max(1, Math.floor(SECONDS / 5))));
/** Enough for the target rate with room to spare over the whole run and its warm-up. */
const SETTLEMENTS = Number(process.env.BENCH_SETTLEMENTS ?? Math.max(5_000, (SECONDS + WARMUP_SECONDS) * 3_500));
const PROFILE = process.env.BENCH_CPU_PROF === '1';
const TARGET = { settlesPerSecond: 3_000, p99Ms: 50 };
const RUNS = new Set((process.env.BENCH_RUNS ?? 'settle,enroll,read,ceiling,floor').split(',').map((run) => run.trim()));

const ROOT = resolve(import.meta.dirname, '..');
const PERIOD = '2024-04' as Period;
const PROGRAM = 'MERITORIOUS';
const AMOUNT = 2_055_000; // 1000‰ of the MERITORIOUS standard level in force in 2024-04 (Decree 55/2023)
const UNITS = ['899', '900', '902', '903', '904', '905', '906', '907', '908', '909', '910', '911', '912', '913', '914'];
/** 12 digits: province 091, a man born in 1952, then a six-digit serial: a million distinct people. */

const directory = scratchDirectory('http');
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL')));

const API_MAIN = join(resolve(process.env.BENCH_API_DIST ?? join(ROOT, 'dist')), 'apps/ledger-api/src/main.js');

if (process.env.BENCH_SKIP_BUILD !== '1' && process.env.BENCH_API_DIST === undefined) {
  process.stdout.write('building dist… ');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    console.error(`npm run build failed (BENCH_SKIP_BUILD=1 runs the dist already there):\n${stdout}${stderr}`);
    process.exit(1);
  }
  console.log('done');
}

// ---------------------------------------------------------------------------------------------
// Data: SETTLEMENTS people enrolled straight into the store (through the beneficiary decider, as
// the enroll handler would), before the API opens it; the payroll itself goes through the API.

const enrollPrep = await timed(async () => {
  const store = SqliteEventStore.open(join(directory, LEDGER_DATABASE_FILE));
  const metadata = { actorId: 'bench-maker', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
  for (let start = 0; start < SETTLEMENTS; start += 5_000) {
    await Promise.all(
      Array.from({ length: Math.min(5_000, SETTLEMENTS - start) }, async (_, offset) => {
        const n = start + offset;
        const enroll = personEnrollment(n, { unitCode: UNITS[n % UNITS.length]!, program: PROGRAM, coefficient: 1000, effectiveFrom: PERIOD });
        const { beneficiaryId } = enroll.data;
        const events = eventsToRecord(beneficiaryDecider.decide(enroll, beneficiaryDecider.initialState()));
        await store.appendToStream(beneficiaryStreamName(beneficiaryId), events.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }),
    );
  }
  await store.close();
});
console.log(`prepared ${SETTLEMENTS.toLocaleString('en-US')} beneficiaries in the store in ${enrollPrep.seconds.toFixed(1)} s`);

// ---------------------------------------------------------------------------------------------
// The servers.

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(label: string, args: string[], env: Record<string, string>): ChildProcess {
  const log = createWriteStream(join(directory, `${label}.log`));
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`\n${label} exited early (${code ?? signal}); its log:\n${readFileSync(join(directory, `${label}.log`), 'utf8').slice(-4_000)}`);
      process.exit(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, ready: (response: Response) => Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await ready(await fetch(url))) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let stopping = false;
const secret = randomBytes(32).toString('hex');
const profileDirectory = join(directory, 'profile');
const apiPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
const apiProcess = start(
  'api',
  [
    ...(PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${profileDirectory}`, '--import=data:text/javascript,process.on("SIGUSR2",()=>process.exit(0))'] : []),
    API_MAIN,
  ],
  {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    LEDGER_DATA_DIR: directory,
    LEDGER_JWT_SECRET: secret,
    LEDGER_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    LEDGER_ID_KEY: randomBytes(32).toString('hex'),
    LEDGER_SEED_DEMO: 'false',
    LEDGER_PROJECTOR: 'embedded',
    LEDGER_PAYING_ACCOUNT_NAME: 'SO LAO DONG THUONG BINH VA XA HOI',
    LEDGER_PAYING_ACCOUNT_NUMBER: '1200100009999',
    LEDGER_PAYING_ACCOUNT_BANK_CODE: 'VBA',
    // The limit is per user and the whole load comes from one operator: this measures the ledger, not the limiter's refusals.
    LEDGER_RATE_LIMIT_PER_MINUTE: '1000000000',
  },
);

const helloPort = await freePort();
const hello = `http://127.0.0.1:${helloPort}`;
start(
  'ceiling',
  [
    '--input-type=module',
    '-e',
    `import Fastify from 'fastify';
     const app = Fastify();
     app.post('/hello', async () => ({ hello: 'world' }));
     await app.listen({ port: ${helloPort}, host: '127.0.0.1' });`,
  ],
  {},
);

/** Until the embedded projector has applied every event: a run must not pay for projecting the preparation. */
const readModelsCaughtUp = () =>
  timed(() =>
    waitFor(`${api}/health/ready`, async (response) => {
      if (response.status !== 200) return false;
      const ready = (await response.json()) as { eventStore: { headPosition: string }; readModels?: { checkpoint: string } };
      return ready.readModels === undefined || ready.readModels.checkpoint === ready.eventStore.headPosition;
    }, 600),
  );
const caughtUp = await readModelsCaughtUp();
console.log(`API up, read models caught up with the prepared events, after ${caughtUp.seconds.toFixed(1)} s`);
await waitFor(`${hello}/`, async (response) => response.status === 404, 30);

// ---------------------------------------------------------------------------------------------
// The payroll through the API: scheduled by one operator, approved by another, sent.

const tokens = new AccessTokens(secret);
const makerToken = await tokens.mint({ userId: 'bench-maker', role: 'operator', units: ['91'] });
const checkerToken = await tokens.mint({ userId: 'bench-checker', role: 'operator', units: ['91'] });

async function command(token: string, path: string, body: unknown, expected: number) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${path} answered ${response.status}, not ${expected}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

const payroll = await timed(async () => {
  const { runId, scheduled } = await command(makerToken, '/v1/payroll-runs', { period: PERIOD, program: PROGRAM }, 201);
  if (scheduled !== SETTLEMENTS) throw new Error(`the run scheduled ${scheduled} disbursements, not ${SETTLEMENTS}`);
  await command(checkerToken, `/v1/payroll-runs/${runId}/approve`, {}, 200);
  const sent = await command(makerToken, `/v1/payroll-runs/${runId}/send`, {}, 200);
  if (sent.sent !== SETTLEMENTS) throw new Error(`the run sent ${sent.sent} disbursements, not ${SETTLEMENTS}`);
});
const projected = await readModelsCaughtUp();
console.log(`payroll of ${SETTLEMENTS.toLocaleString('en-US')} scheduled, approved and sent through the API in ${payroll.seconds.toFixed(1)} s; projected ${projected.seconds.toFixed(1)} s later`);
const disbursementIds = Array.from({ length: SETTLEMENTS }, (_, n) => disbursementIdFor(beneficiaryIdFor(personNationalId(n)), PROGRAM, PERIOD));
const beneficiaryIds = Array.from({ length: SETTLEMENTS }, (_, n) => beneficiaryIdFor(personNationalId(n)));

// ---------------------------------------------------------------------------------------------
// The runs.

interface Run {
  readonly label: string;
  readonly result: Result;
  /** Answers other than the one the scenario expects. */
  readonly unexpected: number;
  readonly note?: string;
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time the API process has used so far (user and system, its embedded projector's included), or undefined without /proc. */
function apiCpuMs(): number | undefined {
  try {
    // After the command name's closing parenthesis: state, then … utime and stime (fields 14 and 15 of proc(5)).
    const fields = readFileSync(`/proc/${apiProcess.pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * What each run cost the API in CPU, warm-up included, per response (warm-up included too). Less
 * at the mercy of other work on the machine than req/s: a busy neighbour lowers the rate, but
 * hardly the CPU a request takes.
 */
const apiCpuPerResponse = new Map<Result, number>();

/** One autocannon run; `stop` ends it early (when the prepared records run out). */
function drive(options: Omit<Options, 'connections' | 'duration'>, requests: (stop: () => void) => Options['requests']): Promise<Result> {
  return new Promise((resolve, reject) => {
    let instance: Instance | undefined;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      setImmediate(() => instance?.stop());
    };
    let responses = 0;
    const cpuBefore = apiCpuMs();
    // `warmup` (autocannon ≥ 7.6) is missing from @types/autocannon; its requests are left out of the result.
    const warmup = { warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS } } as Partial<Options>;
    instance = autocannon({ ...options, ...warmup, connections: CONNECTIONS, duration: SECONDS, requests: requests(stop) }, (error, result) => {
      if (error) return reject(error);
      const cpuAfter = apiCpuMs();
      if (cpuBefore !== undefined && cpuAfter !== undefined && responses > 0) apiCpuPerResponse.set(result, (cpuAfter - cpuBefore) / responses);
      resolve(result);
    });
    instance.on('response', () => responses++);
  });
}

/** A run left out by BENCH_RUNS is not driven, and not reported. */
async function skippable(run: string, driven: () => Promise<Result>): Promise<Result | undefined> {
  return RUNS.has(run) ? driven() : undefined;
}

const statusesOf = (result: Result) => Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [Number(status), count ?? 0] as const);
const countOf = (result: Result, status: number) => statusesOf(result).find(([code]) => code === status)?.[1] ?? 0;
const unexpectedOf = (result: Result, expected: number) => result.errors + result.timeouts + statusesOf(result).reduce((sum, [status, count]) => (status === expected ? sum : sum + count), 0);
const loadBefore = loadavg();

if (RUNS.has('ceiling')) console.log(`ceiling: bare Fastify, ${SECONDS} s at ${CONNECTIONS} connections…`);
const ceiling = await skippable('ceiling', () => drive({ url: `${hello}/hello`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: AMOUNT }) }, () => [{}]));

// Not a target: how fast the API answers when it does nothing (a public probe through Nest's
// guards, interceptors and rate limiter), so the settle figure can be read against the framework.
if (RUNS.has('floor')) console.log(`floor: GET /health/live through the API, ${SECONDS} s at ${CONNECTIONS} connections…`);
const floor = await skippable('floor', () => drive({ url: `${api}/health/live` }, () => [{}]));

if (RUNS.has('settle')) console.log(`settle: ${SECONDS} s at ${CONNECTIONS} connections…`);
const monotonicMicros = () => process.hrtime.bigint() / 1000n;
const settleWindow = { from: monotonicMicros(), to: 0n };
let nextSettlement = 0;
let ranOut = false;
const settle = await skippable('settle', () => drive({ url: api }, (stop) => [
  {
    method: 'POST',
    setupRequest: (request) => {
      const n = nextSettlement++;
      if (n >= disbursementIds.length - CONNECTIONS) {
        ranOut = true;
        stop();
      }
      return {
        ...request,
        path: `/v1/disbursements/${disbursementIds[n % disbursementIds.length]}/settle`,
        headers: { authorization: `Bearer ${makerToken}`, 'content-type': 'application/json', 'idempotency-key': `bench-settle-${n}` },
        body: JSON.stringify({ providerReference: `FT${String(n).padStart(10, '0')}`, paidAt: '2024-04-05T09:30:00+07:00', amount: AMOUNT }),
      };
    },
  },
]));

settleWindow.to = monotonicMicros();
if (RUNS.has('enroll')) console.log(`enroll: ${SECONDS} s at ${CONNECTIONS} connections…`);
let nextPerson = SETTLEMENTS;
const enroll = await skippable('enroll', () => drive({ url: api }, () => [
  {
    method: 'POST',
    path: '/v1/beneficiaries',
    setupRequest: (request) => {
      const n = nextPerson++;
      return {
        ...request,
        headers: { authorization: `Bearer ${makerToken}`, 'content-type': 'application/json', 'idempotency-key': `bench-enroll-${n}` },
        body: JSON.stringify({
          nationalId: personNationalId(n),
          fullName: 'Nguyễn Văn An',
          dateOfBirth: '1952-03-14',
          gender: 'MALE',
          unitCode: UNITS[n % UNITS.length],
          program: PROGRAM,
          coefficient: 1000,
          effectiveFrom: PERIOD,
          decision: { number: `${n}/QĐ-UBND`, date: '2024-03-20' },
        }),
      };
    },
  },
]));

if (RUNS.has('read')) console.log(`read: ${SECONDS} s at ${CONNECTIONS} connections…`);
let nextReader = 0;
const read = await skippable('read', () =>
  drive({ url: api }, () => [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: `/v1/beneficiaries/${beneficiaryIds[nextReader++ % beneficiaryIds.length]}`, headers: { authorization: `Bearer ${makerToken}` } }),
    },
  ]),
);
const loadAfter = loadavg();

// ---------------------------------------------------------------------------------------------

stopping = true;
const exited = new Promise((resolve) => apiProcess.once('exit', resolve));
apiProcess.kill(PROFILE ? 'SIGUSR2' : 'SIGTERM');
for (const child of children) if (child !== apiProcess) child.kill('SIGTERM');
await exited;

const runs: Run[] = [
  ...(settle ? [{ label: 'settle (POST /v1/disbursements/{id}/settle)', result: settle, unexpected: unexpectedOf(settle, 200), ...(ranOut ? { note: `stopped after ${settle.duration} s: the ${SETTLEMENTS.toLocaleString('en-US')} prepared disbursements ran out (raise BENCH_SETTLEMENTS)` } : {}) }] : []),
  ...(enroll ? [{ label: 'enroll (POST /v1/beneficiaries)', result: enroll, unexpected: unexpectedOf(enroll, 201) }] : []),
  ...(read ? [{ label: 'read (GET /v1/beneficiaries/{id})', result: read, unexpected: unexpectedOf(read, 200) }] : []),
  ...(ceiling ? [{ label: 'ceiling (bare Fastify, POST JSON)', result: ceiling, unexpected: unexpectedOf(ceiling, 200) }] : []),
  ...(floor ? [{ label: 'floor (GET /health/live, API does nothing)', result: floor, unexpected: unexpectedOf(floor, 200) }] : []),
];
const ceilingRate = ceiling?.requests.average;
printTable(
  `HTTP API under load: ${CONNECTIONS} connections, ${SECONDS} s a run after ${WARMUP_SECONDS} s of warm-up, embedded SQLite (synchronous=FULL), projector embedded — ${machineLine()}`,
  ['run', 'req/s', 'p50 ms', 'p99 ms', 'answered', 'unexpected errors', 'of ceiling'],
  runs.map(({ label, result, unexpected }) => [
    label,
    formatRate(result.requests.average),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    result.requests.total.toLocaleString('en-US'),
    unexpected,
    ceilingRate ? `${((100 * result.requests.average) / ceilingRate).toFixed(1)} %` : '—',
  ]),
);
const apiCosts = runs.flatMap(({ label, result }) => (result === ceiling || !apiCpuPerResponse.has(result) ? [] : [`${label.split(' ')[0]} ${apiCpuPerResponse.get(result)!.toFixed(3)} ms`]));
if (apiCosts.length > 0) console.log(`\nAPI CPU per response (user + system, warm-up included): ${apiCosts.join(', ')}`);
console.log(`\nload average (1/5/15 min): before the runs ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
for (const run of runs) {
  const statuses = statusesOf(run.result).map(([status, count]) => `${status}×${count}`).join(' ');
  console.log(`${run.label}: statuses ${statuses || 'none'}${run.result.errors ? `, ${run.result.errors} connection errors` : ''}${run.result.timeouts ? `, ${run.result.timeouts} timeouts` : ''}${run.note ? ` — ${run.note}` : ''}`);
}
const verdicts = [
  ...(settle
    ? ([
        [`settle ≥ ${formatRate(TARGET.settlesPerSecond)} req/s`, settle.requests.average >= TARGET.settlesPerSecond],
        [`settle p99 ≤ ${TARGET.p99Ms} ms`, settle.latency.p99 <= TARGET.p99Ms],
      ] as const)
    : []),
  ['no unexpected errors', runs.every((run) => run.unexpected === 0)],
] as const;
console.log(`\n${settle ? `${countOf(settle, 200).toLocaleString('en-US')} disbursements settled. ` : ''}Targets: ${verdicts.map(([what, met]) => `${what} ${met ? 'met' : 'MISSED'}`).join('; ')}.`);
if (PROFILE) {
  mkdirSync(profileDirectory, { recursive: true });
  const kept = process.env.BENCH_PROFILE_DIR ?? join(tmpdir(), 'ledger-http-profiles');
  mkdirSync(kept, { recursive: true });
  for (const file of readdirSync(profileDirectory)) {
    const target = join(kept, `http-api-${Date.now()}-${file}`);
    execFileSync('cp', [join(profileDirectory, file), target]);
    // The profile's timestamps are on the same monotonic clock as process.hrtime: this window picks the settle run out of it.
    console.log(`CPU profile of the API: ${target} (the settle run, warm-up included, is ${settleWindow.from}–${settleWindow.to} µs on its clock)`);
  }
}
process.exit(0);
