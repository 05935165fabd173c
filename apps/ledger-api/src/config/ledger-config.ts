import { createPrivateKey } from 'node:crypto';
import type { PayingAccount } from '@ledger/payment-files';

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
  /**
   * LEDGER_JWT_SECRET, or undefined outside production: then `resolveJwtSecret` (platform/auth)
   * generates one and keeps it in the data directory. Loading the configuration does no file I/O.
   */
  readonly jwtSecret: string | undefined;
  /**
   * LEDGER_AUDIT_SIGNING_KEY: the Ed25519 private key (PKCS#8 PEM) that signs audit digests, or
   * undefined outside production: then the embedded mode generates one on first start and keeps it
   * in `<LEDGER_DATA_DIR>/audit-signing-key.pem` (apps/ledger-api/src/audit/audit-signing-key.ts).
   */
  readonly auditSigningKey: string | undefined;
  /**
   * LEDGER_ID_KEY: the secret identifiers derived from personal data are keyed with. Undefined
   * outside production: the embedded mode then keeps a generated one in the data directory.
   */
  readonly idKey: string | undefined;
  readonly bodyLimitBytes: number;
  /** The largest file the import routes read (bank results, Post Office returns, population database answers). */
  readonly importLimitBytes: number;
  readonly rateLimitPerMinute: number;
  /** How long an idempotency key and its first response are kept; the spec's floor is 45 days. */
  readonly idempotencyRetentionDays: number;
  readonly seedDemo: boolean;
  /**
   * LEDGER_PAYING_ACCOUNT_*: the province's account the allowances are paid from, the debtor of every
   * bank payment file (pain.001). Outside production, a demo account unless one is configured.
   */
  readonly payingAccount: PayingAccount;
  /** The link to the national hub over NATS JetStream; undefined when NATS_URL is not set (the ledger then publishes nothing). */
  readonly national: NationalLinkConfig | undefined;
}

export interface NationalLinkConfig {
  /** NATS_URL, e.g. nats://127.0.0.1:4222. */
  readonly natsUrl: string;
  /**
   * LEDGER_NATIONAL_KEY: what national person keys are keyed with, the same in every province and at
   * the ministry, so the hub can join one person's records across provinces. Outside production a
   * fixed demo key, so that two demo provinces on one machine join.
   */
  readonly nationalKey: string;
  /** LEDGER_PROVINCE_CODE; undefined: the top-level unit of the administrative-unit catalogue. */
  readonly provinceCode: string | undefined;
  /** LEDGER_PUBLISHER_BATCH: most events of the log published before the publisher's checkpoint moves. */
  readonly publisherBatch: number;
}

/** Not a secret: two demo provinces and a hub on a developer's machine share it. Never accepted in production. */
export const DEMO_NATIONAL_KEY = 'demo-national-person-key-not-for-production-use';

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
  const auditSigningKey = auditSigningKeyOf(env, production);
  const idKey = env.LEDGER_ID_KEY?.trim();
  if (production && !idKey) {
    throw new ConfigurationError('LEDGER_ID_KEY must be set when NODE_ENV=production: the secret that identifiers derived from personal data are keyed with (e.g. `openssl rand -hex 32`).');
  }
  if (idKey && idKey.length < 32) throw new ConfigurationError('LEDGER_ID_KEY must be at least 32 characters.');
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
    jwtSecret: secret || undefined,
    auditSigningKey,
    idKey: idKey || undefined,
    bodyLimitBytes: positiveInteger(env, 'LEDGER_BODY_LIMIT_BYTES', 1_048_576),
    importLimitBytes: positiveInteger(env, 'LEDGER_IMPORT_LIMIT_BYTES', 33_554_432),
    rateLimitPerMinute: positiveInteger(env, 'LEDGER_RATE_LIMIT_PER_MINUTE', 6_000),
    idempotencyRetentionDays: idempotencyRetentionDays(env),
    seedDemo: (env.LEDGER_SEED_DEMO ?? (production ? 'false' : 'true')) === 'true',
    payingAccount: payingAccountOf(env, production),
    national: nationalLinkOf(env, production),
  };
}

