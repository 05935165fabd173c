import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/** Where the generated client's files live, from the repository's root. */
export const API_CLIENT_FILES = {
  document: 'libs/api-client/openapi.json',
  schema: 'libs/api-client/src/schema.ts',
} as const;

export type ApiClientFiles = Record<keyof typeof API_CLIENT_FILES, string>;

/**
 * The client's files for an OpenAPI document: the document itself, keys sorted so that its diff
 * shows what changed rather than where Nest happened to list it, and the TypeScript types
 * openapi-typescript derives from it (which openapi-fetch's `createClient<paths>` checks calls with).
 */
export async function apiClientFiles(document: object): Promise<ApiClientFiles> {
  const sorted = sortKeys(document) as Record<string, unknown>;
  // A default (`limit` is 100 unless given) does not make a request's field required.
  const types = astToString(await openapiTS(sorted as never, { alphabetize: true, defaultNonNullable: false }));
  return { document: `${JSON.stringify(sorted, null, 2)}\n`, schema: `${COMMENT_HEADER}${types}` };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
