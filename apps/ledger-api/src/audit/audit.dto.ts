import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, CHANNELS, DISBURSEMENT_STATUSES, ENROLLMENT_STATUSES, GENDERS, TERMINATION_REASONS, wire } from '../platform/openapi/wire-formats.js';

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

const HASH_EXAMPLE = 'fe14010b4fe83303852f0467c919ef9a7ca089b91e96e3aad7d426dd87079297';
const SIGNATURE_EXAMPLE = 'P7442MvYip8lEzOQFyv7iC+q6jDraMHpQIcKeoR7AcoG55ulFjYGTNfyycDXlcQZSrRFQ1uo5xK5kaAUsLvFMA==';

const STREAM_REVISION = { type: String, pattern: '^(0|[1-9]\\d{0,18})$', example: '0' };

export class StreamHistoryQueryDto {
  /** The stream revision to start from (a page's `next`). */
  @ApiPropertyOptional({ ...STREAM_REVISION, description: 'The stream revision to start from: a page’s `next` (0 unless given).' })
  @IsOptional() @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'cursor must be a stream revision this API returned' }) @IsAtMost64Bits('cursor') cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class LogQueryDto {
  /** Events strictly after this position (a page's `next`). */
  @ApiPropertyOptional({ ...wire.position, description: 'Events strictly after this log position: a page’s `next` (from the first event unless given).' })
  @IsOptional() @Matches(POSITION, { message: 'after must be a log position' }) @IsAtMost64Bits('after') after?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AsOfQueryDto {
  /** An ISO-8601 instant with an offset; checked by the domain's parseInstant. */
  @ApiProperty({ ...wire.instant, example: '2024-04-30T23:59:59+07:00', description: 'The instant to see the beneficiary as of: ISO 8601 with a UTC offset.' })
  @IsString() @MaxLength(40) asOf!: string;
}

/** GET /v1/audit/access-log: every filter optional, instants checked by the domain's parseInstant. */
export class AccessLogQueryDto {
  @ApiPropertyOptional({ ...wire.uuid, description: 'Reads of this beneficiary.' })
  @IsOptional() @IsUUID() beneficiaryId?: string;
  /** The reader's `sub`, exactly. */
  @ApiPropertyOptional({ maxLength: 200, example: 'operator-a', description: 'Reads by this user: their token’s `sub`, exactly.' })
  @IsOptional() @IsString() @MaxLength(200) actor?: string;
  /** Reads at or after this instant (ISO-8601 with an offset). */
  @ApiPropertyOptional({ ...wire.instant, description: 'Reads at or after this instant (ISO 8601 with a UTC offset).' })
  @IsOptional() @IsString() @MaxLength(40) from?: string;
  /** Reads before this instant. */
  @ApiPropertyOptional({ ...wire.instant, example: '2024-05-01T00:00:00+07:00', description: 'Reads before this instant.' })
  @IsOptional() @IsString() @MaxLength(40) to?: string;
  /** Records after this one (a page's `next`). */
  @ApiPropertyOptional({ ...STREAM_REVISION, example: '120', description: 'Records after this one: a page’s `next`.' })
  @IsOptional() @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'cursor must be a cursor this API returned' }) @IsAtMost64Bits('cursor') cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** A digest handed back for verification (GET /v1/audit/digest's answer). */
export class DigestDto {
  @ApiProperty({ ...wire.position, description: 'The log position the digest covers up to.' })
  @Matches(POSITION, { message: 'position must be a log position' }) @IsAtMost64Bits('position') position!: string;
  @ApiProperty({ pattern: '^[0-9a-fA-F]{64}$', example: HASH_EXAMPLE, description: 'The hash chain’s head at `position`: SHA-256, hex.' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'hash must be 64 hex digits (SHA-256)' }) hash!: string;
  @ApiProperty({ maxLength: 200, pattern: '^[A-Za-z0-9+/]+={0,2}$', example: SIGNATURE_EXAMPLE, description: 'The ledger’s Ed25519 signature of `ledger-audit-chain-v1:<position>:<hash>`, base64.' })
  @IsString() @MaxLength(200) @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'signature must be base64' }) signature!: string;
  @ApiPropertyOptional({ maxLength: 2000, description: 'The public key it names (SPKI PEM); a digest naming another key than the ledger’s is refused.' })
  @IsOptional() @IsString() @MaxLength(2_000) publicKey?: string;
  @ApiPropertyOptional({ maxLength: 100, example: 'ledger-audit-chain-v1/sha256/ed25519' })
  @IsOptional() @IsString() @MaxLength(100) algorithm?: string;
}

