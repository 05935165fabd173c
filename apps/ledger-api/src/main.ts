import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ConfigurationError, loadLedgerConfig } from './config/ledger-config.js';
import { JWT_SECRET_FILE } from './platform/auth/jwt-secret.js';
import { configureLedgerHttp, LEDGER_APP_OPTIONS, ledgerHttpAdapter } from './platform/http/configure-http.js';
import { OPENAPI_JSON_PATH, OPENAPI_PATH, setupOpenApi } from './platform/openapi/openapi.js';

let config;
try {
  config = loadLedgerConfig();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), ledgerHttpAdapter(config), LEDGER_APP_OPTIONS);
await configureLedgerHttp(app, config);
setupOpenApi(app);
app.enableShutdownHooks();
await app.listen(config.port, config.host);

const url = await app.getUrl();
console.log(`Ledger API listening on ${url}`);
console.log(`OpenAPI: ${url}/${OPENAPI_PATH} (JSON: ${url}/${OPENAPI_JSON_PATH})`);
if (!config.jwtSecret) {
  console.log(`Tokens are signed with the secret kept in ${config.dataDirectory}/${JWT_SECRET_FILE}; mint one with: npm run ledger -- token --role operator --units '*'`);
}
