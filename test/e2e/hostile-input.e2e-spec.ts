// Property-based hostile input over every route the server answers (issues 6 and 11). A command
// case is a request with some of: a mutated or malformed body, hostile headers, hostile path
// parameters. A query case is a GET with hostile query parameters (each one the route declares,
// found from its DTO, plus unknown and repeated ones), hostile path parameters and headers; and
// every parameter of every query route is also tried with each edge value in turn (huge numbers,
// 2^63, negative, non-numeric, very long, repeated). Whatever it is, the answer is never a 5xx;
// every refusal is application/problem+json with its type, title and status; and a refusal
// appends nothing to the event store (its head is read before and after), except the duplicate
// payment attempt the ledger records. Every answer carries X-Content-Type-Options: nosniff, and
// every /v1 answer Cache-Control: no-store.
//
//   HOSTILE_RUNS   cases in total, shared out over the POST routes (default 2,200)
//   HOSTILE_QUERY_RUNS   cases in total, shared out over the GET routes (default 1,200)
//   HOSTILE_SEED   replay a failing run with the seed it printed
//   HOSTILE_SHRINK=true  let fast-check shrink a failure (slow: every shrink step is a real request)
//
// `npm run fuzz:http` runs 12,000.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { DisbursementEventType, type LocalDate } from '@ledger/domain';
import {
  bankResultsCsv,
  camt053Statement,
  camt054Notification,
  identityCheckAnswersCsv,
  mt940Statement,
  pain002StatusReport,
  postOfficeReturnsCsv,
  type PaymentResult,
} from '@ledger/payment-files';
import type { EventStore } from '@ledger/event-store';
import { EVENT_STORE } from '../../apps/ledger-api/src/ledger.tokens.js';
import { nationalHubContext, RecordCrossProvinceFindingCommand } from '../../apps/ledger-api/src/beneficiaries/cross-province-findings.commands.js';
import { SignJWT } from 'jose';
import { AccessTokens } from '../../apps/ledger-api/src/platform/auth/access-tokens.js';
import { JWT_SECRET_FILE } from '../../apps/ledger-api/src/platform/auth/jwt-secret.js';
import type { Role } from '../../apps/ledger-api/src/platform/auth/actor.js';
import { startTestLedger } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, expectStatus, nationalIdFor, openAccount, runPayroll, schedulePayroll, type LedgerActor } from './support/ledger-flow.js';
import { servedRoutes } from './support/served-routes.js';

const TOTAL_RUNS = Number(process.env.HOSTILE_RUNS ?? 2_200);
const TOTAL_QUERY_RUNS = Number(process.env.HOSTILE_QUERY_RUNS ?? 1_200);
const SEED = process.env.HOSTILE_SEED === undefined ? undefined : Number(process.env.HOSTILE_SEED);
const SHRINK = process.env.HOSTILE_SHRINK === 'true';
const PROBLEM = /^application\/problem\+json/;
/** Refusals that record a fact on purpose (a duplicate payment attempt "is recorded so it shows in reports"). */
const REFUSALS_THAT_RECORD: Readonly<Record<string, readonly string[]>> = {
  DUPLICATE_PAYMENT: [DisbursementEventType.DuplicatePaymentRejected],
  PROVIDER_REFERENCE_IN_USE: [DisbursementEventType.DuplicatePaymentRejected],
};

// ---------------------------------------------------------------------------------------------
// The wire: node:http rather than fetch, which would normalise `..` out of a path, refuse some
// header values and always send a well-formed body.

/** A JSON fragment written as is: `1e999`, `-0`, a deep nest, duplicate keys. */
class RawJson {
  constructor(readonly text: string) {}
}

type Body = { readonly kind: 'none' } | { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly label: string };

interface HostileRequest {
  /** POST unless said otherwise. */
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Body;
  /** Chunked transfer instead of a Content-Length. */
  readonly chunked: boolean;
}

interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** JSON.stringify, except that RawJson is spliced in verbatim and `undefined` members are left out. */
function serialise(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  // Array.from, not map: a mutation may have given the array an own `constructor`, which map would call.
  if (Array.isArray(value)) return `[${Array.from(value, (item: unknown) => (item === undefined ? 'null' : serialise(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${serialise(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function bytesOf(body: Body): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return Buffer.from(serialise(body.value), 'utf8');
    case 'bytes':
      return body.bytes;
  }
}

function send(origin: URL, { method = 'POST', path, headers, body, chunked: chunkedAsked }: HostileRequest): Promise<WireResponse> {
  const bytes = bytesOf(body);
  // Node chunks only when Transfer-Encoding says so; otherwise a body without a Content-Length would
  // run on into the next request on the wire, and the client, not the server, would choke on the answer.
  const transferEncoding = headers['transfer-encoding'];
  const chunked = chunkedAsked && (transferEncoding === undefined || String(transferEncoding).includes('chunked'));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        // A connection per request: a refusal that closes the socket cannot then break the next case.
        agent: false,
        host: origin.hostname,
        port: origin.port,
        method,
        path,
        headers: (chunked || bytes === undefined ? headers : { ...headers, 'content-length': String(bytes.length) }) as OutgoingHttpHeaders,
        timeout: 20_000,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, contentType: String(incoming.headers['content-type'] ?? ''), headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('the server did not answer within 20 s')));
    outgoing.on('error', reject);
    if (bytes !== undefined && chunked) {
      // Two chunks, split mid-way: a multi-byte character may well be cut in half between them.
      outgoing.write(bytes.subarray(0, bytes.length >> 1));
      outgoing.write(bytes.subarray(bytes.length >> 1));
    } else if (bytes !== undefined) {
      outgoing.write(bytes);
    }
    outgoing.end();
  });
}

/** The request as a failure report shows it: bodies cut short, tokens shortened. */
function describeRequest(route: string, request: HostileRequest): string {
  const bytes = bytesOf(request.body);
  const text = bytes === undefined ? '(no body)' : request.body.kind === 'bytes' ? `${request.body.label}: ${JSON.stringify(bytes.subarray(0, 300).toString('latin1'))}` : bytes.subarray(0, 600).toString('utf8');
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, (Array.isArray(value) ? value : [value]).map((one) => (one.length > 120 ? `${one.slice(0, 120)}…(${one.length} chars)` : one))]),
  );
  return `${route}\n${request.method ?? 'POST'} ${request.path.length > 300 ? `${request.path.slice(0, 300)}…` : request.path}${request.chunked ? ' (chunked)' : ''}\nheaders: ${JSON.stringify(headers)}\nbody (${bytes?.length ?? 0} bytes): ${text}`;
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

const LONE_SURROGATES = ['\uD800', '\uDFFF', 'a\uDC00b', '\uD83D', 'Bùi\uD800Tài'];
const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' 1000 ',
  '1,000',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u202Eevil\u202C', // right-to-left override
  '\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627', // Hebrew and Arabic
  '\u200B\u200C\u200D\uFEFF', // zero-width characters and a BOM
  'Bu\u0300i Trung Ta\u0300i', // decomposed diacritics
  'Đặng Thị Ánh',
  '👨‍👩‍👧‍👦🇻🇳💸',
  '０９１０５２０００１２３', // full-width digits
  '٠٩١٠٥٢٠٠٠١٢٣', // Arabic-Indic digits
  "'; DROP TABLE events; --",
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '\\u0000',
  ...LONE_SURROGATES,
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'Ă', '9', '🇻🇳', '\u200B'), fc.integer({ min: 100, max: 70_000 })).map(([unit, times]) => unit.repeat(times)) },
);

const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity become null on the wire, like any JSON encoder writes them
  fc.constantFrom(-1, 0, -0, 0.5, 1.5, 999.999, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  fc.constantFrom('1e999', '-1e999', '123456789012345678901234567890', '1.0', '-0', '0.1e1', '1E3', '2055000.0000000001', '1e-400').map((text) => new RawJson(text)),
);

/** A value of any shape: the wrong type for almost any field. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((depth) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)) },
);

const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'position', 'status', 'amount', 'items', 'id', '\u0000', '$where', 'a.b', '[0]'), fc.string({ maxLength: 12 }));

/** Dates and periods that look like dates and periods: the calendar's edges most of all. */
const EDGE_YEARS = [1899, 1900, 1999, 2000, 2024, 2999, 3000];
const pad = (value: number, width: number) => String(value).padStart(width, '0');
const absurdDate = fc.oneof(
  fc.tuple(fc.constantFrom(...EDGE_YEARS), fc.constantFrom(0, 1, 2, 12, 13), fc.constantFrom(0, 1, 28, 29, 30, 31, 32)).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.constantFrom('0000-00-00', '1899-12-31', '1900-01-01', '2999-12-31', '3000-01-01', '9999-12-31', '2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-4-5', '+02024-04-05', '2024-04-05T00:00:00Z', '20240405', '2024/04/05', '٢٠٢٤-٠٤-٠٥'),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);
const absurdPeriod = fc.oneof(
  fc.tuple(fc.constantFrom(...EDGE_YEARS), fc.constantFrom(0, 1, 2, 11, 12, 13)).map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`),
  fc.constantFrom('0000-00', '1899-12', '1900-01', '2999-12', '3000-01', '9999-99', '2024-13', '2024-00', '2024-4', '202404', '2024-04-01', '-2024-04', '２０２４-０４'),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 })).map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`),
);
const absurdInstant = fc.oneof(
  fc.constantFrom('2024-04-05T09:30:00', '2024-04-05T24:00:00+07:00', '2024-04-05T09:30:00+15:00', '2024-04-05T09:30:60Z', '9999-12-31T23:59:59Z', '1900-01-01T00:00:00-14:00', '2999-12-31T23:59:59.999999999-14:00', '2024-02-30T00:00:00Z', 'now', '1712284200000'),
  fc.date({ min: new Date(-8_640_000_000_000_000), max: new Date(8_640_000_000_000_000), noInvalidDate: true }).map((date) => date.toISOString()),
  absurdDate.map((date) => `${date}T00:00:00+07:00`),
);
/** National ids of the wrong shape, and well-shaped ones that disagree with the person. */
const wrongNationalId = fc.oneof(
  fc.constantFrom('09105200012', '0910520001234', '000052000123', '097052000123', '091452000123', '091952000123', '091062000123', '09105200012a', ' 091052000123', '091052000123\n', '091-052-000-123'),
  fc.stringMatching(/^\d{1,20}$/),
  fc.integer({ min: 0, max: 99_999 }).map((n) => nationalIdFor(n)), // well-shaped: enrols (or repeats) a real person
);
const programish = fc.oneof(fc.constantFrom('MERITORIOUS', 'SOCIAL_ASSISTANCE', 'meritorious', 'MERITORIOUS ', 'NEW_YEAR_GIFT', '__proto__', 'constructor', ''), hostileString);
const unitish = fc.oneof(fc.constantFrom('899', '900', '91', '914', '915', '000', '899 ', '__proto__', 'constructor', '*', ''), hostileString);
const amountish = fc.oneof(fc.constantFrom(2_055_000, 2_055_001, 2_054_999, 0), hostileNumber, fc.constantFrom('2055000', '2,055,000', '2.055.000'));

/** A value aimed at a field by its name, so mutations go deeper than the type check. */
function valueFor(field: string): fc.Arbitrary<unknown> {
  const shaped: fc.Arbitrary<unknown> | undefined = (() => {
    switch (field) {
      case 'nationalId':
        return wrongNationalId;
      case 'dateOfBirth':
      case 'date':
      case 'openedOn':
      case 'effectiveDate':
        return absurdDate;
      case 'effectiveFrom':
      case 'period':
        return absurdPeriod;
      case 'paidAt':
        return absurdInstant;
      case 'program':
        return programish;
      case 'unitCode':
        return unitish;
      case 'amount':
      case 'coefficient':
        return amountish;
      case 'gender':
        return fc.constantFrom('MALE', 'FEMALE', 'male', 'OTHER', 'M', '');
      case 'reason':
        return fc.oneof(fc.constantFrom('DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT', 'deceased'), hostileString);
      case 'bankCode':
        return fc.constantFrom('VBA', 'BIDV', 'POST_OFFICE', 'vba', 'V', 'ABCDEFGHIJKLM', 'VB A');
      case 'accountNumber':
        return fc.oneof(fc.stringMatching(/^\d{1,25}$/), fc.constantFrom('7700 2051 23456', '7700-205-123456', '０７７００２０５'));
      case 'disbursementId':
        return fc.oneof(fc.uuid(), fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000'));
      case 'items':
        return fc.oneof(fc.constant([]), fc.array(hostileValue, { maxLength: 4 }));
      case 'limit':
        return fc.oneof(fc.constantFrom(1, 1000, 1001, 0, -1, 2 ** 63, 9999999999999999999), hostileNumber);
      case 'cursor':
        return fc.oneof(fc.constantFrom('9223372036854775808', '-1', '', 'AAAA', Buffer.from('not-a-cursor').toString('base64url')), hostileString);
      case 'name':
        return fc.oneof(fc.constantFrom('Bui Trung Tai', 'bùi', '%', '_', '*', "'", '"', '\\', 'Đặng', 'a'.repeat(401)), hostileString);
      default:
        return undefined;
    }
  })();
  return shaped ? fc.oneof({ weight: 2, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue }) : hostileValue;
}

type Json = Record<string, unknown>;

type Mutation = { readonly op: 'drop'; readonly path: readonly string[] } | { readonly op: 'set'; readonly path: readonly string[]; readonly value: unknown } | { readonly op: 'extra'; readonly path: readonly string[]; readonly key: string; readonly value: unknown };

/** Paths of every member of a body, nested ones too (`decision.number`, `items.0.amount`). */
function memberPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => [[...prefix, key], ...memberPaths(member, [...prefix, key])]);
}

function objectPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return [];
  return [[...prefix], ...Object.entries(value).flatMap(([key, member]) => objectPaths(member, [...prefix, key]))];
}

function mutationOf(template: Json): fc.Arbitrary<Mutation> {
  const members = memberPaths(template);
  const containers = objectPaths(template);
  const options: Array<fc.Arbitrary<Mutation>> = [fc.constantFrom(...containers).chain((path) => fc.record({ op: fc.constant('extra' as const), path: fc.constant(path), key: hostileKey, value: hostileValue }))];
  if (members.length > 0) {
    options.push(
      fc.constantFrom(...members).map((path) => ({ op: 'drop' as const, path })),
      fc.constantFrom(...members).chain((path) => valueFor(path.at(-1)!).map((value) => ({ op: 'set' as const, path, value }))),
      fc.constantFrom(...members).chain((path) => valueFor(path.at(-1)!).map((value) => ({ op: 'set' as const, path, value }))),
    );
  }
  return fc.oneof(...options);
}

function applyMutations(template: Json, mutations: readonly Mutation[]): unknown {
  const body = structuredClone(template) as Json;
  for (const mutation of mutations) {
    const parentPath = mutation.op === 'extra' ? mutation.path : mutation.path.slice(0, -1);
    let parent: unknown = body;
    for (const key of parentPath) parent = parent !== null && typeof parent === 'object' && !(parent instanceof RawJson) ? (parent as Json)[key] : undefined;
    if (parent === null || typeof parent !== 'object' || parent instanceof RawJson) continue; // an earlier mutation replaced it
    const target = parent as Json;
    if (mutation.op === 'drop') delete target[mutation.path.at(-1)!];
    // defineProperty, so that a key named __proto__ is an own member and reaches the wire.
    else if (mutation.op === 'set') Object.defineProperty(target, mutation.path.at(-1)!, { value: mutation.value, enumerable: true, writable: true, configurable: true });
    else Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
  }
  return body;
}

/** Bodies that are not what a JSON client would send. */
function malformedBody(template: Json): fc.Arbitrary<Body> {
  const text = serialise(template);
  const bytes = (label: string, raw: Buffer | string): Body => ({ kind: 'bytes', label, bytes: typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw });
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((cut) => bytes('truncated JSON', text.slice(0, cut))),
    fc.constantFrom('', ' ', 'null', 'true', '0', '"text"', '[]', '[{}]', '{', '}', '{"a":}', "{'a':1}", '{"a":1,}', '{"a":1}{"b":2}', '{"a":1} trailing', 'NaN', '\uFEFF{}').map((raw) => bytes('not a JSON object', raw)),
    fc.constant(bytes('BOM then the template', `\uFEFF${text}`)),
    fc.constant(bytes('prototype pollution', `{"__proto__":{"polluted":true},${text.slice(1)}`)),
    fc.constant(bytes('constructor pollution', `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`)),
    fc.constant(bytes('duplicate keys', `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${text.slice(1)}`)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((raw) => bytes('random bytes', Buffer.from(raw))),
    fc.constant(bytes('invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"reason":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]))),
    fc.constant(bytes('UTF-16 encoded', Buffer.from(text, 'utf16le'))),
    fc.integer({ min: 1_000, max: 200_000 }).map((depth) => bytes(`arrays nested ${depth} deep`, `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
    fc.integer({ min: 1_000, max: 60_000 }).map((depth) => bytes(`objects nested ${depth} deep`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
    fc.integer({ min: 900_000, max: 1_200_000 }).map((size) => bytes(`${size}-byte string member`, `{"a":"${'x'.repeat(size)}"}`)),
  );
}

// ---------------------------------------------------------------------------------------------
// The ledger under attack, with a few real records so that well-formed ids reach the handlers.

const ledger = await startTestLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '100000000' });
const origin = new URL(ledger.url);
const store = ledger.app.get<symbol, EventStore>(EVENT_STORE);
const COMMAND_ROUTES = servedRoutes(ledger.app).filter((route) => route.startsWith('POST '));
const RUNS_PER_ROUTE = Math.max(1, Math.ceil(TOTAL_RUNS / COMMAND_ROUTES.length));