/** Also read by the projector process, which publishes in the production topology. */
export function nationalLinkOf(env: NodeJS.ProcessEnv, production: boolean): NationalLinkConfig | undefined {
  const natsUrl = env.NATS_URL?.trim();
  const provinceCode = env.LEDGER_PROVINCE_CODE?.trim() || undefined;
  if (provinceCode !== undefined && !/^[0-9]{2,3}$/.test(provinceCode)) throw new ConfigurationError('LEDGER_PROVINCE_CODE must be the province’s code: 2 or 3 digits.');
  if (!natsUrl) return undefined;
  if (!/^(nats|tls):\/\//.test(natsUrl)) throw new ConfigurationError('NATS_URL must be a nats:// or tls:// URL (several may be given, separated by commas).');
  const nationalKey = env.LEDGER_NATIONAL_KEY?.trim();
  if (production && !nationalKey) {
    throw new ConfigurationError('LEDGER_NATIONAL_KEY must be set when NATS_URL is set and NODE_ENV=production: the key national person keys are made with, shared by every province and the ministry.');
  }
  if (nationalKey && nationalKey.length < 32) throw new ConfigurationError('LEDGER_NATIONAL_KEY must be at least 32 characters.');
  if (production && nationalKey === DEMO_NATIONAL_KEY) throw new ConfigurationError('LEDGER_NATIONAL_KEY must not be the demo key in production.');
  return { natsUrl, nationalKey: nationalKey ?? DEMO_NATIONAL_KEY, provinceCode, publisherBatch: positiveInteger(env, 'LEDGER_PUBLISHER_BATCH', 5_000) };
}

/** The demo province's paying account: a made-up number, never one a bank would execute. */
export const DEMO_PAYING_ACCOUNT: PayingAccount = {
  name: 'Sở Lao động - Thương binh và Xã hội tỉnh Kiên Giang (demo)',
  accountNumber: '3711000000091',
  bankBic: 'VBAAVNVX',
  bankCode: 'VBA',
};

const PAYING_ACCOUNT_VARIABLES = ['NAME', 'NUMBER', 'IBAN', 'BANK_BIC', 'BANK_CODE'].map((part) => `LEDGER_PAYING_ACCOUNT_${part}`);
const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/;
const BANK_CODE = /^[A-Z0-9][A-Z0-9_-]{0,34}$/;

/**
 * A bank executes what the file's debtor says, so the account is all given or not at all: a real
 * name beside a demo account number would be worse than refusing to start. Values are never echoed
 * in an error — an account number stays out of the logs — only the variable that is wrong.
 */
function payingAccountOf(env: NodeJS.ProcessEnv, production: boolean): PayingAccount {
  const value = (part: string) => env[`LEDGER_PAYING_ACCOUNT_${part}`]?.trim() || undefined;
  if (PAYING_ACCOUNT_VARIABLES.every((name) => !env[name]?.trim())) {
    if (production) {
      throw new ConfigurationError(
        'LEDGER_PAYING_ACCOUNT_NAME, LEDGER_PAYING_ACCOUNT_NUMBER (or LEDGER_PAYING_ACCOUNT_IBAN) and LEDGER_PAYING_ACCOUNT_BANK_CODE (and/or LEDGER_PAYING_ACCOUNT_BANK_BIC) must be set when NODE_ENV=production: the province’s account the bank payment files pay from. There is no default account in production.',
      );
    }
    return DEMO_PAYING_ACCOUNT;
  }
  const [name, accountNumber, iban, bankBic, bankCode] = ['NAME', 'NUMBER', 'IBAN', 'BANK_BIC', 'BANK_CODE'].map(value);
  if (!name) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_NAME must be set with the other LEDGER_PAYING_ACCOUNT_* variables: the account holder’s name as the bank holds it.');
  if ([...name.normalize('NFC')].length > 140) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_NAME must be at most 140 characters (the limit of a pain.001 name).');
  if (!accountNumber === !iban) throw new ConfigurationError('Set one of LEDGER_PAYING_ACCOUNT_NUMBER (the domestic account number) and LEDGER_PAYING_ACCOUNT_IBAN, not both.');
  if (accountNumber !== undefined && !/^[0-9A-Za-z]{1,34}$/.test(accountNumber)) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_NUMBER must be 1 to 34 letters or digits, without spaces.');
  if (iban !== undefined && !IBAN.test(iban)) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_IBAN is not an IBAN (country code, check digits, then up to 30 letters or digits, without spaces).');
  if (!bankBic && !bankCode) throw new ConfigurationError('Set LEDGER_PAYING_ACCOUNT_BANK_CODE (the bank’s domestic code), LEDGER_PAYING_ACCOUNT_BANK_BIC, or both: the bank holding the paying account.');
  if (bankBic !== undefined && !BIC.test(bankBic)) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_BANK_BIC is not a BIC (8 or 11 capital letters and digits).');
  if (bankCode !== undefined && !BANK_CODE.test(bankCode)) throw new ConfigurationError('LEDGER_PAYING_ACCOUNT_BANK_CODE must be 1 to 35 capital letters, digits, - or _.');
  return {
    name: name.normalize('NFC'),
    ...(accountNumber ? { accountNumber } : { iban: iban! }),
    ...(bankBic ? { bankBic } : {}),
    ...(bankCode ? { bankCode } : {}),
  };
}

/**
 * Digests an auditor keeps are only worth the key that signed them: in production it comes from the
 * operator's secret store, never from a file the ledger made itself. A PEM in one line with `\n`
 * escapes (as environment files often carry it) is accepted too.
 */
function auditSigningKeyOf(env: NodeJS.ProcessEnv, production: boolean): string | undefined {
  const raw = env.LEDGER_AUDIT_SIGNING_KEY?.trim();
  if (!raw) {
    if (production) {
      throw new ConfigurationError(
        'LEDGER_AUDIT_SIGNING_KEY must be set when NODE_ENV=production: the Ed25519 private key (PEM) that signs audit digests, e.g. from `openssl genpkey -algorithm ed25519`.',
      );
    }
    return undefined;
  }
  const pem = raw.includes('\\n') ? raw.replace(/\\n/g, '\n') : raw;
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  // The key itself is never echoed back.
  if (type !== 'ed25519') throw new ConfigurationError('LEDGER_AUDIT_SIGNING_KEY must be an Ed25519 private key in PEM (PKCS#8), e.g. from `openssl genpkey -algorithm ed25519`.');
  return pem;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive integer, not ${JSON.stringify(raw)}.`);
  return value;
}

export const MINIMUM_IDEMPOTENCY_RETENTION_DAYS = 45;

function idempotencyRetentionDays(env: NodeJS.ProcessEnv): number {
  const days = positiveInteger(env, 'LEDGER_IDEMPOTENCY_RETENTION_DAYS', MINIMUM_IDEMPOTENCY_RETENTION_DAYS);
  if (days < MINIMUM_IDEMPOTENCY_RETENTION_DAYS) {
    throw new ConfigurationError(`LEDGER_IDEMPOTENCY_RETENTION_DAYS must be at least ${MINIMUM_IDEMPOTENCY_RETENTION_DAYS}; clients may retry a payment command for that long.`);
  }
  return days;
}
