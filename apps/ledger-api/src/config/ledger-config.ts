import { randomBytes } from 'node:crypto';

/** Every setting the ledger reads, with its default. The README's configuration table mirrors this. */
export interface LedgerConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDirectory: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly databaseUrl: string | undefined;
  /** `embedded` runs the projector inside the API process; `external` leaves it to apps/projector. */
  readonly projector: 'embedded' | 'external';
  readonly jwtSecret: string;
  /** True when the secret was generated for this run (the embedded demo); never in production. */
  readonly jwtSecretGenerated: boolean;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly seedDemo: boolean;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const production = env.NODE_ENV === 'production';
  const secret = env.LEDGER_JWT_SECRET?.trim();
  if (production && !secret) {
    throw new ConfigurationError('LEDGER_JWT_SECRET must be set when NODE_ENV=production; there is no default secret in production.');
  }
  if (secret && secret.length < 32) {
    throw new ConfigurationError('LEDGER_JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key).');
  }
  const projector = env.LEDGER_PROJECTOR ?? 'embedded';
  if (projector !== 'embedded' && projector !== 'external') {
    throw new ConfigurationError(`LEDGER_PROJECTOR must be "embedded" or "external", not ${JSON.stringify(projector)}.`);
  }
  return {
    production,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: positiveInteger(env, 'PORT', 3000),
    dataDirectory: env.LEDGER_DATA_DIR ?? './data',
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    projector,
    jwtSecret: secret || randomBytes(32).toString('hex'),
    jwtSecretGenerated: !secret,
    bodyLimitBytes: positiveInteger(env, 'LEDGER_BODY_LIMIT_BYTES', 1_048_576),
    rateLimitPerMinute: positiveInteger(env, 'LEDGER_RATE_LIMIT_PER_MINUTE', 6_000),
    seedDemo: (env.LEDGER_SEED_DEMO ?? (production ? 'false' : 'true')) === 'true',
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive integer, not ${JSON.stringify(raw)}.`);
  return value;
}
