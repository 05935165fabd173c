import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import type { Socket } from 'node:net';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { LedgerConfig } from '../../config/ledger-config.js';
import { RequestAuthenticator } from '../auth/request-authenticator.js';
import { createLedgerLogger, logLevelFrom, type LoggingOptions } from '../logging/ledger-logger.js';
import { NestPinoLogger } from '../logging/nest-logger.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../logging/request-id.js';
import { logEveryRequest, logRequest } from '../logging/request-logging.js';
import { measureEveryRequest } from '../metrics/http-metrics.js';
import { LedgerMetrics } from '../metrics/ledger-metrics.js';
import { pathOf, problem, PROBLEM_CONTENT_TYPE, problemException, type ProblemDetails } from '../problems/problem-details.js';
import { toProblem } from '../problems/problem-mapping.js';
import { bodyMustBeAnObject } from '../validation/validation.pipe.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';
import type { LedgerRequest } from './ledger-request.js';

/**
 * Fastify with the configured body limit (a larger body is refused with a 413 before it is read
 * whole), problem details for the refusals that happen before Nest sees a request at all, and the
 * API's pino logger (LOG_LEVEL unless `logging` says otherwise). Fastify's own per-request lines
 * are off: `logEveryRequest` writes one line per request, without the URL Fastify would log.
 */
export function ledgerHttpAdapter(config: Pick<LedgerConfig, 'bodyLimitBytes'>, logging: LoggingOptions = { level: logLevelFrom() }): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    frameworkErrors: answerRouterRefusal,
    clientErrorHandler: answerUnreadableRequest,
    loggerInstance: createLedgerLogger(logging),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // The id is ours to vet: Fastify would take any X-Request-Id header as it came.
    requestIdHeader: false,
    genReqId: requestIdOf,
  });
}

/** The media types a result file may be sent as: its content, not its label, says which format it is. */
export const FILE_MEDIA_TYPES = ['text/csv', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream'];
/** The routes that take a file as their body. */
export const FILE_ROUTES = new Set(['/v1/bank-results', '/v1/post-office-returns', '/v1/identity-checks/results']);

/**
 * Every response of the /v1 API may carry personal data (a person's name, national id, payments, or
 * a refusal that names them), and no cache between the ledger and its caller may keep one: it is
 * simpler and safer to mark them all than to decide route by route, and the API's answers change
 * with every write anyway. Health, metrics and the OpenAPI document carry none. Judged by the route
 * the router matched as well as by the path as sent: `/%761/beneficiaries` is routed to
 * `/v1/beneficiaries`.
 */
export function carriesPersonalData(request: Pick<FastifyRequest, 'url' | 'routeOptions'>): boolean {
  return [pathOf(request.url), request.routeOptions.url ?? ''].some((path) => path === '/v1' || path.startsWith('/v1/'));
}

/**
 * The headers helmet would set, for the few answers written before any hook runs (helmet's
 * onRequest hook included): the router's refusals and a request Node cannot parse.
 */
const HEADERS_BEFORE_ANY_HOOK = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

/** The router refuses a path whose percent-encoding does not decode (400) or a parameter over 100 characters (414) before any hook or filter runs. */
function answerRouterRefusal(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const instance = pathOf(request.url);
  const refusal =
    error.code === 'FST_ERR_BAD_URL'
      ? { ...problem(400, 'MALFORMED_URL', 'The request path holds a percent-encoding that does not decode to UTF-8 text.'), instance }
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? { ...problem(414, 'PATH_PARAMETER_TOO_LONG', 'A path parameter is longer than 100 characters; no id the ledger issues is.'), instance }
        : toProblem(error, instance).problem;
  void reply.status(refusal.status).headers(HEADERS_BEFORE_ANY_HOOK).header(REQUEST_ID_HEADER, request.id).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(refusal));
  logRequest(request, reply);
}

