import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { RESPONSE_HEADERS } from './api-route.decorators.js';
import { ProblemDetailsDto } from './problem-details.schema.js';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** The groups of operations, in the order a reader meets them. */
export const OPENAPI_TAGS = [
  ['Beneficiaries', 'Enrollment, its lifecycle, relocation and payment accounts; lists, search and single records of beneficiaries.'],
  ['Payroll runs', 'Schedule a period’s payroll, approve or reject it (another operator than its maker), send it; runs and their payment files.'],
  ['Disbursements', 'Settle, fail, return or reschedule a payment, one at a time or a paying agent’s batch; lists and single records.'],
  ['Reports', 'Coverage, amounts by status, late payments, duplicate attempts and overpayments: JSON pages, CSV or a spreadsheet.'],
  ['Audit', 'The log and each stream’s history, a beneficiary as of a past instant, who read whose data, signed digests and the replay check.'],
  ['Operations', 'Health probes and Prometheus metrics: no token needed.'],
] as const;

const DESCRIPTION = `The ledger of social-protection payments: who is enrolled in which program, what each person is owed each month, and what was paid.

**Tokens.** Every operation but the health probes and the metrics needs \`Authorization: Bearer <token>\`. A token names a role (operator, auditor, reporter, admin) and the administrative units it works in; a record outside them is answered as unknown (404).

**Refusals** are RFC 9457 problem details (\`application/problem+json\`, schema ProblemDetails) with a stable \`code\`: 400 malformed or invalid input (\`errors\` lists each field), 401, 403, 404, 409 conflicts (a duplicate, a concurrent change, an Idempotency-Key reused with another body), 422 the ledger's rules refuse, 429 too many requests.

**Retries.** Commands take an \`Idempotency-Key\` (required on payroll runs, settlements and the disbursement and enrollment lifecycle): the same key and body answer the first response again, with \`Idempotency-Replayed: true\`.

**Reading your writes.** A command answers the log \`position\` of what it wrote; send it as \`X-Min-Position\` on a read to be answered only once the read models include it.

**Lists** answer \`{ "items": [...], "next": "<cursor>" | null }\`; pass \`next\` as \`cursor\` for the following page. Money is integer VND; periods are \`YYYY-MM\`, dates \`YYYY-MM-DD\`, instants ISO 8601 with an offset.`;

/**
 * The OpenAPI document of the API as this app serves it: every operation behind the bearer token
 * unless it says `security: []`, the problem details and the response headers declared once.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Social-protection payment ledger')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token minted by `ledger token`: role, units, at most 12 hours.' }, 'bearer')
    .addSecurityRequirements('bearer');
  for (const [name, description] of OPENAPI_TAGS) builder.addTag(name, description);
  const document = withoutDtoSuffix(SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemDetailsDto], autoTagControllers: false }));
  const schemas = document.components?.schemas ?? {};
  // A refusal may carry members of its own beside the standard ones (RFC 9457 §3.2).
  schemas.ProblemDetails = { ...schemas.ProblemDetails, additionalProperties: true };
  return { ...document, components: { ...document.components, schemas, headers: structuredClone(RESPONSE_HEADERS) as never } };
}

/**
 * Schemas are named after their classes without the `Dto` that marks a wire shape in the code:
 * `EnrollBeneficiaryDto` is `EnrollBeneficiary` to an integrator and in the generated client.
 */
function withoutDtoSuffix(document: OpenAPIObject): OpenAPIObject {
  const renamed = JSON.stringify(document).replace(/"#\/components\/schemas\/([A-Za-z0-9_]+)Dto"/g, '"#/components/schemas/$1"');
  const result = JSON.parse(renamed) as OpenAPIObject;
  const schemas = result.components?.schemas ?? {};
  if (result.components) result.components.schemas = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name.replace(/Dto$/, ''), schema]));
  return result;
}

/**
 * OpenAPI at /docs (JSON at /docs-json).
 * `ui: false` serves the JSON only: the e2e harness uses it, because Swagger UI's assets come through
 * @fastify/static, whose ESM-only dependency (content-disposition 3) Jest's module loader cannot
 * require, although Node itself can.
 */
export function setupOpenApi(app: INestApplication, { ui = true }: { ui?: boolean } = {}): void {
  SwaggerModule.setup(OPENAPI_PATH, app, buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH, ui });
}
