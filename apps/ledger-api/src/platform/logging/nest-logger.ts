import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

const STACK = /^.*\n\s+at .+/s;

/**
 * Nest's own log lines (start-up, shutdown, background work) written by the API's pino logger, as
 * JSON like the rest. A line about one request is written with that request's own logger instead
 * (the problem filter does), so it carries the request id: finding it here from any depth would
 * take an AsyncLocalStorage, whose promise hooks tax every promise of every request. Nest calls
 * `error(message, stack?, context?)` and the other levels `(message, context?)`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const { logger } = this;
    if (!logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' && !STACK.test(rest.at(-1) as string) ? (rest.pop() as string) : undefined;
    const stack = rest.find((param): param is string => typeof param === 'string' && STACK.test(param));
    const fields: Record<string, unknown> = { ...(context ? { context } : {}) };
    if (message instanceof Error) fields.err = message;
    else if (stack) fields.err = { stack };
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    logger[level](fields, text);
  }
}
