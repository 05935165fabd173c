import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresReadModelStore } from '../postgres/postgres-read-model-store.js';

/** `DATABASE_URL`, or the local server the CI script starts. */
export const postgresUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers, and if not, why: a missing server must be reported, never mistaken for a pass. */
export async function postgresAvailability(url = postgresUrl()): Promise<{ available: true } | { available: false; reason: string }> {
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

/** A read-model store in a schema of its own, dropped with everything in it by `drop()`. */
export async function openScratchPostgresStore(label: string, url = postgresUrl()): Promise<{ store: PostgresReadModelStore; schema: string; drop: () => Promise<void> }> {
  const schema = `scratch_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const store = await PostgresReadModelStore.open(url, { schema });
  return {
    store,
    schema,
    drop: async () => {
      await store.close();
      await dropSchema(schema, url);
    },
  };
}

export async function dropSchema(schema: string, url = postgresUrl()): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Refusing to drop schema ${JSON.stringify(schema)}`);
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
