import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PAYROLL_RUN_STATUSES, wire } from '../platform/openapi/wire-formats.js';
import { BodyMayBeAbsent } from '../platform/validation/validation.pipe.js';

const RUN_ID = { ...wire.uuid, example: '6b0f3c1d-2e4a-5b6c-8d7e-9f0a1b2c3d4e', description: 'The payroll run’s id, derived from the Idempotency-Key that scheduled it.' };
const SCOPE_PROGRAM = { ...wire.program, nullable: true, description: 'The program the run pays; null for every program.' };
const SCOPE_UNIT = { ...wire.unitCode, nullable: true, description: 'The unit the run pays (and the units under it); null for every unit.' };

/** Schedule a period's payroll: every program and unit unless narrowed. */
export class SchedulePayrollDto {
  @ApiProperty({ ...wire.period, description: 'The month paid; arrears of earlier months owed are scheduled with it.' })
  @IsString() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period!: string;
  @ApiPropertyOptional({ ...wire.program, minLength: 1, description: 'Only this program (every program when left out).' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) program?: string;
  @ApiPropertyOptional({ ...wire.unitCode, minLength: 1, description: 'Only this unit and the units under it (every unit when left out; the operator must then work in every unit).' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(20) unitCode?: string;
}

@BodyMayBeAbsent()
export class ApprovePayrollRunDto {
  /** The checker has read the run's list of large arrears; required when it lists any. */
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'The checker has read the run’s `largeArrears`; required (true) when it lists any.' })
  @IsOptional() @IsBoolean() acknowledgeLargeArrears?: boolean;
}

export class RejectPayrollRunDto {
  @ApiProperty({ ...wire.reason, example: 'Wrong unit: the list includes district 900' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/** A person owed more than a year, or more than 50,000,000 VND, of arrears: the checker must acknowledge them. */
export class LargeArrearsDto {
  @ApiProperty(wire.uuid)
  beneficiaryId!: string;
  @ApiProperty({ ...wire.count, example: 14, description: 'Arrears disbursements: a month owed by two programs counts twice.' })
  months!: number;
  @ApiProperty({ ...wire.amountVnd, example: 28770000, description: 'Every arrears disbursement of the person in the run, VND.' })
  totalAmount!: number;
}

/**
 * A rerun of a scope reads again only the people whose records changed since an earlier run of it
 * (an enrollment, an account, a month released or failed…); everyone else stands as that run left
 * them: their months already scheduled, or skipped for the same reason.
 */
export class UnchangedSinceDto {
  @ApiProperty({ ...RUN_ID, description: 'The earlier run of the same scope.' })
  runId!: string;
  @ApiProperty({ ...wire.count, example: 998_400, description: 'People of the scope not read again: they stand as that run left them, and are not in this run’s counts.' })
  beneficiaries!: number;
}

const UNCHANGED_SINCE = {
  type: () => UnchangedSinceDto,
  nullable: true,
  description:
    'Set on a rerun that read again only the people whose records changed since an earlier run of its scope: `scheduled`, `alreadyScheduled` and `skipped` then count only those people. Null for a run that read everyone.',
};

export class PayrollRunScheduledDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'SCHEDULED' })
  status!: string;
  @ApiProperty({ ...wire.count, example: 812, description: 'Disbursements this run holds, arrears included.' })
  scheduled!: number;
  @ApiProperty({ ...wire.count, example: 0, description: 'Disbursements of the scope another run holds already.' })
  alreadyScheduled!: number;
  @ApiProperty({ ...wire.count, example: 3, description: 'Of `scheduled`, months owed from before the period.' })
  arrears!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { SUSPENDED: 4 },
    description: 'Beneficiaries of the scope not paid this period, by reason (SUSPENDED, TERMINATED, NO_STANDARD_LEVEL, ZERO_ENTITLEMENT…).',
  })
  skipped!: Record<string, number>;
  @ApiProperty({ ...wire.amountVnd, example: 1668660000, description: 'The run’s total, VND.' })
  totalAmount!: number;
  @ApiProperty({ type: () => LargeArrearsDto, isArray: true, description: 'People with large arrears, largest first; approving needs `acknowledgeLargeArrears` when there are any.' })
  largeArrears!: LargeArrearsDto[];
  @ApiProperty(UNCHANGED_SINCE)
  unchangedSince!: UnchangedSinceDto | null;
  @ApiProperty(wire.writtenPosition)
  position!: string | null;
}

export class PayrollRunApprovedDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'APPROVED' })
  status!: string;
  @ApiPropertyOptional({ example: 'operator-b', description: 'The checker’s `sub`.' })
  approvedBy?: string;
  @ApiProperty(wire.writtenPosition)
  position!: string | null;
}

export class PayrollRunRejectedDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'REJECTED' })
  status!: string;
  @ApiPropertyOptional({ example: 'operator-b', description: 'The checker’s `sub`.' })
  rejectedBy?: string;
  @ApiProperty({ ...wire.count, example: 812, description: 'Disbursements released from the run: they wait for the next run of their period.' })
  released!: number;
  @ApiProperty(wire.writtenPosition)
  position!: string | null;
}

