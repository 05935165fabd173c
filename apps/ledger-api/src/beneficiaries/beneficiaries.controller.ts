import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  InvalidValue,
  localDateInVietnam,
  parseAccountNumber,
  parseBankCode,
  parseDateOfBirth,
  parseFullName,
  parseHolderName,
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
import { ApiCommand, ApiIdParam, ApiProgramParam } from '../platform/openapi/api-route.decorators.js';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand, type BeneficiaryChange } from './beneficiary.commands.js';
import {
  AccountReasonDto,
  BeneficiaryEnrolledDto,
  BeneficiaryRelocatedDto,
  CorrectTerminationDto,
  EnrollmentChangedDto,
  EnrollBeneficiaryDto,
  OpenPaymentAccountDto,
  PaymentAccountChangedDto,
  RelocateBeneficiaryDto,
  ResumeEnrollmentDto,
  RevokeTerminationDto,
  SuspendEnrollmentDto,
  TerminateEnrollmentDto,
} from './beneficiary.dto.js';

const ACCOUNT_NAMESPACE = '9d1f3c2b-7a6e-5f40-8b1d-0e2c4a6b8d10';
// Version 5 in stores created before ids were keyed, version 8 (an HMAC in the UUID layout) since.
const beneficiaryIdParam = new ParseUUIDPipe();

const BENEFICIARY = 'The beneficiary’s id, as enrollment answered it.';
const UNKNOWN_BENEFICIARY = 'BENEFICIARY_NOT_FOUND: no beneficiary with this id in the caller’s units.';
const UNKNOWN_ENROLLMENT = `${UNKNOWN_BENEFICIARY} ENROLLMENT_NOT_FOUND: the beneficiary is not enrolled in this program.`;
const ENROLLMENT_RULES = 'The enrollment’s rules refuse the change: ALREADY_SUSPENDED, NOT_SUSPENDED, ENROLLMENT_TERMINATED, ENROLLMENT_NOT_ACTIVE, EFFECTIVE_PERIOD_TOO_EARLY, RESUMPTION_BEFORE_SUSPENSION, TERMINATION_BEFORE_ENROLLMENT, TERMINATION_IN_FUTURE…';

