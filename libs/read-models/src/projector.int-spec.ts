import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { Projector, ProjectionHalted } from './projector.js';
import type { ReadModelStore } from './read-model-store.js';
import type { RowChange } from './row-changes.js';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
import { scriptedEvents } from './testing/scripted-events.js';
import { ScriptedLedger } from './testing/scripted-ledger.js';

/**
 * What the projector does when a batch does not commit: a store it cannot reach is tried again
 * until it can; an event the store refuses stops the projector at the event before it, loudly.
 */

/** The read models, with a way to make `apply` fail as a test wants. */
function failingStore(inner: ReadModelStore, failure: (changes: readonly RowChange[]) => unknown): ReadModelStore {
  return Object.create(inner, {
    apply: {
      value: async (changes: readonly RowChange[], checkpoint: bigint) => {
        const error = failure(changes);
        if (error) throw error;
        return inner.apply(changes, checkpoint);
      },
    },
  });
}

/** As PostgreSQL refuses a value out of a bigint column's range. */
const outOfRange = () => Object.assign(new Error('value "1e+21" is out of range for type bigint'), { code: '22003' });
const lockedFile = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
const touchesDisbursement = (changes: readonly RowChange[], id: string) => changes.some((change) => change.table === 'disbursements' && (change.kind === 'update' ? change.where : change.row).disbursement_id === id);

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the projector', () => {
  let ledger: ScriptedLedger;
  let readModels: SqliteReadModelStore;
  let projector: Projector | undefined;
  let refused: bigint;
  let head: bigint;

  beforeEach(async () => {
    ledger = new ScriptedLedger();
    readModels = new SqliteReadModelStore(new Database(':memory:'));
    const e = scriptedEvents(ledger);
    for (const id of ['b1', 'b2', 'b3']) {
      await e.register(id, '899');
      await e.enroll(id, 'SOCIAL_ASSISTANCE', '899', '2024-01');
    }
    await e.schedule('d-b1', 'b1', 'SOCIAL_ASSISTANCE', '2024-01', '899', 'CASH');
    refused = await e.schedule('d-bad', 'b2', 'SOCIAL_ASSISTANCE', '2024-01', '899', 'CASH');
    await e.schedule('d-b3', 'b3', 'SOCIAL_ASSISTANCE', '2024-01', '899', 'CASH');
    head = await ledger.events.headPosition();
  });

  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await ledger.close();
  });

  describe('when the read models cannot be reached for a while', () => {
    it('tries the batch again until it commits, and carries on', async () => {
      let outage = 3;
      const errors: unknown[] = [];
      const halts: ProjectionHalted[] = [];
      const store = failingStore(readModels, () => (outage-- > 0 ? lockedFile() : undefined));
      projector = new Projector(ledger.events, store, { maxRetryPauseMs: 1, onError: (error) => errors.push(error), onHalt: (halt) => halts.push(halt) });
      await projector.start();

      expect(await projector.waitFor(head, 10_000)).toBe(true);
      expect(errors).toHaveLength(3);
      expect(halts).toEqual([]);
      expect(projector.halted).toBeUndefined();
      expect(projector.failure).toBeUndefined();
      expect(await readModels.query('SELECT disbursement_id FROM disbursements ORDER BY disbursement_id')).toEqual([
        { disbursement_id: 'd-b1' },
        { disbursement_id: 'd-b3' },
        { disbursement_id: 'd-bad' },
      ]);
    });
  });

  describe('when the read models refuse an event', () => {
    it('commits the events before it, stops there and says which event, once', async () => {
      const errors: unknown[] = [];
      const halts: ProjectionHalted[] = [];
      const store = failingStore(readModels, (changes) => (touchesDisbursement(changes, 'd-bad') ? outOfRange() : undefined));
      projector = new Projector(ledger.events, store, { maxRetryPauseMs: 1, onError: (error) => errors.push(error), onHalt: (halt) => halts.push(halt) });
      await projector.start();
      await until(() => projector!.halted !== undefined);

      const halt = projector.halted!;
      expect(halt).toBeInstanceOf(ProjectionHalted);
      expect(halts).toEqual([halt]);
      expect(errors).toEqual([]);
      expect(halt.position).toBe(refused);
      expect(halt.checkpoint).toBe(refused - 1n);
      expect(halt.eventType).toBe('DisbursementScheduled');
      expect(halt.streamName).toBe('disbursement-d-bad');
      expect(halt.message).toContain(`refused event ${refused} (DisbursementScheduled in disbursement-d-bad)`);
      expect(halt.message).toContain('out of range for type bigint');
      expect(halt.message).toContain(`stopped at position ${refused - 1n}`);
      expect(projector.failure).toBe(halt);
      // Everything before the refused event is there (it came in the same batch), nothing after it.
      expect(await readModels.checkpoint()).toBe(refused - 1n);
      expect(projector.checkpoint).toBe(refused - 1n);
      expect(await readModels.query('SELECT disbursement_id FROM disbursements')).toEqual([{ disbursement_id: 'd-b1' }]);
      expect(await readModels.query('SELECT COUNT(*) AS links FROM audit_chain')).toEqual([{ links: Number(refused - 1n) }]);
    });

    it('projects nothing more, even as new events arrive', async () => {
      const store = failingStore(readModels, (changes) => (touchesDisbursement(changes, 'd-bad') ? outOfRange() : undefined));
      projector = new Projector(ledger.events, store, { maxRetryPauseMs: 1 });
      await projector.start();
      await until(() => projector!.halted !== undefined);

      await scriptedEvents(ledger).register('b4', '899');
      expect(await projector.waitFor(await ledger.events.headPosition(), 300)).toBe(false);
      expect(await readModels.checkpoint()).toBe(refused - 1n);
    });

    it('stops as well on an event its own projection cannot read, which no retry would change', async () => {
      // An enrollment without its decision, as no decider writes it.
      const position = await ledger.append('beneficiary-b9', 'EnrollmentStarted', { beneficiaryId: 'b9', program: 'SOCIAL_ASSISTANCE' });
      const errors: unknown[] = [];
      projector = new Projector(ledger.events, readModels, { maxRetryPauseMs: 1, onError: (error) => errors.push(error) });
      await projector.start();
      await until(() => projector!.halted !== undefined);

      expect(projector.halted!.position).toBe(position);
      expect(projector.halted!.eventType).toBe('EnrollmentStarted');
      expect(errors).toEqual([]);
      expect(await readModels.checkpoint()).toBe(position - 1n);
    });
  });

  describe('when a rebuild meets a refused event', () => {
    it('fails rather than skip it', async () => {
      const { rebuildReadModels } = await import('./projector.js');
      const store = failingStore(readModels, (changes) => (touchesDisbursement(changes, 'd-bad') ? outOfRange() : undefined));
      await expect(rebuildReadModels(ledger.events, store, { batchSize: 100 })).rejects.toHaveProperty('code', '22003');
      expect(await readModels.checkpoint()).toBe(-1n);
    });
  });
});
