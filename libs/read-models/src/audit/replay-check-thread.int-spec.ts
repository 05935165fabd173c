import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beneficiaryDecider, beneficiaryStreamName, type Coefficient, type LocalDate, type NationalId, type Period } from '@ledger/domain';
import { handleCommand, SqliteEventStore } from '@ledger/event-store';
import { writeLedgerHistory } from '../../../../apps/projector/src/testing/ledger-history.js';
import { Projector, rebuildReadModels } from '../projector.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { openScratchPostgresStore, postgresAvailability, postgresUrl } from '../testing/postgres-scratch.js';
import { replayCheck } from './replay-check.js';
import { ReplayCheckAlreadyRunning, ReplayCheckThread, replayCheckLocation } from './replay-check-thread.js';

const postgres = await postgresAvailability();
const directory = mkdtempSync(join(tmpdir(), 'ledger-replay-thread-'));
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
const live = new SqliteReadModelStore(store.db);
const location = replayCheckLocation({ dataDirectory: directory }, store);

/** Enrolls someone the generated history does not have (its national ids start at 091052000000). */
async function enrollSomeoneElse(n: number): Promise<void> {
  const beneficiaryId = randomUUID();
  const data = {
    beneficiaryId,
    nationalId: `0910530${String(n).padStart(5, '0')}` as NationalId,
    fullName: 'Trần Văn Bình',
    dateOfBirth: '1953-05-01' as LocalDate,
    gender: 'MALE' as const,
    unitCode: '902',
    program: 'SOCIAL_ASSISTANCE',
    coefficient: 1500 as Coefficient,
    effectiveFrom: '2024-02' as Period,
    decision: { number: `${n}/QĐ`, date: '2024-01-15' as LocalDate },
  };
  const metadata = { actorId: 'replay-spec', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: 'c', causationId: 'c' };
  await handleCommand(store, beneficiaryDecider, beneficiaryStreamName(beneficiaryId), { type: 'EnrollBeneficiary', data }, { metadata });
}

/**
 * The longest the event loop went without a turn while `work` ran: a timer asked for every 5 ms,
 * and the gap between two of its calls measured.
 */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; turns: number }> {
  let last = performance.now();
  let stallMs = 0;
  let turns = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    turns++;
  }, 5);
  try {
    const result = await work();
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs, turns };
  } finally {
    clearInterval(timer);
  }
}