interface Fixtures {
  readonly beneficiaryIds: string[];
  readonly accountIds: string[];
  readonly runIds: string[];
  readonly disbursementIds: string[];
  /** A finding of the national hub recorded about every person above, open until a case resolves it. */
  readonly findingIds: string[];
  /** A digest GET /v1/audit/digest gave, for POST /v1/audit/verify to start from. */
  readonly digest: Json;
  /** The payment files of the sent April run (`VBA`, `POST_OFFICE`, …). */
  readonly paymentFiles: string[];
  /** Cursors and positions the API itself handed out, for query parameters to start from. */
  readonly cursors: readonly string[];
  /** Real files of each kind about the April run and its people, for the import routes to mutate. */
  readonly files: Readonly<Record<string, readonly Buffer[]>>;
  readonly tokens: {
    readonly maker: string;
    readonly auditor: string;
    readonly other: string[];
    /** Valid tokens of every role, the widest first: a query case reads with one of them. */
    readonly readers: string[];
  };
}

/** A valid request body for each command route, for mutations to start from. A served POST route missing here fails the suite. */
const TEMPLATES: Readonly<Record<string, (f: Fixtures) => Json>> = {
  'POST /v1/beneficiaries': () => ({
    nationalId: nationalIdFor(50_000), // enrolled by the first case that keeps it; mutations reach other people
    fullName: 'Bùi Trung Tài',
    dateOfBirth: '1952-03-14',
    gender: 'MALE',
    unitCode: '899',
    program: 'MERITORIOUS',
    coefficient: 1000,
    effectiveFrom: '2024-04',
    decision: { number: '123/QĐ-UBND', date: '2023-12-20' },
  }),
  'POST /v1/beneficiaries/search': () => ({ name: 'Bùi Trung Tài', unitCode: '899', limit: 10 }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend': () => ({ reason: 'Hospitalised abroad', effectiveFrom: '2024-07' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume': () => ({ effectiveFrom: '2024-09' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate': () => ({ reason: 'DECEASED', effectiveDate: '2024-08-20' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/correct-termination': () => ({ effectiveDate: '2024-08-25', reason: 'Date misread from the certificate' }),
  'POST /v1/beneficiaries/{beneficiaryId}/enrollments/{program}/revoke-termination': () => ({ reason: 'A namesake died, not this beneficiary' }),
  'POST /v1/beneficiaries/{beneficiaryId}/relocate': () => ({ unitCode: '900' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts': () => ({ bankCode: 'VBA', accountNumber: '7700205999001', holderName: 'BUI TRUNG TAI', openedOn: '2024-05-02' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify': () => ({ reason: 'Holder name checked against the citizen id card' }),
  'POST /v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close': () => ({ reason: 'Closed at the holder’s request' }),
  'POST /v1/payroll-runs': () => ({ period: '2024-06', program: 'MERITORIOUS', unitCode: '899' }),
  'POST /v1/payroll-runs/{runId}/approve': () => ({}),
  'POST /v1/payroll-runs/{runId}/reject': () => ({ reason: 'The unit list is not signed yet' }),
  'POST /v1/payroll-runs/{runId}/send': () => ({}),
  'POST /v1/disbursements/{disbursementId}/settle': () => ({ providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 }),
  'POST /v1/disbursements/{disbursementId}/fail': () => ({ reason: 'Account frozen by the bank' }),
  'POST /v1/disbursements/{disbursementId}/return': () => ({ reason: 'Not collected at the pay point' }),
  'POST /v1/disbursements/{disbursementId}/reschedule': () => ({ reason: 'Decision 45/QĐ-UBND of the district office' }),
  'POST /v1/audit/verify': (f) => f.digest,
  'POST /v1/audit/replay-check': () => ({}),
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/confirm': () => ({}),
  'POST /v1/beneficiaries/{beneficiaryId}/death-report/reject': () => ({ reason: 'Seen alive at the commune office' }),
  'POST /v1/beneficiaries/{beneficiaryId}/cross-province-findings/{findingId}/resolve': () => ({ decision: 'TERMINATE', reason: 'Lives in Hồ Chí Minh City since May', effectiveDate: '2024-05-31' }),
  'POST /v1/settlements': (f) => ({
    items: [
      { disbursementId: f.disbursementIds[0]!, providerReference: 'PO24096000502', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 },
      { disbursementId: f.disbursementIds[1]!, providerReference: 'PO24096000503', paidAt: '2024-04-06T09:30:00+07:00', amount: 2_055_000 },
    ],
  }),
};

/** The routes that take a file, not JSON: the mutations start from real files of the kind each takes. */
const FILE_ROUTES = new Set(['POST /v1/bank-results', 'POST /v1/post-office-returns', 'POST /v1/identity-checks/results']);
const FILE_MEDIA_TYPES = ['text/csv', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream', 'application/json', 'multipart/form-data; boundary=x', 'text/csv; charset=utf-16', ''];

/** A real file, then broken the ways files break in transit, in a spreadsheet, or in a hostile hand. */
function mutatedFile(files: readonly Buffer[]): fc.Arbitrary<Body> {
  const file = fc.constantFrom(...files);
  const bytes = (label: string) => (raw: Buffer | string): Body => ({ kind: 'bytes', label, bytes: typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw });
  const lines = (original: Buffer) => original.toString('utf8').split('\n');
  return fc.oneof(
    { weight: 2, arbitrary: file.map(bytes('the file as is')) },
    { weight: 2, arbitrary: fc.tuple(file, fc.double({ min: 0, max: 1, noNaN: true })).map(([original, at]) => bytes('truncated')(original.subarray(0, Math.floor(original.length * at)))) },
    {
      weight: 3,
      arbitrary: fc.tuple(file, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([original, flips]) => {
        const copy = Buffer.from(original);
        for (const [at, value] of flips) copy[Math.min(copy.length - 1, Math.floor(copy.length * at))] = value;
        return bytes('bytes flipped')(copy);
      }),
    },
    { weight: 2, arbitrary: fc.tuple(file, fc.nat(), hostileString).map(([original, at, inserted]) => { const text = original.toString('utf8'); const cut = at % (text.length + 1); return bytes('a hostile string inserted')(`${text.slice(0, cut)}${inserted}${text.slice(cut)}`); }) },
    { weight: 1, arbitrary: fc.tuple(file, fc.nat()).map(([original, at]) => { const all = lines(original); const line = at % all.length; return bytes('a line repeated')([...all.slice(0, line + 1), all[line]!, ...all.slice(line + 1)].join('\n')); }) },
    { weight: 1, arbitrary: fc.tuple(file, fc.nat()).map(([original, at]) => { const all = lines(original); const line = at % all.length; return bytes('a line dropped')([...all.slice(0, line), ...all.slice(line + 1)].join('\n')); }) },
    { weight: 1, arbitrary: file.map((original) => bytes('another currency')(original.toString('utf8').replaceAll('VND', 'USD'))) },
    { weight: 2, arbitrary: fc.tuple(file, fc.constantFrom('2055000.50', '-2055000', '2.055.000', '2,055,000', '1e9', '99999999999999999999', '', ' ', 'NaN', '２０５５０００')).map(([original, amount]) => bytes(`amounts as ${amount}`)(original.toString('utf8').replaceAll('2055000', amount))) },
    { weight: 1, arbitrary: file.map((original) => bytes('end-to-end ids of another ledger')(original.toString('utf8').replace(/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}/gi, 'ffffffff-ffff-5fff'))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Document>&lol3;</Document>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&xxe;</Document>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">' + '<a>'.repeat(5_000) + '</a>'.repeat(5_000) + '</Document>',
        ':20:X\n:25:1\n:28C:1\n:60F:C240410VND0,\n:61:2404100410D2055000,NTRFNONREF\n:86:/EREF/' + 'x'.repeat(10_000) + '\n:62F:C240410VND0,\n-',
      ).map(bytes('a hostile document')),
    },
    { weight: 1, arbitrary: file.map((original) => bytes('UTF-16 encoded')(Buffer.from(original.toString('utf8'), 'utf16le'))) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }).map((raw) => bytes('random bytes')(Buffer.from(raw))) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
}

/** Routes an auditor calls; an operator calls the rest. */
const CALLED_BY_AUDITOR = new Set(['POST /v1/audit/verify', 'POST /v1/audit/replay-check']);

const GHOST_UUIDS = ['6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '6F1C1E52-2A0B-5B8E-9D7A-3C4B5A6D7E8F'];
/** Path segments as sent, already percent-encoded where the wire demands it. */
const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '..%2f..%2fhealth%2flive',
  '..%5c..%5c',
  '%2F',
  '%00',
  '%',
  '%zz',
  '%%',
  '%C0%AE%C0%AE',
  '%E2%80%AE',
  '%F0%9F%92%B8',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0',
  '-1',
  'NaN',
  '{id}',
  ':beneficiaryId',
  '*',
  '6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f%00',
  '6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f;x=1',
  '6f1c1e522a0b5b8e9d7a3c4b5a6d7e8f',
  '{6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f}',
  '..%252f',
  '9999999999999999999',
  '9223372036854775808', // 2^63
]

/** Any string, percent-encoded byte by byte the way a careless client might. */
const encodedJunk = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((text) => [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('')),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((raw) => [...raw].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
  fc.stringMatching(/^[!$&'()*+,;=:@a-zA-Z0-9._~-]{1,40}$/),
  fc.integer({ min: 90, max: 3_000 }).map((length) => 'a'.repeat(length)),
);

function segmentFor(param: string, f: Fixtures): fc.Arbitrary<string> {
  const real: Record<string, readonly string[]> = {
    beneficiaryId: f.beneficiaryIds,
    accountId: f.accountIds,
    runId: f.runIds,
    disbursementId: f.disbursementIds,
    program: ['MERITORIOUS', 'SOCIAL_ASSISTANCE'],
    id: [...f.beneficiaryIds.slice(0, 3), ...f.disbursementIds.slice(0, 3), ...f.runIds], // an audited stream
    paymentFile: f.paymentFiles,
    findingId: f.findingIds,
  };
  const known = real[param];
  const hostile = fc.oneof(fc.constantFrom(...GHOST_UUIDS), fc.uuid().map((uuid) => uuid), fc.constantFrom(...HOSTILE_SEGMENTS), encodedJunk);
  return known ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: hostile }) : hostile;
}

/** The path with hostile parameters, and now and then a hostile tail. */
function pathFor(route: string, f: Fixtures): fc.Arbitrary<string> {
  const template = route.slice(route.indexOf(' ') + 1);
  const params = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const tail = fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('/', '//', '?', '?%', '?a=%zz', '?__proto__[x]=1', '#fragment', '/..', '/%2e%2e/%2e%2e', ';jsessionid=1', '?nationalId=091052000123') },
  );
  return fc.tuple(fc.tuple(...params.map((param) => segmentFor(param, f))), tail).map(([segments, suffix]) => {
    let index = 0;
    return template.replace(/\{[^}]+\}/g, () => segments[index++]!) + suffix;
  });
}

/** Latin-1 text, for header values: Node sends 0x80–0xFF as they are, and refuses control characters and anything wider. */
const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

type HeaderChange = { readonly header: string; readonly value: string | readonly string[] | undefined };

function headerChange(f: Fixtures, token: string): fc.Arbitrary<HeaderChange> {
  const set = (header: string, values: fc.Arbitrary<string | readonly string[] | undefined>) => values.map((value) => ({ header, value }));
  const reusedKeys = ['hostile-key-1', 'hostile-key-2', 'hostile-key-3'];
  return fc.oneof(
    set(
      'authorization',
      fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(...f.tokens.other).map((token) => `Bearer ${token}`),
        fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  ', 'Basic YWRtaW46YWRtaW4=', 'Digest x', 'Token abc', 'Bearer a.b.c', 'Bearer ..', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIiwidW5pdHMiOlsiKiJdLCJleHAiOjk5OTk5OTk5OTl9.'),
        fc.constant(`bearer ${token}`),
        fc.constant(`Bearer ${token} extra`),
        fc.constant(`Bearer ${token.slice(0, -3)}abc`),
        fc.constant([`Bearer ${token}`, `Bearer ${token}`]),
        fc.integer({ min: 1_000, max: 12_000 }).map((length) => `Bearer ${'A'.repeat(length)}`),
        fc.string({ unit: 'binary', maxLength: 60 }).map((text) => `Bearer ${latin1(text)}`),
      ),
    ),
    set(
      'idempotency-key',
      fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(...reusedKeys), // the same key again, with another body: 409, or a replay
        fc.constantFrom('', ' ', 'a b', 'x'.repeat(200), 'x'.repeat(201), latin1('ключ'), '\u00ff\u00fe', '%00', '"quoted"'),
        fc.constant(['k1', 'k2']),
        fc.integer({ min: 201, max: 12_000 }).map((length) => 'k'.repeat(length)),
        fc.string({ unit: 'binary', maxLength: 40 }).map(latin1),
      ),
    ),
    set(
      'content-type',
      fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(
          '',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'APPLICATION/JSON',
          'application/json;;;',
          'application/jsonx',
          'application/json-patch+json',
          'application/problem+json',
          'application/*',
          '*/*',
          'json',
        ),
        fc.string({ unit: 'binary', maxLength: 40 }).map(latin1),
      ),
    ),
    set('x-min-position', fc.oneof(fc.constantFrom('-1', '1e9', '99999999999999999999', 'abc', '', ' 1', '0x10'), fc.string({ maxLength: 30 }).map(latin1))),
    set('x-correlation-id', fc.oneof(fc.constantFrom('', 'not-a-uuid', '../../etc', '6f1c1e52-2a0b-5b8e-9d7a-3c4b5a6d7e8f'), fc.string({ maxLength: 80 }).map(latin1))),
    set('accept', fc.constantFrom('text/csv', 'application/xml', '*/*', 'application/problem+json', '', 'text/html;q=0')),
    set('accept-encoding', fc.constantFrom('gzip', 'br', 'identity;q=0', '*')),
    set('x-forwarded-for', fc.constantFrom('1.2.3.4', 'garbage', '::1, 127.0.0.1', '')),
    set('transfer-encoding', fc.constantFrom('gzip, chunked', 'identity')),
    set('content-encoding', fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown')),
    fc.integer({ min: 1_000, max: 12_000 }).map((length) => ({ header: `x-padding-${length}`, value: 'p'.repeat(length) })),
  );
}

