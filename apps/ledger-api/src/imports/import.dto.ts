import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FILE_IMPORT_KINDS, LINE_OUTCOMES } from '@ledger/domain';
import { wire } from '../platform/openapi/wire-formats.js';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const FORMATS = ['PAIN_002', 'CAMT_053', 'CAMT_054', 'MT940', 'BANK_RESULTS_CSV', 'POST_OFFICE_RETURNS_CSV', 'IDENTITY_CHECK_ANSWERS_CSV'];

export class LineCountsDto {
  @ApiProperty({ type: 'integer', example: 19_870, description: 'Applied: the payment is now paid, failed or returned; the answer recorded.' }) APPLIED!: number;
  @ApiProperty({ type: 'integer', example: 12, description: 'The ledger already stood as the line says (an earlier file, an operator).' }) ALREADY_RECORDED!: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'No payment (or person) of this ledger.' }) UNMATCHED!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'A payment (or person) of a unit outside the importer’s.' }) OUT_OF_SCOPE!: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'The amount is not the payment’s: nothing recorded.' }) AMOUNT_MISMATCH!: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'An earlier line’s payment again, or a second payment of one already paid.' }) DUPLICATE!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'The ledger’s rules refused it (`code` says which).' }) REFUSED!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'The line could not be read.' }) UNREADABLE!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Read, with nothing to apply (a pending status, a credit).' }) IGNORED!: number;
}

export class ReconciledLineDto {
  @ApiProperty({ type: 'integer', example: 42, description: 'The line of the file (from 1) where the entry starts.' }) line!: number;
  @ApiProperty({ enum: LINE_OUTCOMES, example: 'AMOUNT_MISMATCH' }) outcome!: string;
  @ApiPropertyOptional({ ...wire.uuid, description: 'The payment the line was matched to.' }) disbursementId?: string;
  @ApiPropertyOptional({ ...wire.uuid, description: 'The person the line was matched to (population database answers).' }) beneficiaryId?: string;
  @ApiPropertyOptional({ example: 'PAID', description: 'What the line reported: PAID, FAILED or RETURNED; MATCHED, MISMATCHED or DECEASED.' }) reported?: string;
  @ApiPropertyOptional({ example: 'DISBURSEMENT_SCHEDULED', description: 'The rule’s code, for refused and duplicate lines.' }) code?: string;
  @ApiPropertyOptional({ example: 'The file states 2100000 VND; the payment is 2055000 VND' }) detail?: string;
  @ApiPropertyOptional({ type: 'integer', example: 2_055_000, description: 'VND: the payment’s amount, on an amount mismatch.' }) expectedAmount?: number;
  @ApiPropertyOptional({ type: 'integer', example: 2_100_000, description: 'VND: the amount the file states, on an amount mismatch.' }) statedAmount?: number;
}

class ImportRecordFields {
  @ApiProperty(wire.uuid) importId!: string;
  @ApiProperty({ enum: FILE_IMPORT_KINDS, example: 'BANK_RESULTS' }) kind!: string;
  @ApiProperty({ enum: FORMATS, example: 'CAMT_054', description: 'Recognised from the content, never from a file name.' }) format!: string;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'SHA-256 of the file: the same file again is the same import.' }) sha256!: string;
  @ApiProperty({ type: 'integer', example: 48_213 }) byteLength!: number;
  @ApiProperty({ type: 'integer', example: 19_888, description: 'Lines reconciled: every payment or answer line, unreadable line and ignored line.' }) lineCount!: number;
  @ApiProperty({ example: 'lan.nguyen' }) importedBy!: string;
  @ApiProperty({ ...wire.instant }) startedAt!: string;
  @ApiProperty({ ...wire.instant, nullable: true, description: 'Null while the import is interrupted: importing the same file again finishes it.' }) completedAt!: string | null;
  @ApiProperty({ enum: ['COMPLETED', 'INTERRUPTED'], example: 'COMPLETED' }) status!: string;
}

export class ImportReportDto extends ImportRecordFields {
  @ApiProperty({ type: LineCountsDto }) counts!: LineCountsDto;
  @ApiProperty({ type: [ReconciledLineDto], description: 'Every line with its outcome, in the file’s order (only the outcomes asked for, when `outcome` is given).' }) lines!: ReconciledLineDto[];
}

export class ImportResultDto extends ImportRecordFields {
  @ApiProperty({ type: Boolean, example: false, description: '`true`: this very file was imported before; nothing changed, and this is its report.' }) repeat!: boolean;
  @ApiProperty({ type: LineCountsDto }) counts!: LineCountsDto;
  @ApiProperty({
    type: [ReconciledLineDto],
    description: 'The lines that need a person’s attention (every outcome but APPLIED and ALREADY_RECORDED, and applied lines with a consequence to act on: DEATH_REPORTED, OVERPAYMENT_FLAGGED), the first 1,000; the whole report is at `GET /v1/imports/{importId}`.',
  })
  attention!: ReconciledLineDto[];
  @ApiProperty({ type: 'integer', example: 6, description: 'How many lines need attention in all.' }) attentionCount!: number;
  @ApiProperty({ ...wire.position, description: 'The log position of the import’s latest record, after every line it applied: send it as X-Min-Position to read them all.' }) position!: string;
}

export class ImportSummaryDto extends ImportRecordFields {
  @ApiProperty({ type: LineCountsDto, nullable: true, description: 'Null while the import is interrupted.' }) counts!: LineCountsDto | null;
}

export class ImportPageDto {
  @ApiProperty({ type: [ImportSummaryDto] }) items!: ImportSummaryDto[];
  @ApiProperty({ ...wire.cursor, nullable: true }) next!: string | null;
}

/** `GET /v1/imports`: cursor, limit. */
export class ImportListQueryDto {
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 40 })
  @IsOptional() @IsString() @MaxLength(40) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** `GET /v1/imports/{importId}`: which outcomes to list. */
export class ImportReportQueryDto {
  @ApiPropertyOptional({ enum: LINE_OUTCOMES, description: 'Only the lines with this outcome.' })
  @IsOptional() @IsIn(LINE_OUTCOMES) outcome?: string;
}
