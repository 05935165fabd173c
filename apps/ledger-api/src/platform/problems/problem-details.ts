import { HttpException, HttpStatus } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** Path in the request body, dotted for nested objects: `decision.number`, `items[2].amount`. */
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, plus `code` (the stable reason) and any extension members. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/** `ALREADY_ENROLLED` → `already-enrolled`; also splits camelCase, for codes written that way. */
export function kebabCase(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join('-')
    .toLowerCase();
}

/** Every problem type is `/problems/<code in kebab-case>`: one scheme for domain and HTTP refusals. */
export function problemTypeOf(code: string): string {
  return `/problems/${kebabCase(code)}`;
}

/** `ALREADY_ENROLLED` → `Already enrolled`: the title is the same for every occurrence (RFC 9457 §3.1.3). */
export function titleOf(code: string): string {
  const words = kebabCase(code).replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The code of an HTTP status without a more specific reason: 413 → `PAYLOAD_TOO_LARGE`. */
export function codeOfStatus(status: number): string {
  return HttpStatus[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  // An extension member never overrides a standard one (a domain error's details might name one `status`).
  const { type: _type, title: _title, status: _status, detail: _detail, instance: _instance, code: _code, ...rest } = extensions;
  return { type: problemTypeOf(code), title: titleOf(code), status, detail, code, ...rest };
}

/** What to throw from the HTTP layer for a refusal that is not the domain's (a 400 on a header, a 403…). */
export function problemException(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): HttpException {
  return new HttpException(problem(status, code, detail, extensions), status);
}

export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.type === 'string' && typeof candidate.status === 'number' && typeof candidate.code === 'string';
}

/** A problem's `instance`: the request path, without the query (which may carry personal data). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
