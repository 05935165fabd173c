import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReadModelStore } from '../read-model-store.js';
import { describeWithPostgres } from '../testing/describe-with-postgres.js';
import { ExpectedReadModels, normalized } from '../testing/expected-read-models.js';
import { postgresAvailability } from '../testing/postgres-scratch.js';
import { scriptedEvents } from '../testing/scripted-events.js';
import { ScriptedLedger, scratchStores } from '../testing/scripted-ledger.js';
import { ReadModelQueries } from './read-model-queries.js';

/**
 * The coverage report as of a period, on one small province told event by event: who counts as
 * active in a month (a suspension or termination from the month it takes effect, whenever it was
 * recorded; a re-enrollment from its new month), and the bank share of each unit's own latest
 * month with payments.
 */
const postgres = await postgresAvailability();
const SA = 'SOCIAL_ASSISTANCE';
const CITY = '899';
const COAST = '900';
/** "Today" for the report, as the API computes it in Asia/Ho_Chi_Minh. */
const CURRENT_PERIOD = '2024-08';

const ledger = new ScriptedLedger();
const stores = await scratchStores(postgres.available);

beforeAll(async () => {
  const e = scriptedEvents(ledger);
  // City (899): paid every month, by bank for the one with a verified account.
  await e.register('b1', CITY);
  await e.enroll('b1', SA, CITY, '2024-01');
  await e.openAccount('b1', 'a-b1', 'VERIFIED');
  await e.register('b2', CITY);
  await e.enroll('b2', SA, CITY, '2024-01');
  await e.register('b3', CITY);
  await e.enroll('b3', SA, CITY, '2024-01');
  await e.register('b4', CITY);
  await e.enroll('b4', SA, CITY, '2024-01');
  // Coast (900).
  for (const id of ['b5', 'b6', 'b7', 'b8', 'b9']) await e.register(id, COAST);
  await e.enroll('b6', SA, COAST, '2024-01');
  await e.enroll('b7', SA, COAST, '2024-01');
  await e.enroll('b8', SA, COAST, '2024-01');
  await e.enroll('b9', SA, COAST, '2024-01');

  ledger.at('2024-03-04T03:00:00Z');
  // b3 dies on 10 March (recorded at once); enrolled again from May under a new decision.
  await e.terminate('b3', SA, '2024-03-10', '2024-03-04');
  // b4 is suspended from March, payments resume from May.
  await e.suspend('b4', SA, '2024-03');
  await e.resume('b4', SA, '2024-05');
  // b7 is suspended from March, and the suspension is still open when the person is terminated.
  await e.suspend('b7', SA, '2024-03');
  ledger.at('2024-04-25T03:00:00Z');
  await e.terminate('b7', SA, '2024-04-20', '2024-04-25');
  await e.terminate('b6', SA, '2024-04-20', '2024-04-25');
  await e.terminate('b8', SA, '2024-04-10', '2024-04-25');
  ledger.at('2024-05-02T03:00:00Z');
  await e.enroll('b3', SA, CITY, '2024-05');
  // b6 was never terminated: the termination is revoked.
  await e.revokeTermination('b6', SA, '2024-04-20', '2024-05-02');
  // b8's termination was dated wrongly: it is 10 July.
  ledger.at('2024-07-12T03:00:00Z');
  await e.correctTermination('b8', SA, '2024-04-10', '2024-07-10', '2024-07-12');
  // b7 enrolled again from June, suspended in July, resumed from August: the old suspension stays as it was.
  ledger.at('2024-06-01T03:00:00Z');
  await e.enroll('b7', SA, COAST, '2024-06');
  ledger.at('2024-07-01T03:00:00Z');
  await e.suspend('b7', SA, '2024-07');
  await e.resume('b7', SA, '2024-08');

  // In August: b2 dies on 15 August; b1's suspension is decided now, to take effect in September.
  ledger.at('2024-08-20T03:00:00Z');
  await e.terminate('b2', SA, '2024-08-15', '2024-08-20');
  await e.suspend('b1', SA, '2024-09');
  // b5 is enrolled in August from October.
  await e.enroll('b5', SA, COAST, '2024-10');

  // Payments. City: May paid (cash); August paid (one bank, one cash); September already paid by bank.
  await e.schedule('d-b4-05', 'b4', SA, '2024-05', CITY, 'CASH');
  await e.send('d-b4-05', 'run-2024-05');
  await e.pay('d-b4-05', '2024-05-09T03:00:00.000Z');
  await e.schedule('d-b1-08', 'b1', SA, '2024-08', CITY, 'BANK');
  await e.send('d-b1-08', 'run-2024-08');
  await e.pay('d-b1-08', '2024-08-09T03:00:00.000Z');
  await e.schedule('d-b3-08', 'b3', SA, '2024-08', CITY, 'CASH');
  await e.send('d-b3-08', 'run-2024-08');
  await e.pay('d-b3-08', '2024-08-09T03:00:00.000Z');
  await e.schedule('d-b1-09', 'b1', SA, '2024-09', CITY, 'BANK');
  await e.send('d-b1-09', 'run-2024-09');
  await e.pay('d-b1-09', '2024-08-28T03:00:00.000Z');
  // Coast: its last paid month is June (two by bank, one cash); August is sent, not paid yet.
  for (const [id, who, channel] of [
    ['d-b6-06', 'b6', 'BANK'],
    ['d-b8-06', 'b8', 'BANK'],
    ['d-b9-06', 'b9', 'CASH'],
  ] as const) {
    await e.schedule(id, who, SA, '2024-06', COAST, channel);
    await e.send(id, 'run-2024-06');
    await e.pay(id, '2024-06-09T03:00:00.000Z');
  }
  await e.schedule('d-b9-08', 'b9', SA, '2024-08', COAST, 'CASH');
  await e.send('d-b9-08', 'run-2024-08');

  for (const store of stores.stores.values()) await ledger.projectInto(store);
}, 60_000);