/**
 * A request Node's HTTP parser cannot read (broken framing, Content-Length beside Transfer-Encoding,
 * headers over the size limit) never becomes a request: the socket gets a problem and is closed.
 * As in Node's own handler, only on a connection that has not answered anything yet: a second
 * response after one already sent would be read as garbage by the client.
 */
function answerUnreadableRequest(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal: ProblemDetails =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'The request headers exceed the size the server reads.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.')
        : problem(400, 'MALFORMED_HTTP_REQUEST', 'The request is not well-formed HTTP/1.1.');
  const body = JSON.stringify(refusal);
  if (socket.writable && socket.bytesWritten === 0) {
    const headers = Object.entries(HEADERS_BEFORE_ANY_HOOK).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${refusal.status} ${refusal.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** Nest must not register its own parsers (it would accept form bodies): `configureLedgerHttp` installs JSON only. */
export const LEDGER_APP_OPTIONS = { bodyParser: false } as const satisfies NestApplicationOptions;

/**
 * What has to be set on the Fastify instance itself, before the app listens: the request log line
 * and duration metric, Nest's own lines through the same logger, JSON-object bodies only, the
 * arrival stamp, the security headers, and the per-user rate limit. Shared by main.ts and the e2e
 * harness.
 */
export async function configureLedgerHttp(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();

  // First, so that every answer (a refusal from a later hook too) carries the request id and is logged and measured.
  app.useLogger(new NestPinoLogger(fastify.log as Logger));
  logEveryRequest(fastify);
  measureEveryRequest(fastify, app.get(LedgerMetrics));

  // Any other content type (form, text) is then a 415 from Fastify, never a body the DTOs half-understand.
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: config.bodyLimitBytes }, (request, body, done) => {
    if (jsonNestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      return done(problemException(400, 'JSON_NESTED_TOO_DEEP', `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} deep.`), undefined);
    }
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return done(bodyMustBeAnObject(), undefined);
      done(null, value);
    });
  });

  // Files come to the import routes as they are, read whole as bytes up to their own, larger limit;
  // nowhere else is such a body read at all.
  fastify.addContentTypeParser(FILE_MEDIA_TYPES, { parseAs: 'buffer', bodyLimit: config.importLimitBytes }, (request, body, done) => {
    if (!FILE_ROUTES.has(request.routeOptions.url ?? '')) {
      return done(problemException(415, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be application/json.'), undefined);
    }
    done(null, body);
  });

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    (request as LedgerRequest).receivedAt = new Date();
    // Set on arrival, so that refusals (a 401, a 429, a problem from the filter) carry it too.
    if (carriesPersonalData(request)) void reply.header('cache-control', 'no-store');
  });

  // `X-Content-Type-Options: nosniff` and the rest of helmet's defaults, on every response. Its
  // Content-Security-Policy suits Swagger UI at /docs as it is (scripts and styles from 'self',
  // inline styles, data: images), except `upgrade-insecure-requests`: the API is served over plain
  // HTTP on 127.0.0.1 outside production, where a browser told to upgrade would fetch
  // https://127.0.0.1/docs/swagger-ui.css and show nothing. TLS, where there is some, ends in front of it.
  // helmet itself rather than @fastify/helmet, which builds helmet again from its options (parsing
  // the policy's directives) on every request: the same headers, made ready once.
  const securityHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, done as (error?: unknown) => void));

  const authenticator = app.get(RequestAuthenticator);
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Counted per user, so colleagues behind one NAT do not starve each other; a caller without a
    // valid token is counted by address. The verdict is cached, so the guard does not verify twice.
    keyGenerator: async (request: FastifyRequest) => {
      try {
        return `user:${(await authenticator.authenticate(request)).userId}`;
      } catch {
        return `ip:${request.ip}`;
      }
    },
    allowList: (request: FastifyRequest) => pathOf(request.url).startsWith('/health/'),
    errorResponseBuilder: (_request, { max, after }) =>
      problemException(429, 'TOO_MANY_REQUESTS', `More than ${max} requests in a minute; retry in ${after}.`),
  });
}
