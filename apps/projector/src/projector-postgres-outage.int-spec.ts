import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { SqliteEventStore } from '@ledger/event-store';
import { PostgresReadModelStore, rebuildReadModels } from '@ledger/read-models';
import { describeWithPostgres } from '../../../libs/read-models/src/testing/describe-with-postgres.js';
import { dumpReadModels } from '../../../libs/read-models/src/testing/expected-read-models.js';
import { openScratchPostgresStore, postgresAvailability, postgresUrl } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { startProjectorProcess, type ProjectorProcess } from './projector-process.js';
import { writeLedgerHistory } from './testing/ledger-history.js';

/**
 * The projector reaches PostgreSQL through a TCP proxy that the test cuts in the middle of the
 * projection and restores: meanwhile /health/ready says so, nothing is lost or written twice, and
 * afterwards the read models equal a fresh rebuild, row for row.
 */
const postgres = await postgresAvailability();

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const server = connect(this.upstream);
      for (const socket of [client, server]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readiness = async (projector: ProjectorProcess) => {
  const response = await fetch(`${projector.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status?: string; role?: string; checkpoint?: string; reason?: string } };
};

describeWithPostgres('the projector process during a PostgreSQL outage', postgres, () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-projector-outage-'));
  const database = `ledger_outage_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  const direct = new URL(postgresUrl());
  const proxy = new CuttableProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  let head: bigint;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    await writeLedgerHistory(events, 1_500, ['899', '900', '902']);
    head = await events.headPosition();
    await events.close();
    await proxy.open();
  }, 120_000);

  afterAll(async () => {
    await proxy.cut();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is not ready while PostgreSQL is cut off, resumes when it is back, and ends equal to a rebuild', async () => {
    const throughProxy = new URL(postgresUrl());
    throughProxy.port = String(proxy.port);
    throughProxy.pathname = `/${database}`;
    // The retries' log lines are expected here; kept out of the test output.
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const projector = await startProjectorProcess({
      host: '127.0.0.1',
      port: 0,
      dataDirectory: directory,
      eventStoreConnectionString: undefined,
      databaseUrl: throughProxy.toString(),
      maxBatch: 100,
      national: undefined,
    });
    try {
      await until(async () => projector.projector.checkpoint > 0n, 60_000, 'the first batches');
      await proxy.cut();
      const atCut = projector.projector.checkpoint;
      expect(atCut).toBeLessThan(head);

      await until(async () => (await readiness(projector)).status === 503, 30_000, '/health/ready to report the outage');
      // A lost connection is waited out, never taken for a refused event.
      expect((await readiness(projector)).body.status).toBe('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Its lock connection was cut too: it can no longer be sure it leads, so it stands by.
      expect(await readiness(projector)).toMatchObject({ status: 503, body: { role: 'standby' } });
      expect(projector.role).toBe('standby');
      // At most the batch in flight when the cut came committed; nothing after it.
      expect(projector.projector.checkpoint - atCut).toBeLessThanOrEqual(1_000n);
      const stalled = projector.projector.checkpoint;

      await proxy.open();
      await until(async () => projector.projector.checkpoint === head, 120_000, 'the projector to catch up');
      expect(stalled).toBeLessThan(head);
      await until(async () => (await readiness(projector)).status === 200, 30_000, '/health/ready to recover');
      expect((await readiness(projector)).body).toMatchObject({ role: 'leader', checkpoint: head.toString() });
      expect(projector.projector.halted).toBeUndefined();
      const metrics = await (await fetch(`${projector.url}/metrics`)).text();
      expect(metrics).toContain('ledger_projector_halted 0');
      expect(metrics).toContain('ledger_projector_failures_total{reason="refused"} 0');
      expect(Number(/ledger_projector_failures_total\{reason="connection_lost"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    } finally {
      log.mockRestore();
      await projector.stop();
    }

    const live = await PostgresReadModelStore.open(Object.assign(new URL(postgresUrl()), { pathname: `/${database}` }).toString(), { maxConnections: 2 });
    const scratch = await openScratchPostgresStore('outage_rebuild');
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    try {
      expect(await live.checkpoint()).toBe(head);
      await rebuildReadModels(events, scratch.store, { batchSize: 2_000 });
      const [projected, rebuilt] = [await dumpReadModels(live), await dumpReadModels(scratch.store)];
      expect(projected.disbursements!.length).toBeGreaterThan(1_000);
      expect(projected).toStrictEqual(rebuilt);
    } finally {
      await events.close();
      await live.close();
      await scratch.drop();
    }
  }, 300_000);
});
