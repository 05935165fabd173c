import { applyDecorators, type INestApplication, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { ProblemDetailsDto } from './hub.dto.js';

export const OPENAPI_JSON_PATH = '/openapi.json';

const DESCRIPTION = `The ministry's view of every province's ledger: national totals and coverage, and the people found enrolled or paid in two provinces at once.

The hub follows the provinces' integration events on NATS JetStream (stream LEDGER_EVENTS) into PostgreSQL, and sends each province its findings (stream LEDGER_FINDINGS). It holds no name, national id or account number: a person is a national person key, and a province's own beneficiary id, which this API never answers with.

**Tokens.** Every /v1 operation needs \`Authorization: Bearer <token>\`: HS256 under HUB_JWT_SECRET, role \`ministry\`, at most 12 hours. 401 without a valid token, 403 with another role.

**Refusals** are RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\`. Money is integer VND; periods are \`YYYY-MM\`.`;

const PLATFORM_PROBLEMS = {
  400: 'VALIDATION_FAILED: a query parameter is refused (`errors` names each), or unknown.',
  401: 'AUTHENTICATION_REQUIRED (no bearer token), TOKEN_EXPIRED or INVALID_TOKEN.',
  403: 'ROLE_NOT_ALLOWED: the token is valid, but not a ministry token.',
  500: 'INTERNAL_ERROR: the hub could not answer; it is logged and the request may be retried.',
} as const;

function problems(statuses: Partial<Record<400 | 401 | 403 | 500 | 503, string>>) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...Object.entries(statuses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

/** A ministry read: the bearer token, its answer, and the refusals every such route can give. */
export function ApiMinistryRead(doc: { operationId: string; summary: string; description?: string; response: Type<unknown>; responseDescription: string; query?: boolean }): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    ApiExtraModels(doc.response),
    ApiResponse({ status: 200, description: doc.responseDescription, content: { 'application/json': { schema: { $ref: getSchemaPath(doc.response) } } } }),
    problems({ ...(doc.query ? { 400: PLATFORM_PROBLEMS[400] } : {}), 401: PLATFORM_PROBLEMS[401], 403: PLATFORM_PROBLEMS[403], 500: PLATFORM_PROBLEMS[500] }),
  );
}

/** A route without a token (`security: []`): probes and metrics. */
export function ApiPublicRead(doc: { operationId: string; summary: string; description?: string; response?: Type<unknown>; text?: string; responseDescription: string; unavailable?: string }): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, ...(doc.description ? { description: doc.description } : {}), security: [] }),
    ...(doc.response ? [ApiExtraModels(doc.response)] : []),
    ApiResponse({
      status: 200,
      description: doc.responseDescription,
      content: doc.response ? { 'application/json': { schema: { $ref: getSchemaPath(doc.response) } } } : { 'text/plain': { schema: { type: 'string', description: doc.text } } },
    }),
    problems({ 500: PLATFORM_PROBLEMS[500], ...(doc.unavailable ? { 503: doc.unavailable } : {}) }),
  );
}

/** The hub's OpenAPI 3.1 document, as served at /openapi.json. */
export function buildHubOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('National hub of the social-protection payment ledgers')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A ministry token (role `ministry`), at most 12 hours.' }, 'bearer')
    .addSecurityRequirements('bearer')
    .addTag('National', 'Totals and coverage across provinces.')
    .addTag('Findings', 'People enrolled, or paid for the same month, in two provinces.')
    .addTag('Operations', 'Health probes and Prometheus metrics: no token needed.');
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemDetailsDto], autoTagControllers: false });
  const renamed = JSON.parse(JSON.stringify(document).replace(/"#\/components\/schemas\/([A-Za-z0-9_]+)Dto"/g, '"#/components/schemas/$1"')) as OpenAPIObject;
  const schemas = Object.fromEntries(Object.entries(renamed.components?.schemas ?? {}).map(([name, schema]) => [name.replace(/Dto$/, ''), schema]));
  // A refusal may carry members of its own beside the standard ones (RFC 9457 §3.2).
  schemas.ProblemDetails = { ...schemas.ProblemDetails, additionalProperties: true };
  return asOpenApi31({ ...renamed, components: { ...renamed.components, schemas } });
}

/** @nestjs/swagger writes `nullable: true` (OpenAPI 3.0); 3.1 says the same with a type list. */
function asOpenApi31<T>(node: T): T {
  if (Array.isArray(node)) return node.map(asOpenApi31) as T;
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, asOpenApi31(value)]));
  if (nullable === true && typeof converted.type === 'string') converted.type = [converted.type, 'null'];
  return converted as T;
}
