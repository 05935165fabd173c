import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { CataloguesModule } from '../ledger/catalogues.module.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { ReadSideModule } from '../read-side/read-side.module.js';
import { FileImports } from './file-imports.js';
import { ImportsController } from './imports.controller.js';

/** Files back from the banks, the Post Office and the population database: their routes and the import service behind them (shared with the CLI). */
@Module({
  imports: [CataloguesModule, ReadSideModule],
  controllers: [ImportsController],
  providers: [
    {
      provide: FileImports,
      useFactory: (store: EventStore, commands: CommandBus, catalogues: Catalogues, beneficiaryIds: BeneficiaryIds) => new FileImports({ store, commands, catalogues, beneficiaryIds }),
      inject: [EVENT_STORE, CommandBus, CATALOGUES, BeneficiaryIds],
    },
  ],
})
export class ImportsModule {}
