import { open, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';

/** The first response given to an idempotency key, replayed for every retry with the same request. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly contentType: string;
  /** The body exactly as sent (JSON text), or '' for an empty one. */
  readonly body: string;
}

/** What the caller was allowed when a response was made: their token's role and units. */
export interface AccessGrant {
  readonly role: string;
  readonly units: readonly string[];
}

export interface IdempotencyRecord {
  /** SHA-256 of method, path and canonical body: a retry must match it to be replayed. */
  readonly fingerprint: string;
  readonly response: StoredResponse;
  /**
   * The grant the response was made under; a retry under another is decided again instead of
   * replayed. Absent for a record kept from before grants were recorded, which is never replayed.
   */
  readonly grant?: AccessGrant;
  readonly createdAt: Date;
}

/** Same role and the same units (in any order): a response made under one may be replayed under the other. */
export function sameGrant(a: AccessGrant | undefined, b: AccessGrant | undefined): boolean {
  if (!a || !b || a.role !== b.role) return false;
  const units = new Set(a.units);
  const others = new Set(b.units);
  return units.size === others.size && [...units].every((unit) => others.has(unit));
}

/** Lets the key go for the next request with it; never rejects. */
export type ReleaseKey = () => Promise<void>;

/**
 * Keys are scoped per user (`sub`): two users may pick the same key without meeting. Asynchronous
 * so that a PostgreSQL implementation fits the same shape.
 */