/** One payment file of a sent run: a bank's transfer file, or the Post Office's cash list. */
export class PaymentFileSummaryDto {
  @ApiProperty({ example: 'VBA', description: 'A bank code, or POST_OFFICE for the cash list: the `{paymentFile}` of its download.' })
  paymentFile!: string;
  @ApiProperty({ ...wire.count, example: 805 })
  count!: number;
  @ApiProperty({ ...wire.amountVnd, example: 1654275000 })
  totalAmount!: number;
}

export class PayrollRunSentDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'SENT' })
  status!: string;
  @ApiProperty({ example: 'operator-a', description: 'Who sent it: the caller’s `sub`.' })
  sentBy!: string;
  @ApiProperty({ ...wire.count, example: 810, description: 'Disbursements sent to a paying agent.' })
  sent!: number;
  @ApiProperty({ ...wire.count, example: 2, description: 'Disbursements cancelled at sending: their enrollment no longer covers the month.' })
  cancelled!: number;
  @ApiProperty({ type: () => PaymentFileSummaryDto, isArray: true })
  paymentFiles!: PaymentFileSummaryDto[];
  @ApiProperty({ ...wire.writtenPosition, description: 'The position to wait for; the log head when the run was sent already.' })
  position!: string | null;
}

/** A run as `GET /v1/payroll-runs` lists it (from the read models). */
export class PayrollRunListItemDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(SCOPE_PROGRAM)
  program!: string | null;
  @ApiProperty(SCOPE_UNIT)
  unitCode!: string | null;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'SCHEDULED' })
  status!: string;
  @ApiProperty({ example: 'operator-a', description: 'The maker’s `sub`.' })
  createdBy!: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The checker’s `sub`, once approved.' })
  approvedBy!: string | null;
  @ApiPropertyOptional({ example: 'operator-b', description: 'When rejected: the checker’s `sub`.' })
  rejectedBy?: string;
  @ApiPropertyOptional({ example: 'Wrong unit', description: 'When rejected.' })
  rejectionReason?: string;
  @ApiProperty({ ...wire.count, nullable: true, example: 812, description: 'Null while scheduling.' })
  scheduled!: number | null;
  @ApiProperty({ ...wire.count, nullable: true, example: 3, description: 'Null while scheduling.' })
  arrears!: number | null;
  @ApiProperty({ ...wire.amountVnd, nullable: true, example: 1668660000, description: 'VND; null while scheduling.' })
  totalAmount!: number | null;
  @ApiProperty({ ...wire.count, example: 0, description: 'How many people have large arrears to acknowledge.' })
  largeArrears!: number;
  @ApiProperty({ ...wire.count, nullable: true, example: null, description: 'Null until sent.' })
  sent!: number | null;
  @ApiProperty({ ...wire.count, nullable: true, example: null, description: 'Null until sent.' })
  cancelled!: number | null;
}

export class PayrollRunPageDto {
  @ApiProperty({ type: () => PayrollRunListItemDto, isArray: true })
  items!: PayrollRunListItemDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

/** A run as its own stream records it: read from the log, so always current. */
export class PayrollRunDto {
  @ApiProperty(RUN_ID)
  runId!: string;
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(SCOPE_PROGRAM)
  program!: string | null;
  @ApiProperty(SCOPE_UNIT)
  unitCode!: string | null;
  @ApiProperty({ enum: PAYROLL_RUN_STATUSES, example: 'SENT' })
  status!: string;
  @ApiProperty({ example: 'operator-a', description: 'The maker’s `sub`.' })
  createdBy!: string;
  @ApiProperty({ type: String, nullable: true, example: 'operator-b', description: 'The checker’s `sub`, once approved.' })
  approvedBy!: string | null;
  @ApiPropertyOptional({ example: 'operator-b', description: 'When rejected: the checker’s `sub`.' })
  rejectedBy?: string;
  @ApiPropertyOptional({ example: 'Wrong unit', description: 'When rejected.' })
  rejectionReason?: string;
  @ApiProperty({ ...wire.count, example: 812, description: 'Disbursements the run holds.' })
  disbursements!: number;
  @ApiPropertyOptional({ ...wire.count, example: 812, description: 'Once scheduled.' })
  scheduled?: number;
  @ApiPropertyOptional({ ...wire.count, example: 0, description: 'Once scheduled.' })
  alreadyScheduled?: number;
  @ApiPropertyOptional({ ...wire.count, example: 3, description: 'Once scheduled.' })
  arrears?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, example: { SUSPENDED: 4 }, description: 'Once scheduled: beneficiaries not paid, by reason.' })
  skipped?: Record<string, number>;
  @ApiPropertyOptional({ ...wire.amountVnd, example: 1668660000, description: 'Once scheduled.' })
  totalAmount?: number;
  @ApiPropertyOptional({ type: () => LargeArrearsDto, isArray: true, description: 'Once scheduled.' })
  largeArrears?: LargeArrearsDto[];
  @ApiPropertyOptional({ ...UNCHANGED_SINCE, description: `Once scheduled. ${UNCHANGED_SINCE.description}` })
  unchangedSince?: UnchangedSinceDto | null;
  @ApiPropertyOptional({ ...wire.count, example: 810, description: 'Once sent.' })
  sent?: number;
  @ApiPropertyOptional({ ...wire.count, example: 2, description: 'Once sent.' })
  cancelled?: number;
  @ApiPropertyOptional({ type: () => PaymentFileSummaryDto, isArray: true, description: 'Once sent.' })
  paymentFiles?: PaymentFileSummaryDto[];
}
