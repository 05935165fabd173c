import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { Projector, rebuildReadModels, replayCheck, type ReadModelStore } from '@ledger/read-models';
import { writeLedgerHistory } from '../../apps/projector/src/testing/ledger-history.js';
import { EVENT_STORE } from '../../apps/ledger-api/src/ledger.tokens.js';
import { PROJECTOR, READ_MODEL_STORE } from '../../apps/ledger-api/src/read-side/read-side.tokens.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, expectStatus, type LedgerActor } from './support/ledger-flow.js';

/**
 * The replay check rebuilds every read model from the log and compares them row by row: seconds
 * of CPU for a province. It runs on a worker thread, so the API keeps answering meanwhile.
 */
describe('the replay check, while the API keeps answering', () => {
  let ledger: TestLedger;
  let auditor: LedgerActor;
  let store: EventStore;
  let readModels: ReadModelStore;
  let projector: Projector;
  let events: number;

  beforeAll(async () => {
    ledger = await startTestLedger();
    auditor = await actor(ledger, 'auditor');
    store = ledger.app.get(EVENT_STORE);
    readModels = ledger.app.get(READ_MODEL_STORE);
    projector = ledger.app.get(PROJECTOR);
    // A district's history: 2,500 people, three months of payments, about 27,000 events.
    events = await writeLedgerHistory(store, 2_500, ['899', '900', '902']);
    expect(await projector.waitFor(await store.headPosition(), 120_000)).toBe(true);
    // The first check starts the worker thread and loads its code (under Jest, compiles it): the
    // probes below measure the checks an auditor runs on an API that has been up a while.
    expectStatus(await auditor.post('/v1/audit/replay-check', {}, null), 200);
  }, 180_000);
  afterAll(() => ledger.close());

  /** GET /health/live one probe after another, 10 ms apart, until `done`; each probe's latency in ms. */
  async function probeLiveness(done: () => boolean): Promise<number[]> {
    const latencies: number[] = [];
    while (!done()) {
      const sent = performance.now();
      const response = await ledger.request('GET', '/health/live');
      latencies.push(performance.now() - sent);
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return latencies;
  }

  it('keeps answering /health/live, probe after probe, while a replay check runs: no probe waits a twentieth of the check', async () => {
    let checking = true;
    const probes = probeLiveness(() => !checking);
    const started = performance.now();
    const check = await auditor.post('/v1/audit/replay-check', {}, null);
    const seconds = (performance.now() - started) / 1000;
    checking = false;
    const latencies = await probes;

    expectStatus(check, 200);
    expect(check.body).toMatchObject({ differences: [], truncated: false });
    expect(check.body.eventsReplayed).toBeGreaterThanOrEqual(events);
    process.stdout.write(`replay check of ${check.body.eventsReplayed} events: ${seconds.toFixed(1)} s; /health/live ×${latencies.length}, max ${Math.max(...latencies).toFixed(1)} ms\n`);
    // A loop the check held would keep a probe waiting for the whole check (seconds). The bound
    // scales with the check because both slow down alike when the machine's cores are shared; on a
    // quiet machine the slowest probe takes a few milliseconds.
    expect(Math.max(...latencies)).toBeLessThan(Math.max(100, (seconds * 1000) / 20));
    // Enough probes to have sampled the whole check, not a lucky moment of it.
    expect(latencies.length).toBeGreaterThanOrEqual(Math.min(20, Math.floor((seconds * 1000) / 40)));
  }, 120_000);

  it('refuses a second check while one runs (409), and runs the next one once it has answered', async () => {
    const first = auditor.post('/v1/audit/replay-check', {}, null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await auditor.post('/v1/audit/replay-check', {}, null);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ status: 409, code: 'REPLAY_CHECK_RUNNING' });
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expectStatus(await first, 200);
    expectStatus(await auditor.post('/v1/audit/replay-check', {}, null), 200);
  }, 120_000);

  it('reports the differences the check on the API thread reports, row for row', async () => {
    const db: Database.Database = (store as SqliteEventStore).db;
    const [row] = db.prepare<[], { disbursement_id: string }>('SELECT disbursement_id FROM disbursements ORDER BY disbursement_id LIMIT 1').all();
    db.prepare("UPDATE disbursements SET amount = 1, status = 'CANCELLED' WHERE disbursement_id = ?").run(row!.disbursement_id);
    db.exec("DELETE FROM beneficiaries WHERE beneficiary_id = (SELECT MAX(beneficiary_id) FROM beneficiaries)");
    try {
      const response = await auditor.post('/v1/audit/replay-check', {}, null);
      expectStatus(response, 200);
      const onThisThread = await replayCheck(store, readModels, { holdStill: (work) => projector.whilePaused(work) });
      // The disbursement's two columns, the person's row, and the disbursement totals the hand edit
      // moved with it (its group at the old status and at CANCELLED): the totals are compared too, so
      // that a total changed by hand, which the monthly summary would show, is caught as well.
      const byTable: Record<string, number> = {};
      for (const { table } of response.body.differences as Array<{ table: string }>) byTable[table] = (byTable[table] ?? 0) + 1;
      expect({ ...byTable, disbursement_totals: undefined }).toEqual({ disbursements: 2, beneficiaries: 1, disbursement_totals: undefined });
      expect(byTable.disbursement_totals).toBeGreaterThanOrEqual(2);
      expect(response.body).toEqual({
        differences: onThisThread.differences,
        checkedPosition: onThisThread.checkedPosition,
        truncated: onThisThread.truncated,
        rowsCompared: onThisThread.rowsCompared,
        eventsReplayed: onThisThread.eventsReplayed,
      });
    } finally {
      await projector.whilePaused(() => rebuildReadModels(store, readModels));
    }
  }, 120_000);
});
