import { Type } from 'class-transformer';
import { MAX_VND } from '@ledger/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class SettleDisbursementDto {
  @IsString() @IsNotEmpty() @MaxLength(64) @Matches(/^[A-Za-z0-9._\-/]+$/, { message: 'providerReference may hold letters, digits and . _ - / only' })
  providerReference!: string;
  @IsString() @IsNotEmpty() paidAt!: string;
  /** Whole đồng; anything beyond 10^12 is a typo or an attack, refused before any rule runs. */
  @IsInt() @Min(0) @Max(MAX_VND) amount!: number;
}

export class DisbursementReasonDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class SettlementItemDto extends SettleDisbursementDto {
  @IsUUID() disbursementId!: string;
}

export class SettlementBatchDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => SettlementItemDto)
  items!: SettlementItemDto[];
}