function requestFor(route: string, f: Fixtures): fc.Arbitrary<HostileRequest> {
  if (FILE_ROUTES.has(route)) return fileRequestFor(route, f);
  const template = (TEMPLATES[route] ?? (() => ({})))(f);
  const token = CALLED_BY_AUDITOR.has(route) ? f.tokens.auditor : f.tokens.maker;
  const mutated = (mutations: fc.Arbitrary<Mutation[]>) => mutations.map((list) => ({ kind: 'json' as const, value: applyMutations(template, list) }));
  const body: fc.Arbitrary<Body> = fc.oneof(
    // One member changed, the rest valid: the likeliest way past the DTO into the domain and the handlers.
    { weight: 6, arbitrary: mutated(fc.tuple(mutationOf(template)).map((one) => [...one])) },
    { weight: 6, arbitrary: mutated(fc.array(mutationOf(template), { minLength: 2, maxLength: 5 })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'json' as const, value: template }) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'json' as const, value: [template] }) }, // an array where an object belongs
    { weight: 3, arbitrary: malformedBody(template) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
  const headers = fc.oneof({ weight: 3, arbitrary: fc.constant([] as HeaderChange[]) }, { weight: 2, arbitrary: fc.array(headerChange(f, token), { minLength: 1, maxLength: 3 }) });
  return fc.record({ path: pathFor(route, f), body, headers, chunked: fc.boolean() }).map(({ path, body, headers: changes, chunked }) => {
    const base: Record<string, string | readonly string[]> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    for (const { header, value } of changes) {
      if (value === undefined) delete base[header];
      else base[header] = value;
    }
    return { path, body, headers: base, chunked };
  });
}

