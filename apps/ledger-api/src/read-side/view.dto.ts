import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, CHANNELS, DISBURSEMENT_STATUSES, ENROLLMENT_STATUSES, GENDERS, TERMINATION_REASONS, wire } from '../platform/openapi/wire-formats.js';

/**
 * The read side's answers as the OpenAPI document describes them: what `views.ts` builds from the
 * read models' rows. Reporters read national ids and account numbers masked, and a birth year in
 * place of the date of birth.
 */

export class EnrollmentViewDto {
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES, example: 'ACTIVE', description: 'As of now: a suspension or termination counts from the month it takes effect.' })
  status!: string;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Thousandths of the program’s standard level.' })
  coefficient!: number;
  @ApiProperty({ ...wire.period, example: '2024-01', description: 'The first month paid.' })
  effectiveFrom!: string;
  @ApiProperty({ ...wire.period, nullable: true, example: null, description: 'The first month of an open suspension.' })
  suspendedFrom!: string | null;
  @ApiProperty({ ...wire.localDate, nullable: true, example: null, description: 'The termination date: its month is the last paid.' })
  terminatedOn!: string | null;
  @ApiProperty({ enum: TERMINATION_REASONS, nullable: true, example: null })
  terminationReason!: string | null;
}

export class AccountViewDto {
  @ApiProperty(wire.uuid)
  accountId!: string;
  @ApiProperty({ example: 'VBA' })
  bankCode!: string;
  @ApiProperty({ example: '7700205123456', description: 'Masked for reporters: all but the last four digits are `*`.' })
  accountNumber!: string;
  @ApiProperty({ example: 'BUI TRUNG TAI' })
  holderName!: string;
  @ApiProperty({ enum: ACCOUNT_STATUSES, example: 'VERIFIED' })
  status!: string;
  @ApiProperty({ type: Boolean, example: true, description: 'The account payments go to: the latest verified one.' })
  paymentAccount!: boolean;
}

export class BeneficiaryViewDto {
  @ApiProperty(wire.uuid)
  beneficiaryId!: string;
  @ApiProperty({ example: '091052000123', description: 'Masked for reporters: the first and last three digits only (`091******123`).' })
  nationalId!: string;
  @ApiProperty({ example: 'Bùi Trung Tài' })
  fullName!: string;
  @ApiPropertyOptional({ ...wire.localDate, example: '1952-03-14', description: 'For every role but reporters.' })
  dateOfBirth?: string;
  @ApiPropertyOptional({ type: 'integer', example: 1952, description: 'For reporters, in place of `dateOfBirth`.' })
  birthYear?: number;
  @ApiProperty({ enum: GENDERS, example: 'MALE' })
  gender!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty({ enum: CHANNELS, example: 'BANK', description: 'How they are paid now: BANK with a verified account, else CASH through the Post Office.' })
  channel!: string;
  @ApiProperty({ enum: ['VERIFIED', 'UNVERIFIED', 'NONE'], example: 'VERIFIED', description: 'The best of their accounts’ statuses.' })
  accountStatus!: string;
  @ApiProperty({ type: () => EnrollmentViewDto, isArray: true })
  enrollments!: EnrollmentViewDto[];
  @ApiProperty({ type: () => AccountViewDto, isArray: true })
  accounts!: AccountViewDto[];
}

