import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beneficiaryDecider, beneficiaryIdFor, beneficiaryStreamName, type Coefficient, type LocalDate, type NationalId, type Period } from '@ledger/domain';
import { handleCommand, SqliteEventStore } from '@ledger/event-store';
import { writeLedgerHistory } from '../../../../apps/projector/src/testing/ledger-history.js';
import { Projector } from '../projector.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { compareCodePoints, normalValue, replayCheck } from './replay-check.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-replay-check-'));
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
const live = new SqliteReadModelStore(store.db);

/** Enrolls someone the generated history does not have (its national ids start at 091052000000). */
async function enrollSomeoneElse(n: number): Promise<void> {
  const nationalId = `0910530${String(n).padStart(5, '0')}` as NationalId;
  const beneficiaryId = beneficiaryIdFor(nationalId);
  const data = {
    beneficiaryId,
    nationalId,
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

/** Changes the live read models by hand for one check, then puts them back. */
async function whileAltered<T>(alter: string, restore: string, check: () => Promise<T>): Promise<T> {
  store.db.exec(alter);
  try {
    return await check();
  } finally {
    store.db.exec(restore);
  }
}

describe('the replay check', () => {
  let projector: Projector;
  let disbursementId: string;
  let amount: number;

  beforeAll(async () => {
    await writeLedgerHistory(store, 90, ['899', '900', '902']);
    projector = new Projector(store, live);
    await projector.start();
    await projector.waitFor(await store.headPosition(), 30_000);
    ({ disbursement_id: disbursementId, amount } = store.db.prepare<[], { disbursement_id: string; amount: number }>('SELECT disbursement_id, amount FROM disbursements ORDER BY disbursement_id LIMIT 1').get()!);
  }, 60_000);
  afterAll(async () => {
    await projector.stop();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const holdStill = <T>(work: () => Promise<T>) => projector.whilePaused(work);

  describe('when the live read models are what the log says', () => {
    it('reports no difference, at the live checkpoint', async () => {
      const result = await replayCheck(store, live, { holdStill });
      expect(result).toMatchObject({ differences: [], truncated: false, checkedPosition: (await store.headPosition()).toString() });
      expect(result.rowsCompared).toBeGreaterThan(1_000);
    });

    it('reports none either while commands keep landing and the projector follows them', async () => {
      let landing = true;
      const writing = (async () => {
        for (let n = 0; landing && n < 2_000; n++) await enrollSomeoneElse(n);
      })();
      const result = await replayCheck(store, live, { holdStill });
      landing = false;
      await writing;
      expect(result.differences).toEqual([]);
      expect(BigInt(result.checkedPosition)).toBeLessThanOrEqual(await store.headPosition());
    }, 30_000);
  });

  describe('when a row was altered by hand', () => {
    it('names the table, the key, the column and both values', async () => {
      const result = await whileAltered(
        `UPDATE disbursements SET amount = 1 WHERE disbursement_id = '${disbursementId}'`,
        `UPDATE disbursements SET amount = ${amount} WHERE disbursement_id = '${disbursementId}'`,
        () => replayCheck(store, live, { holdStill }),
      );
      expect(result.differences.filter(({ table }) => table !== 'disbursement_totals')).toEqual([{ table: 'disbursements', key: { disbursement_id: disbursementId }, column: 'amount', live: 1, replayed: amount }]);
      // The database moved the disbursement's group total with it: the replay, which did not, shows the difference.
      const totals = result.differences.filter(({ table }) => table === 'disbursement_totals');
      expect(totals.map(({ column, live, replayed }) => ({ column, moved: Number(live) - Number(replayed) }))).toEqual([{ column: 'total_amount', moved: 1 - amount }]);
    });
  });

  describe('when rows are missing on either side', () => {
    it('reports a deleted row and an invented one, whole', async () => {
      const deleted = store.db.prepare<[], Record<string, unknown>>('SELECT * FROM payment_accounts ORDER BY account_id LIMIT 1').get()!;
      const columns = Object.keys(deleted);
      store.db.prepare('DELETE FROM payment_accounts WHERE account_id = ?').run(deleted.account_id);
      store.db.exec("INSERT INTO enrollments (beneficiary_id, program, unit_code, status, coefficient, effective_from) VALUES ('invented', 'MERITORIOUS', '899', 'ACTIVE', 1000, '2024-01')");
      try {
        const result = await replayCheck(store, live, { holdStill });
        const keptByTheDatabase = ['active_enrollment_changes', 'active_beneficiary_changes'];
        expect(result.differences.filter(({ table }) => !keptByTheDatabase.includes(table))).toEqual([
          { table: 'enrollments', key: { beneficiary_id: 'invented', program: 'MERITORIOUS' }, replayed: null, live: expect.objectContaining({ status: 'ACTIVE', coefficient: 1000 }) },
          { table: 'payment_accounts', key: { account_id: deleted.account_id }, live: null, replayed: expect.objectContaining({ account_id: deleted.account_id, status: deleted.status }) },
        ]);
        // The account was its holder's only verified one: the database moved the person's active
        // changes out of the verified groups with it, and the replay, which did not, shows that too.
        const activeChanges = result.differences.filter(({ table }) => table === 'active_enrollment_changes');
        expect(activeChanges.length).toBeGreaterThan(0);
        expect(activeChanges.map(({ key, column, live, replayed }) => ({ beneficiary: key.beneficiary_id, column, live, replayed }))).toEqual(
          activeChanges.map(() => ({ beneficiary: deleted.beneficiary_id, column: 'verified', live: false, replayed: true })),
        );
        expect(result.differences.some(({ table }) => table === 'active_beneficiary_changes')).toBe(true);
      } finally {
        store.db.prepare(`INSERT INTO payment_accounts (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`).run(deleted);
        store.db.exec("DELETE FROM enrollments WHERE beneficiary_id = 'invented'");
      }
    });
  });

  describe('without a projector to pause (it runs in another process)', () => {
    it('compares once the live checkpoint holds still over a whole comparison', async () => {
      const result = await replayCheck(store, live);
      expect(result).toMatchObject({ differences: [], checkedPosition: projector.checkpoint.toString() });
    });
  });

  describe('comparing values from either store', () => {
    it('reads booleans, bigints and integers as a reader does', () => {
      expect([normalValue('boolean', 1), normalValue('boolean', true), normalValue('boolean', 0), normalValue('boolean', false)]).toEqual([true, true, false, false]);
      expect([normalValue('bigint', 2_055_000), normalValue('bigint', '2055000'), normalValue('bigint', '18446744073709551615')]).toEqual([2_055_000, 2_055_000, '18446744073709551615']);
      expect([normalValue('integer', '3'), normalValue('text', null)]).toEqual([3, null]);
    });

    it('orders text keys by code point, as SQLite and PostgreSQL "C" do', () => {
      expect(['\uffff', '\ud83d\ude00', 'a'].sort(compareCodePoints)).toEqual(['a', '\uffff', '\ud83d\ude00']);
    });
  });
});
