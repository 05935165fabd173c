import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { PROVINCE_CODE } from '@ledger/integration-events';
import { CROSS_PROVINCE_FINDING_KINDS } from '../ingest/cross-province-findings.js';
import { DISBURSEMENT_STATUSES } from '../store/hub-queries.js';

/**
 * The hub's wire shapes, for validation (queries) and for the OpenAPI document (answers). Schemas
 * are named without the `Dto` that marks a wire shape in the code.
 */

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const PROGRAM = /^[A-Za-z0-9_.-]{1,40}$/;
const period = { type: String, pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2024-04', description: 'A month, YYYY-MM.' };
const province = { type: String, pattern: PROVINCE_CODE.source, example: '91', description: 'A province, by its code (the root of its administrative units).' };
const program = { type: String, maxLength: 40, example: 'MERITORIOUS', description: 'A program, by its code in the program catalogue the provinces share.' };
const count = { type: 'integer', minimum: 0, example: 3 } as const;
const amountVnd = { type: 'integer', minimum: 0, example: 2055000, description: 'Whole đồng (VND).' } as const;
const instant = { type: String, format: 'date-time', example: '2024-04-05T02:30:00.000Z', description: 'An instant, ISO 8601 in UTC.' };

@ApiSchema({ name: 'FieldError', description: 'One refused value: where it is and why.' })
export class FieldErrorDto {
  @ApiProperty({ type: String, description: 'The query parameter.', example: 'period' }) field!: string;
  @ApiProperty({ type: String, description: 'Why it was refused.', example: 'period must be a month YYYY-MM' }) message!: string;
}

@ApiSchema({ name: 'ProblemDetails', description: 'RFC 9457 problem details (`application/problem+json`) with `code`, the stable reason to branch on.' })
export class ProblemDetailsDto {
  @ApiProperty({ type: String, format: 'uri-reference', example: '/problems/validation-failed' }) type!: string;
  @ApiProperty({ type: String, example: 'Validation failed' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ type: String, example: 'The request has 1 invalid field.' }) detail!: string;
  @ApiPropertyOptional({ type: String, format: 'uri-reference', example: '/v1/national/totals', description: 'The request path, without its query.' }) instance?: string;
  @ApiProperty({ type: String, pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED' }) code!: string;
  @ApiPropertyOptional({ type: () => FieldErrorDto, isArray: true, description: 'Each refused value, on a 400.' }) errors?: FieldErrorDto[];
}

export class TotalsQueryDto {
  @ApiPropertyOptional({ ...period, description: 'Only this month.' })
  @IsOptional() @IsString() @Matches(PERIOD, { message: 'period must be a month YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({ ...province, description: 'Only this province.' })
  @IsOptional() @IsString() @Matches(PROVINCE_CODE, { message: 'province must be a province code (2 or 3 digits)' })
  province?: string;

  @ApiPropertyOptional({ ...program, description: 'Only this program.' })
  @IsOptional() @IsString() @Matches(PROGRAM, { message: 'program must be a program code' })
  program?: string;
}

export class StatusTotalDto {
  @ApiProperty({ ...count, example: 805 }) count!: number;
  @ApiProperty({ ...amountVnd, example: 1654275000 }) totalAmount!: number;
}

export class NationalTotalDto {
  @ApiProperty(province) province!: string;
  @ApiProperty(period) period!: string;
  @ApiProperty(program) program!: string;
  @ApiProperty({ type: String, enum: ['BANK', 'CASH'], example: 'BANK' }) channel!: string;
  @ApiProperty({ ...count, example: 812 }) count!: number;
  @ApiProperty({ ...amountVnd, example: 1668660000 }) totalAmount!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StatusTotalDto) },
    example: { PAID: { count: 805, totalAmount: 1654275000 }, FAILED: { count: 7, totalAmount: 14385000 } },
    description: `Count and amount by disbursement status (${DISBURSEMENT_STATUSES.join(', ')}; only those present), as in the province's monthly summary.`,
  })
  byStatus!: Record<string, StatusTotalDto>;
}

export class NationalTotalsDto {
  @ApiProperty({ type: () => NationalTotalDto, isArray: true, description: 'By province, period, program and channel, in that order.' })
  items!: NationalTotalDto[];
}

export class EnrollmentCoverageDto {
  @ApiProperty(province) province!: string;
  @ApiProperty(program) program!: string;
  @ApiProperty({ ...count, description: 'Enrollments ACTIVE.' }) active!: number;
  @ApiProperty({ ...count, description: 'Enrollments SUSPENDED.' }) suspended!: number;
  @ApiProperty({ ...count, description: 'Distinct national person keys enrolled (ACTIVE or SUSPENDED).' }) distinctPersons!: number;
}

export class ProgramCoverageDto {
  @ApiProperty(program) program!: string;
  @ApiProperty({ ...count, description: 'Distinct person keys enrolled (ACTIVE or SUSPENDED) in any province: below the provinces’ sum by the people enrolled in two.' })
  distinctPersons!: number;
  @ApiProperty({ ...count, description: 'Provinces with at least one person enrolled.' }) provinces!: number;
}

export class BankAccountsOpenedDto {
  @ApiProperty(province) province!: string;
  @ApiProperty({ ...count, description: 'Payment accounts opened in the province, every bank.' }) opened!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, example: { VBA: 120, BIDV: 14 }, description: 'Accounts opened by bank code.' })
  byBank!: Record<string, number>;
}

