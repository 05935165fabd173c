import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/**
 * OpenAPI at /docs (JSON at /docs-json), every operation behind the bearer token unless public.
 * `ui: false` serves the JSON only: the e2e harness uses it, because Swagger UI's assets come through
 * @fastify/static, whose ESM-only dependency (content-disposition 3) Jest's module loader cannot
 * require, although Node itself can.
 */
export function setupOpenApi(app: INestApplication, { ui = true }: { ui?: boolean } = {}): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Social-protection payment ledger')
      .setDescription('Errors are RFC 9457 problem details (application/problem+json). Commands that change money or eligibility take an Idempotency-Key header.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, ui });
}
