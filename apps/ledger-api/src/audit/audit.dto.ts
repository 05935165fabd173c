import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateBy, type ValidationOptions } from 'class-validator';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** A position as the API writes it: decimal, no leading zeros, or -1 before the first event. */
export const POSITION = /^(-1|0|[1-9]\d{0,19})$/;

/**
 * Log positions, stream revisions and access-log ids are signed 64-bit integers in every store
 * (SQLite INTEGER, PostgreSQL bigint): a larger one names nothing, and must be refused as input
 * rather than reach a store that cannot even compare with it.
 */
export const LARGEST_POSITION = 2n ** 63n - 1n;

/**
 * Decimal digits that fit in a signed 64-bit integer. Only the size: whether it is digits at all is
 * the pattern's to say, beside it, so that a malformed value is refused once, not twice.
 */
export const IsAtMost64Bits = (field: string, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isAtMost64Bits',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !/^-?\d+$/.test(value) || (value.length <= 21 && BigInt(value) <= LARGEST_POSITION),
        defaultMessage: () => `${field} must be at most ${LARGEST_POSITION}`,
      },
    },
    options,
  );

export class StreamHistoryQueryDto {
  /** The stream revision to start from (a page's `next`). */
  @IsOptional() @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'cursor must be a stream revision this API returned' }) @IsAtMost64Bits('cursor') cursor?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class LogQueryDto {
  /** Events strictly after this position (a page's `next`). */
  @IsOptional() @Matches(POSITION, { message: 'after must be a log position' }) @IsAtMost64Bits('after') after?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AsOfQueryDto {
  /** An ISO-8601 instant with an offset; checked by the domain's parseInstant. */
  @IsString() @MaxLength(40) asOf!: string;
}

/** GET /v1/audit/access-log: every filter optional, instants checked by the domain's parseInstant. */
export class AccessLogQueryDto {
  @IsOptional() @IsUUID() beneficiaryId?: string;
  /** The reader's `sub`, exactly. */
  @IsOptional() @IsString() @MaxLength(200) actor?: string;
  /** Reads at or after this instant (ISO-8601 with an offset). */
  @IsOptional() @IsString() @MaxLength(40) from?: string;
  /** Reads before this instant. */
  @IsOptional() @IsString() @MaxLength(40) to?: string;
  /** Records after this one (a page's `next`). */
  @IsOptional() @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'cursor must be a cursor this API returned' }) @IsAtMost64Bits('cursor') cursor?: string;
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** A digest handed back for verification (GET /v1/audit/digest's answer). */
export class DigestDto {
  @Matches(POSITION, { message: 'position must be a log position' }) @IsAtMost64Bits('position') position!: string;
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'hash must be 64 hex digits (SHA-256)' }) hash!: string;
  @IsString() @MaxLength(200) @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'signature must be base64' }) signature!: string;
  @IsOptional() @IsString() @MaxLength(2_000) publicKey?: string;
  @IsOptional() @IsString() @MaxLength(100) algorithm?: string;
}
