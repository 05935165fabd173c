import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { loadLedgerConfig } from './config/ledger-config.js';

const config = loadLedgerConfig();
const app = await NestFactory.create<NestFastifyApplication>(
  AppModule.register({ ...config, dataDirectory: config.dataDirectory }),
  new FastifyAdapter({ bodyLimit: config.bodyLimitBytes }),
);
app.enableShutdownHooks();
await app.listen(config.port, config.host);
console.log(`Ledger API listening on ${await app.getUrl()}`);