/** A file route: a real file, mutated, sent under any of the media types a client might label it with. */
function fileRequestFor(route: string, f: Fixtures): fc.Arbitrary<HostileRequest> {
  const headers = fc.oneof({ weight: 3, arbitrary: fc.constant([] as HeaderChange[]) }, { weight: 1, arbitrary: fc.array(headerChange(f, f.tokens.maker), { minLength: 1, maxLength: 2 }) });
  return fc.record({ path: pathFor(route, f), body: mutatedFile(f.files[route]!), contentType: fc.constantFrom(...FILE_MEDIA_TYPES), headers, chunked: fc.boolean() }).map(({ path, body, contentType, headers: changes, chunked }) => {
    const base: Record<string, string | readonly string[]> = { authorization: `Bearer ${f.tokens.maker}`, 'idempotency-key': randomUUID(), ...(contentType ? { 'content-type': contentType } : {}) };
    for (const { header, value } of changes) {
      if (value === undefined) delete base[header];
      else base[header] = value;
    }
    return { path, body, headers: base, chunked };
  });
}

// ---------------------------------------------------------------------------------------------

const outcomes = new Map<string, Map<number, number>>();
let casesRun = 0;

function tally(route: string, status: number) {
  casesRun += 1;
  const byStatus = outcomes.get(route) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  outcomes.set(route, byStatus);
}

/** What every answer must satisfy; throws with the request and the answer when it does not. */
async function checkOne(route: string, request: HostileRequest): Promise<void> {
  const before = await store.headPosition();
  let response: WireResponse;
  try {
    response = await send(origin, request);
  } catch (error) {
    throw new Error(`No HTTP answer (${(error as Error).message}) to:\n${describeRequest(route, request)}`);
  }
  tally(route, response.status);
  const fail = (why: string) => {
    throw new Error(`${why}\n--- request\n${describeRequest(route, request)}\n--- answer ${response.status} ${response.contentType}\n${response.text.slice(0, 1_000)}`);
  };
  if (response.status >= 500) fail('A 5xx answered bad input');
  if (response.headers['x-content-type-options'] !== 'nosniff') fail('An answer lacks X-Content-Type-Options: nosniff');
  if (request.path.startsWith('/v1') && response.headers['cache-control'] !== 'no-store') fail('A /v1 answer lacks Cache-Control: no-store');
  if (response.status < 400) return;

  if (!PROBLEM.test(response.contentType)) fail('An error answered without application/problem+json');
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(response.text);
  } catch {
    return fail('An error body is not JSON');
  }
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== response.status) fail('An error body lacks type, title or the right status');

  const after = await store.headPosition();
  if (after !== before) {
    const appended = await store.readAll({ after: before, maxCount: 10 });
    const allowed = REFUSALS_THAT_RECORD[String(problem.code)];
    if (!allowed || appended.length === 0 || !appended.every((event) => allowed.includes(event.type))) {
      fail(`A refused request appended ${after - before} event(s): ${appended.map((event) => event.type).join(', ')}`);
    }
  }
}