/** A digest, and an earlier one it must extend. */
export class DigestWithEarlierDto extends DigestDto {
  @ApiProperty({ type: () => DigestDto, description: 'An earlier digest: the later one must extend it (one chain runs through both).' })
  earlier!: DigestDto;
}

/** Several digests, each extending the ones before it. */
export class DigestListDto {
  @ApiProperty({ type: () => DigestDto, isArray: true, minItems: 1, maxItems: 100 })
  digests!: DigestDto[];
}

/** `GET /v1/audit/digest`: the chain's head, signed, for an auditor to keep outside the system. */
export class SignedDigestDto {
  @ApiProperty({ ...wire.position, description: 'The read models’ checkpoint: the last event the chain covers.' })
  position!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', example: HASH_EXAMPLE, description: 'SHA-256 of the chain up to `position`, hex.' })
  hash!: string;
  @ApiProperty({ example: SIGNATURE_EXAMPLE, description: 'Ed25519 signature of the UTF-8 bytes of `ledger-audit-chain-v1:<position>:<hash>`, base64.' })
  signature!: string;
  @ApiProperty({ example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n', description: 'The ledger’s public key, SPKI PEM.' })
  publicKey!: string;
  @ApiProperty({ example: 'ledger-audit-chain-v1/sha256/ed25519' })
  algorithm!: string;
}

const CHAIN_DIFFERENCES = [
  'EVENT_CHANGED',
  'EVENT_MISSING',
  'EVENT_NOT_IN_RECORDED_CHAIN',
  'DIGEST_MISMATCH',
  'DIGEST_POSITION_MISSING',
  'RECORDED_CHAIN_CHANGED',
  'SIGNATURE_INVALID',
  'SIGNED_BY_ANOTHER_KEY',
  'UNKNOWN_ALGORITHM',
];

/** Whether the log still hashes to the digests, and where it first differs when not. */
export class VerifyResultDto {
  @ApiProperty({ type: Boolean, example: true })
  ok!: boolean;
  @ApiPropertyOptional({ type: Boolean, enum: [true], description: 'With several digests, when ok: the later ones extend the earlier ones.' })
  extends?: boolean;
  @ApiPropertyOptional({ ...wire.position, description: 'When ok: the position verified up to.' })
  position?: string;
  @ApiPropertyOptional({ ...wire.count, example: 1024, description: 'Events rehashed.' })
  eventsChecked?: number;
  @ApiPropertyOptional({ ...wire.position, description: 'When not ok: the first position where the log and the chain differ.' })
  firstDifferingPosition?: string;
  @ApiPropertyOptional({ enum: CHAIN_DIFFERENCES, example: 'EVENT_CHANGED', description: 'When not ok: what differs.' })
  reason?: string;
  @ApiPropertyOptional({ example: 'earlier', description: 'When not ok: which digest the reason concerns (`digest`, `earlier`, `digests[1]`…).' })
  digest?: string;
  @ApiPropertyOptional({ example: 'The event at position 512 hashes differently from when it was recorded: its content was changed.', description: 'When not ok.' })
  detail?: string;
}

/** An event as auditors read it: everything stored. */
export class AuditEventDto {
  @ApiProperty(wire.position)
  position!: string;
  @ApiProperty({ example: 'beneficiary-5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60' })
  streamName!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  streamRevision!: number;
  @ApiProperty(wire.uuid)
  eventId!: string;
  @ApiProperty({ example: 'BeneficiaryRegistered', description: 'The stored event type: a stable name.' })
  type!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  schemaVersion!: number;
  @ApiProperty({ ...wire.instant, example: '2024-03-01T02:00:00.000Z' })
  recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { beneficiaryId: '5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60' }, description: 'The event’s data, as stored.' })
  data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { actorId: 'operator-a', actorRole: 'operator', command: 'EnrollBeneficiary' },
    description: 'Who, when and why: actor, role, command, correlation and causation ids.',
  })
  metadata!: Record<string, unknown>;
}

export class StreamHistoryDto {
  @ApiProperty({ example: 'beneficiary-5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60' })
  streamName!: string;
  @ApiProperty({ ...wire.uuid, nullable: true, description: 'The person the stream is about (theirs, or one of their disbursements’); null for a payroll run.' })
  beneficiaryId!: string | null;
  @ApiProperty({ type: () => AuditEventDto, isArray: true })
  items!: AuditEventDto[];
  @ApiProperty({ ...STREAM_REVISION, nullable: true, example: null, description: 'The revision to continue from (`cursor`), null on the last page.' })
  next!: string | null;
}

