import { HttpException } from '@nestjs/common';
import { EventIdConflict, WrongExpectedRevision } from '@ledger/event-store';
import { Conflict, DomainError, InvalidValue, NotFound, RuleViolation } from '@ledger/domain';
import { codeOfStatus, isProblemDetails, problem, type ProblemDetails } from './problem-details.js';

export interface MappedProblem {
  readonly problem: ProblemDetails;
  /** Set when the error was not a refusal but a fault: it is logged, never shown to the caller. */
  readonly fault?: unknown;
}

const GENERIC_FAULT = 'The ledger could not complete the request because of an internal error. It has been logged; the request may be retried.';

/**
 * The one mapping from anything thrown to a problem. The exception filter sends its result and the
 * idempotency interceptor stores it, so a replayed refusal is the same refusal.
 */
export function toProblem(error: unknown, instance: string): MappedProblem {
  const mapped = map(error);
  const { type, title, status, detail, code, instance: _instance, ...extensions } = mapped.problem;
  return { ...mapped, problem: { type, title, status, detail, instance, code, ...extensions } };
}

function map(error: unknown): MappedProblem {
  if (error instanceof DomainError) return { problem: domainProblem(error) };
  if (error instanceof WrongExpectedRevision) {
    return { problem: problem(409, 'CONCURRENCY_CONFLICT', 'Another request changed the same record at the same moment; retry the request.') };
  }
  if (error instanceof EventIdConflict) {
    return { problem: problem(409, 'EVENT_ID_CONFLICT', 'This request repeats an earlier one with different content.') };
  }
  if (isMalformedJson(error)) return { problem: problem(400, 'MALFORMED_JSON', 'The request body is not well-formed JSON.') };
  if (error instanceof HttpException) return httpProblem(error);
  // Fastify's own refusals that Nest did not wrap (they carry a 4xx statusCode).
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (error instanceof Error && typeof status === 'number' && status >= 400 && status < 500) {
    return { problem: problem(status, codeOfStatus(status), error.message) };
  }
  return { problem: problem(500, 'INTERNAL_ERROR', GENERIC_FAULT), fault: error };
}

function domainProblem(error: DomainError): ProblemDetails {
  const extensions = { ...error.details };
  if (error instanceof InvalidValue) return problem(400, error.code, error.message, { ...extensions, errors: [{ field: error.field, message: error.message }] });
  if (error instanceof NotFound) return problem(404, error.code, error.message, extensions);
  if (error instanceof Conflict) return problem(409, error.code, error.message, extensions);
  if (error instanceof RuleViolation) return problem(422, error.code, error.message, extensions);
  // The set is closed; a new subclass is still a refusal of the command, never a fault.
  return problem(422, error.code, error.message, extensions);
}

function httpProblem(error: HttpException): MappedProblem {
  const response = error.getResponse();
  if (isProblemDetails(response)) return { problem: response };
  const status = error.getStatus();
  const { statusCode: _statusCode, message, error: _error, ...extensions } = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const text = typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : error.message;
  // Nest's "Cannot GET /path?query" would echo the query, which may hold a national id.
  const detail = text.replace(/^(Cannot [A-Z]+ [^?\s]*)\?\S*$/, '$1');
  return { problem: problem(status, codeOfStatus(status), detail, extensions) };
}

/** Fastify's JSON parser fails with one of these (Nest wraps it in an HttpException, keeping it as the cause). */
const MALFORMED_JSON_CODES = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

function isMalformedJson(error: unknown): boolean {
  const candidates = [error, (error as { cause?: unknown } | null)?.cause];
  return candidates.some((candidate) => MALFORMED_JSON_CODES.has((candidate as { code?: string } | null)?.code ?? ''));
}