/** fast-check's own report prints the whole counterexample, a megabyte of nested braces at times: say what failed, briefly. */
function briefReport(route: string) {
  return (run: fc.RunDetails<[HostileRequest]>) => {
    if (!run.failed) return;
    const cause = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
    throw new Error(`${cause}\n--- replay with HOSTILE_SEED=${run.seed} (path ${run.counterexamplePath}), after ${run.numRuns} case(s) of ${route}`);
  };
}

let fixtures: Fixtures;

beforeAll(async () => {
  const maker = await actor(ledger, 'operator', ['91'], 'hostile-maker');
  const checker = await actor(ledger, 'operator', ['91'], 'hostile-checker');
  fixtures = await seed(maker, checker);
}, 60_000);

afterAll(async () => {
  const lines = [...outcomes].map(([route, byStatus]) => `  ${route}: ${[...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
  console.log(`hostile input: ${casesRun} cases over ${outcomes.size} routes (HOSTILE_RUNS=${TOTAL_RUNS}, HOSTILE_QUERY_RUNS=${TOTAL_QUERY_RUNS})\n${lines.join('\n')}`);
  await ledger.close();
});

describe('when every command route is sent hostile input', () => {
  it('has a valid body for every served command route to mutate, so mutations start from something the route accepts', () => {
    expect(COMMAND_ROUTES.filter((route) => !(route in TEMPLATES) && !FILE_ROUTES.has(route))).toEqual([]);
    expect([...Object.keys(TEMPLATES), ...FILE_ROUTES].filter((route) => !COMMAND_ROUTES.includes(route))).toEqual([]);
  });

  it.each(COMMAND_ROUTES)(
    '%s answers no 5xx, refuses only with problem details, and appends nothing when it refuses',
    async (route) => {
      await fc.assert(
        fc.asyncProperty(requestFor(route, fixtures), (request) => checkOne(route, request)),
        {
          numRuns: RUNS_PER_ROUTE,
          endOnFailure: !SHRINK,
          ...(SEED === undefined ? {} : { seed: SEED }),
          reporter: briefReport(route),
        },
      );
    },
    Math.max(60_000, RUNS_PER_ROUTE * 500),
  );
});

// ---------------------------------------------------------------------------------------------
// Query routes: every GET the server answers, with the query parameters its handler declares.

/**
 * The query parameters of every GET route a Nest controller serves, read from the controllers' own
 * metadata: a `@Query() dto` contributes each property class-validator knows on the DTO, a
 * `@Query('name')` its name. A parameter added to a DTO is fuzzed without anyone listing it here.
 */
function queryParametersOfRoutes(): Map<string, string[]> {
  const byRoute = new Map<string, string[]>();
  const storage = getMetadataStorage();
  for (const module of ledger.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prefixes = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        const paths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const args: Record<string, { index: number; data?: unknown }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
        const types: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? [];
        const parameters = new Set<string>();
        for (const [key, { index, data }] of Object.entries(args)) {
          if (Number(key.split(':')[0]) !== 4 /* RouteParamtypes.QUERY */) continue;
          if (typeof data === 'string') parameters.add(data);
          else if (typeof types[index] === 'function') {
            for (const { propertyName } of storage.getTargetValidationMetadatas(types[index] as new () => object, '', true, false)) parameters.add(propertyName);
          }
        }
        for (const prefix of prefixes) {
          for (const path of paths) {
            const route = `GET /${[prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
            byRoute.set(route, [...parameters].sort());
          }
        }
      }
    }
  }
  return byRoute;
}

const QUERY_ROUTES = servedRoutes(ledger.app).filter((route) => route.startsWith('GET '));
const QUERY_PARAMETERS = queryParametersOfRoutes();
/** Served by plugins rather than controllers: they take no parameters, and get hostile ones all the same. */
const SERVED_OUTSIDE_CONTROLLERS = new Set(['GET /docs-json', 'GET /docs-yaml', 'GET /', 'GET /console', 'GET /console*', 'GET /console/catalogue.json', 'GET /console/demo-users.json']);
const QUERY_RUNS_PER_ROUTE = Math.max(1, Math.ceil(TOTAL_QUERY_RUNS / QUERY_ROUTES.length));

/** Percent-encodes every byte but the unreserved ones; a lone surrogate goes out as U+FFFD, as UTF-8 must. */
const encodeQueryValue = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('');

/** Every parameter is tried with each of these in turn, as they go on the wire. */
const EDGE_QUERY_VALUES: readonly string[] = [
  '9999999999999999999',
  '9223372036854775808', // 2^63
  '9223372036854775807', // 2^63 - 1
  '18446744073709551616', // 2^64
  '-9223372036854775809',
  '99999999999999999999999999999999',
  '9'.repeat(400),
  '2147483648',
  '4294967296',
  '9007199254740993',
  '1e309',
  '1e21',
  '-1',
  '-0',
  '0',
  '00',
  '01',
  '%2B1',
  '%201',
  '1%20',
  '0x10',
  '1.5',
  '1e3',
  'NaN',
  'Infinity',
  'true',
  'false',
  'TRUE',
  'null',
  '',
  '%00',
  '%zz',
  '%',
  '%ED%A0%80',
  '%E2%80%AE',
  '__proto__',
  'x'.repeat(5_000),
  '2024-13',
  '0000-00',
  '2024-04-05T24%3A00%3A00%2B07%3A00',
  '*',
  '..%2F..',
  Buffer.from('not-a-uuid-but-36-characters-long!!!').toString('base64url'),
  Buffer.from(`${'9'.repeat(36)}`).toString('base64url'),
  '====',
];

/** How a parameter can be spelt on the wire beside `name=value`. */
const PARAMETER_SHAPES: ReadonlyArray<(name: string, value: string) => string> = [
  (name, value) => `${name}=${value}`,
  (name, value) => `${name}=${value}&${name}=${value}`, // repeated
  (name, value) => `${name}=1&${name}=${value}`,
  (name, value) => `${name}[]=${value}`,
  (name, value) => `${name}[a]=${value}`,
  (name) => name, // no `=`
];

/** A value aimed at a query parameter by its name, or any hostile one. */
function queryValueFor(name: string, f: Fixtures): fc.Arbitrary<string> {
  const numeric = fc.oneof(fc.constantFrom('1', '2', '100', '1000', '1001', '0', '-1', '9999999999999999999', '9223372036854775808', '9223372036854775807'), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String));
  const shaped: fc.Arbitrary<string> | undefined = (() => {
    switch (name) {
      case 'cursor':
      case 'after':
        return fc.oneof(fc.constantFrom(...f.cursors, '-1'), fc.constantFrom(...f.cursors).map((cursor) => `${cursor}A`), numeric, fc.base64String({ maxLength: 80 }).map(encodeQueryValue));
      case 'limit':
        return numeric;
      case 'period':
        return absurdPeriod.map(encodeQueryValue);
      case 'asOf':
        return absurdInstant.map(encodeQueryValue);
      case 'unitCode':
        return unitish.map(encodeQueryValue);
      case 'program':
        return programish.map(encodeQueryValue);
      case 'status':
        return fc.constantFrom('ACTIVE', 'PAID', 'SENT', 'paid', 'ACTIVE,PAID', 'UNKNOWN');
      case 'late':
        return fc.constantFrom('true', 'false', '1', '0', 'yes', 'TRUE', '');
      case 'beneficiaryId':
        return fc.oneof(fc.constantFrom(...f.beneficiaryIds.slice(0, 3), ...GHOST_UUIDS), encodedJunk);
      default:
        return undefined;
    }
  })();
  const hostile = fc.oneof(fc.constantFrom(...EDGE_QUERY_VALUES), hostileString.map(encodeQueryValue), encodedJunk);
  return shaped ? fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 2, arbitrary: hostile }) : hostile;
}