export class AuditLogPageDto {
  @ApiProperty({ type: () => AuditEventDto, isArray: true })
  items!: AuditEventDto[];
  @ApiProperty({ ...wire.position, nullable: true, example: null, description: 'The position to continue after (`after`), null on the last page.' })
  next!: string | null;
}

class DecisionAsOfDto {
  @ApiProperty({ example: '123/QĐ-UBND' })
  number!: string;
  @ApiProperty({ ...wire.localDate, example: '2023-12-20' })
  date!: string;
}

class SuspensionAsOfDto {
  @ApiProperty({ ...wire.period, example: '2024-05' })
  from!: string;
  @ApiProperty({ example: 'Hospitalised abroad' })
  reason!: string;
  @ApiProperty({ ...wire.period, nullable: true, example: null, description: 'Null while the suspension was open.' })
  resumedFrom!: string | null;
}

class TerminationAsOfDto {
  @ApiProperty({ enum: TERMINATION_REASONS, example: 'DECEASED' })
  reason!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-03-15' })
  effectiveDate!: string;
}

class PersonAsOfDto {
  @ApiProperty(wire.uuid)
  beneficiaryId!: string;
  @ApiProperty({ example: '091052000123' })
  nationalId!: string;
  @ApiProperty({ example: 'Bùi Trung Tài' })
  fullName!: string;
  @ApiProperty({ ...wire.localDate, example: '1952-03-14' })
  dateOfBirth!: string;
  @ApiProperty({ enum: GENDERS, example: 'MALE' })
  gender!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty({ ...wire.instant, example: '2024-03-01T02:00:00.000Z' })
  firstRecordedAt!: string;
  @ApiProperty({ enum: CHANNELS, example: 'BANK' })
  channel!: string;
}

class EnrollmentAsOfDto {
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES, example: 'ACTIVE', description: 'As it stood in the month of `asOf`.' })
  status!: string;
  @ApiProperty({ type: Boolean, example: true, description: 'Whether the month of `asOf` was a paid month of the enrollment, as known then.' })
  activeInPeriod!: boolean;
  @ApiProperty({ type: 'integer', example: 1000 })
  coefficient!: number;
  @ApiProperty({ ...wire.period, example: '2024-01' })
  effectiveFrom!: string;
  @ApiProperty({ type: () => DecisionAsOfDto })
  decision!: DecisionAsOfDto;
  @ApiProperty({ type: () => SuspensionAsOfDto, isArray: true })
  suspensions!: SuspensionAsOfDto[];
  @ApiProperty({ type: () => TerminationAsOfDto, nullable: true })
  termination!: TerminationAsOfDto | null;
}

class AccountAsOfDto {
  @ApiProperty(wire.uuid)
  accountId!: string;
  @ApiProperty({ example: 'VBA' })
  bankCode!: string;
  @ApiProperty({ example: '7700205123456' })
  accountNumber!: string;
  @ApiProperty({ example: 'BUI TRUNG TAI' })
  holderName!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-03-01' })
  openedOn!: string;
  @ApiProperty({ enum: ACCOUNT_STATUSES, example: 'VERIFIED' })
  status!: string;
  @ApiProperty({ type: Boolean, example: true })
  paymentAccount!: boolean;
}

class PaymentAsOfDto {
  @ApiProperty(wire.uuid)
  disbursementId!: string;
  @ApiProperty(wire.program)
  program!: string;
  @ApiProperty(wire.period)
  period!: string;
  @ApiProperty(wire.unitCode)
  unitCode!: string;
  @ApiProperty(wire.amountVnd)
  amount!: number;
  @ApiProperty({ enum: CHANNELS, example: 'BANK' })
  channel!: string;
  @ApiProperty({ type: String, nullable: true, example: 'VBA' })
  bankCode!: string | null;
  @ApiProperty({ enum: DISBURSEMENT_STATUSES, example: 'PAID' })
  status!: string;
  @ApiProperty({ ...wire.localDate, example: '2024-04-10' })
  dueDate!: string;
  @ApiProperty({ type: Boolean, example: false })
  arrears!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  attempt!: number;
  @ApiProperty({ ...wire.uuid, nullable: true })
  payrollRunId!: string | null;
  @ApiProperty({ ...wire.instant, nullable: true })
  paidAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'FT24096000123' })
  providerReference!: string | null;
  @ApiProperty({ ...wire.count, example: 0, description: 'As it stood then.' })
  daysLate!: number;
  @ApiProperty({ type: Boolean, example: false })
  overpayment!: boolean;
  @ApiProperty({ ...wire.instant, example: '2024-04-05T03:00:00.000Z' })
  lastChangedAt!: string;
}

