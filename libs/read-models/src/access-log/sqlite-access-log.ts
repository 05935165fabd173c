import type Database from 'better-sqlite3';
import { ACCESS_LOG_TABLE } from '../read-model-schema.js';
import { ACCESS_LOG_COLUMNS, accessLogPage, accessLogWhere, accessRecordRow, type AccessLogFilter, type AccessLogPage, type AccessLogRow, type AccessLogStore, type AccessRecord } from './access-log.js';

/** Rows per INSERT: 8 parameters each, far below SQLite's 32,766. */
const ROWS_PER_STATEMENT = 100;
const SYNCHRONOUS_FULL = 2;

/**
 * The access log in a SQLite file: the ledger's own in the embedded mode, through the event
 * store's connection (the read models' table lives there, created by their migrations).
 */
export class SqliteAccessLogStore implements AccessLogStore {
  private readonly insertMany: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly appendInTransaction: (records: readonly AccessRecord[]) => void;

  constructor(
    private readonly db: Database.Database,
    /** Whether closing the store closes the connection (one opened for it alone). */
    private readonly ownsConnection = false,
  ) {
    const insert = (rows: number) =>
      db.prepare(`INSERT INTO ${ACCESS_LOG_TABLE.name} (${ACCESS_LOG_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${ACCESS_LOG_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`);
    this.insertMany = insert(ROWS_PER_STATEMENT);
    this.insertOne = insert(1);
    this.appendInTransaction = db.transaction((records: readonly AccessRecord[]) => {
      let start = 0;
      for (; start + ROWS_PER_STATEMENT <= records.length; start += ROWS_PER_STATEMENT) this.insertMany.run(records.slice(start, start + ROWS_PER_STATEMENT).flatMap(accessRecordRow));
      for (; start < records.length; start++) this.insertOne.run(accessRecordRow(records[start]!));
    });
  }

  /**
   * Durable at commit: the connection runs `synchronous=FULL` (the event store sets it); should it
   * not, this transaction runs under FULL all the same.
   */
  async append(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return;
    const synchronous = Number(this.db.pragma('synchronous', { simple: true }));
    if (synchronous >= SYNCHRONOUS_FULL) return this.appendInTransaction(records);
    this.db.pragma('synchronous = FULL');
    try {
      this.appendInTransaction(records);
    } finally {
      this.db.pragma(`synchronous = ${synchronous}`);
    }
  }

  async page(filter: AccessLogFilter): Promise<AccessLogPage> {
    const { where, parameters } = accessLogWhere(filter);
    const rows = this.db
      .prepare<unknown[], AccessLogRow>(`SELECT id, ${ACCESS_LOG_COLUMNS.join(', ')} FROM ${ACCESS_LOG_TABLE.name} ${where} ORDER BY id LIMIT ?`)
      .safeIntegers(true)
      .all(...parameters.map((value, index) => (index === 0 && filter.after !== undefined ? BigInt(value) : value)), filter.limit + 1);
    return accessLogPage(rows, filter.limit);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) this.db.close();
  }
}
