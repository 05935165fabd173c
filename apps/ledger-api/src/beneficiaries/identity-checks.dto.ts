import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { wire } from '../platform/openapi/wire-formats.js';
import { BeneficiaryEnrolledDto } from './beneficiary.dto.js';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `GET /v1/death-reports`: the review list of a unit, a page at a time. */
export class DeathReportListQueryDto {
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Reports of people registered in this unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** `GET /v1/identity-checks/request-file`: the people of which units. */
export class IdentityCheckRequestQueryDto {
  @ApiPropertyOptional({ ...wire.unitCode, description: 'The people registered in this unit and the units under it (within the caller’s); every unit of the caller’s without it.' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
}

/** A death the population database reported, awaiting an operator: the person's payments wait meanwhile. */
export class DeathReportViewDto {
  @ApiProperty({ ...wire.uuid, description: 'The beneficiary reported dead: read their record (`GET /v1/beneficiaries/{beneficiaryId}`) to review it.' })
  beneficiaryId!: string;
  @ApiProperty({ ...wire.unitCode, description: 'The unit the person is registered in now: its operators review the report.' })
  unitCode!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-05-20', description: 'As the population database answered it.' })
  dateOfDeath!: string;
  @ApiProperty({ ...wire.instant, example: '2024-06-05T02:30:00.000Z', description: 'When the answer was recorded (UTC).' })
  reportedAt!: string;
  @ApiProperty({ type: String, maxLength: 128, example: 'answers-2024-06', description: 'The import of the answer file that reported it.' })
  importId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 12, description: 'The line of that file.' })
  line!: number;
}

export class DeathReportPageDto {
  @ApiProperty({ type: () => DeathReportViewDto, isArray: true })
  items!: DeathReportViewDto[];
  @ApiProperty(wire.next)
  next!: string | null;
}

export class RejectDeathReportDto {
  @ApiProperty({ ...wire.reason, example: 'Seen alive at the commune office on 8 June' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/** A reported death reviewed; on confirmation, what the terminations did to the person's payments. */
export class DeathReportReviewedDto extends BeneficiaryEnrolledDto {
  @ApiPropertyOptional({ ...wire.count, description: 'Confirmed: the enrollments terminated for death, as of the date of death (those terminated before stay as they were).' })
  terminatedEnrollments?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'Confirmed: months after the month of death, not paid yet, that were cancelled.' })
  cancelledDisbursements?: number;
  @ApiPropertyOptional({ ...wire.count, description: 'Confirmed: months after the month of death already paid, flagged as overpayments to recover.' })
  overpayments?: number;
}
