import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  InvalidValue,
  localDateInVietnam,
  parseAccountNumber,
  parseBankCode,
  parseDateOfBirth,
  parseFullName,
  parseLocalDate,
  parseNationalId,
  parsePeriod,
  uuidV5,
  type BeneficiaryCommand,
  type Catalogues,
} from '@ledger/domain';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { eventIdSeedFor } from '../ledger/command-context.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { CommandCtx, Idempotent, Roles, type CommandContext } from '../platform/index.js';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand, type BeneficiaryChange } from './beneficiary.commands.js';
import {
  AccountReasonDto,
  CorrectTerminationDto,
  EnrollBeneficiaryDto,
  OpenPaymentAccountDto,
  RelocateBeneficiaryDto,
  ResumeEnrollmentDto,
  RevokeTerminationDto,
  SuspendEnrollmentDto,
  TerminateEnrollmentDto,
} from './beneficiary.dto.js';

const ACCOUNT_NAMESPACE = '9d1f3c2b-7a6e-5f40-8b1d-0e2c4a6b8d10';
// Version 5 in stores created before ids were keyed, version 8 (an HMAC in the UUID layout) since.
const beneficiaryIdParam = new ParseUUIDPipe();

@Controller('v1/beneficiaries')
@Roles('operator')
export class BeneficiariesController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
    private readonly beneficiaryIds: BeneficiaryIds,
  ) {}

  @Post()
  @Idempotent({ required: false })
  enroll(@Body() body: EnrollBeneficiaryDto, @CommandCtx() context: CommandContext) {
    const dateOfBirth = parseDateOfBirth(body.dateOfBirth, localDateInVietnam(context.receivedAt));
    const nationalId = parseNationalId(body.nationalId, { dateOfBirth, gender: body.gender });
    this.catalogues.units.assertRegistrable(body.unitCode);
    this.catalogues.programs.get(body.program);
    const enrollment: Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }> = {
      type: 'EnrollBeneficiary',
      data: {
        beneficiaryId: this.beneficiaryIds.beneficiaryIdFor(nationalId),
        nationalId,
        fullName: parseFullName(body.fullName),
        dateOfBirth,
        gender: body.gender,
        unitCode: body.unitCode,
        program: body.program,
        coefficient: this.catalogues.programs.parseCoefficientFor(body.program, body.coefficient),
        effectiveFrom: parsePeriod(body.effectiveFrom, 'effectiveFrom'),
        decision: { number: body.decision.number.trim(), date: parseLocalDate(body.decision.date, 'decision.date') },
      },
    };
    return this.commands.execute(new EnrollBeneficiaryCommand(enrollment, context));
  }

  @Post(':beneficiaryId/enrollments/:program/suspend')
  @HttpCode(200)
  @Idempotent({ required: true })
  suspend(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('program') program: string,
    @Body() body: SuspendEnrollmentDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(beneficiaryId, { type: 'SuspendEnrollment', data: { program: this.program(program), reason: body.reason.trim(), effectiveFrom: parsePeriod(body.effectiveFrom, 'effectiveFrom') } }, context);
  }

  @Post(':beneficiaryId/enrollments/:program/resume')
  @HttpCode(200)
  @Idempotent({ required: true })
  resume(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('program') program: string,
    @Body() body: ResumeEnrollmentDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(beneficiaryId, { type: 'ResumeEnrollment', data: { program: this.program(program), effectiveFrom: parsePeriod(body.effectiveFrom, 'effectiveFrom') } }, context);
  }

  @Post(':beneficiaryId/enrollments/:program/terminate')
  @HttpCode(200)
  @Idempotent({ required: true })
  terminate(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('program') program: string,
    @Body() body: TerminateEnrollmentDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(
      beneficiaryId,
      { type: 'TerminateEnrollment', data: { program: this.program(program), reason: body.reason, effectiveDate: parseLocalDate(body.effectiveDate, 'effectiveDate') } },
      context,
    );
  }

  @Post(':beneficiaryId/enrollments/:program/correct-termination')
  @HttpCode(200)
  @Idempotent({ required: true })
  correctTermination(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('program') program: string,
    @Body() body: CorrectTerminationDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(
      beneficiaryId,
      { type: 'CorrectTermination', data: { program: this.program(program), effectiveDate: parseLocalDate(body.effectiveDate, 'effectiveDate'), reason: body.reason.trim() } },
      context,
    );
  }

  @Post(':beneficiaryId/enrollments/:program/revoke-termination')
  @HttpCode(200)
  @Idempotent({ required: true })
  revokeTermination(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('program') program: string,
    @Body() body: RevokeTerminationDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(beneficiaryId, { type: 'RevokeTermination', data: { program: this.program(program), reason: body.reason.trim() } }, context);
  }

  @Post(':beneficiaryId/relocate')
  @HttpCode(200)
  @Idempotent({ required: false })
  relocate(@Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string, @Body() body: RelocateBeneficiaryDto, @CommandCtx() context: CommandContext) {
    this.catalogues.units.assertRegistrable(body.unitCode);
    return this.change(beneficiaryId, { type: 'RelocateBeneficiary', data: { unitCode: body.unitCode } }, context);
  }

  @Post(':beneficiaryId/accounts')
  @Idempotent({ required: false })
  openAccount(@Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string, @Body() body: OpenPaymentAccountDto, @CommandCtx() context: CommandContext) {
    // The account id never derives from the account number, which must not appear in URLs.
    const seed = eventIdSeedFor(context, 'OpenPaymentAccount');
    const accountId = seed ? uuidV5(seed, ACCOUNT_NAMESPACE) : randomUUID();
    return this.change(
      beneficiaryId,
      {
        type: 'OpenPaymentAccount',
        data: {
          accountId,
          bankCode: parseBankCode(body.bankCode),
          accountNumber: parseAccountNumber(body.accountNumber),
          holderName: parseFullName(body.holderName, 'holderName'),
          openedOn: parseLocalDate(body.openedOn, 'openedOn'),
        },
      },
      context,
    );
  }

  @Post(':beneficiaryId/accounts/:accountId/verify')
  @HttpCode(200)
  @Idempotent({ required: false })
  verifyAccount(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Body() body: AccountReasonDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(beneficiaryId, { type: 'VerifyPaymentAccount', data: { accountId, reason: body.reason.trim() } }, context);
  }

  @Post(':beneficiaryId/accounts/:accountId/close')
  @HttpCode(200)
  @Idempotent({ required: false })
  closeAccount(
    @Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Body() body: AccountReasonDto,
    @CommandCtx() context: CommandContext,
  ) {
    return this.change(beneficiaryId, { type: 'ClosePaymentAccount', data: { accountId, reason: body.reason.trim() } }, context);
  }

  private change(beneficiaryId: string, change: BeneficiaryChange, context: CommandContext) {
    return this.commands.execute(new ChangeBeneficiaryCommand(beneficiaryId, change, context));
  }

  private program(code: string): string {
    if (!this.catalogues.programs.codes().includes(code)) throw new InvalidValue('program', `Unknown program; known: ${this.catalogues.programs.codes().join(', ')}`);
    return code;
  }
}