afterAll(async () => {
  await stores.close();
  await ledger.close();
});

const row = (unitCode: string, asOfPeriod: string, active: number, verified: number, latestPeriod: string | null, paid: number, byBank: number, share: number | null) => ({
  unitCode,
  program: SA,
  asOfPeriod,
  activeBeneficiaries: active,
  verifiedAccounts: verified,
  latestPeriod,
  paidInLatestPeriod: paid,
  paidByBankInLatestPeriod: byBank,
  bankShareInLatestPeriod: share,
});

function describeCoverage(name: 'SQLite' | 'PostgreSQL') {
  const queries = () => new ReadModelQueries(stores.stores.get(name) as ReadModelStore);

  describe('when no period is asked for', () => {
    it('is as of the current period the caller passes', async () => {
      // City: b1 (suspended only from September), b3 (enrolled again from May), b4 (resumed in May);
      // not b2 (terminated in August). Coast: b6 (termination revoked), b7 (second spell, resumed in
      // August), b9; not b8 (terminated in July, as corrected), not b5 (enrolled from October).
      expect((await queries().coverage({}, CURRENT_PERIOD)).items).toEqual([row(CITY, '2024-08', 3, 1, '2024-08', 2, 1, 0.5), row(COAST, '2024-08', 3, 0, '2024-06', 3, 2, 0.6667)]);
    });
  });

  describe('when a suspension is decided for a later month', () => {
    it('counts the person active until that month', async () => {
      const [city] = (await queries().coverage({ units: [CITY] }, CURRENT_PERIOD)).items;
      expect(city!.activeBeneficiaries).toBe(3);
      const [september] = (await queries().coverage({ units: [CITY], period: '2024-09' }, CURRENT_PERIOD)).items;
      // b1 suspended from September; b3 and b4 remain.
      expect(september).toEqual(row(CITY, '2024-09', 2, 0, '2024-09', 1, 1, 1));
    });
  });

  describe('when a termination takes effect', () => {
    it('counts the person from its effective month on, not from the day it was recorded', async () => {
      const activeIn = async (period: string) => (await queries().coverage({ units: [CITY], period }, CURRENT_PERIOD)).items[0]?.activeBeneficiaries;
      // b3 died on 10 March: active in February, terminated from March until the new spell in May.
      expect(await activeIn('2024-02')).toBe(4);
      // March: b3 terminated, b4 suspended.
      expect(await activeIn('2024-03')).toBe(2);
      expect(await activeIn('2024-05')).toBe(4);
      // b2 terminated on 15 August, recorded on the 20th: from August.
      expect(await activeIn('2024-07')).toBe(4);
      expect(await activeIn('2024-08')).toBe(3);
    });

    it('follows a corrected date and forgets a revoked termination', async () => {
      const coastIn = async (period: string) => (await queries().coverage({ units: [COAST], period }, CURRENT_PERIOD)).items[0]?.activeBeneficiaries;
      // April: b6 (revoked), b8 (corrected to July), b9; not b7 (terminated on 20 April).
      expect(await coastIn('2024-04')).toBe(3);
      // June: b7's new spell; July: b7 suspended again and b8 terminated.
      expect(await coastIn('2024-06')).toBe(4);
      expect(await coastIn('2024-07')).toBe(2);
    });
  });

  describe('when a unit has not been paid for the latest month yet', () => {
    it("measures each unit's bank share on its own latest month with payments, up to the period asked for", async () => {
      const coverage = (await queries().coverage({ period: '2024-07' }, CURRENT_PERIOD)).items;
      expect(coverage).toEqual([row(CITY, '2024-07', 4, 1, '2024-05', 1, 0, 0), row(COAST, '2024-07', 2, 0, '2024-06', 3, 2, 0.6667)]);
    });
  });

  it('gives what the domain rule gives on the same events, period by period', async () => {
    const expected = ExpectedReadModels.of(await ledger.recorded());
    for (const period of ['2023-12', '2024-01', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10']) {
      expect([period, normalized((await queries().coverage({ period }, CURRENT_PERIOD)).items)]).toEqual([period, expected.coverage({ period }, CURRENT_PERIOD)]);
    }
  });

  describe('as docs/read-models.md tells analysts to write it', () => {
    it('gives the same answer, period by period', async () => {
      const doc = readFileSync(fileURLToPath(new URL('../../../../docs/read-models.md', import.meta.url)), 'utf8');
      const section = doc.slice(doc.indexOf('### Cashless coverage per unit and program'));
      const sql = section.slice(section.indexOf('```sql') + '```sql'.length, section.indexOf('```', section.indexOf('```sql') + 6));
      for (const period of ['2024-03', '2024-07', '2024-08', '2024-09']) {
        const rows = await stores.stores.get(name)!.query<Record<string, string | number | null>>(sql.replaceAll(':period', `'${period}'`));
        const answer = (await queries().coverage({ period }, CURRENT_PERIOD)).items.map((item) => [
          item.unitCode,
          item.program,
          item.activeBeneficiaries,
          item.verifiedAccounts,
          item.latestPeriod,
          item.paidInLatestPeriod,
          item.bankShareInLatestPeriod,
        ]);
        const documented = rows.map((r) => [
          r.unit_code,
          r.program,
          Number(r.active_beneficiaries),
          Number(r.verified_accounts),
          r.latest_period,
          Number(r.paid_in_latest_period),
          r.bank_share_in_latest_period === null ? null : Number(r.bank_share_in_latest_period),
        ]);
        expect([period, documented]).toEqual([period, answer]);
      }
    });
  });

  describe('the enrollment tables it reads', () => {
    it('keep one row per spell and per suspension, an old suspension untouched by a later spell', async () => {
      const store = stores.stores.get(name)!;
      expect(normalized(await store.query("SELECT effective_from, terminated_on FROM enrollment_spells WHERE beneficiary_id = 'b7' ORDER BY effective_from"))).toEqual([
        { effective_from: '2024-01', terminated_on: '2024-04-20' },
        { effective_from: '2024-06', terminated_on: null },
      ]);
      expect(normalized(await store.query("SELECT suspended_from, resumed_from, ended_by_termination_on FROM enrollment_suspensions WHERE beneficiary_id = 'b7' ORDER BY position"))).toEqual([
        { suspended_from: '2024-03', resumed_from: null, ended_by_termination_on: '2024-04-20' },
        { suspended_from: '2024-07', resumed_from: '2024-08', ended_by_termination_on: null },
      ]);
      expect(normalized(await store.query("SELECT terminated_on FROM enrollment_spells WHERE beneficiary_id IN ('b6', 'b8') ORDER BY beneficiary_id"))).toEqual([
        { terminated_on: null },
        { terminated_on: '2024-07-10' },
      ]);
    });
  });
}

describe('coverage on SQLite', () => describeCoverage('SQLite'));
describeWithPostgres('coverage on PostgreSQL', postgres, () => describeCoverage('PostgreSQL'));