function queryRequestFor(route: string, f: Fixtures): fc.Arbitrary<HostileRequest> {
  const declared = QUERY_PARAMETERS.get(route) ?? [];
  const unknown = fc.constantFrom('unknown', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'a.b', '__proto__[polluted]', 'constructor[prototype][polluted]');
  const parameter = fc.oneof(
    { weight: declared.length > 0 ? 6 : 0, arbitrary: declared.length > 0 ? fc.constantFrom(...declared) : fc.constant('') },
    { weight: 1, arbitrary: unknown },
  );
  const pair = parameter.chain((name) => fc.tuple(fc.constantFrom(...PARAMETER_SHAPES), queryValueFor(name, f)).map(([shape, value]) => shape(encodeQueryValue(name).replace(/%5B/g, '[').replace(/%5D/g, ']'), value)));
  const query = fc.oneof(
    { weight: 8, arbitrary: fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => `?${pairs.join('&')}`) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&&', '?=', '?=1', '?&=&', `?${'a=1&'.repeat(2_000)}`, '?limit=1#fragment', '?%', '?a=%zz') },
    { weight: 1, arbitrary: encodedJunk.map((junk) => `?${junk}`) },
  );
  const token = fc.constantFrom(...f.tokens.readers);
  const headers = fc.oneof(
    { weight: 6, arbitrary: fc.constant({} as Record<string, string>) },
    { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1e9', '99999999999999999999', '9223372036854775808', 'abc', '', ' 1').map((position) => ({ 'x-min-position': position })) },
    { weight: 1, arbitrary: fc.constantFrom('text/csv', 'application/xml', '*/*', 'text/csv;q=0', '').map((accept) => ({ accept })) },
    { weight: 1, arbitrary: fc.constantFrom(...f.tokens.other).map((other) => ({ authorization: `Bearer ${other}` })) },
  );
  return fc.record({ path: pathFor(route, f), query, token, headers }).map(({ path, query: search, token: bearer, headers: extra }) => ({
    method: 'GET' as const,
    path: `${path}${search}`,
    headers: { authorization: `Bearer ${bearer}`, ...extra },
    body: { kind: 'none' as const },
    chunked: false,
  }));
}

/** The route with real values in its path parameters (the first of each kind), to aim edge values at its query. */
function realPathOf(route: string, f: Fixtures): string {
  const first: Record<string, string | undefined> = { beneficiaryId: f.beneficiaryIds[0], disbursementId: f.disbursementIds[0], runId: f.runIds[0], id: f.beneficiaryIds[0], paymentFile: f.paymentFiles[0], accountId: f.accountIds[0] };
  return route.slice(route.indexOf(' ') + 1).replace(/\{([^}]+)\}/g, (_, name: string) => first[name] ?? 'unknown');
}

/** A valid value for each parameter a route requires, so that an edge value in another reaches its check. */
const REQUIRED_QUERY: Readonly<Record<string, string>> = { asOf: '2024-05-01T00%3A00%3A00%2B07%3A00' };

describe('when every query route is sent hostile query parameters', () => {
  it('knows the query parameters of every served GET route, so none goes unfuzzed', () => {
    expect(QUERY_ROUTES.filter((route) => !QUERY_PARAMETERS.has(route) && !SERVED_OUTSIDE_CONTROLLERS.has(route))).toEqual([]);
    // Cursors, positions and limits above all: the routes that page must be among those found.
    expect(QUERY_PARAMETERS.get('GET /v1/audit/log')).toEqual(expect.arrayContaining(['after', 'limit']));
    expect(QUERY_PARAMETERS.get('GET /v1/disbursements')).toEqual(expect.arrayContaining(['cursor', 'limit', 'period', 'unitCode', 'late']));
  });

  it.each(QUERY_ROUTES)(
    '%s answers every edge value of every parameter, alone or repeated, without a 5xx and refuses with problem details',
    async (route) => {
      const declared = QUERY_PARAMETERS.get(route) ?? [];
      const requests: HostileRequest[] = [];
      for (const name of declared.length > 0 ? declared : ['unknown']) {
        const others = Object.entries(REQUIRED_QUERY).filter(([required]) => required !== name && declared.includes(required)).map(([required, value]) => `&${required}=${value}`).join('');
        // Alone and repeated; the other spellings are left to the random cases below.
        for (const shape of PARAMETER_SHAPES.slice(0, 2)) {
          for (const value of EDGE_QUERY_VALUES) {
            requests.push({ method: 'GET', path: `${realPathOf(route, fixtures)}?${shape(name, value)}${others}`, headers: { authorization: `Bearer ${fixtures.tokens.readers[0]}` }, body: { kind: 'none' }, chunked: false });
          }
        }
      }
      const failures: string[] = [];
      // Eight at a time: reads append nothing, so the event store's head still tells a refusal that wrote.
      for (let start = 0; start < requests.length; start += 8) {
        await Promise.all(
          requests.slice(start, start + 8).map(async (request) => {
            try {
              await checkOne(route, request);
            } catch (error) {
              // One line per failure, so that every edge value a route mishandles shows at once.
              const message = (error as Error).message;
              const answer = message.split('\n--- answer ')[1] ?? '';
              failures.push(`${request.path.length > 160 ? `${request.path.slice(0, 160)}…` : request.path}: ${message.split('\n')[0]} (${answer.split(' ')[0]} ${/"code":"([A-Z_]+)"/.exec(answer)?.[1] ?? ''})`);
            }
          }),
        );
      }
      expect(failures).toEqual([]);
    },
    120_000,
  );

  it.each(QUERY_ROUTES)(
    '%s answers no 5xx to hostile query parameters, path parameters and headers, and refuses only with problem details',
    async (route) => {
      await fc.assert(fc.asyncProperty(queryRequestFor(route, fixtures), (request) => checkOne(route, request)), {
        numRuns: QUERY_RUNS_PER_ROUTE,
        endOnFailure: !SHRINK,
        ...(SEED === undefined ? {} : { seed: SEED }),
        reporter: briefReport(route),
      });
    },
    Math.max(60_000, QUERY_RUNS_PER_ROUTE * 500),
  );
});

/**
 * Two dozen beneficiaries of unit 899 (four paid by bank, one owed arrears since February), an April
 * run sent, one payment settled, one failed, one returned, a May run waiting for approval. Enough
 * of them that the lifecycle routes do not run out of active enrollments when mutations succeed.
 */