export class NationalCoverageDto {
  @ApiProperty({ type: () => EnrollmentCoverageDto, isArray: true, description: 'By province and program.' }) enrollments!: EnrollmentCoverageDto[];
  @ApiProperty({ type: () => ProgramCoverageDto, isArray: true, description: 'By program, across provinces.' }) programs!: ProgramCoverageDto[];
  @ApiProperty({ type: () => BankAccountsOpenedDto, isArray: true, description: 'By province.' }) bankAccounts!: BankAccountsOpenedDto[];
}

export class FindingsQueryDto {
  @ApiPropertyOptional({ enum: ['OPEN', 'RESOLVED'], description: 'OPEN: a province concerned has not resolved it yet. RESOLVED: every province concerned has.' })
  @IsOptional() @IsIn(['OPEN', 'RESOLVED'], { message: 'status must be OPEN or RESOLVED' })
  status?: 'OPEN' | 'RESOLVED';

  @ApiPropertyOptional({ enum: CROSS_PROVINCE_FINDING_KINDS })
  @IsOptional() @IsIn([...CROSS_PROVINCE_FINDING_KINDS], { message: `kind must be ${CROSS_PROVINCE_FINDING_KINDS.join(' or ')}` })
  kind?: (typeof CROSS_PROVINCE_FINDING_KINDS)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Findings per page.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1, { message: 'limit must be at least 1' }) @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ type: String, maxLength: 200, description: 'The `next` of the page before, as it was answered.' })
  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;
}

export class FindingPartyDto {
  @ApiProperty(province) province!: string;
  @ApiProperty({ ...instant, description: 'When the hub found this province concerned (and wrote its notice).' }) joinedAt!: string;
  @ApiPropertyOptional({ type: String, enum: ['KEEP', 'TERMINATE'], description: 'The province’s decision, once it resolved its side.' }) decision?: string;
  @ApiPropertyOptional({ ...instant, description: 'When the hub received the decision.' }) resolvedAt?: string;
}

export class FindingDto {
  @ApiProperty({ type: String, format: 'uuid', description: 'UUIDv5 of kind, person key, program and period: the same finding however often it is found.' }) findingId!: string;
  @ApiProperty({ type: String, enum: CROSS_PROVINCE_FINDING_KINDS }) kind!: string;
  @ApiProperty(program) program!: string;
  @ApiPropertyOptional({ ...period, description: 'The month paid in two provinces (PAID_IN_TWO_PROVINCES only).' }) period?: string;
  @ApiProperty({ type: String, enum: ['OPEN', 'RESOLVED'] }) status!: string;
  @ApiProperty({ ...instant, description: 'When the hub first found it.' }) foundAt!: string;
  @ApiPropertyOptional({ ...instant, description: 'When the last province concerned resolved it.' }) resolvedAt?: string;
  @ApiProperty({ type: () => FindingPartyDto, isArray: true, description: 'The provinces concerned, by code. The person is named to each province by its own beneficiary id, in the notice; never here.' })
  parties!: FindingPartyDto[];
}

export class FindingPageDto {
  @ApiProperty({ type: () => FindingDto, isArray: true, description: 'Oldest first.' }) items!: FindingDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The cursor of the next page, null on the last.' }) next!: string | null;
}

export class LivenessDto {
  @ApiProperty({ type: String, enum: ['ok'], example: 'ok' }) status!: string;
}

export class DependencyCheckDto {
  @ApiProperty({ type: String, enum: ['up', 'down'], example: 'up' }) status!: string;
  @ApiPropertyOptional({ type: String, example: 'connect ECONNREFUSED 127.0.0.1:5432', description: 'When down.' }) reason?: string;
}

export class ReadinessDto {
  @ApiProperty({ type: String, enum: ['ok'], example: 'ok' }) status!: string;
  @ApiProperty({ type: () => DependencyCheckDto, description: 'The hub’s PostgreSQL.' }) postgres!: DependencyCheckDto;
  @ApiProperty({ type: () => DependencyCheckDto, description: 'NATS JetStream.' }) nats!: DependencyCheckDto;
  @ApiProperty({ type: () => DependencyCheckDto, description: 'The consumer: down while a batch it could not commit waits to be tried again.' }) consumer!: DependencyCheckDto;
  @ApiProperty({ type: 'integer', minimum: 0, example: 120394, description: 'The last stream sequence of LEDGER_EVENTS committed.' }) checkpoint!: number;
}
