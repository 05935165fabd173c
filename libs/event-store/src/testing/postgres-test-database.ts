import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import pg from 'pg';

/**
 * The PostgreSQL the event-store tests run against: `DATABASE_URL`, or the local server the CI
 * script starts. Each run works in a scratch schema of its own and drops it.
 */
export const testPostgresUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresAvailability = { available: true } | { available: false; reason: string };

/** Whether PostgreSQL answers, and if not, why: a missing server must be reported, never mistaken for a pass. */
export async function postgresAvailability(url = testPostgresUrl()): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true };
  } catch (error) {
    return { available: false, reason: `PostgreSQL at ${redacted(url)} is unreachable: ${(error as Error).message || String(error)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Declares PostgreSQL tests. Without a reachable server they are reported as skipped, loudly, with
 * the reason; in CI (CI=true) they fail instead, because there a missing server is a broken build.
 * (The read models' describeWithPostgres does the same one floor up; this floor cannot import it.)
 */
export function describeWithPostgres(title: string, availability: PostgresAvailability, body: () => void): void {
  if (availability.available) {
    describe(title, body);
    return;
  }
  const { reason } = availability;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs a reachable PostgreSQL (CI=true)', () => {
        throw new Error(`${reason}. CI must run the PostgreSQL event-store tests: start the server (.ci/run does) or set DATABASE_URL.`);
      });
    });
    return;
  }
  // Straight to stderr: Jest swallows console output of a suite that runs no test.
  process.stderr.write(
    `\n!! PostgreSQL event-store tests SKIPPED (${title}): ${reason}.\n` +
      '!! Start PostgreSQL (e.g. `docker compose up -d postgres`) or set DATABASE_URL, and run again.\n\n',
  );
  describe.skip(title, () => {
    it.skip(`needs PostgreSQL: ${reason}`, () => undefined);
  });
}

/** A schema name no other run uses. */
export const scratchSchemaName = (label: string) => `scratch_es_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;

export async function dropScratchSchema(schema: string, url = testPostgresUrl()): Promise<void> {
  if (!/^scratch_[a-z0-9_]+$/.test(schema)) throw new Error(`Refusing to drop schema ${JSON.stringify(schema)}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The URL without its password, for messages. */
const redacted = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
