import type Database from 'better-sqlite3';
import type { ChainFields } from './audit-chain.js';
import type { ChainLink, ChainPage } from './chain-verification.js';

// Read by the verification workers too: this file imports nothing but what a worker can load.

export interface SqliteChainRange {
  /** Exclusive; from the first event by default. */
  readonly after?: bigint;
  /** Inclusive. */
  readonly upTo: bigint;
  readonly pageSize?: number;
}

/** Lets requests and timers run between pages of a long walk. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The embedded ledger's log and recorded chain (one SQLite file), in pages, straight from the
 * stored rows: the TEXT columns are hashed as stored, never parsed (audit-chain.ts says why that
 * gives the same bytes), and each event comes with its recorded link in the same row. Links whose
 * event is gone are looked for only when a page's count of links says there are some.
 */
export async function* sqliteChainPages(db: Database.Database, { after = -1n, upTo, pageSize = 10_000 }: SqliteChainRange): AsyncIterable<ChainPage> {
  // Numbers as SQLite prints them in decimal; recorded_at (epoch milliseconds) is formatted below.
  const page = db
    .prepare<[bigint, bigint, number], unknown[]>(
      `SELECT CAST(e.position AS TEXT), s.stream_name, CAST(e.stream_revision AS TEXT), e.event_id, e.type, CAST(e.schema_version AS TEXT), e.recorded_at, e.data, e.metadata, c.hash
       FROM events e JOIN streams s USING (stream_id) LEFT JOIN audit_chain c ON c.position = e.position
       WHERE e.position > ? AND e.position <= ? ORDER BY e.position LIMIT ?`,
    )
    .raw(true);
  const linksCounted = db.prepare<[bigint, bigint], [number]>('SELECT COUNT(*) FROM audit_chain WHERE audit_chain.position > ? AND audit_chain.position <= ?').raw(true);
  const linksIn = db
    .prepare<[bigint, bigint], [string, string]>('SELECT CAST(position AS TEXT), hash FROM audit_chain WHERE audit_chain.position > ? AND audit_chain.position <= ? ORDER BY audit_chain.position')
    .raw(true);
  let cursor = after;
  // A group commit records one time for all its events: format each instant once.
  let lastMillis = Number.NaN;
  let lastInstant = '';
  for (;;) {
    const rows = page.all(cursor, upTo, pageSize);
    const last = rows.length < pageSize;
    // The last page reaches to `upTo`, so that links past the last event are seen too.
    const end = last ? upTo : BigInt(rows[rows.length - 1]![0] as string);
    let links: ChainLink[] = [];
    for (const row of rows) {
      const millis = row[6] as number;
      if (millis !== lastMillis) {
        lastMillis = millis;
        lastInstant = new Date(millis).toISOString();
      }
      row[6] = lastInstant;
      if (row[9] !== null) links.push({ position: row[0] as string, hash: row[9] as string });
    }
    if (linksCounted.get(cursor, end)![0] !== links.length) links = linksIn.all(cursor, end).map(([position, hash]) => ({ position, hash }));
    // The tenth column (the link) is past the nine fields the hasher reads.
    yield { events: rows as unknown as ChainFields[], links };
    if (last) return;
    cursor = end;
    await yieldToEventLoop();
  }
}

/** The recorded chain's last link at or before `upTo` (its very last without), if it has any. */
export function sqliteRecordedLink(db: Database.Database, upTo?: bigint): ChainLink | undefined {
  const row = db
    .prepare<[bigint], [string, string]>('SELECT CAST(position AS TEXT), hash FROM audit_chain WHERE audit_chain.position <= ? ORDER BY audit_chain.position DESC LIMIT 1')
    .raw(true)
    .get(upTo ?? 9_223_372_036_854_775_807n);
  return row && { position: row[0], hash: row[1] };
}
