import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore } from '@ledger/event-store';
import { Projector, rebuildReadModels } from '../projector.js';
import { READ_MODEL_TABLES, type ColumnType, type TableDefinition } from '../read-model-schema.js';
import type { ReadModelStore } from '../read-model-store.js';
import type { SqlValue } from '../row-changes.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';

/** One way the live read models differ from a replay of the log. */
export interface ReadModelDifference {
  readonly table: string;
  /** The row's key columns. */
  readonly key: Readonly<Record<string, NormalValue>>;
  /** The column that differs; absent when the whole row is missing on one side. */
  readonly column?: string;
  /** The live value (a whole row, or null when the live read models lack the row). */
  readonly live: NormalValue | Readonly<Record<string, NormalValue>>;
  /** The replayed value (a whole row, or null when the replay has no such row). */
  readonly replayed: NormalValue | Readonly<Record<string, NormalValue>>;
}

export interface ReplayCheckResult {
  /** The position both sides were compared at: the live read models' checkpoint. */
  readonly checkedPosition: string;
  readonly differences: readonly ReadModelDifference[];
  /** True when there were more differences than were reported. */
  readonly truncated: boolean;
  readonly rowsCompared: number;
  readonly eventsReplayed: number;
}

export interface ReplayCheckOptions {
  /**
   * Runs the comparison while the live read models hold still at their checkpoint (the embedded
   * projector pauses: Projector.whilePaused). Without it — the projector runs in another process —
   * the comparison is repeated until the live checkpoint was the same before and after it.
   */
  readonly holdStill?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Most differences reported; past it the result says `truncated`. */
  readonly maxDifferences?: number;
  /** Comparisons tried while the live read models keep moving, before giving up. */
  readonly attempts?: number;
  readonly pageSize?: number;
}

/** What the check reads of the live read models: where they stand, and their rows. */
export type LiveReadModels = Pick<ReadModelStore, 'checkpoint' | 'query'>;

export class ReadModelsKeptMoving extends Error {
  override readonly name = 'ReadModelsKeptMoving';
}

/**
 * The replay check: rebuilds every read model from zero into scratch storage (a temporary
 * SQLite file, so memory stays flat however long the log), up to the live read models' checkpoint,
 * and compares the two table by table, row by row, in key order.
 *
 * Values are compared as a reader understands them, so that a PostgreSQL live store compares with
 * the SQLite scratch one: booleans whether stored as 0/1 or true/false, bigints whether they come
 * back as numbers or strings.
 */
export async function replayCheck(store: EventStore, live: LiveReadModels, options: ReplayCheckOptions = {}): Promise<ReplayCheckResult> {
  const { holdStill, maxDifferences = 10_000, attempts = 5, pageSize = 2_000 } = options;
  const scratch = ScratchReadModels.open();
  try {
    let replayedTo = await live.checkpoint();
    let eventsReplayed = (await rebuildReadModels(store, scratch.store, { upTo: replayedTo })).events;

    const compareAt = async (position: bigint) => {
      if (position < replayedTo) {
        // The live read models went back (a rebuild of theirs is under way): replay afresh.
        eventsReplayed = (await rebuildReadModels(store, scratch.store, { upTo: position })).events;
      } else if (position > replayedTo) {
        eventsReplayed += await replayFurther(store, scratch.store, replayedTo, position);
      }
      replayedTo = position;
      return compareReadModels(live, scratch.store, { maxDifferences, pageSize });
    };

    if (holdStill) {
      return await holdStill(async () => {
        const position = await live.checkpoint();
        const comparison = await compareAt(position);
        return { checkedPosition: position.toString(), ...comparison, eventsReplayed };
      });
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const before = await live.checkpoint();
      const comparison = await compareAt(before);
      if ((await live.checkpoint()) === before) return { checkedPosition: before.toString(), ...comparison, eventsReplayed };
    }
    throw new ReadModelsKeptMoving(`The live read models moved during each of ${attempts} comparisons; try again when the ledger is quieter.`);
  } finally {
    scratch.close();
  }
}

/** Projects the events after `from` up to `upTo` into read models already at `from`. */
async function replayFurther(store: EventStore, readModels: ReadModelStore, from: bigint, upTo: bigint): Promise<number> {
  const projector = new Projector(store, readModels);
  let after = from;
  let events = 0;
  for (;;) {
    const read = await store.readAll({ after, maxCount: 5_000 });
    const batch = read.filter((event) => event.globalPosition <= upTo);
    if (batch.length === 0) return events;
    await projector.applyBatch(batch);
    events += batch.length;
    after = batch.at(-1)!.globalPosition;
    if (batch.length < read.length) return events;
  }
}

/** A SqliteReadModelStore in a temporary file: durability does not matter, so no journal and no fsync. */
class ScratchReadModels {
  private constructor(
    private readonly directory: string,
    private readonly db: Database.Database,
    readonly store: SqliteReadModelStore,
  ) {}

  static open(): ScratchReadModels {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-replay-check-'));
    const db = new Database(join(directory, 'replay.sqlite'));
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    return new ScratchReadModels(directory, db, new SqliteReadModelStore(db));
  }

