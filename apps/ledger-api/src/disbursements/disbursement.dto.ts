import { Type } from 'class-transformer';
import { MAX_VND } from '@ledger/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, DISBURSEMENT_STATUSES, wire } from '../platform/openapi/wire-formats.js';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** A paying agent reports a payment made. */
export class SettleDisbursementDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9._\\-/]+$',
    example: 'FT24096000123',
    description: 'The paying agent’s own reference for the payment: one reference pays one disbursement; the same one again is a recorded duplicate attempt.',
  })
  @IsString() @IsNotEmpty() @MaxLength(64) @Matches(/^[A-Za-z0-9._\-/]+$/, { message: 'providerReference may hold letters, digits and . _ - / only' })
  providerReference!: string;
  @ApiProperty({ ...wire.instant, description: 'When the paying agent paid, with its UTC offset.' })
  @IsString() @IsNotEmpty() paidAt!: string;
  /** Whole đồng; anything beyond 10^12 is a typo or an attack, refused before any rule runs. */
  @ApiProperty({ ...wire.amountVnd, maximum: MAX_VND, description: 'Whole đồng paid; it must equal the disbursement’s amount.' })
  @IsInt() @Min(0) @Max(MAX_VND) amount!: number;
}

export class DisbursementReasonDto {
  @ApiProperty({ ...wire.reason, example: 'Account frozen by the bank (code AC04)' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class SettlementItemDto extends SettleDisbursementDto {
  @ApiProperty({ ...wire.uuid, description: 'The disbursement paid.' })
  @IsUUID() disbursementId!: string;
}

/** A paying agent's report: each payment judged on its own, in the report's order. */
export class SettlementBatchDto {
  @ApiProperty({ type: () => SettlementItemDto, isArray: true, minItems: 1, maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => SettlementItemDto)
  items!: SettlementItemDto[];
}

/** What a lifecycle command made of the disbursement. */
export class DisbursementChangedDto {
  @ApiProperty(wire.uuid)
  disbursementId!: string;
  @ApiProperty({ enum: DISBURSEMENT_STATUSES, example: 'PAID' })
  status!: string;
  @ApiPropertyOptional({ ...wire.count, example: 0, description: 'Once paid: days after the due date it was paid.' })
  daysLate?: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'Which attempt at paying this month it is (a reschedule starts another).' })
  attempt!: number;
  @ApiProperty({ enum: CHANNELS, example: 'BANK' })
  channel!: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'Present (true) when the payment is an overpayment: paid for a month the enrollment no longer covers.' })
  overpayment?: boolean;
  @ApiProperty(wire.writtenPosition)
  position!: string | null;
}

/** One line of a settlement batch: settled (`httpStatus` 200, and what the disbursement became) or refused (the problem's status, code and detail). */
export class SettlementOutcomeDto {
  @ApiProperty({ type: 'integer', example: 200, description: '200 when settled; otherwise the status the same settlement sent alone would have been refused with.' })
  httpStatus!: number;
  @ApiProperty(wire.uuid)
  disbursementId!: string;
  @ApiPropertyOptional({ enum: DISBURSEMENT_STATUSES, example: 'PAID', description: 'When settled.' })
  status?: string;
  @ApiPropertyOptional({ ...wire.count, example: 0, description: 'When settled.' })
  daysLate?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1, description: 'When settled.' })
  attempt?: number;
  @ApiPropertyOptional({ enum: CHANNELS, example: 'BANK', description: 'When settled.' })
  channel?: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'When settled as an overpayment.' })
  overpayment?: boolean;
  @ApiPropertyOptional({ ...wire.writtenPosition, description: 'When settled.' })
  position?: string | null;
  @ApiPropertyOptional({ example: 'PAID_UNDER_ANOTHER_REFERENCE', description: 'When refused: the problem’s code.' })
  code?: string;
  @ApiPropertyOptional({ example: 'This disbursement was paid already under reference FT24096000123', description: 'When refused: the problem’s detail.' })
  detail?: string;
}

export class SettlementBatchResultDto {
  @ApiProperty({ ...wire.count, example: 811 })
  settled!: number;
  @ApiProperty({ ...wire.count, example: 1 })
  refused!: number;
  @ApiProperty({ type: () => SettlementOutcomeDto, isArray: true, description: 'One per item, in the request’s order.' })
  items!: SettlementOutcomeDto[];
  @ApiProperty({ ...wire.writtenPosition, description: 'The latest position any item wrote; null when none wrote anything.' })
  position!: string | null;
}