describe('the replay check on a thread of its own', () => {
  let projector: Projector;
  let thread: ReplayCheckThread;
  const holdStill = <T>(work: () => Promise<T>) => projector.whilePaused(work);

  beforeAll(async () => {
    await writeLedgerHistory(store, 2_000, ['899', '900', '902']);
    projector = new Projector(store, live);
    await projector.start();
    await projector.waitFor(await store.headPosition(), 60_000);
    thread = new ReplayCheckThread(location);
    // The first check starts the worker and loads its code: measured below are the checks after it.
    await thread.run({ holdStill });
  }, 120_000);
  afterAll(async () => {
    await thread.close();
    await projector.stop();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when the live read models are what the log says', () => {
    it('answers what the check on this thread answers, while this thread keeps turning', async () => {
      const { result, stallMs, turns } = await longestStall(() => thread.run({ holdStill }));
      expect(result.differences).toEqual([]);
      expect(result).toEqual(await replayCheck(store, live, { holdStill }));
      expect(result.eventsReplayed).toBeGreaterThan(15_000);
      expect(turns).toBeGreaterThan(10);
      expect(stallMs).toBeLessThan(100);
    }, 60_000);
  });

  describe('when rows were altered, deleted and invented by hand', () => {
    it('reports the same differences, in the same order, as the check on this thread', async () => {
      const [first, second] = store.db.prepare<[], { disbursement_id: string; amount: number }>('SELECT disbursement_id, amount FROM disbursements ORDER BY disbursement_id LIMIT 2').all();
      const account = store.db.prepare<[], Record<string, unknown>>('SELECT * FROM payment_accounts ORDER BY account_id LIMIT 1').get()!;
      store.db.prepare('UPDATE disbursements SET amount = 1 WHERE disbursement_id = ?').run(first!.disbursement_id);
      store.db.prepare("UPDATE disbursements SET status = 'PAID', days_late = 99 WHERE disbursement_id = ?").run(second!.disbursement_id);
      store.db.prepare('DELETE FROM payment_accounts WHERE account_id = ?').run(account.account_id);
      store.db.exec("INSERT INTO enrollments (beneficiary_id, program, unit_code, status, coefficient, effective_from) VALUES ('invented', 'MERITORIOUS', '899', 'ACTIVE', 1000, '2024-01')");
      try {
        const offThread = await thread.run({ holdStill });
        expect(offThread.differences.length).toBeGreaterThanOrEqual(4);
        expect(offThread).toEqual(await replayCheck(store, live, { holdStill }));
        expect(offThread.differences).toContainEqual({ table: 'disbursements', key: { disbursement_id: first!.disbursement_id }, column: 'amount', live: 1, replayed: first!.amount });
      } finally {
        await rebuildReadModels(store, live);
      }
    }, 60_000);

    it('caps the differences it reports and says so', async () => {
      store.db.exec('UPDATE disbursements SET amount = amount + 1');
      try {
        const result = await thread.run({ holdStill, maxDifferences: 3 });
        expect(result).toMatchObject({ truncated: true, differences: expect.any(Array) });
        expect(result.differences).toHaveLength(3);
      } finally {
        await rebuildReadModels(store, live);
      }
    }, 60_000);
  });

  describe('while commands keep landing and the projector follows them', () => {
    it('compares at a position the read models held still at, and finds nothing', async () => {
      let landing = true;
      const before = await store.headPosition();
      const writing = (async () => {
        for (let n = 0; landing && n < 2_000; n++) await enrollSomeoneElse(n);
      })();
      const result = await thread.run({ holdStill });
      landing = false;
      await writing;
      expect(result.differences).toEqual([]);
      expect(BigInt(result.checkedPosition)).toBeGreaterThanOrEqual(before);
      await projector.waitFor(await store.headPosition(), 30_000);
    }, 60_000);
  });

  describe('when a second check is asked for while one runs', () => {
    it('refuses it rather than start a second rebuild, and runs again once the first has answered', async () => {
      const first = thread.run({ holdStill });
      expect(thread.busy).toBe(true);
      await expect(thread.run({ holdStill })).rejects.toBeInstanceOf(ReplayCheckAlreadyRunning);
      expect((await first).differences).toEqual([]);
      expect(thread.busy).toBe(false);
      expect((await thread.run({ holdStill })).differences).toEqual([]);
    }, 60_000);
  });

  describe('without a projector to pause (it runs in another process)', () => {
    it('compares once the live checkpoint holds still over a whole comparison', async () => {
      const result = await thread.run();
      expect(result).toMatchObject({ differences: [], checkedPosition: projector.checkpoint.toString() });
    }, 60_000);
  });

  describe('when the worker cannot open the ledger', () => {
    it('fails with the reason, and leaves the projector running', async () => {
      const lost = new ReplayCheckThread({ events: { sqliteFile: join(directory, 'missing.sqlite') }, readModels: { sqliteFile: join(directory, 'missing.sqlite') } });
      try {
        await expect(lost.run({ holdStill })).rejects.toThrow(/replay check failed.*missing\.sqlite|unable to open|does not exist/i);
      } finally {
        await lost.close();
      }
      await expect(projector.whilePaused(async () => 'paused and resumed')).resolves.toBe('paused and resumed');
    }, 60_000);
  });

  describeWithPostgres('when the live read models are in PostgreSQL', postgres, () => {
    it('replays the SQLite log and compares it with them, finding a row altered there', async () => {
      const scratch = await openScratchPostgresStore('replay_thread');
      const pgThread = new ReplayCheckThread({ events: location.events, readModels: { databaseUrl: postgresUrl(), schema: scratch.schema } });
      try {
        await rebuildReadModels(store, scratch.store);
        expect((await pgThread.run()).differences).toEqual([]);
        const [row] = await scratch.store.query<{ disbursement_id: string; amount: number }>('SELECT disbursement_id, amount FROM disbursements ORDER BY disbursement_id LIMIT 1');
        await scratch.store.apply([{ kind: 'update', table: 'disbursements', where: { disbursement_id: row!.disbursement_id }, set: { amount: 7 } }], await scratch.store.checkpoint());
        const result = await pgThread.run();
        expect(result.differences.filter(({ table }) => table !== 'disbursement_totals')).toEqual([{ table: 'disbursements', key: { disbursement_id: row!.disbursement_id }, column: 'amount', live: 7, replayed: row!.amount }]);
        // And the group total the database moved with it.
        const totals = result.differences.filter(({ table }) => table === 'disbursement_totals');
        expect(totals.map(({ column, live, replayed }) => ({ column, moved: Number(live) - Number(replayed) }))).toEqual([{ column: 'total_amount', moved: 7 - Number(row!.amount) }]);
        expect(result).toEqual(await replayCheck(store, scratch.store));
      } finally {
        await pgThread.close();
        await scratch.drop();
      }
    }, 120_000);
  });
});