  close(): void {
    this.db.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export type NormalValue = string | number | boolean | null;

/** A value as a reader understands it, whichever store it came from. */
export function normalValue(type: ColumnType, value: unknown): NormalValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      return value === true || value === 1 || value === 1n || value === '1' || value === 't' || value === 'true';
    case 'bigint': {
      const digits = typeof value === 'string' ? value : String(value);
      const number = Number(digits);
      // A number while exact, the digits beyond: two sides agree exactly either way.
      return Number.isSafeInteger(number) ? number : BigInt(digits).toString();
    }
    case 'integer':
      return Number(value);
    case 'text':
      return String(value);
  }
}

/** Compares every read-model table of `live` with `replayed`, row by row in key order. */
export async function compareReadModels(
  live: LiveReadModels,
  replayed: LiveReadModels,
  { maxDifferences = 10_000, pageSize = 2_000, tables = READ_MODEL_TABLES }: { maxDifferences?: number; pageSize?: number; tables?: readonly TableDefinition[] } = {},
): Promise<{ differences: ReadModelDifference[]; truncated: boolean; rowsCompared: number }> {
  const differences: ReadModelDifference[] = [];
  let truncated = false;
  let rowsCompared = 0;
  const report = (difference: ReadModelDifference) => {
    if (differences.length < maxDifferences) differences.push(difference);
    else truncated = true;
  };

  for (const table of tables) {
    const types = new Map(table.columns.map(([name, type]) => [name, type]));
    const normalRow = (row: Record<string, unknown>) => Object.fromEntries(table.columns.map(([name, type]) => [name, normalValue(type, row[name])]));
    const keyOf = (row: Record<string, NormalValue>) => Object.fromEntries(table.key.map((column) => [column, row[column]!]));
    const compareKeys = (a: Record<string, NormalValue>, b: Record<string, NormalValue>) => {
      for (const column of table.key) {
        const order = compareKeyValues(types.get(column)!, a[column]!, b[column]!);
        if (order !== 0) return order;
      }
      return 0;
    };
    const liveRows = new TableCursor(live, table, pageSize, normalRow);
    const replayedRows = new TableCursor(replayed, table, pageSize, normalRow);

    for (;;) {
      const [a, b] = [await liveRows.peek(), await replayedRows.peek()];
      if (!a && !b) break;
      rowsCompared++;
      const order = !a ? 1 : !b ? -1 : compareKeys(a, b);
      if (order < 0) {
        report({ table: table.name, key: keyOf(a!), live: a!, replayed: null });
        liveRows.advance();
      } else if (order > 0) {
        report({ table: table.name, key: keyOf(b!), live: null, replayed: b! });
        replayedRows.advance();
      } else {
        for (const [column] of table.columns) {
          if (a![column] !== b![column]) report({ table: table.name, key: keyOf(a!), column, live: a![column]!, replayed: b![column]! });
        }
        liveRows.advance();
        replayedRows.advance();
      }
    }
  }
  return { differences, truncated, rowsCompared };
}

/**
 * Key order as both stores sort: numbers by value, text by code point (SQLite compares UTF-8 bytes,
 * the PostgreSQL read models use the "C" collation; JavaScript's `<` compares UTF-16 code units,
 * which disagrees for characters beyond U+FFFF).
 */
function compareKeyValues(type: ColumnType, a: NormalValue, b: NormalValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (type === 'bigint' || type === 'integer') {
    const [x, y] = [BigInt(a as string | number), BigInt(b as string | number)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareCodePoints(String(a), String(b));
}

export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    const xAstral = x >= 0xd800 && x <= 0xdfff;
    const yAstral = y >= 0xd800 && y <= 0xdfff;
    if (xAstral !== yAstral) return xAstral ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** One table's rows in key order, read a page at a time (keyset paging on the key). */
class TableCursor {
  private rows: Record<string, NormalValue>[] = [];
  private index = 0;
  private lastKey: SqlValue[] | undefined;
  private done = false;
  private readonly columns: string;
  private readonly order: string;

  constructor(
    private readonly store: LiveReadModels,
    private readonly table: TableDefinition,
    private readonly pageSize: number,
    private readonly normalRow: (row: Record<string, unknown>) => Record<string, NormalValue>,
  ) {
    this.columns = table.columns.map(([name]) => name).join(', ');
    this.order = table.key.join(', ');
  }

  async peek(): Promise<Record<string, NormalValue> | undefined> {
    if (this.index < this.rows.length) return this.rows[this.index];
    if (this.done) return undefined;
    const keys = this.table.key;
    const after = this.lastKey ? (keys.length === 1 ? ` WHERE ${keys[0]} > ?` : ` WHERE (${this.order}) > (${keys.map(() => '?').join(', ')})`) : '';
    const raw = await this.store.query<Record<string, unknown>>(`SELECT ${this.columns} FROM ${this.table.name}${after} ORDER BY ${this.order} LIMIT ?`, [
      ...(this.lastKey ?? []),
      this.pageSize,
    ]);
    if (raw.length < this.pageSize) this.done = true;
    if (raw.length > 0) this.lastKey = keys.map((column) => raw[raw.length - 1]![column] as SqlValue);
    this.rows = raw.map(this.normalRow);
    this.index = 0;
    return this.rows[0];
  }

  advance(): void {
    this.index++;
  }
}
