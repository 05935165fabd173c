import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BeneficiariesController } from '../beneficiaries/beneficiaries.controller.js';
import { ChangeBeneficiaryHandler, EnrollBeneficiaryHandler } from '../beneficiaries/beneficiary-command.handlers.js';
import { ChangeDisbursementHandler } from '../disbursements/change-disbursement.handler.js';
import { DisbursementsController } from '../disbursements/disbursements.controller.js';
import { ApprovePayrollRunHandler, SendPayrollRunHandler } from '../payroll-runs/approve-and-send.handlers.js';
import { PayrollRunsController } from '../payroll-runs/payroll-runs.controller.js';
import { SchedulePayrollHandler } from '../payroll-runs/schedule-payroll.handler.js';
import { loadCatalogues } from './ledger-catalogues.js';
import { CATALOGUES } from './ledger.tokens.js';

/** The command side: routes, their command handlers, and the catalogues they read (shared with the read side). */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [BeneficiariesController, DisbursementsController, PayrollRunsController],
  providers: [
    { provide: CATALOGUES, useFactory: () => loadCatalogues() },
    EnrollBeneficiaryHandler,
    ChangeBeneficiaryHandler,
    ChangeDisbursementHandler,
    SchedulePayrollHandler,
    ApprovePayrollRunHandler,
    SendPayrollRunHandler,
  ],
  exports: [CATALOGUES],
})
export class LedgerModule {}
