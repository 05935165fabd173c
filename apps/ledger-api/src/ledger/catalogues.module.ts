import { Module } from '@nestjs/common';
import { loadCatalogues } from './ledger-catalogues.js';
import { CATALOGUES } from './ledger.tokens.js';

/** Programs and administrative units, loaded once from configuration for every module that imports this one. */
@Module({
  providers: [{ provide: CATALOGUES, useFactory: () => loadCatalogues() }],
  exports: [CATALOGUES],
})
export class CataloguesModule {}