/** A beneficiary as the ledger knew them at an instant: their stream and their disbursements’ folded over the events recorded by then. */
export class BeneficiaryAsOfDto {
  @ApiProperty({ ...wire.instant, example: '2024-04-30T16:59:59.000Z' })
  asOf!: string;
  @ApiProperty({ ...wire.position, description: 'The last event included: the beneficiary’s or one of their disbursements’.' })
  position!: string;
  @ApiProperty({ type: () => PersonAsOfDto })
  beneficiary!: PersonAsOfDto;
  @ApiProperty({ type: () => EnrollmentAsOfDto, isArray: true })
  enrollments!: EnrollmentAsOfDto[];
  @ApiProperty({ type: () => AccountAsOfDto, isArray: true })
  accounts!: AccountAsOfDto[];
  @ApiProperty({ type: () => PaymentAsOfDto, isArray: true, description: 'By period, then program.' })
  payments!: PaymentAsOfDto[];
}

/** One read of personal data. */
export class AccessLogEntryDto {
  @ApiProperty({ ...STREAM_REVISION, example: '120', description: 'The record’s number in the log (a page cursor).' })
  id!: string;
  @ApiProperty({ ...wire.instant, example: '2024-04-05T03:00:00.000Z' })
  recordedAt!: string;
  @ApiProperty({ example: 'reporter-b', description: 'The reader’s `sub`.' })
  actor!: string;
  @ApiProperty({ enum: ['operator', 'auditor', 'reporter', 'admin'], example: 'reporter' })
  actorRole!: string;
  @ApiProperty({ example: 'GET /v1/beneficiaries/:beneficiaryId', description: 'Method and route template.' })
  route!: string;
  @ApiProperty({ ...wire.uuid, nullable: true, description: 'The person read; null for a payment file.' })
  beneficiaryId!: string | null;
  @ApiProperty({ ...wire.uuid, nullable: true, example: null, description: 'For a payment file: its run.' })
  payrollRunId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'For a payment file: its bank code or POST_OFFICE.' })
  payingAgent!: string | null;
  @ApiProperty({ ...wire.uuid, nullable: true, description: 'Shared by the records of one request.' })
  correlationId!: string | null;
}

export class AccessLogPageDto {
  @ApiProperty({ type: () => AccessLogEntryDto, isArray: true })
  items!: AccessLogEntryDto[];
  @ApiProperty({ ...STREAM_REVISION, nullable: true, example: null, description: 'The cursor of the next page, null on the last.' })
  next!: string | null;
}

/** A column's value, whichever store it came from (null as a nullable string, so that exactly one alternative matches it). */
const NORMAL_VALUE = [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }];

/** One difference between the live read models and a replay of the log into fresh ones. */
export class ReadModelDifferenceDto {
  @ApiProperty({ example: 'disbursements' })
  table!: string;
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: NORMAL_VALUE }, example: { disbursement_id: '5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60' }, description: 'The row’s key columns.' })
  key!: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'status', description: 'The column that differs; absent when the whole row is missing on one side.' })
  column?: string;
  @ApiProperty({ oneOf: [...NORMAL_VALUE, { type: 'object', additionalProperties: true }], example: 'PAID', description: 'The live value (a whole row, or null when the live read models lack the row).' })
  live!: unknown;
  @ApiProperty({ oneOf: [...NORMAL_VALUE, { type: 'object', additionalProperties: true }], example: 'SENT', description: 'The replayed value (a whole row, or null when the replay has no such row).' })
  replayed!: unknown;
}

export class ReplayCheckResultDto {
  @ApiProperty({ type: () => ReadModelDifferenceDto, isArray: true, description: 'Empty when the read models match a replay of the log.' })
  differences!: ReadModelDifferenceDto[];
  @ApiProperty({ ...wire.position, description: 'The position both sides were compared at: the live read models’ checkpoint.' })
  checkedPosition!: string;
  @ApiProperty({ type: Boolean, example: false, description: 'True when there were more differences than were reported.' })
  truncated!: boolean;
  @ApiProperty({ ...wire.count, example: 5120 })
  rowsCompared!: number;
  @ApiProperty({ ...wire.count, example: 1024 })
  eventsReplayed!: number;
}
