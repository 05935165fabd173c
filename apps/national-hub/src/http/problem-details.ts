import { HttpException, HttpStatus } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details with `code`, the stable reason, as the ledger answers them. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

/** `NOT_READY` → `not-ready`. */
const kebabCase = (code: string) =>
  code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join('-')
    .toLowerCase();

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const words = kebabCase(code).replace(/-/g, ' ');
  // An extension never overrides a standard member.
  const { type: _type, title: _title, status: _status, detail: _detail, instance: _instance, code: _code, ...rest } = extensions;
  return { type: `/problems/${kebabCase(code)}`, title: words.charAt(0).toUpperCase() + words.slice(1), status, detail, code, ...rest };
}

export function problemException(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): HttpException {
  return new HttpException(problem(status, code, detail, extensions), status);
}

/** Anything thrown, as the problem to answer; `fault` set when it was not a refusal but an error to log. */
export function toProblem(error: unknown, instance: string): { problem: ProblemDetails; fault?: unknown } {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const status = error.getStatus();
    if (isProblemDetails(response)) return { problem: { ...response, instance } };
    const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    // Nest's "Cannot GET /path?query" would echo the query.
    const detail = (typeof message === 'string' ? message : error.message).replace(/^(Cannot [A-Z]+ [^?\s]*)\?\S*$/, '$1');
    return { problem: { ...problem(status, HttpStatus[status] ?? 'BAD_REQUEST', detail), instance } };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (error instanceof Error && typeof status === 'number' && status >= 400 && status < 500) {
    return { problem: { ...problem(status, HttpStatus[status] ?? 'BAD_REQUEST', error.message), instance } };
  }
  return { problem: { ...problem(500, 'INTERNAL_ERROR', 'The hub could not answer because of an internal error. It has been logged; the request may be retried.'), instance }, fault: error };
}

function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.type === 'string' && typeof candidate.status === 'number' && typeof candidate.code === 'string';
}

/** The request path without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
