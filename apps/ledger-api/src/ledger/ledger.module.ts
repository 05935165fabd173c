import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BeneficiariesController } from '../beneficiaries/beneficiaries.controller.js';
import { CrossProvinceFindingsController } from '../beneficiaries/cross-province-findings.controller.js';
import { IdentityChecksController } from '../beneficiaries/identity-checks.controller.js';
import type { LedgerConfig } from '../config/ledger-config.js';
import { DisbursementsController } from '../disbursements/disbursements.controller.js';
import { LEDGER_CONFIG } from '../ledger.tokens.js';
import { PayrollRunsController } from '../payroll-runs/payroll-runs.controller.js';
import { GetPaymentFileHandler, GetPayrollRunHandler } from '../payroll-runs/payroll-run.queries.js';
import { ReadSideModule } from '../read-side/read-side.module.js';
import { CataloguesModule } from './catalogues.module.js';
import { COMMAND_HANDLERS } from './command-handlers.js';
import { LedgerIdentifiers } from './ledger-identifiers.js';

/** The command side: routes, their command handlers (one list, shared with the CLI), and the queries of payroll runs. */
@Module({
  imports: [CqrsModule.forRoot(), CataloguesModule, ReadSideModule],
  controllers: [BeneficiariesController, IdentityChecksController, CrossProvinceFindingsController, DisbursementsController, PayrollRunsController],
  providers: [
    { provide: LedgerIdentifiers, useFactory: (config: LedgerConfig) => LedgerIdentifiers.fromConfig(config), inject: [LEDGER_CONFIG] },
    ...COMMAND_HANDLERS.map(([, handler]) => handler),
    GetPayrollRunHandler,
    GetPaymentFileHandler,
  ],
})
export class LedgerModule {}
