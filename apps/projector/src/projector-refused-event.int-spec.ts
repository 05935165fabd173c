import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { SqliteEventStore } from '@ledger/event-store';
import { PostgresReadModelStore } from '@ledger/read-models';
import { describeWithPostgres } from '../../../libs/read-models/src/testing/describe-with-postgres.js';
import { postgresAvailability, postgresUrl } from '../../../libs/read-models/src/testing/postgres-scratch.js';
import { startProjectorProcess, type ProjectorProcess } from './projector-process.js';
import { writeLedgerHistory } from './testing/ledger-history.js';

/**
 * An event whose row PostgreSQL refuses (an amount of 1e21 VND in a bigint column: no decider
 * writes one, an old bug or a hand-made event could) must not be retried in silence forever while
 * the reports freeze: the projector stops at the event before it, logs the position, counts it in
 * /metrics and answers /health/ready 503 with the reason.
 */
const postgres = await postgresAvailability();

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readiness = async (projector: ProjectorProcess) => {
  const response = await fetch(`${projector.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string; checkpoint?: string; refusedPosition?: string } };
};
const metrics = async (projector: ProjectorProcess) => (await fetch(`${projector.url}/metrics`)).text();

describeWithPostgres('the projector process when PostgreSQL refuses an event', postgres, () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-projector-refused-'));
  const database = `ledger_refused_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  const databaseUrl = Object.assign(new URL(postgresUrl()), { pathname: `/${database}` }).toString();
  let refused: bigint;
  let head: bigint;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const events = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
    await writeLedgerHistory(events, 300, ['899', '900']);
    const metadata = { actorId: 'officer-1', actorRole: 'operator', command: 'ScheduleDisbursement', correlationId: randomUUID(), causationId: randomUUID() };
    await events.appendToStream(
      'disbursement-d-overflow',
      [
        {
          id: randomUUID(),
          type: 'DisbursementScheduled',
          schemaVersion: 1,
          data: {
            disbursementId: 'd-overflow',
            beneficiaryId: 'b-overflow',
            program: 'SOCIAL_ASSISTANCE',
            period: '2024-03',
            unitCode: '899',
            amount: 1e21,
            channel: 'CASH',
            account: null,
            dueDate: '2024-03-10',
            arrears: false,
            payrollRunId: 'run-2024-03',
            attempt: 1,
          },
          metadata,
        },
      ],
      'no_stream',
    );
    refused = await events.headPosition();
    // Life goes on after it: these must not be projected over the refused event.
    await events.appendToStream(
      'beneficiary-b-after',
      [{ id: randomUUID(), type: 'BeneficiaryRegistered', schemaVersion: 1, data: { beneficiaryId: 'b-after', nationalId: '091152000001', fullName: 'Lê Thị Hoa', dateOfBirth: '1952-03-14', gender: 'FEMALE', unitCode: '899' }, metadata }],
      'no_stream',
    );
    head = await events.headPosition();
    await events.close();
  }, 120_000);

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(directory, { recursive: true, force: true });
  });

  it('stops at the event before it, logs its position, counts it and is not ready, saying why', async () => {
    const logged: string[] = [];
    const log = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void logged.push(parts.join(' ')));
    const projector = await startProjectorProcess({ host: '127.0.0.1', port: 0, dataDirectory: directory, eventStoreConnectionString: undefined, databaseUrl, maxBatch: 250, national: undefined });
    try {
      await until(async () => (await readiness(projector)).body.status === 'halted', 60_000, '/health/ready to report the halt');

      const { status, body } = await readiness(projector);
      expect(status).toBe(503);
      expect(body.refusedPosition).toBe(refused.toString());
      expect(body.checkpoint).toBe((refused - 1n).toString());
      expect(body.reason).toContain(`refused event ${refused} (DisbursementScheduled in disbursement-d-overflow)`);
      expect(body.reason).toMatch(/bigint/);
      expect(projector.projector.checkpoint).toBe(refused - 1n);

      expect(logged.filter((line) => line.includes('PROJECTION HALTED'))).toEqual([expect.stringContaining(`PROJECTION HALTED at position ${refused - 1n}, refused event ${refused}`)]);
      const text = await metrics(projector);
      expect(text).toContain('ledger_projector_halted 1');
      expect(text).toContain('ledger_projector_failures_total{reason="refused"} 1');
      expect(text).toContain('ledger_projector_failures_total{reason="connection_lost"} 0');
      expect(text).toContain(`ledger_read_models_checkpoint_position ${refused - 1n}`);

      // It stays stopped: the event after the refused one is not projected.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(projector.projector.checkpoint).toBe(refused - 1n);
      expect(head).toBeGreaterThan(refused);
      expect((await readiness(projector)).status).toBe(503);
    } finally {
      log.mockRestore();
      await projector.stop();
    }

    const live = await PostgresReadModelStore.open(databaseUrl, { maxConnections: 2 });
    try {
      expect(await live.checkpoint()).toBe(refused - 1n);
      expect(await live.query("SELECT disbursement_id FROM disbursements WHERE disbursement_id = 'd-overflow'")).toEqual([]);
      expect(await live.query("SELECT beneficiary_id FROM beneficiaries WHERE beneficiary_id = 'b-after'")).toEqual([]);
    } finally {
      await live.close();
    }
  }, 120_000);
});
