import { createReadStream } from 'node:fs';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogues } from '@ledger/domain';
import type { LedgerConfig } from '../config/ledger-config.js';
import { CataloguesModule } from '../ledger/catalogues.module.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { LEDGER_CONFIG } from '../ledger.tokens.js';
import { AccessTokens } from '../platform/index.js';
import { CONSOLE_CATALOGUE_PATH, consoleCatalogue } from './console-catalogue.js';
import { builtConsoleDirectory, CONSOLE_NOT_BUILT_PAGE, resolveConsolePath } from './console-files.js';
import { DEMO_USERS_PATH, demoUsers } from './demo-sign-in.js';

/**
 * The web console (apps/console, built into dist/console) at /console/, with `/` sending a browser
 * there. It is served by the HTTP server itself, as Swagger serves /docs, rather than by a
 * controller: these are files, not operations of the API, and they stay out of its OpenAPI
 * document. The console talks to the API like any client, over /v1 with a bearer token.
 *
 * The files are streamed here rather than through @fastify/static, whose ESM-only dependency Jest's
 * module loader cannot require (see platform/openapi/openapi.ts): the e2e suites serve this module too.
 *
 * Beside the files, /console/catalogue.json names the units and programs the API is configured
 * with, for the console's labels. Outside production only, /console/demo-users.json hands out the
 * demo users' tokens (the banner prints the same); in production that route is not registered at all.
 */
@Module({ imports: [CataloguesModule] })
export class ConsoleModule implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  onModuleInit(): void {
    // A module compiled without an HTTP server (a test of the command side, the CLI) serves nothing.
    if (!this.adapterHost.httpAdapter) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const root = builtConsoleDirectory();

    fastify.get('/', (_request, reply) => reply.redirect('/console/', 302));
    fastify.get('/console', (_request, reply) => reply.redirect('/console/', 302));
    fastify.get('/console/*', (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
      const answer = resolveConsolePath(root, request.params['*']);
      switch (answer.kind) {
        case 'not-found':
          return reply.callNotFound();
        case 'not-built':
          return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(CONSOLE_NOT_BUILT_PAGE);
        case 'file':
          return reply
            .type(answer.contentType)
            .header('cache-control', answer.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
            .send(createReadStream(answer.path));
      }
    });

    const catalogue = consoleCatalogue(this.catalogues);
    fastify.get(CONSOLE_CATALOGUE_PATH, (_request, reply) => reply.header('cache-control', 'no-cache').send(catalogue));

    if (!this.config.production) {
      fastify.get(DEMO_USERS_PATH, async (_request, reply) => reply.header('cache-control', 'no-store').send(await demoUsers(this.tokens)));
    }
  }
}
