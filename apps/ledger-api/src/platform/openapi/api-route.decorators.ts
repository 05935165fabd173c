import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiOperation, ApiParam, ApiResponse, getSchemaPath, type ContentObject, type HeadersObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem-details.js';
import { ProblemDetailsDto } from './problem-details.schema.js';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The response headers every operation may send, declared once under `components.headers`. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description: 'The id of this request in the API’s logs: the caller’s own `X-Request-Id` when it is a safe token, else one generated.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$', example: '5b0e6a4e-2f57-4d2b-9a1d-8f1c3b2a7e10' },
  },
  'Idempotency-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key, sent again rather than done again.',
    schema: { type: 'string', enum: ['true'] },
  },
  Link: {
    description: 'On a page of a report as a file (CSV or a spreadsheet): `<url>; rel="next"`, the next page (JSON pages carry `next` instead).',
    schema: { type: 'string', example: '</v1/reports/late-payments?limit=100&cursor=WyIyMDI0LTA0Il0>; rel="next"' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', example: '1' },
  },
  'WWW-Authenticate': {
    description: 'How to authenticate (RFC 6750): `Bearer`, or `Bearer error="invalid_token"` when the token sent was the problem.',
    schema: { type: 'string', example: 'Bearer error="invalid_token"' },
  },
} as const;

type ResponseHeader = keyof typeof RESPONSE_HEADERS;

const headers = (...names: ResponseHeader[]): HeadersObject => Object.fromEntries(['X-Request-Id', ...names].map((name) => [name, { $ref: `#/components/headers/${name}` }]));

/** What a successful answer holds, by media type. */
export interface SuccessContent {
  readonly description: string;
  /** `application/json`: an instance of this class (its schema under `components.schemas`). */
  readonly json?: Type<unknown>;
  /** `text/csv`: what the file holds. */
  readonly csv?: string;
  /** The spreadsheet (`.xlsx`): what it holds. */
  readonly xlsx?: string;
  /** `text/plain`: what it holds. */
  readonly text?: string;
  /** `application/xml`: what the document holds. */
  readonly xml?: string;
  /** `application/pdf`: what the document shows. */
  readonly pdf?: string;
}

/** The problems an operation's own rules can answer; the platform's (401, 403, 413, 415, 429, 500) are added by kind of route. */
export interface OwnProblems {
  readonly 400?: string;
  readonly 404?: string;
  readonly 409?: string;
  readonly 422?: string;
  /** For a route that serves more than one media type: what it does when the Accept header asks for none of them. */
  readonly 406?: string;
  readonly 503?: string;
}

interface RouteDocumentation {
  /** A name a client generator can use as a function name: camelCase, unique in the API. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly response: SuccessContent;
  readonly problems?: OwnProblems;
}

export interface CommandDocumentation extends RouteDocumentation {
  /** Whether a request without `Idempotency-Key` is refused. */
  readonly idempotencyKey: 'required' | 'optional';
  /** 201 (a new record) rather than 200. */
  readonly created?: boolean;
  /** False for a command that takes no body at all. */
  readonly body?: boolean;
  /** A command whose body is a file, sent as it is (not JSON): what it is, and the media types it may be labelled with. */
  readonly file?: { readonly description: string; readonly mediaTypes: readonly string[] };
  /** A second success: 200 with the same body, when the request repeats one already done (the same file imported again). */
  readonly repeated?: string;
}

export interface ReadDocumentation extends RouteDocumentation {
  /** The route honours `X-Min-Position` (it reads the read models). */
  readonly minPosition?: boolean;
  /** A read sent as POST with a JSON body (a search, a verification). */
  readonly body?: boolean;
  /** The route records in the access log whose personal data it answered with. */
  readonly recordsAccess?: boolean;
}

export interface PublicDocumentation extends RouteDocumentation {
  /** Health probes are never rate-limited. */
  readonly rateLimited?: boolean;
}

const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was already used for a different request.';
const BAD_BODY_CONTENT =
  'MALFORMED_JSON, BODY_MUST_BE_A_JSON_OBJECT, JSON_NESTED_TOO_DEEP, or VALIDATION_FAILED with `errors` naming each refused field; INVALID_VALUE when a value is well-formed but not valid (a national id whose digits disagree with the date of birth, an unknown program…).';

/**
 * A command: changes the ledger, answers with what it changed and the log position to wait for
 * (`X-Min-Position`) to read it back. Idempotency-Key, X-Correlation-Id and X-Request-Id headers.
 */
