import { ConfigurationError, nationalLinkOf, type NationalLinkConfig } from '../../ledger-api/src/config/ledger-config.js';

/**
 * What the projector process reads: where the events and the read models are, and its own HTTP
 * port, and the link to the national hub when NATS_URL is set (it publishes the province's
 * integration events). It signs nothing and checks no token, so it needs neither the JWT secret nor
 * the audit signing key, and should not be handed them.
 */
export interface ProjectorConfig {
  readonly host: string;
  /** PROJECTOR_PORT (default 3001) for /health and /metrics; 0 lets the system choose. */
  readonly port: number;
  readonly dataDirectory: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly databaseUrl: string | undefined;
  /** LEDGER_PROJECTOR_BATCH: most events per read-model transaction. */
  readonly maxBatch: number;
  /** NATS_URL and LEDGER_NATIONAL_KEY: in the production topology the projector publishes the integration events. */
  readonly national: NationalLinkConfig | undefined;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const production = env.NODE_ENV === 'production';
  return {
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: integerSetting(env, 'PROJECTOR_PORT', 3001, 0),
    dataDirectory: env.LEDGER_DATA_DIR ?? './data',
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    maxBatch: integerSetting(env, 'LEDGER_PROJECTOR_BATCH', 2_000, 1),
    national: nationalLinkOf(env, production),
  };
}

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < least) throw new ConfigurationError(`${name} must be an integer of at least ${least}, not ${JSON.stringify(raw)}.`);
  return value;
}
