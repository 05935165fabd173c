import { pino, stdSerializers, type DestinationStream, type Level, type Logger } from 'pino';
import { ConfigurationError } from '../../config/ledger-config.js';

export type LogLevel = Level | 'silent';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggingOptions {
  readonly level: LogLevel;
  /** Where the JSON lines go: standard output unless given (the tests pass a stream they read back). */
  readonly destination?: DestinationStream;
}

/**
 * Personal data never reaches a log line: the ledger logs no body, no header and no raw URL, and
 * these paths are censored anyway, so that an object logged by mistake (a request, an error
 * carrying a command's data) loses them. pino's redaction matches exact paths, one `*` per level.
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.url',
  'req.query',
  'req.body',
  'body',
  'query',
  ...['nationalId', 'fullName', 'name', 'holderName', 'accountNumber', 'token'].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** LOG_LEVEL, `info` by default; silent under the test runner unless LOG_LEVEL asks otherwise. */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || (env.NODE_ENV === 'test' ? 'silent' : 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigurationError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(env.LOG_LEVEL)}.`);
  }
  return level as LogLevel;
}

/**
 * The API's one logger: JSON lines (one per request, see request-logging.ts), with ISO times.
 * Fastify's request and reply serializers are replaced because its default one writes the raw URL,
 * whose query text could carry a national id.
 */
export function createLedgerLogger({ level, destination }: LoggingOptions): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: {
        err: stdSerializers.err,
        req: (request: { method?: string; routeOptions?: { url?: string } }) => ({ method: request.method, route: request.routeOptions?.url }),
        res: (reply: { statusCode?: number }) => ({ status: reply.statusCode }),
      },
    },
    destination,
  );
}

/**
 * Readable lines instead of JSON when a person watches a terminal in development, if pino-pretty is
 * installed (it is a development dependency: the production image has JSON only). In-process, so a
 * line is written before the process exits.
 */
export async function prettyDestination({ production, stdout = process.stdout }: { production: boolean; stdout?: NodeJS.WriteStream }): Promise<DestinationStream | undefined> {
  if (production || !stdout.isTTY) return undefined;
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
      singleLine: true,
      destination: stdout,
      sync: true,
    });
  } catch {
    return undefined;
  }
}
