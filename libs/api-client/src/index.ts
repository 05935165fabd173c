import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

/** A schema of the API by its name: `Schema<'BeneficiaryView'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** A refusal as the API sends it (`application/problem+json`). */
export type ProblemDetails = Schema<'ProblemDetails'>;

/**
 * Answers are typed from their JSON media types: a report's `data` is its JSON page, not also the
 * CSV text it could be. A file is asked for with `parseAs` (`'text'` for CSV, `'arrayBuffer'` for a
 * spreadsheet), which types `data` accordingly.
 */
export type JsonMediaType = `${string}/${string}json`;

export type LedgerClient = Client<paths, JsonMediaType>;

/**
 * A typed client of the ledger's HTTP API, generated from its OpenAPI document: every path, its
 * parameters, headers, body and answers are checked by the compiler.
 *
 *     const ledger = createLedgerClient('https://ledger.example.gov.vn', token);
 *     const { data, error } = await ledger.POST('/v1/payroll-runs', {
 *       params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
 *       body: { period: '2024-04', unitCode: '899' },
 *     });
 *
 * A refusal comes back as `error` (problem details), never as a thrown exception; only a network
 * failure throws.
 */
export function createLedgerClient(baseUrl: string, token?: string, options: LedgerClientOptions = {}): LedgerClient {
  const headers = { ...options.headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
  return createClient<paths, JsonMediaType>({ ...options, baseUrl: baseUrl.replace(/\/+$/, ''), headers });
}

/** openapi-fetch's options (a custom `fetch`, serializers…), with headers sent on every request. */
export type LedgerClientOptions = Omit<ClientOptions, 'baseUrl' | 'headers'> & { readonly headers?: Readonly<Record<string, string>> };
