import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { Conflict, disbursementDecider, DisbursementEventType as T, type ActivityInPeriod, type DisbursementEvent } from '@ledger/domain';
import { handleCommand, type CommandMetadata } from './command-handling.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** The generic command handler on a real (in-memory) SQLite store, with the real disbursement decider. */
const stream = 'disbursement-d-1';
const active: ActivityInPeriod = { active: true };
const paidAt = new Date('2024-04-05T02:30:00.000Z');
const settle = (providerReference: string) => ({ type: 'SettleDisbursement', data: { providerReference, paidAt, amount: 2_055_000, daysLate: 0, enrollment: active, recordedAt: paidAt } }) as const;
const metadata = (idempotencyKey: string): CommandMetadata => ({
  actorId: 'lan.operator',
  actorRole: 'operator',
  command: 'SettleDisbursement',
  correlationId: idempotencyKey,
  causationId: idempotencyKey,
  idempotencyKey,
});
const history: DisbursementEvent[] = [
  {
    type: T.Scheduled,
    data: {
      disbursementId: 'd-1',
      beneficiaryId: 'b-1',
      program: 'MERITORIOUS',
      period: '2024-04',
      unitCode: '899',
      amount: 2_055_000,
      channel: 'CASH',
      account: null,
      dueDate: '2024-04-10',
      arrears: false,
      payrollRunId: 'run-1',
      attempt: 1,
    },
  },
  { type: T.Sent, data: { payrollRunId: 'run-1', attempt: 1 } },
];

describe('handleCommand', () => {
  let store: SqliteEventStore;
  const settleWith = (key: string, reference: string) => handleCommand(store, disbursementDecider, stream, settle(reference), { metadata: metadata(key), eventIdSeed: key });

  beforeEach(async () => {
    store = new SqliteEventStore(new Database(':memory:'));
    for (const [index, event] of history.entries()) {
      await handleCommand(store, { ...disbursementDecider, decide: () => [event] }, stream, settle('setup'), { metadata: metadata(`setup-${index}`), eventIdSeed: `setup-${index}` });
    }
  });
  afterEach(async () => store.close());

  it('answers a retried command with its first outcome and writes nothing again', async () => {
    const first = await settleWith('key-1', 'PO24096000501');
    const again = await settleWith('key-1', 'PO24096000501');
    expect(first).toMatchObject({ replayed: false, newEvents: [{ type: T.Paid }] });
    expect(again).toMatchObject({ replayed: true, newEvents: [], position: first.position });
    expect((await store.readStream(stream)).map((event) => event.type)).toEqual([T.Scheduled, T.Sent, T.Paid]);
  });

  it('refuses a retried duplicate settlement again, rather than answering it as paid', async () => {
    await settleWith('key-1', 'PO24096000501');
    const refusal = await settleWith('key-2', 'PO24096000502').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(Conflict);
    const recorded = await store.readStream(stream);
    expect(recorded.map((event) => event.type)).toEqual([T.Scheduled, T.Sent, T.Paid, T.DuplicatePaymentRejected]);

    // The refusal's response was lost (a crash before the idempotency store kept it); the client retries.
    await expect(settleWith('key-2', 'PO24096000502')).rejects.toMatchObject({ code: (refusal as Conflict).code });
    expect(await store.readStream(stream)).toHaveLength(recorded.length);
  });
});
