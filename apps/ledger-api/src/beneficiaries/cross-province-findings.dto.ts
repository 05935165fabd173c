import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CROSS_PROVINCE_FINDING_DECISIONS, CROSS_PROVINCE_FINDING_KINDS, type CrossProvinceFindingDecision } from '@ledger/domain';
import { wire } from '../platform/openapi/wire-formats.js';
import { BeneficiaryEnrolledDto } from './beneficiary.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FINDING_STATUSES = ['OPEN', 'RESOLVED'] as const;
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `GET /v1/cross-province-findings`: the findings of a unit, a page at a time. */
export class CrossProvinceFindingListQueryDto {
  @ApiPropertyOptional({ enum: FINDING_STATUSES, description: 'OPEN: awaiting an operator, the program’s payments held. RESOLVED: kept or terminated. Both when absent.' })
  @IsOptional() @IsIn(FINDING_STATUSES) status?: (typeof FINDING_STATUSES)[number];
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Findings about people registered in this unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional({ ...wire.program, description: 'Findings about this program only.' })
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** What the national hub found of a person of the province in another province too, and what an operator decided. */
export class CrossProvinceFindingViewDto {
  @ApiProperty({ ...wire.uuid, description: 'The hub’s id of the finding: resolve it under this id.' })
  findingId!: string;
  @ApiProperty({ ...wire.uuid, description: 'The person it is about: read their record (`GET /v1/beneficiaries/{beneficiaryId}`) to resolve it.' })
  beneficiaryId!: string;
  @ApiProperty({ ...wire.unitCode, description: 'The unit the person is registered in now: its operators resolve it.' })
  unitCode!: string;
  @ApiProperty({ enum: CROSS_PROVINCE_FINDING_KINDS, example: 'ENROLLED_IN_TWO_PROVINCES', description: 'Enrolled in the same program in another province too, or paid there for the same month.' })
  kind!: string;
  @ApiProperty({ ...wire.program, description: 'The program found twice: its payments wait while the finding is open; the person’s other programs are paid.' })
  program!: string;
  @ApiProperty({ ...wire.period, nullable: true, example: '2024-05', description: 'The month paid twice (PAID_IN_TWO_PROVINCES); null otherwise.' })
  period!: string | null;
  @ApiProperty({ type: String, isArray: true, example: ['79'], description: 'The other provinces concerned, by code. Nothing of their records is sent.' })
  otherProvinces!: string[];
  @ApiProperty({ ...wire.instant, example: '2024-06-04T03:00:00.000Z', description: 'When the hub found it (UTC).' })
  foundAt!: string;
  @ApiProperty({ enum: FINDING_STATUSES, example: 'OPEN' })
  status!: string;
  @ApiProperty({ enum: CROSS_PROVINCE_FINDING_DECISIONS, nullable: true, example: null, description: 'Null while OPEN.' })
  decision!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why it was resolved so; null while OPEN.' })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The operator who resolved it; null while OPEN.' })
  resolvedBy!: string | null;
  @ApiProperty({ ...wire.instant, nullable: true, example: null, description: 'When it was resolved (UTC); null while OPEN.' })
  resolvedAt!: string | null;
}

export class CrossProvinceFindingPageDto {
  @ApiProperty({ type: () => CrossProvinceFindingViewDto, isArray: true })
  items!: CrossProvinceFindingViewDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

/** A finding kept ends nothing, so it takes no effective date; one resolved by a termination needs it. */
@ValidatorConstraint({ name: 'effectiveDateOnlyWhenTerminating' })
class EffectiveDateOnlyWhenTerminating implements ValidatorConstraintInterface {
  validate(_value: unknown, { object }: ValidationArguments): boolean {
    return (object as ResolveCrossProvinceFindingDto).decision !== 'KEEP';
  }

  defaultMessage(): string {
    return 'effectiveDate is given only with the decision TERMINATE: a finding kept terminates nothing';
  }
}

export class ResolveCrossProvinceFindingDto {
  @ApiProperty({ enum: CROSS_PROVINCE_FINDING_DECISIONS, example: 'TERMINATE', description: 'KEEP: the person stays enrolled here (the hold is lifted). TERMINATE: they moved out (the program’s enrollment is terminated MOVED_OUT).' })
  @IsIn(CROSS_PROVINCE_FINDING_DECISIONS) decision!: CrossProvinceFindingDecision;
  @ApiProperty({ ...wire.reason, example: 'Lives in Hồ Chí Minh City since May; confirmed with the commune office' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
  @ApiPropertyOptional({
    ...wire.localDate,
    example: '2024-05-31',
    description: 'With TERMINATE, and only then: the termination’s date. Its month is still paid; the months after it are not (paid ones become overpayments). Not after today.',
  })
  @ValidateIf((body: ResolveCrossProvinceFindingDto) => body.decision !== 'KEEP' || body.effectiveDate !== undefined)
  @Validate(EffectiveDateOnlyWhenTerminating)
  @IsString() @Matches(DATE, { message: 'effectiveDate must be a date YYYY-MM-DD' }) effectiveDate?: string;
}

/** A finding resolved, and on TERMINATE what the termination did to the person’s payments of its program. */
export class CrossProvinceFindingResolvedDto extends BeneficiaryEnrolledDto {
  @ApiProperty({ ...wire.uuid, description: 'The finding resolved.' })
  findingId!: string;
  @ApiProperty({ enum: CROSS_PROVINCE_FINDING_DECISIONS, example: 'TERMINATE' })
  decision!: string;
  @ApiPropertyOptional({ ...wire.count, description: 'TERMINATE: months after the termination, not paid yet, that were cancelled.' })
  cancelledDisbursements?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'TERMINATE: months after the termination already paid, flagged as overpayments to recover.' })
  overpayments?: number;
}
