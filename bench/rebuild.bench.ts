// npm run bench:rebuild — rebuilding the read models from zero: a province's history of at least a
// million events (BENCH_EVENTS to scale), made through the deciders, is appended to a scratch
// SQLite event store; then the read models are rebuilt into SQLite (the same file) and into
// PostgreSQL (a scratch schema, dropped after). Each rebuild runs in a process of its own, so its
// peak RSS is its own. Prints one table.
//
// BENCH_EVENTS_FILE=path keeps the generated log there (or reuses it if it exists): handy with
// `node --cpu-prof --import tsx bench/rebuild.bench.ts`, whose children profile too.
// BENCH_ONLY=sqlite|postgres runs one rebuild. DATABASE_URL chooses the PostgreSQL server.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Period } from '../libs/domain/src/index.js';
import { SqliteEventStore } from '../libs/event-store/src/index.js';
import { PostgresReadModelStore } from '../libs/read-models/src/postgres/postgres-read-model-store.js';
import { rebuildReadModels } from '../libs/read-models/src/projector.js';
import type { ReadModelStore } from '../libs/read-models/src/read-model-store.js';
import { SqliteReadModelStore } from '../libs/read-models/src/sqlite/sqlite-read-model-store.js';
import { configCatalogues } from '../libs/read-models/src/testing/config-catalogues.js';
import { ledgerHistory } from '../libs/read-models/src/testing/ledger-history.js';
import { dropSchema, postgresAvailability, postgresUrl } from '../libs/read-models/src/testing/postgres-scratch.js';
import { formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

interface RebuildResult {
  readonly events: number;
  readonly seconds: number;
  readonly peakRss: number;
  /** CPU seconds of this process, and of the PostgreSQL backends it used: the work done, whatever else the machine was running. */
  readonly cpuSeconds?: number;
  readonly databaseCpuSeconds?: number;
}

/** Unset: each store's own rebuild batch size (5,000 events into SQLite, 2,500 into PostgreSQL). */
const BATCH_SIZE = process.env.BENCH_BATCH === undefined ? undefined : Number(process.env.BENCH_BATCH);
const [mode, target, eventsFile, schema] = process.argv.slice(2);

if (mode === 'rebuild') {
  // A child: one rebuild, its result as JSON on stdout.
  const result = await rebuildInThisProcess(target as 'sqlite' | 'postgres', eventsFile!, schema);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const wanted = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const file = process.env.BENCH_EVENTS_FILE ?? join(scratchDirectory('rebuild'), 'ledger.sqlite');
  const generation = existsSync(file) ? undefined : await generate(file, wanted);
  const only = process.env.BENCH_ONLY;

  const rows: Array<Array<string | number>> = [];
  const row = (label: string, { events, seconds, peakRss, cpuSeconds, databaseCpuSeconds }: RebuildResult) => [
    label,
    events.toLocaleString('en-US'),
    seconds.toFixed(1),
    formatRate(events / seconds),
    (peakRss / 2 ** 20).toFixed(0),
    cpuSeconds === undefined ? '—' : cpuSeconds.toFixed(1),
    databaseCpuSeconds === undefined ? '—' : databaseCpuSeconds.toFixed(1),
  ];
  if (generation) rows.push(row('generate through the deciders and append (SQLite, synchronous=FULL)', generation));

  if (only !== 'postgres') rows.push(row('rebuild into SQLite (same file as the events)', await inChild('sqlite', file)));
  if (only !== 'sqlite') {
    const availability = await postgresAvailability();
    if (!availability.available) {
      process.stderr.write(`\n!! PostgreSQL rebuild SKIPPED: ${availability.reason}\n`);
      rows.push(['rebuild into PostgreSQL', 'skipped', '—', '—', '—', '—', '—']);
    } else {
      const scratchSchema = `bench_rebuild_${process.pid}`;
      try {
        rows.push(row(`rebuild into PostgreSQL (${redactedUrl()}, scratch schema)`, await inChild('postgres', file, scratchSchema)));
      } finally {
        await dropSchema(scratchSchema);
      }
    }
  }

  printTable(
    `Read-model rebuild from zero, batches of ${BATCH_SIZE === undefined ? "each store's own size (SQLite 5,000, PostgreSQL 2,500)" : BATCH_SIZE.toLocaleString('en-US')} events — ${machineLine()}; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`,
    ['run', 'events', 'seconds', 'events/s', 'peak RSS MiB', 'CPU s (Node)', 'CPU s (PostgreSQL)'],
    rows,
  );
  console.log('\nTargets: rebuild ≥ 50,000 events/s into SQLite, ≥ 20,000 events/s into PostgreSQL, peak RSS < 300 MiB.');
  console.log('CPU s: what the rebuild itself used; far below seconds × cores means the machine was busy with other work.');
}

/** Appends a history of at least `wanted` events, a month at a time, in large group-committed batches. */
async function generate(file: string, wanted: number): Promise<RebuildResult> {
  let now = new Date(0);
  const store = new SqliteEventStore(new Database(file), { clock: () => now });
  let events = 0;
  let lastReport = 0;
  let peakRss = 0;
  const started = process.hrtime.bigint();
  const { seconds } = await timed(async () => {
    const history = ledgerHistory({
      catalogues: configCatalogues(),
      // About 80 events per beneficiary over two years; the history stops once it has enough.
      beneficiaries: Math.ceil(wanted / 80),
      firstPeriod: '2023-01' as Period,
      periods: 48,
      stopAfterEvents: wanted,
      seed: 1,
    });
    for (const wave of history) {
      now = wave.at;
      for (let start = 0; start < wave.appends.length; start += 5_000) {
        await Promise.all(wave.appends.slice(start, start + 5_000).map((append) => store.appendToStream(append.streamName, append.events, append.expectedRevision)));
      }
      for (const append of wave.appends) events += append.events.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (Date.now() - lastReport > 2_000) {
        lastReport = Date.now();
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        process.stderr.write(`\rgenerating: ${events.toLocaleString('en-US')} events, ${formatRate(events / elapsed)}/s, at ${wave.at.toISOString().slice(0, 10)}   `);
      }
    }
  });
  await store.close();
  process.stderr.write(`\rgenerated ${events.toLocaleString('en-US')} events in ${seconds.toFixed(0)} s${' '.repeat(30)}\n`);
  return { events, seconds, peakRss };
}

function inChild(target: 'sqlite' | 'postgres', file: string, schema?: string): Promise<RebuildResult> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, script, 'rebuild', target, file, ...(schema ? [schema] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`The ${target} rebuild exited with ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1)!) as RebuildResult);
    });
  });
}

async function rebuildInThisProcess(target: 'sqlite' | 'postgres', file: string, schema: string | undefined): Promise<RebuildResult> {
  const events = SqliteEventStore.open(file);
  const applicationName = `ledger-rebuild-bench-${process.pid}`;
  const readModels: ReadModelStore = target === 'sqlite' ? new SqliteReadModelStore(events.db) : await PostgresReadModelStore.open(withApplicationName(postgresUrl(), applicationName), { schema });
  const databaseCpu = () => (target === 'postgres' ? backendCpuSeconds(readModels, applicationName) : Promise.resolve(undefined));
  const cpuBefore = process.cpuUsage();
  const databaseCpuBefore = await databaseCpu();
  let peakRss = process.memoryUsage().rss;
  // Sampled between batches too: the SQLite rebuild never yields to timers.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  let lastReport = 0;
  const started = process.hrtime.bigint();
  const { seconds, result } = await timed(() =>
    rebuildReadModels(events, readModels, {
      ...(BATCH_SIZE === undefined ? {} : { batchSize: BATCH_SIZE }),
      onProgress: (done) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (Date.now() - lastReport > 2_000) {
          lastReport = Date.now();
          const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
          process.stderr.write(`\rrebuilding into ${target}: ${done.toLocaleString('en-US')} events, ${formatRate(done / elapsed)}/s   `);
        }
      },
    }),
  );
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpuBefore);
  const databaseCpuAfter = await databaseCpu();
  process.stderr.write(`\rrebuilt into ${target}: ${result.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s${' '.repeat(30)}\n`);
  await readModels.close();
  await events.close();
  return {
    events: result.events,
    seconds,
    peakRss,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(databaseCpuBefore !== undefined && databaseCpuAfter !== undefined ? { databaseCpuSeconds: databaseCpuAfter - databaseCpuBefore } : {}),
  };
}

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

/** CPU time of this benchmark's PostgreSQL backends, from /proc when the server runs on this machine. */
async function backendCpuSeconds(store: ReadModelStore, applicationName: string): Promise<number | undefined> {
  try {
    const backends = await store.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ?', [applicationName]);
    let ticks = 0;
    for (const { pid } of backends) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return undefined;
  }
}

function redactedUrl(): string {
  return postgresUrl().replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
