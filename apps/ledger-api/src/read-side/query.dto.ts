import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISBURSEMENT_STATUSES, ENROLLMENT_STATUSES, wire } from '../platform/openapi/wire-formats.js';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/**
 * `GET /v1/beneficiaries`, in the words every list uses: unitCode, program, status, cursor, limit.
 * A filter the list does not apply (a period, `late`) is refused like any unknown parameter rather
 * than ignored, so a caller never reads an unfiltered list as a filtered one.
 */
export class BeneficiaryListQueryDto {
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Beneficiaries of this unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional({ ...wire.program, description: 'Beneficiaries enrolled in this program.' })
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES, example: 'ACTIVE', description: 'Beneficiaries with an enrollment (in `program`, when given) of this status.' })
  @IsOptional() @IsIn(ENROLLMENT_STATUSES) status?: string;
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** `GET /v1/disbursements`: unitCode, program, period, status, late, beneficiaryId, cursor, limit. */
export class DisbursementListQueryDto {
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Disbursements of this unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional(wire.program)
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @ApiPropertyOptional({ ...wire.period, description: 'The month paid.' })
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period?: string;
  @ApiPropertyOptional({ enum: DISBURSEMENT_STATUSES, example: 'SENT' })
  @IsOptional() @IsIn(DISBURSEMENT_STATUSES) status?: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: '`true`: only those paid late or still unpaid past their due date; `false`: only the others.' })
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'late must be true or false' }) late?: boolean;
  @ApiPropertyOptional({ ...wire.uuid, description: 'One beneficiary’s disbursements.' })
  @IsOptional() @IsUUID() beneficiaryId?: string;
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/**
 * Reports page as lists do: `limit` rows (100 unless asked, at most 1000) from `cursor`, the `next`
 * of the page before. As CSV without either, a report is the whole file (see ReportsController).
 */
export class ReportQueryDto {
  @ApiPropertyOptional({ ...wire.unitCode, description: 'This unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional(wire.program)
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @ApiPropertyOptional({ ...wire.period, description: 'The month reported on (coverage: the month active enrollments are counted in; this month unless given).' })
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period?: string;
  @ApiPropertyOptional({ ...wire.cursor, description: 'The `next` of the page before (JSON), or the cursor of a CSV page’s `Link`.' })
  @IsOptional() @IsString() @MaxLength(600) cursor?: string;
  @ApiPropertyOptional({ ...wire.limit, description: 'Rows per page (JSON pages: 100 unless given). A file without `cursor` or `limit` is the whole report.' })
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/**
 * `POST /v1/beneficiaries/search`: by `nationalId`, or by `name` (any accents, any case; the name
 * or its leading words) within `unitCode` if given. In a body, because a national id never goes in
 * a URL (URLs end up in logs); the page's `cursor` and `limit` travel with it.
 */
export class BeneficiarySearchDto {
  @ApiPropertyOptional({ pattern: '^\\d{12}$', example: '091052000123', description: 'Search by national id (exactly); give this or `name`.' })
  @IsOptional() @IsString() @Matches(/^\d{12}$/, { message: 'nationalId must be 12 digits' }) nationalId?: string;
  @ApiPropertyOptional({ maxLength: 400, example: 'bui trung tai', description: 'Search by name, whatever its accents and case: the whole name or its leading words; give this or `nationalId`.' })
  @IsOptional() @IsString() @MaxLength(400) name?: string;
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Within this unit and the units under it (within the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional(wire.cursor)
  @IsOptional() @IsString() @MaxLength(600) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}