export function ApiCommand(doc: CommandDocumentation): MethodDecorator {
  const takesBody = doc.body !== false;
  return applyDecorators(
    operation(doc),
    ...(doc.file
      ? [
          ApiConsumes(...doc.file.mediaTypes),
          ApiBody({ required: true, description: doc.file.description, schema: { type: 'string', format: 'binary' } }),
        ]
      : []),
    ...(doc.repeated ? [success({ ...doc.response, description: doc.repeated }, 200, 'Idempotency-Replayed')] : []),
    ApiHeader({
      name: 'Idempotency-Key',
      required: doc.idempotencyKey === 'required',
      description:
        'Makes a retry safe: the same key with the same request answers the first response again (same status, same body, `Idempotency-Replayed: true`); the same key with another request is a 409. Kept at least 45 days, per user. 1 to 200 visible ASCII characters; a UUID is usual.',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$', example: '3f0c9a52-6c1e-4a55-9d3b-2b7f6f0e8a41' },
    }),
    correlationIdHeader('Recorded on every event the command writes, to follow one piece of work across requests.'),
    requestIdHeader(),
    success(doc.response, doc.created ? 201 : 200, 'Idempotency-Replayed'),
    problems(
      {
        400: `${doc.file ? 'FILE_REQUIRED: the body is JSON, not the file.' : takesBody ? BAD_BODY_CONTENT : 'BAD_REQUEST: an id in the path that is not a UUID.'} IDEMPOTENCY_KEY_REQUIRED or INVALID_IDEMPOTENCY_KEY on the header.${doc.problems?.[400] ? ` ${doc.problems[400]}` : ''}`,
        401: true,
        403: `${PLATFORM_PROBLEMS[403]} ROLE_MAY_NOT_CHANGE: the role only reads.`,
        ...(doc.problems?.[404] ? { 404: doc.problems[404] } : {}),
        409: doc.problems?.[409] ? `${doc.problems[409]} ${IDEMPOTENCY_KEY_REUSED}` : IDEMPOTENCY_KEY_REUSED,
        ...(doc.problems?.[422] ? { 422: doc.problems[422] } : {}),
        ...(doc.file
          ? { 413: 'PAYLOAD_TOO_LARGE: the file is larger than LEDGER_IMPORT_LIMIT_BYTES.', 415: `UNSUPPORTED_MEDIA_TYPE: the body must be the file, labelled ${doc.file.mediaTypes.join(', ')}.` }
          : takesBody
            ? { 413: true, 415: true }
            : {}),
        429: true,
        500: true,
      },
      'Idempotency-Replayed',
    ),
  );
}

/** A read: changes nothing. With `minPosition`, it may be asked to wait for a position first. */
export function ApiRead(doc: ReadDocumentation): MethodDecorator {
  return applyDecorators(
    operation(doc),
    ...(doc.minPosition
      ? [
          ApiHeader({
            name: 'X-Min-Position',
            required: false,
            description:
              'Answer only once the read models include this log position (the `position` a command answered), so a client reads its own writes; at most 5 seconds, then 503 READ_MODELS_BEHIND with Retry-After.',
            schema: { type: 'string', pattern: '^\\d{1,19}$', example: '1024' },
          }),
        ]
      : []),
    ...(doc.recordsAccess ? [correlationIdHeader('Recorded with this read in the access log, to follow one piece of work across requests.')] : []),
    requestIdHeader(),
    success(doc.response, 200),
    problems({
      400: [doc.body ? BAD_BODY_CONTENT : 'VALIDATION_FAILED with `errors` naming each refused query parameter; BAD_REQUEST for an id in the path that is not a UUID.', doc.minPosition ? 'INVALID_MIN_POSITION on the header.' : '', doc.problems?.[400] ?? '']
        .filter(Boolean)
        .join(' '),
      401: true,
      403: true,
      ...(doc.problems?.[404] ? { 404: doc.problems[404] } : {}),
      ...(doc.problems?.[406] ? { 406: doc.problems[406] } : {}),
      ...(doc.problems?.[409] ? { 409: doc.problems[409] } : {}),
      ...(doc.problems?.[422] ? { 422: doc.problems[422] } : {}),
      ...(doc.body ? { 413: true, 415: true } : {}),
      429: true,
      500: true,
      ...(doc.minPosition || doc.problems?.[503]
        ? { 503: [doc.minPosition ? 'READ_MODELS_BEHIND: the read models did not reach X-Min-Position within 5 seconds; retry after Retry-After.' : '', doc.problems?.[503] ?? ''].filter(Boolean).join(' ') }
        : {}),
    }),
  );
}

