import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** The same words everywhere (SPEC 8): unitCode, program, period, status, late, beneficiaryId, cursor, limit. */
export class ListQueryDto {
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period?: string;
  @IsOptional() @IsIn(['ACTIVE', 'SUSPENDED', 'TERMINATED', 'SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED']) status?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'late must be true or false' }) late?: boolean;
  @IsOptional() @IsUUID() beneficiaryId?: string;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/**
 * Reports page as lists do: `limit` rows (100 unless asked, at most 1000) from `cursor`, the `next`
 * of the page before. As CSV without either, a report is the whole file (see ReportsController).
 */
export class ReportQueryDto {
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @IsOptional() @IsString() @MaxLength(40) program?: string;
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period?: string;
  @IsOptional() @IsString() @MaxLength(600) cursor?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/**
 * `POST /v1/beneficiaries/search`: by `nationalId`, or by `name` (any accents, any case; the name
 * or its leading words) within `unitCode` if given. In a body, because a national id never goes in
 * a URL (URLs end up in logs); the page's `cursor` and `limit` travel with it.
 */
export class BeneficiarySearchDto {
  @IsOptional() @IsString() @Matches(/^\d{12}$/, { message: 'nationalId must be 12 digits' }) nationalId?: string;
  @IsOptional() @IsString() @MaxLength(400) name?: string;
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @IsOptional() @IsString() @MaxLength(600) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}