export interface IdempotencyStore {
  /**
   * Holds the key against other processes sharing the store until released, waiting while another
   * holds it; a process that dies lets its keys go. Within one process the interceptor already
   * makes a second request wait for the first.
   */
  hold(scope: string, key: string): Promise<ReleaseKey>;
  find(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Records the first response; a record already there for the key wins (it was first). */
  save(scope: string, key: string, record: IdempotencyRecord): Promise<void>;
  /** Forgets keys created before `cutoff`; returns how many. */
  purgeCreatedBefore(cutoff: Date): Promise<number>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');

export const IDEMPOTENCY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    status_code  INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    actor_grant  TEXT,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at);
`;

/** A table created before grants were recorded gets the column; its rows keep NULL (never replayed). */
function addGrantColumnIfMissing(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('idempotency_keys')").all();
  if (!columns.some((column) => column.name === 'actor_grant')) db.exec('ALTER TABLE idempotency_keys ADD COLUMN actor_grant TEXT');
}

interface PendingSave {
  readonly scope: string;
  readonly key: string;
  readonly record: IdempotencyRecord;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** SQLite's `synchronous` levels: FULL (2) and EXTRA (3) sync the WAL at every commit. */
const SYNCHRONOUS_FULL = 2;

interface Row {
  fingerprint: string;
  status_code: number;
  content_type: string;
  body: string;
  created_at: number;
  actor_grant: string | null;
}

/**
 * Keys in a SQLite file: the ledger's own file in the embedded mode (same WAL, same durability as
 * the events), or a file of its own beside an EventStoreDB. Either way it is local to one API
 * process; several API instances share PostgreSQL instead (PostgresIdempotencyStore).
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly statements;
  private readonly saveBatch: Database.Transaction<(batch: readonly PendingSave[]) => void>;
  /** Saves asked for during this turn of the event loop: committed together. */
  private pending: PendingSave[] = [];
  private flushScheduled = false;
  /** The connection's own level, restored after each commit of keys: the event store's appends keep theirs. */
  private readonly synchronous: number;
  /** Where a commit is made durable apart from the commit itself, when it can be: the connection's WAL file. */
  private readonly walPath: string | undefined;
  private wal: Promise<FileHandle> | undefined;
  /** Saves committed but not yet on disk: they wait for the next sync of the WAL. */
  private awaitingSync: PendingSave[] = [];
  private syncing: Promise<void> | undefined;

  /** Its own file, for when the events are not in SQLite (EventStoreDB). */
  static open(path: string): SqliteIdempotencyStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    return new SqliteIdempotencyStore(db, { ownsDatabase: true });
  }

  constructor(
    private readonly db: Database.Database,
    private readonly options: { readonly ownsDatabase: boolean } = { ownsDatabase: false },
  ) {
    db.exec(IDEMPOTENCY_SCHEMA);
    addGrantColumnIfMissing(db);
    this.synchronous = Number(db.pragma('synchronous', { simple: true }));
    const walMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
    this.walPath = walMode && !db.memory && this.synchronous >= SYNCHRONOUS_FULL ? `${db.name}-wal` : undefined;
    this.statements = {
      find: db.prepare<[string, string], Row>('SELECT fingerprint, status_code, content_type, body, created_at, actor_grant FROM idempotency_keys WHERE scope = ? AND key = ?'),
      save: db.prepare(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, content_type, body, created_at, actor_grant)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING`,
      ),
      purge: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
    this.saveBatch = db.transaction((batch: readonly PendingSave[]) => {
      for (const { scope, key, record } of batch) {
        const { fingerprint, response, createdAt, grant } = record;
        const storedGrant = grant ? JSON.stringify({ role: grant.role, units: [...grant.units] }) : null;
        this.statements.save.run(scope, key, fingerprint, response.statusCode, response.contentType, response.body, createdAt.getTime(), storedGrant);
      }
    });
  }

  /** One process per file: the interceptor's own wait is the whole hold. */
  async hold(): Promise<ReleaseKey> {
    return async () => undefined;
  }

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = this.statements.find.get(scope, key);
    if (!row) return undefined;
    return {
      fingerprint: row.fingerprint,
      response: { statusCode: row.status_code, contentType: row.content_type, body: row.body },
      ...(row.actor_grant === null ? {} : { grant: JSON.parse(row.actor_grant) as AccessGrant }),
      createdAt: new Date(row.created_at),
    };
  }

  /**
   * Group-committed like the event store's appends: under synchronous=FULL a commit per request
   * would cost an fsync each. The promise still resolves only once the record is on disk, so the
   * response it guards is never sent before its replay is stored. On a WAL file the commit itself
   * does not sync: the WAL is synced afterwards in the thread pool, so the event loop goes on
   * serving while the disk works (see `flush`).
   */
  save(scope: string, key: string, record: IdempotencyRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ scope, key, record, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Commits the batch without syncing, then has it synced by an fdatasync of the WAL file. That is
   * all a FULL commit does in WAL mode, only on this thread: the frames just written are on disk
   * once the WAL is, and a checkpoint that moves them to the database file first syncs both (SQLite
   * does at every level but OFF). The event store's own commits, on the same connection, stay FULL.
   */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const syncApart = this.walPath !== undefined && !this.db.inTransaction;
    try {
      if (syncApart) this.db.pragma('synchronous = NORMAL');
      try {
        this.saveBatch(batch);
      } finally {
        if (syncApart) this.db.pragma(`synchronous = ${this.synchronous}`);
      }
    } catch (error) {
      for (const save of batch) save.reject(error);
      return;
    }
    if (!syncApart) {
      for (const save of batch) save.resolve();
      return;
    }
    this.awaitingSync.push(...batch);
    this.syncing ??= this.syncWal();
  }

  /** One fdatasync at a time; the saves committed meanwhile share the next one. */
  private async syncWal(): Promise<void> {
    while (this.awaitingSync.length > 0) {
      const batch = this.awaitingSync;
      this.awaitingSync = [];
      try {
        this.wal ??= open(this.walPath!, 'r+');
        await (await this.wal).datasync();
      } catch (error) {
        // These saves fail (their requests answer 500, and a retry finds the record or decides again); the WAL is opened afresh for the next.
        const failed = this.wal;
        this.wal = undefined;
        void failed?.then((handle) => handle.close()).catch(() => undefined);
        for (const save of batch) save.reject(error);
        continue;
      }
      for (const save of batch) save.resolve();
    }
    this.syncing = undefined;
  }

  async purgeCreatedBefore(cutoff: Date): Promise<number> {
    return this.statements.purge.run(cutoff.getTime()).changes;
  }

  async close(): Promise<void> {
    this.flush();
    await this.syncing;
    await (await this.wal?.catch(() => undefined))?.close();
    // A shared connection belongs to the event store, which closes it.
    if (this.options.ownsDatabase) this.db.close();
  }
}