/** A route anyone may call without a token (`security: []`): probes and metrics. */
export function ApiPublic(doc: PublicDocumentation): MethodDecorator {
  return applyDecorators(
    operation(doc, { security: [] }),
    requestIdHeader(),
    success(doc.response, 200),
    problems({
      ...(doc.rateLimited === false ? {} : { 429: true }),
      500: true,
      ...(doc.problems?.[503] ? { 503: doc.problems[503] } : {}),
    }),
  );
}

function operation({ operationId, summary, description }: RouteDocumentation, extra: { security?: [] } = {}) {
  return ApiOperation({ operationId, summary, ...(description ? { description } : {}), ...extra });
}

function correlationIdHeader(use: string) {
  return ApiHeader({
    name: 'X-Correlation-Id',
    required: false,
    description: `${use} A UUID; anything else is replaced by a new one.`,
    schema: { type: 'string', format: 'uuid', example: '0b6f5c1e-8d2a-4f3b-9c7d-2e1f0a9b8c7d' },
  });
}

function requestIdHeader() {
  return ApiHeader({
    name: 'X-Request-Id',
    required: false,
    description: 'The caller’s id for this request, echoed on the response and written in the API’s log line: a UUID, or up to 64 of A–Z a–z 0–9 . _ -; anything else is replaced by a generated one.',
    schema: { type: 'string', maxLength: 64, example: '5b0e6a4e-2f57-4d2b-9a1d-8f1c3b2a7e10' },
  });
}

function success(content: SuccessContent, status: 200 | 201, ...extraHeaders: ResponseHeader[]) {
  const media: ContentObject = {};
  if (content.json) media['application/json'] = { schema: { $ref: getSchemaPath(content.json) } };
  if (content.csv) media[CSV] = { schema: { type: 'string', description: content.csv } };
  if (content.xlsx) media[XLSX] = { schema: { type: 'string', format: 'binary', description: content.xlsx } };
  if (content.text) media['text/plain'] = { schema: { type: 'string', description: content.text } };
  if (content.xml) media['application/xml'] = { schema: { type: 'string', description: content.xml } };
  if (content.pdf) media['application/pdf'] = { schema: { type: 'string', format: 'binary', description: content.pdf } };
  const withLink: ResponseHeader[] = content.csv && content.json ? ['Link'] : [];
  return applyDecorators(
    ...(content.json ? [ApiExtraModels(content.json)] : []),
    ApiResponse({ status, description: content.description, headers: headers(...extraHeaders, ...withLink), content: media }),
  );
}

const PLATFORM_PROBLEMS = {
  400: 'The request is malformed.',
  401: 'AUTHENTICATION_REQUIRED (no bearer token), TOKEN_EXPIRED or INVALID_TOKEN.',
  403: 'ROLE_NOT_ALLOWED: the token’s role may not do this. UNIT_OUT_OF_SCOPE: a unit outside the token’s units was asked for.',
  404: 'Not found.',
  406: 'NOT_ACCEPTABLE: the Accept header accepts none of the media types the route answers in.',
  409: 'Conflict.',
  413: 'PAYLOAD_TOO_LARGE: the body is larger than the API reads.',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body must be `application/json`.',
  422: 'The ledger’s rules refuse the request.',
  429: 'TOO_MANY_REQUESTS: more requests in a minute than a user (or an address without a valid token) may make; retry after Retry-After.',
  500: 'INTERNAL_ERROR: the ledger could not complete the request; it is logged and the request may be retried.',
  503: 'The service cannot answer now.',
} as const;

type ProblemStatus = keyof typeof PLATFORM_PROBLEMS;

function problems(statuses: Partial<Record<ProblemStatus, string | true>>, ...extraHeaders: ResponseHeader[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...Object.entries(statuses).map(([key, text]) => {
      const status = Number(key) as ProblemStatus;
      const own: ResponseHeader[] = status === 401 ? ['WWW-Authenticate'] : status === 429 || status === 503 ? ['Retry-After'] : [];
      return ApiResponse({
        status,
        description: text === true ? PLATFORM_PROBLEMS[status] : text,
        headers: headers(...own, ...(status === 400 || status === 404 || status === 409 || status === 422 ? extraHeaders : [])),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      });
    }),
  );
}

/** A path parameter naming a record by its UUID. */
export function ApiIdParam(name: string, description: string): MethodDecorator {
  return ApiParam({ name, description: `${description} Anything but a UUID is refused with 400 BAD_REQUEST.`, schema: { type: 'string', format: 'uuid' } });
}

/** The `{program}` of an enrollment's path. */
export function ApiProgramParam(): MethodDecorator {
  return ApiParam({ name: 'program', description: 'The program of the enrollment, by its code.', schema: { type: 'string', maxLength: 40, example: 'MERITORIOUS' } });
}
