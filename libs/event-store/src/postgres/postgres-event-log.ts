import { randomBytes } from 'node:crypto';

/**
 * The tables of the PostgreSQL event store and the statements the adapter runs on them, in one
 * schema of their own (default `event_store`), so the log can share a database with the read
 * models without sharing a namespace.
 *
 * `event_log_head` is one row: the last global position and the number of streams. An append
 * transaction locks it first (`FOR UPDATE`) and holds it until it commits, so positions and stream
 * ids are handed out in commit order, without gaps: every snapshot of `events` is a prefix of the
 * log (docs/adr/0011-postgresql-event-store.md).
 *
 * Like the SQLite adapter, events are keyed by a small stream id in creation order rather than by
 * the stream's name, and event ids carry no index of their own (a retry is recognised where it
 * would have landed). Stream names compare byte-wise (COLLATE "C"), so the unique index on them
 * also answers a category's prefix range.
 */
export const DEFAULT_EVENT_STORE_SCHEMA = 'event_store';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid event-store schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 48)`);
}

/** Versioned and append-only: a later version adds an entry rather than editing an applied one. */
export function eventLogMigrations(schema: string): ReadonlyArray<{ readonly version: number; readonly statements: readonly string[] }> {
  return [
    {
      version: 1,
      statements: [
        `CREATE TABLE ${schema}.event_log_head (
           singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
           position     bigint  NOT NULL,
           stream_count bigint  NOT NULL
         )`,
        `INSERT INTO ${schema}.event_log_head (position, stream_count) VALUES (0, 0)`,
        `CREATE TABLE ${schema}.streams (
           stream_id   bigint PRIMARY KEY,
           stream_name text COLLATE "C" NOT NULL UNIQUE,
           revision    bigint NOT NULL
         )`,
        `CREATE TABLE ${schema}.events (
           position        bigint      PRIMARY KEY,
           stream_id       bigint      NOT NULL,
           stream_revision bigint      NOT NULL,
           event_id        uuid        NOT NULL,
           type            text        NOT NULL,
           schema_version  integer     NOT NULL,
           data            json        NOT NULL,
           metadata        json        NOT NULL,
           recorded_at     timestamptz NOT NULL,
           UNIQUE (stream_id, stream_revision)
         )`,
      ],
    },
  ];
}

const EVENT_COLUMNS = `e.position, s.stream_name, e.stream_revision, e.event_id, e.type, e.schema_version, e.data, e.metadata, e.recorded_at`;

export interface EventRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  /** The stored JSON text: the pool's type parsers leave json unparsed. */
  data: string;
  metadata: string;
  recorded_at: Date;
}

export function eventLogStatements(schema: string) {
  const s = schema;
  return {
    migrationLock: `SELECT pg_advisory_xact_lock(hashtext('ledger event store schema'), hashtext('${s}'))`,
    createMigrations: `CREATE TABLE IF NOT EXISTS ${s}.event_log_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    appliedMigrations: `SELECT version FROM ${s}.event_log_migrations`,
    recordMigration: `INSERT INTO ${s}.event_log_migrations (version) VALUES ($1)`,

    /**
     * Opens an append transaction, takes the append lock and reads the heads of the batch's streams:
     * one round trip (a simple-protocol query; the names travel as a JSON array in a dollar-quoted
     * literal). The stream read takes its snapshot after the lock (READ COMMITTED, whatever the
     * database's default: a snapshot per statement), so it sees every earlier append.
     * A writer that stalls mid-transaction (a frozen process) is cut off after a minute rather than
     * holding every other writer's appends.
     */
    beginLockAndReadStreams: (streamNamesJson: string, forceSynchronousCommit: boolean) =>
      `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL idle_in_transaction_session_timeout = '60s'; ${forceSynchronousCommit ? 'SET LOCAL synchronous_commit TO on; ' : ''}` +
      `SELECT position, stream_count FROM ${s}.event_log_head FOR UPDATE; ` +
      `SELECT stream_id, stream_name, revision FROM ${s}.streams WHERE stream_name = ANY (ARRAY(SELECT json_array_elements_text(${dollarQuoted(streamNamesJson)}::json)))`,
    /** The events retries would find: revision ranges, and runs from the first event carrying an id. */
    retryCandidates: `
      SELECT e.stream_id, e.stream_revision, e.position, e.event_id, e.type, e.schema_version, e.data, NULL::uuid AS looked_up
      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS r (stream_id, first, last)
      JOIN ${s}.events e ON e.stream_id = r.stream_id AND e.stream_revision BETWEEN r.first AND r.last
      UNION ALL
      SELECT e.stream_id, e.stream_revision, e.position, e.event_id, e.type, e.schema_version, e.data,
             CASE WHEN e.stream_revision = f.stream_revision THEN q.event_id END
      FROM unnest($4::bigint[], $5::uuid[], $6::bigint[]) AS q (stream_id, event_id, n)
      CROSS JOIN LATERAL (
        SELECT stream_revision FROM ${s}.events WHERE stream_id = q.stream_id AND event_id = q.event_id ORDER BY stream_revision LIMIT 1
      ) f
      JOIN ${s}.events e ON e.stream_id = q.stream_id AND e.stream_revision >= f.stream_revision AND e.stream_revision < f.stream_revision + q.n`,
    /**
     * Everything a batch writes, in one statement, followed by `then` (the commit) in the same round
     * trip. Streams and events travel as JSON documents in dollar-quoted literals; each event's data
     * and metadata are JSON texts of their own inside them, stored as they are, byte for byte.
     */
    writeBatch: (batch: WrittenBatch, then: string) => `
      WITH head AS (
        UPDATE ${s}.event_log_head SET position = ${batch.position}, stream_count = ${batch.streamCount}
      ), created AS (
        INSERT INTO ${s}.streams (stream_id, stream_name, revision)
        SELECT * FROM json_to_recordset(${dollarQuoted(batch.createdStreamsJson)}::json) AS c (stream_id bigint, stream_name text, revision bigint)
      ), moved AS (
        UPDATE ${s}.streams AS s SET revision = m.revision
        FROM json_to_recordset(${dollarQuoted(batch.movedStreamsJson)}::json) AS m (stream_id bigint, revision bigint) WHERE s.stream_id = m.stream_id
      )
      INSERT INTO ${s}.events (position, stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at)
      SELECT e.p, e.s, e.r, e.i, e.t, e.v, e.d::json, e.m::json, '${batch.recordedAt.toISOString()}'::timestamptz
      FROM json_to_recordset(${dollarQuoted(batch.eventsJson)}::json) AS e (p bigint, s bigint, r bigint, i uuid, t text, v integer, d text, m text);
      ${then}`,
    commit: (channel: string) => `NOTIFY ${channel}; COMMIT`,

    readStream: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.streams s JOIN ${s}.events e ON e.stream_id = s.stream_id
      WHERE s.stream_name = $1 AND e.stream_revision >= $2 ORDER BY e.stream_revision LIMIT $3`,
    // The name by a look-up per event: the plan stays an index walk along positions, whatever the limit.
    readAll: `
      SELECT e.position, (SELECT stream_name FROM ${s}.streams s WHERE s.stream_id = e.stream_id) AS stream_name,
             e.stream_revision, e.event_id, e.type, e.schema_version, e.data, e.metadata, e.recorded_at
      FROM ${s}.events e WHERE e.position > $1 ORDER BY e.position LIMIT $2`,
    headPosition: `SELECT coalesce(max(position), -1) AS position FROM ${s}.events`,
    // A window of positions at a time, each event's name looked up by its stream id and tested
    // against the categories' name ranges ($3, $4) after the lookup (OFFSET 0 keeps the planner from
    // joining the streams table whole): no event's data is read, and a category of millions of
    // streams costs nothing but the events written in the window. Limiting a page by rows instead
    // had the planner read the whole range and sort it for every page.
    changesWindow: `
      SELECT position, stream_name, stream_revision, type FROM (
        SELECT e.position, (SELECT stream_name FROM ${s}.streams s WHERE s.stream_id = e.stream_id) AS stream_name, e.stream_revision, e.type
        FROM ${s}.events e WHERE e.position > $1 AND e.position <= $2 OFFSET 0
      ) c
      WHERE EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS r (lo, hi) WHERE c.stream_name > r.lo AND c.stream_name < r.hi)
      ORDER BY position`,
    // A category's streams along the name index, each with its last event's type and position.
    categoryHeads: `
      SELECT s.stream_name, s.revision, e.type, e.position FROM ${s}.streams s
      JOIN ${s}.events e ON e.stream_id = s.stream_id AND e.stream_revision = s.revision
      WHERE s.stream_name > $1 AND s.stream_name < $2 ORDER BY s.stream_name LIMIT $3`,
    /**
     * A page of a category's streams in name order (the unique index's range), each with its events.
     * The page is walked along the index one name after the other (each step a `LIMIT 1` look-up
     * past the previous name): `ORDER BY stream_name LIMIT n` over the range leaves the planner free
     * to scan the whole rest of the category and sort it, which it does wherever the tables have no
     * statistics yet (a freshly loaded province, autovacuum off) — every page then costs a scan of
     * the category, a province's read grows with its square. One index step per stream cannot. The
     * price: with statistics, the sorted form read a page of 1,000 in about 7 ms and this in 20.
     */
    categoryPage: `
      WITH RECURSIVE page (stream_id, stream_name, n) AS (
        (SELECT stream_id, stream_name, 1 FROM ${s}.streams WHERE stream_name > $1 AND stream_name < $2 ORDER BY stream_name LIMIT 1)
        UNION ALL
        SELECT following.stream_id, following.stream_name, page.n + 1 FROM page
        CROSS JOIN LATERAL (
          SELECT stream_id, stream_name FROM ${s}.streams WHERE stream_name > page.stream_name AND stream_name < $2 ORDER BY stream_name LIMIT 1
        ) following
        WHERE page.n < $3
      )
      SELECT ${EVENT_COLUMNS}
      FROM page s
      CROSS JOIN LATERAL (SELECT * FROM ${s}.events e WHERE e.stream_id = s.stream_id ORDER BY e.stream_revision) e
      ORDER BY s.stream_name, e.stream_revision`,
    streams: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.streams s
      JOIN ${s}.events e ON e.stream_id = s.stream_id
      WHERE s.stream_name = ANY($1::text[])
      ORDER BY e.stream_id, e.stream_revision`,
    lastEvents: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.streams s
      JOIN ${s}.events e ON e.stream_id = s.stream_id AND e.stream_revision = s.revision
      WHERE s.stream_name = ANY($1::text[])`,
    streamHeads: `
      SELECT s.stream_name, s.revision, e.type FROM ${s}.streams s
      JOIN ${s}.events e ON e.stream_id = s.stream_id AND e.stream_revision = s.revision
      WHERE s.stream_name = ANY($1::text[])`,
  };
}

export type EventLogStatements = ReturnType<typeof eventLogStatements>;

/** What one append transaction writes: the new head, and the streams and events as JSON documents. */
export interface WrittenBatch {
  readonly position: bigint;
  readonly streamCount: bigint;
  /** `[{ stream_id, stream_name, revision }]` */
  readonly createdStreamsJson: string;
  /** `[{ stream_id, revision }]` */
  readonly movedStreamsJson: string;
  /** `[{ p, s, r, i, t, v, d, m }]`: position, stream id, revision, event id, type, schema version, data and metadata as JSON texts. */
  readonly eventsJson: string;
  readonly recordedAt: Date;
}

/**
 * A text as a dollar-quoted literal, under a random tag it does not contain: nothing in it is
 * interpreted, whatever it holds, and nothing has to be escaped.
 */
export function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `$t${randomBytes(6).toString('hex')}$`;
  while (text.includes(tag));
  return `${tag}${text}${tag}`;
}

/** The LISTEN/NOTIFY channel on which a schema's commits are announced. */
export const appendedChannel = (schema: string) => `${schema}_appended`;
