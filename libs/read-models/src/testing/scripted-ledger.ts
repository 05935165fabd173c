import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { schemaVersionOf } from '@ledger/domain';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { projectLedgerEvent } from '../projections/ledger.projection.js';
import { rebuildReadModels } from '../projector.js';
import type { ReadModelStore } from '../read-model-store.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { dumpReadModels } from './expected-read-models.js';
import { openScratchPostgresStore } from './postgres-scratch.js';

/**
 * A ledger written event by event, as a test states it: each event exactly as stored (any schema
 * version, including the shapes older ledgers wrote), at the instant given. For read-model specs
 * that need one precise situation rather than a generated history.
 */
export class ScriptedLedger {
  readonly events: SqliteEventStore;
  private now = new Date('2024-01-01T01:00:00Z');
  private readonly revisions = new Map<string, bigint>();

  constructor() {
    this.events = new SqliteEventStore(new Database(':memory:'), { clock: () => this.now });
  }

  /** Later events are recorded at `instant` (ISO 8601). */
  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  /** Appends one event to `streamName`; `schemaVersion` defaults to the one written today. Returns its global position. */
  async append(streamName: string, type: string, data: object, schemaVersion = schemaVersionOf(type)): Promise<bigint> {
    const revision = this.revisions.get(streamName);
    await this.events.appendToStream(
      streamName,
      [{ id: randomUUID(), type, schemaVersion, data: data as never, metadata: { actorId: 'officer-1', actorRole: 'operator', command: 'Scripted', correlationId: randomUUID(), causationId: randomUUID() } }],
      revision === undefined ? 'no_stream' : revision,
    );
    this.revisions.set(streamName, (revision ?? -1n) + 1n);
    return this.events.headPosition();
  }

  async recorded(): Promise<RecordedEvent[]> {
    return this.events.readAll();
  }

  /**
   * Projects the whole log into `store` twice, one event per batch and then all in one batch, and
   * checks both give the same rows: a rule must hold whether its events meet in one transaction or
   * not. Then applies the whole log's row changes once more, as after a crash between the commit
   * and the projector learning of it, and checks that nothing changes.
   */
  async projectInto(store: ReadModelStore): Promise<void> {
    await rebuildReadModels(this.events, store, { batchSize: 1 });
    const oneByOne = await dumpReadModels(store);
    await rebuildReadModels(this.events, store, { batchSize: 10_000 });
    const together = await dumpReadModels(store);
    differ('one event per batch', oneByOne, 'all in one batch', together);
    const recorded = await this.recorded();
    await store.apply(recorded.flatMap(projectLedgerEvent), recorded.at(-1)!.globalPosition);
    differ('projected once', together, 'the same batch applied again', await dumpReadModels(store));
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}

function differ(firstName: string, first: unknown, secondName: string, second: unknown): void {
  if (JSON.stringify(first) !== JSON.stringify(second)) throw new Error(`${firstName} and ${secondName}, the read models differ:\n${JSON.stringify(first)}\n${JSON.stringify(second)}`);
}

/** A fresh store of each kind to project a scripted ledger into; PostgreSQL in a scratch schema when `withPostgres`. */
export async function scratchStores(withPostgres: boolean): Promise<{ stores: Map<'SQLite' | 'PostgreSQL', ReadModelStore>; close: () => Promise<void> }> {
  const stores = new Map<'SQLite' | 'PostgreSQL', ReadModelStore>([['SQLite', new SqliteReadModelStore(new Database(':memory:'))]]);
  const cleanup: Array<() => Promise<void>> = [];
  if (withPostgres) {
    const scratch = await openScratchPostgresStore('scripted');
    stores.set('PostgreSQL', scratch.store);
    cleanup.push(scratch.drop);
  }
  return { stores, close: async () => void (await Promise.all(cleanup.map((step) => step()))) };
}
