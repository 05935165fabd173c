import { pino, stdSerializers, type Logger } from 'pino';
import type { HubLogLevel } from './hub-config.js';

export type HubLogger = Logger;

/**
 * JSON lines with ISO times. The hub logs stream sequences, event and finding ids, counts and
 * reasons; never an event's payload, which is the provinces' to keep (a person key or a
 * beneficiary id in a log line would outlive every retention rule the tables follow).
 */
export function createHubLogger(level: HubLogLevel): HubLogger {
  return pino({
    level,
    base: { service: 'national-hub' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['authorization', 'headers.authorization', 'token', '*.token'], censor: '[redacted]' },
    serializers: { err: stdSerializers.err },
  });
}