export class BeneficiaryPageDto {
  @ApiProperty({ type: () => BeneficiaryViewDto, isArray: true })
  items!: BeneficiaryViewDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

export class DisbursementViewDto {
  @ApiProperty(wire.uuid)
  disbursementId!: string;
  @ApiProperty(wire.uuid)
  beneficiaryId!: string;
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty(wire.amountVnd)
  amount!: number;
  @ApiProperty({ enum: CHANNELS, example: 'BANK' })
  channel!: string;
  @ApiProperty({ type: String, nullable: true, example: 'VBA', description: 'The bank paid through; null for cash.' })
  bankCode!: string | null;
  @ApiProperty({ enum: DISBURSEMENT_STATUSES, example: 'SENT' })
  status!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-04-10' })
  dueDate!: string;
  @ApiProperty({ ...wire.count, example: 0, description: 'Paid: days after the due date it was paid. Unpaid: days past the due date so far. Cancelled: 0.' })
  daysLate!: number;
  @ApiProperty({ type: Boolean, example: false, description: 'A month owed from before the run’s period.' })
  arrears!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  attempt!: number;
  @ApiProperty({ ...wire.uuid, nullable: true, example: null, description: 'The run holding the current attempt.' })
  payrollRunId!: string | null;
  @ApiProperty({ ...wire.instant, nullable: true, example: null })
  paidAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The paying agent’s reference, once paid.' })
  providerReference!: string | null;
  @ApiProperty({ type: Boolean, example: false, description: 'Paid for a month the enrollment no longer covers.' })
  overpayment!: boolean;
  @ApiProperty({ ...wire.localDate, nullable: true, example: null, description: 'The termination that made it an overpayment.' })
  terminationDate!: string | null;
}

export class DisbursementPageDto {
  @ApiProperty({ type: () => DisbursementViewDto, isArray: true })
  items!: DisbursementViewDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

export class CoverageItemDto {
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty({ ...wire.period, description: 'The month active enrollments are counted in.' })
  asOfPeriod!: string;
  @ApiProperty({ ...wire.count, example: 812 })
  activeBeneficiaries!: number;
  @ApiProperty({ ...wire.count, example: 790 })
  verifiedAccounts!: number;
  @ApiProperty({ ...wire.period, nullable: true, description: 'The latest month with a payment; null when none yet.' })
  latestPeriod!: string | null;
  @ApiProperty({ ...wire.count, example: 805 })
  paidInLatestPeriod!: number;
  @ApiProperty({ ...wire.count, example: 790 })
  paidByBankInLatestPeriod!: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, nullable: true, example: 0.98, description: 'Of the payments of the latest month, the share paid by bank; null when there were none.' })
  bankShareInLatestPeriod!: number | null;
}

export class CoveragePageDto {
  @ApiProperty({ type: () => CoverageItemDto, isArray: true })
  items!: CoverageItemDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

export class StatusTotalDto {
  @ApiProperty({ ...wire.count, example: 805 })
  count!: number;
  @ApiProperty({ ...wire.amountVnd, example: 1654275000 })
  totalAmount!: number;
}

export class SummaryItemDto {
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty({ enum: CHANNELS, example: 'BANK' })
  channel!: string;
  @ApiProperty({ ...wire.count, example: 812 })
  count!: number;
  @ApiProperty({ ...wire.amountVnd, example: 1668660000 })
  totalAmount!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StatusTotalDto) },
    example: { PAID: { count: 805, totalAmount: 1654275000 }, FAILED: { count: 7, totalAmount: 14385000 } },
    description: 'Count and amount by disbursement status (only the statuses present). As a file, one `<status>Count` and `<status>Amount` column per status.',
  })
  byStatus!: Record<string, StatusTotalDto>;
}

export class SummaryPageDto {
  @ApiProperty({ type: () => SummaryItemDto, isArray: true })
  items!: SummaryItemDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

/** A settlement refused as a duplicate, as recorded. */
export class DuplicateAttemptDto {
  @ApiProperty({ ...wire.position, description: 'The log position of the recorded attempt.' })
  position!: string;
  @ApiProperty(wire.uuid)
  disbursementId!: string;
  @ApiProperty(wire.uuid)
  beneficiaryId!: string;
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty({ ...wire.amountVnd, description: 'The disbursement’s amount.' })
  amount!: number;
  @ApiProperty({ example: 'FT24096000999', description: 'The reference the refused settlement gave.' })
  attemptedReference!: string;
  @ApiProperty({ type: String, nullable: true, example: 'FT24096000123', description: 'The reference it was paid under, when it was paid already; null when the attempted reference paid another disbursement.' })
  paidUnderReference!: string | null;
  @ApiProperty({ ...wire.amountVnd, description: 'The amount the refused settlement gave.' })
  attemptedAmount!: number;
  @ApiProperty({ ...wire.instant, description: 'The `paidAt` the refused settlement gave.' })
  attemptedPaidAt!: string;
  @ApiProperty({ ...wire.instant, example: '2024-04-06T02:15:00.000Z' })
  recordedAt!: string;
}

export class DuplicateAttemptPageDto {
  @ApiProperty({ type: () => DuplicateAttemptDto, isArray: true })
  items!: DuplicateAttemptDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}