/** Signed with the ledger's own secret, but living past the 12-hour limit: refused like a forgery. */
async function tokensThatLiveTooLong(): Promise<string[]> {
  const secret = new TextEncoder().encode(readFileSync(join(ledger.config.dataDirectory, JWT_SECRET_FILE), 'utf8').trim());
  const now = Math.floor(Date.now() / 1000);
  const claims = () => new SignJWT({ role: 'admin', units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('hostile-forever');
  return Promise.all([
    claims().setIssuedAt(now).setExpirationTime(3.15e307).sign(secret), // the year 10^300
    claims().setIssuedAt(now + 3_600).setExpirationTime(now + 7_200).sign(secret), // issued an hour from now
    claims().setExpirationTime(now + 24 * 3_600).sign(secret), // no iat, a day ahead
  ]);
}

async function seed(maker: LedgerActor, checker: LedgerActor): Promise<Fixtures> {
  const beneficiaryIds: string[] = [];
  const accountIds: string[] = [];
  for (let n = 1; n <= 24; n++) {
    const beneficiaryId = await enroll(maker, n, { effectiveFrom: n === 8 ? '2024-02' : '2024-04' });
    beneficiaryIds.push(beneficiaryId);
    if (n <= 4) accountIds.push((await openAccount(maker, beneficiaryId)).accountId);
  }
  const april = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
  const listed = await maker.getFresh('/v1/disbursements?unitCode=899&limit=100');
  expectStatus(listed, 200);
  const disbursementIds = (listed.body.items as Array<{ disbursementId: string }>).map((item) => item.disbursementId);
  const aprilOf = async (n: number) => (await disbursementOf(maker, beneficiaryIds[n]!, '2024-04')).disbursementId as string;
  const settlement = { providerReference: 'FT24096000001', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 };
  expectStatus(await maker.post(`/v1/disbursements/${await aprilOf(2)}/settle`, settlement), 200);
  expectStatus(await maker.post(`/v1/disbursements/${await aprilOf(3)}/fail`, { reason: 'Account frozen' }), 200);
  expectStatus(await maker.post(`/v1/disbursements/${await aprilOf(6)}/return`, { reason: 'Not collected' }), 200);
  const may = await schedulePayroll(maker, { period: '2024-05', program: 'MERITORIOUS', unitCode: '899' });
  // The national hub found everyone enrolled in another province too: a finding per person, all under one id.
  const findingId = '4d5e6f70-8192-5a3b-9c4d-5e6f708192a3';
  for (const beneficiaryId of beneficiaryIds) {
    const finding = { beneficiaryId, findingId, kind: 'ENROLLED_IN_TWO_PROVINCES', program: 'MERITORIOUS', otherProvinces: ['79'], foundAt: '2024-05-20T08:00:00+07:00' } as const;
    await ledger.app.get(CommandBus).execute(new RecordCrossProvinceFindingCommand(finding, nationalHubContext(findingId)));
  }

  const auditor = await actor(ledger, 'auditor', ['*'], 'hostile-auditor');
  const digest = await auditor.get('/v1/audit/digest');
  expectStatus(digest, 200);

  const sentRun = await maker.get(`/v1/payroll-runs/${april.runId}`);
  expectStatus(sentRun, 200);
  const paymentFiles = (sentRun.body.paymentFiles as Array<{ paymentFile: string }>).map((file) => file.paymentFile);
  const cursors: string[] = [];
  for (const page of ['/v1/beneficiaries?limit=2', '/v1/disbursements?limit=2', '/v1/audit/log?limit=2', `/v1/audit/streams/${beneficiaryIds[0]}?limit=1`]) {
    const answer = await auditor.getFresh(page);
    expectStatus(answer, 200);
    if (typeof answer.body.next === 'string') cursors.push(answer.body.next);
  }

  // The April run's results, as each paying agent would send them: people 1–4 by bank, the others in cash.
  const paidOn = '2024-04-10' as LocalDate;
  const result = (n: number, outcome: PaymentResult['outcome'], extra: Partial<PaymentResult> = {}): Promise<PaymentResult> =>
    aprilOf(n).then((disbursementId) => ({ disbursementId, outcome, amount: 2_055_000, date: paidOn, ...extra }));
  const bankResults = await Promise.all([result(0, 'PAID'), result(1, 'FAILED', { reason: 'AC04' }), result(2, 'PAID'), result(3, 'PAID')]);
  const header = { messageId: 'HOSTILE-1', createdAt: new Date('2024-04-11T08:00:00+07:00'), reportId: 'RPT-1', accountNumber: '1200100009999', statementDate: paidOn };
  const paid = bankResults.filter((one) => one.outcome === 'PAID');
  const cash = await Promise.all([result(4, 'PAID'), result(5, 'RETURNED', { reason: 'Vắng nhà' }), result(7, 'PAID')]);
  const files = {
    'POST /v1/bank-results': [
      pain002StatusReport({ messageId: 'PSR-1', createdAt: header.createdAt, originalMessageId: 'RUN-APR' }, bankResults),
      camt054Notification(header, paid),
      camt053Statement(header, paid),
      mt940Statement({ reference: 'MT-1', accountIdentification: '1200100009999', statementNumber: 1, statementDate: paidOn }, paid),
      bankResultsCsv(bankResults),
    ].map((text) => Buffer.from(text, 'utf8')),
    'POST /v1/post-office-returns': [Buffer.from(postOfficeReturnsCsv(cash), 'utf8')],
    'POST /v1/identity-checks/results': [
      Buffer.from(
        identityCheckAnswersCsv([
          { nationalId: nationalIdFor(9), answer: { outcome: 'MATCHED' } },
          { nationalId: nationalIdFor(10), answer: { outcome: 'MISMATCHED', mismatchedFields: ['fullName'] } },
          { nationalId: nationalIdFor(11), answer: { outcome: 'DECEASED', dateOfDeath: '2024-04-02' as LocalDate } },
        ]),
        'utf8',
      ),
    ],
  };

  const tokens = ledger.app.get(AccessTokens);
  const foreign = new AccessTokens('a-secret-that-is-not-the-ledgers-own-secret');
  const mint = (role: string, units: string[], options: { ttl?: string; userId?: string; with?: AccessTokens } = {}) =>
    (options.with ?? tokens).mint({ userId: options.userId ?? `hostile-${role}`, role: role as Role, units }, options.ttl === undefined ? {} : { ttl: options.ttl });
  return {
    beneficiaryIds,
    accountIds,
    runIds: [april.runId, may.runId],
    disbursementIds,
    findingIds: [findingId],
    digest: digest.body,
    paymentFiles,
    cursors,
    files,
    tokens: {
      maker: maker.token,
      auditor: auditor.token,
      readers: [
        await mint('admin', ['*']),
        auditor.token,
        maker.token,
        await mint('reporter', ['899']),
        await mint('reporter', ['*']),
        await mint('auditor', ['900']),
        await mint('operator', ['900']),
      ],
      other: [
        ...(await tokensThatLiveTooLong()),
        checker.token,
        maker.token,
        await mint('admin', ['*']),
        await mint('auditor', ['*']),
        await mint('reporter', ['*']),
        await mint('operator', ['900']),
        await mint('operator', ['*']),
        await mint('operator', []),
        await mint('operator', ['91'], { ttl: '-1m' }),
        await mint('operator', ['91'], { with: foreign }),
        await mint('root', ['*']),
        await mint('operator', ['']),
        await mint('operator', ['91'], { userId: '' }),
      ],
    },
  };
}
