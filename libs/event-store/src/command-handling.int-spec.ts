import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  Conflict,
  disbursementDecider,
  DisbursementEventType as T,
  FileImportEventType,
  fileImportDecider,
  type ActivityInPeriod,
  type DisbursementEvent,
  type FileImportCommand,
  type FileImportState,
} from '@ledger/domain';
import { handleCommand, handleCommandOnKnownStream, readDomainStream, type CommandMetadata, type KnownStream } from './command-handling.js';
import { NO_STREAM, type EventStore } from './event-store.port.js';
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

describe('handleCommandOnKnownStream', () => {
  const importStream = 'fileImport-i-1';
  const start: FileImportCommand = {
    type: 'StartFileImport',
    data: { importId: 'i-1', kind: 'BANK_RESULTS', format: 'BANK_RESULTS_CSV', sha256: 'a'.repeat(64), byteLength: 10, lineCount: 3, importedBy: 'lan.operator', units: ['899'], startedAt: '2026-02-10T02:00:00.000Z' },
  };
  const recordChunk = (chunk: number, line: number): FileImportCommand => ({ type: 'RecordReconciledLines', data: { chunk, lines: [{ line, outcome: 'APPLIED', reported: 'PAID' }] } });
  let store: SqliteEventStore;
  let reads: number;
  let counting: EventStore;
  const recordOn = (known: KnownStream<FileImportState>, command: FileImportCommand, on: EventStore = counting) =>
    handleCommandOnKnownStream(on, fileImportDecider, importStream, command, known, { metadata: metadata('import-1') });
  const foldedFromStore = async () => (await readDomainStream<never>(store, importStream)).events.reduce(fileImportDecider.evolve, fileImportDecider.initialState());

  beforeEach(() => {
    store = new SqliteEventStore(new Database(':memory:'));
    reads = 0;
    counting = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'readStream') return (...args: Parameters<EventStore['readStream']>) => (reads++, target.readStream(...args));
        return Reflect.get(target, property, receiver);
      },
    });
  });
  afterEach(async () => store.close());

  it('decides each command on the state it keeps and appends at the revision it knows, reading nothing back', async () => {
    let known: KnownStream<FileImportState> = { state: fileImportDecider.initialState(), revision: NO_STREAM };
    known = await recordOn(known, start);
    known = await recordOn(known, recordChunk(0, 1));
    known = await recordOn(known, recordChunk(1, 2));
    // A chunk already recorded is nothing to write.
    known = await recordOn(known, recordChunk(1, 2));

    expect(reads).toBe(0);
    expect(known.revision).toBe(2n);
    expect([...known.state.chunks]).toEqual([0, 1]);
    expect(known.state).toEqual(await foldedFromStore());
    expect((await store.readStream(importStream)).map((event) => event.type)).toEqual([FileImportEventType.Started, FileImportEventType.LinesReconciled, FileImportEventType.LinesReconciled]);
  });

  it('when another writer appended meanwhile, decides again on the stream as stored and knows it from there', async () => {
    let known: KnownStream<FileImportState> = { state: fileImportDecider.initialState(), revision: NO_STREAM };
    known = await recordOn(known, start);
    // Another process carrying the same import on records chunk 0 behind this one's back.
    const other = await recordOn(known, recordChunk(0, 1), store);
    expect(other.revision).toBe(1n);

    // This one, unaware, records chunk 0 and then chunk 1: the first is found recorded, not written twice.
    known = await recordOn(known, recordChunk(0, 1));
    expect(known.revision).toBe(1n);
    expect(reads).toBeGreaterThan(0);
    known = await recordOn(known, recordChunk(1, 2));

    expect(known.revision).toBe(2n);
    expect(known.state).toEqual(await foldedFromStore());
    expect((await store.readStream(importStream)).filter((event) => event.type === FileImportEventType.LinesReconciled)).toHaveLength(2);
  });

  it('refuses what the state refuses, and writes nothing', async () => {
    const known = await recordOn({ state: fileImportDecider.initialState(), revision: NO_STREAM }, start);
    await expect(recordOn(known, { type: 'CompleteFileImport', data: { completedAt: '2026-02-10T02:05:00.000Z' } })).rejects.toMatchObject({ code: 'IMPORT_INCOMPLETE' });
    expect(await store.readStream(importStream)).toHaveLength(1);
  });
});
