import { randomBytes } from 'node:crypto';

/**
 * Every setting the national hub reads, with its default; docs/national-hub.md has the same table.
 * The hub keeps no file of its own: its state is PostgreSQL and JetStream.
 */
export interface HubConfig {
  readonly production: boolean;
  /** NATS_URL: where the provinces' events and the findings travel. */
  readonly natsUrl: string;
  /** HUB_DATABASE_URL: the hub's PostgreSQL. Required. */
  readonly databaseUrl: string;
  /** HUB_DATABASE_SCHEMA: the schema its tables live in, created when missing (tests use a scratch one). */
  readonly databaseSchema: string;
  /**
   * HUB_JWT_SECRET: the HS256 key ministry tokens are signed with. Required in production; otherwise,
   * when unset, a secret generated for this process (`jwtSecretGenerated`), with a token printed at start.
   */
  readonly jwtSecret: string;
  readonly jwtSecretGenerated: boolean;
  readonly host: string;
  /** PORT (default 3100); 0 lets the system choose. */
  readonly port: number;
  /** HUB_CONSUMER: the durable JetStream consumer's name; also the checkpoint's key. */
  readonly consumerName: string;
  /** HUB_MAX_BATCH: most integration events per PostgreSQL transaction. */
  readonly maxBatch: number;
  /**
   * HUB_ACK_WAIT_MS: how long JetStream waits for an event's ack before delivering it again. A
   * batch commits in well under a second; the wait only matters after a crash between a commit and
   * its ack, when it is how long the next hub waits for the redelivery the inbox then ignores.
   */
  readonly ackWaitMs: number;
  /** LOG_LEVEL: pino's levels, or `silent`; `info` unless under the test runner. */
  readonly logLevel: HubLogLevel;
}

export const HUB_LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type HubLogLevel = (typeof HUB_LOG_LEVELS)[number];

export class HubConfigurationError extends Error {
  override readonly name = 'HubConfigurationError';
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** A JetStream durable name: no dots, spaces or wildcards (they would split or widen a subject). */
const DURABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function loadHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.HUB_DATABASE_URL?.trim();
  if (!databaseUrl) throw new HubConfigurationError('HUB_DATABASE_URL must be set: the national hub keeps its inbox, totals and findings in PostgreSQL (e.g. postgres://hub@db:5432/national).');
  const databaseSchema = env.HUB_DATABASE_SCHEMA?.trim() || 'national_hub';
  if (!SCHEMA_NAME.test(databaseSchema)) throw new HubConfigurationError(`HUB_DATABASE_SCHEMA must be lower-case letters, digits and _, not ${JSON.stringify(databaseSchema)}.`);
  const consumerName = env.HUB_CONSUMER?.trim() || 'national-hub';
  if (!DURABLE_NAME.test(consumerName)) throw new HubConfigurationError(`HUB_CONSUMER must be 1 to 64 of A–Z a–z 0–9 _ -, not ${JSON.stringify(consumerName)}.`);
  const secret = env.HUB_JWT_SECRET?.trim();
  if (production && !secret) throw new HubConfigurationError('HUB_JWT_SECRET must be set when NODE_ENV=production; there is no default secret in production.');
  if (secret && secret.length < 32) throw new HubConfigurationError('HUB_JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key).');
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || (env.NODE_ENV === 'test' ? 'silent' : 'info')) as HubLogLevel;
  if (!HUB_LOG_LEVELS.includes(logLevel)) throw new HubConfigurationError(`LOG_LEVEL must be one of ${HUB_LOG_LEVELS.join(', ')}, not ${JSON.stringify(env.LOG_LEVEL)}.`);
  return {
    production,
    natsUrl: env.NATS_URL?.trim() || 'nats://127.0.0.1:4222',
    databaseUrl,
    databaseSchema,
    jwtSecret: secret || randomBytes(32).toString('hex'),
    jwtSecretGenerated: !secret,
    host: env.HOST?.trim() || (production ? '0.0.0.0' : '127.0.0.1'),
    port: integerSetting(env, 'PORT', 3100, 0, 65_535),
    consumerName,
    maxBatch: integerSetting(env, 'HUB_MAX_BATCH', 2_000, 1, 50_000),
    ackWaitMs: integerSetting(env, 'HUB_ACK_WAIT_MS', 30_000, 1_000, 3_600_000),
    logLevel,
  };
}

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number, most: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < least || value > most) throw new HubConfigurationError(`${name} must be an integer from ${least} to ${most}, not ${JSON.stringify(raw)}.`);
  return value;
}
