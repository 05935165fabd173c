import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildReadModels, type PostgresReadModelStore } from '@ledger/read-models';
import { describeWithPostgres } from '../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dumpReadModels } from '../../../libs/read-models/src/testing/expected-read-models.js';
import { openScratchPostgresStore, postgresAvailability, postgresUrl } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { LEAD_KEY_SQL } from './projector-lead.js';
import { writeLedgerHistory } from './testing/ledger-history.js';

/**
 * Two projector processes on read models in PostgreSQL: one leads, the other stands by. The leader
 * is killed with SIGKILL in the middle of the projection; the standby takes the lead, finishes, and
 * the read models equal a fresh rebuild, row for row, with no event projected twice.
 */
const postgres = await postgresAvailability();
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Started {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly output: string[];
}

function startProjector(directory: string, databaseUrl: string): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, LEDGER_DATA_DIR: directory, DATABASE_URL: databaseUrl, LEDGER_PROJECTOR_BATCH: '50', PROJECTOR_PORT: '0', NODE_ENV: 'test', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the projector exited (${code}) before serving: ${output.join('')}`)));
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        output.push(text);
        const served = /\/health and \/metrics at (\S+)/.exec(output.join(''));
        if (served) resolve(served[1]!);
      });
    }
  });
  url.catch(() => undefined);
  return { child, url, output };
}

const readiness = async (started: Started) => {
  const response = await fetch(`${await started.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status?: string; role?: string; checkpoint?: string } };
};

const sample = async (started: Started, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${await started.url}/metrics`)).text())?.[1]);

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));

describeWithPostgres('two projector processes, one leading and one standing by', postgres, () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-projector-standby-'));
  let live: { store: PostgresReadModelStore; schema: string; drop: () => Promise<void> };
  let databaseUrl: string;
  let head: bigint;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    await writeLedgerHistory(events, 1_200, ['899', '900', '902']);
    head = await events.headPosition();
    await events.close();
    live = await openScratchPostgresStore('standby');
    const url = new URL(postgresUrl());
    url.searchParams.set('options', `-c search_path=${live.schema}`);
    databaseUrl = url.toString();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await live?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('the standby takes over from a leader killed mid-projection, and the read models end equal to a rebuild', async () => {
    // The test holds the lead first, so that both processes are seen standing by before either projects.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    const [{ class: lockClass, key }] = (await holder.query<{ class: number; key: number }>(LEAD_KEY_SQL)).rows as [{ class: number; key: number }];
    expect((await holder.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [lockClass, key])).rows[0]!.locked).toBe(true);

    const processes = [startProjector(directory, databaseUrl), startProjector(directory, databaseUrl)];
    children.push(...processes.map((started) => started.child));
    try {
      for (const started of processes) {
        await until(async () => (await readiness(started)).body.role === 'standby', 30_000, 'a projector to stand by');
        // A standby is ready (an orchestrator must not restart it for standing by) and says so.
        expect(await readiness(started)).toMatchObject({ status: 200, body: { status: 'ok', role: 'standby', checkpoint: '-1' } });
        expect(await sample(started, 'ledger_projector_leader')).toBe(0);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await live.store.checkpoint()).toBe(-1n);

      await holder.end();
      await until(async () => (await live.store.checkpoint()) > 0n, 30_000, 'the first batches', 2);
      const roles = await Promise.all(processes.map(async (started) => (await readiness(started)).body.role));
      const leader = processes[roles.indexOf('leader')]!;
      const standby = processes[roles.indexOf('standby')]!;
      expect(roles.sort()).toEqual(['leader', 'standby']);
      leader.child.kill('SIGKILL');
      await exited(leader.child);

      const atKill = await live.store.checkpoint();
      const takeover = /projecting from position (\d+)/;
      await until(async () => takeover.test(standby.output.join('')), 30_000, 'the standby to take the lead', 50);
      // Where the standby started: after any batch of the dead leader still committing, which it waited for.
      const atTakeover = BigInt(takeover.exec(standby.output.join(''))![1]!);
      expect(atTakeover).toBeGreaterThanOrEqual(atKill);
      expect(atTakeover).toBeGreaterThan(0n);
      expect(atTakeover).toBeLessThan(head);

      await until(async () => (await live.store.checkpoint()) === head, 60_000, 'the new leader to reach the head', 50);
      expect(await sample(standby, 'ledger_projector_leader')).toBe(1);
      // Nothing counted twice: the new leader projected exactly the events after the dead one's checkpoint (positions are dense in SQLite).
      expect(await sample(standby, 'ledger_projector_events_total')).toBe(Number(head - atTakeover));
      standby.child.kill('SIGTERM');
      await exited(standby.child);
      expect(standby.child.exitCode).toBe(0);
    } finally {
      for (const started of processes) started.child.kill('SIGKILL');
    }

    const rebuilt = await openScratchPostgresStore('standby_rebuild');
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    try {
      await rebuildReadModels(events, rebuilt.store, { batchSize: 2_500 });
      const [projected, expected] = [await dumpReadModels(live.store), await dumpReadModels(rebuilt.store)];
      expect(projected.disbursements!.length).toBe(3_600);
      expect(projected).toStrictEqual(expected);
    } finally {
      await events.close();
      await rebuilt.drop();
    }
  }, 120_000);
});