@ApiTags('Beneficiaries')
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
  @ApiCommand({
    operationId: 'enrollBeneficiary',
    summary: 'Enroll a person in a program',
    description: 'Registers the person on their first enrollment; the beneficiary id derives from the national id, so the same person always has the same id.',
    idempotencyKey: 'optional',
    created: true,
    response: { description: 'Enrolled.', json: BeneficiaryEnrolledDto },
    problems: {
      409: 'ALREADY_ENROLLED: the person is enrolled in this program already. IDENTITY_CONFLICT: the national id is registered with other details or in another unit (relocate the person first).',
      422: 'The rules refuse the enrollment (a unit that registers no one, a coefficient outside the program’s range…).',
    },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiProgramParam()
  @ApiCommand({
    operationId: 'suspendEnrollment',
    summary: 'Suspend an enrollment',
    description: 'No month from `effectiveFrom` on is paid until the enrollment resumes; scheduled or unsent payments of those months are cancelled.',
    idempotencyKey: 'required',
    response: { description: 'Suspended.', json: EnrollmentChangedDto },
    problems: { 404: UNKNOWN_ENROLLMENT, 422: ENROLLMENT_RULES },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiProgramParam()
  @ApiCommand({
    operationId: 'resumeEnrollment',
    summary: 'Resume a suspended enrollment',
    idempotencyKey: 'required',
    response: { description: 'Resumed.', json: EnrollmentChangedDto },
    problems: { 404: UNKNOWN_ENROLLMENT, 422: ENROLLMENT_RULES },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiProgramParam()
  @ApiCommand({
    operationId: 'terminateEnrollment',
    summary: 'Terminate an enrollment',
    description: 'The month of `effectiveDate` is still paid; later months are cancelled, or flagged as overpayments when already paid.',
    idempotencyKey: 'required',
    response: { description: 'Terminated.', json: EnrollmentChangedDto },
    problems: { 404: UNKNOWN_ENROLLMENT, 422: ENROLLMENT_RULES },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiProgramParam()
  @ApiCommand({
    operationId: 'correctTermination',
    summary: 'Correct a termination’s date',
    description: 'Months the new date makes owed again are reinstated (and their overpayments withdrawn); months it ends earlier are cancelled or flagged.',
    idempotencyKey: 'required',
    response: { description: 'Corrected.', json: EnrollmentChangedDto },
    problems: { 404: UNKNOWN_ENROLLMENT, 422: `${ENROLLMENT_RULES} TERMINATION_UNCHANGED when the date is the same.` },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiProgramParam()
  @ApiCommand({
    operationId: 'revokeTermination',
    summary: 'Revoke a termination made by mistake',
    description: 'The enrollment is active again as if never terminated: every month since is owed.',
    idempotencyKey: 'required',
    response: { description: 'Revoked.', json: EnrollmentChangedDto },
    problems: { 404: UNKNOWN_ENROLLMENT, 422: ENROLLMENT_RULES },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiCommand({
    operationId: 'relocateBeneficiary',
    summary: 'Move a beneficiary to another unit',
    description: 'Their unpaid payments move with them.',
    idempotencyKey: 'optional',
    response: { description: 'Relocated.', json: BeneficiaryRelocatedDto },
    problems: { 404: UNKNOWN_BENEFICIARY, 422: 'ALREADY_IN_UNIT, or a unit that registers no one.' },
  })
  relocate(@Param('beneficiaryId', beneficiaryIdParam) beneficiaryId: string, @Body() body: RelocateBeneficiaryDto, @CommandCtx() context: CommandContext) {
    this.catalogues.units.assertRegistrable(body.unitCode);
    return this.change(beneficiaryId, { type: 'RelocateBeneficiary', data: { unitCode: body.unitCode } }, context);
  }

  @Post(':beneficiaryId/accounts')
  @Idempotent({ required: false })
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiCommand({
    operationId: 'openPaymentAccount',
    summary: 'Open a payment account',
    description: 'VERIFIED when the holder name matches the beneficiary and no other beneficiary is paid into the account; UNVERIFIED otherwise (paid in cash until verified).',
    idempotencyKey: 'optional',
    created: true,
    response: { description: 'Opened.', json: PaymentAccountChangedDto },
    problems: { 404: UNKNOWN_BENEFICIARY, 409: 'ACCOUNT_ALREADY_OPEN: this account is recorded for the beneficiary already.', 422: 'The rules refuse the account.' },
  })
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
          holderName: parseHolderName(body.holderName),
          openedOn: parseLocalDate(body.openedOn, 'openedOn'),
        },
      },
      context,
    );
  }

  @Post(':beneficiaryId/accounts/:accountId/verify')
  @HttpCode(200)
  @Idempotent({ required: false })
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiIdParam('accountId', 'The account’s id, as opening it answered.')
  @ApiCommand({
    operationId: 'verifyPaymentAccount',
    summary: 'Verify an UNVERIFIED account',
    description: 'An operator confirmed the account with the bank; payments go to it from the next run.',
    idempotencyKey: 'optional',
    response: { description: 'Verified.', json: PaymentAccountChangedDto },
    problems: { 404: `${UNKNOWN_BENEFICIARY} ACCOUNT_NOT_FOUND.`, 409: 'ACCOUNT_ALREADY_VERIFIED.', 422: 'VERIFICATION_BY_OPENER: the operator who opened the account may not verify it; ACCOUNT_CLOSED.' },
  })
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
  @ApiIdParam('beneficiaryId', BENEFICIARY)
  @ApiIdParam('accountId', 'The account’s id, as opening it answered.')
  @ApiCommand({
    operationId: 'closePaymentAccount',
    summary: 'Close an account',
    description: 'Payments not yet sent go to the Post Office (cash) unless another verified account remains.',
    idempotencyKey: 'optional',
    response: { description: 'Closed.', json: PaymentAccountChangedDto },
    problems: { 404: `${UNKNOWN_BENEFICIARY} ACCOUNT_NOT_FOUND.`, 422: 'ACCOUNT_CLOSED: the account is closed already.' },
  })
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
