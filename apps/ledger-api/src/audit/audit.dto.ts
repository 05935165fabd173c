import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** A position as the API writes it: decimal, no leading zeros, or -1 before the first event. */
export const POSITION = /^(-1|0|[1-9]\d{0,19})$/;

export class StreamHistoryQueryDto {
  /** The stream revision to start from (a page's `next`). */
  @IsOptional() @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'cursor must be a stream revision this API returned' }) cursor?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class LogQueryDto {
  /** Events strictly after this position (a page's `next`). */
  @IsOptional() @Matches(POSITION, { message: 'after must be a log position' }) after?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AsOfQueryDto {
  /** An ISO-8601 instant with an offset; checked by the domain's parseInstant. */
  @IsString() @MaxLength(40) asOf!: string;
}

/** A digest handed back for verification (GET /v1/audit/digest's answer). */
export class DigestDto {
  @Matches(POSITION, { message: 'position must be a log position' }) position!: string;
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'hash must be 64 hex digits (SHA-256)' }) hash!: string;
  @IsString() @MaxLength(200) @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'signature must be base64' }) signature!: string;
  @IsOptional() @IsString() @MaxLength(2_000) publicKey?: string;
  @IsOptional() @IsString() @MaxLength(100) algorithm?: string;
}
