// npm run bench:first-start — what a new user waits for after `npm ci && npm start`: the build
// (`npm run build`), then the API on an empty data directory, which seeds the demo province and
// prints its banner. The two are run as `npm start` runs them, one after the other, timed apart,
// each with the CPU seconds it used (build: every tool npm ran; API: all its threads, up to the
// banner). The machine is usually shared: the load average is printed beside the figures.
//
// BENCH_SKIP_BUILD=1 times the API alone, on the dist/ already built. BENCH_RUNS=n repeats the API.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processPort } from '../libs/integration-events/src/testing/process-port.js';
import { machineLine, printTable, scratchDirectory } from './bench-kit.js';

const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));
const MAIN = join(REPOSITORY, 'dist/apps/ledger-api/src/main.js');
/** The banner's title line: the API is listening and the demo is there. */
const BANNER = /Social-protection payment ledger/;
const SEED_DONE = /^Demo seeded: /;
/** Clock ticks per second in /proc (USER_HZ: 100 on every Linux that runs Node). */
const TICKS = 100;

interface StartResult {
  readonly toBanner: number;
  /** From the first line of the seed to its "Demo seeded" line; undefined if it did not seed. */
  readonly seeding: number | undefined;
  readonly cpu: number | undefined;
  readonly load: number;
}

const rows: Array<Array<string | number>> = [];
const row = (stage: string, seconds: number | undefined, cpu: number | undefined, load: number) => [
  stage,
  seconds === undefined ? '—' : seconds.toFixed(1),
  cpu === undefined ? '—' : cpu.toFixed(1),
  load.toFixed(1),
];

let build: { seconds: number; cpu: number | undefined; load: number } | undefined;
if (process.env.BENCH_SKIP_BUILD !== '1') {
  process.stderr.write('npm run build…\n');
  build = await timedBuild();
  rows.push(row('npm run build (SWC, the console with Vite)', build.seconds, build.cpu, build.load));
}
const runs = Number(process.env.BENCH_RUNS ?? 1);
for (let run = 1; run <= runs; run++) {
  process.stderr.write(`the API on an empty data directory (run ${run} of ${runs})…\n`);
  const start = await timedFirstStart();
  rows.push(row('API start to banner (empty data directory)', start.toBanner, start.cpu, start.load));
  rows.push(row('  of which the demo seed', start.seeding, undefined, start.load));
  if (build) rows.push(row('npm start to banner (build + start)', build.seconds + start.toBanner, build.cpu === undefined || start.cpu === undefined ? undefined : build.cpu + start.cpu, Math.max(build.load, start.load)));
}

printTable(`First start: npm start on a clean data directory to the demo banner — ${machineLine()}; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`, ['stage', 'seconds', 'CPU seconds', 'load (1 min)'], rows);

async function timedBuild(): Promise<{ seconds: number; cpu: number | undefined; load: number }> {
  const cpuBefore = childrenCpu();
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: REPOSITORY, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpu();
  return { seconds, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, load: loadavg()[0]! };
}

async function timedFirstStart(): Promise<StartResult> {
  const dataDirectory = scratchDirectory('first-start');
  const port = await processPort();
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPOSITORY,
    env: { ...process.env, LEDGER_DATA_DIR: dataDirectory, PORT: String(port), HOST: '127.0.0.1', LEDGER_SEED_DEMO: 'true', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    return await new Promise<StartResult>((resolve, reject) => {
      let seedingFrom: number | undefined;
      let seeding: number | undefined;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const now = performance.now();
        output.push(line);
        if (seedingFrom === undefined && /seeding the demo|Finishing the demo seed/.test(line)) seedingFrom = now;
        if (SEED_DONE.test(line) && seedingFrom !== undefined) seeding = (now - seedingFrom) / 1000;
        if (BANNER.test(line)) resolve({ toBanner: (now - started) / 1000, seeding, cpu: processCpu(child.pid!), load: loadavg()[0]! });
      });
      void exited.then((code) => reject(new Error(`The API exited (${code}) before its banner:\n${output.join('\n').slice(-4_000)}`)));
    });
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

/** CPU seconds of a running process, all its threads (Linux /proc), or undefined elsewhere. */
function processCpu(pid: number): number | undefined {
  const fields = procStat(`/proc/${pid}/stat`);
  return fields && (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** CPU seconds of this process's children that have ended and been waited for, with theirs. */
function childrenCpu(): number | undefined {
  const fields = procStat('/proc/self/stat');
  return fields && (Number(fields[13]) + Number(fields[14])) / TICKS;
}

/** The fields of a /proc stat line after the command name (field 3 onwards), which may hold spaces. */
function procStat(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

