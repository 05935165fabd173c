import type { ApiPropertyOptions } from '@nestjs/swagger';

/**
 * How the API writes the values that recur across its bodies, for `@ApiProperty`: one description
 * and one example per kind of value, so every operation says the same thing about a period or a
 * position. The class-validator decorators beside them still decide what is accepted.
 */

const position = {
  type: String,
  pattern: '^(-1|0|[1-9]\\d{0,18})$',
  example: '1024',
  description: 'A position in the ledger’s log, decimal (it outgrows a JSON number). Send it as `X-Min-Position` to read this write back.',
} satisfies ApiPropertyOptions;

export const wire = {
  period: { type: String, pattern: '^\\d{4}-\\d{2}$', example: '2024-04', description: 'A month, YYYY-MM.' },
  localDate: { type: String, format: 'date', example: '2024-03-01', description: 'A calendar date, YYYY-MM-DD.' },
  instant: { type: String, format: 'date-time', maxLength: 40, example: '2024-04-05T09:30:00+07:00', description: 'An instant, ISO 8601 with a UTC offset.' },
  uuid: { type: String, format: 'uuid', example: '5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60' },
  position,
  /** A command's position: null when the request wrote nothing new (everything it asked was already recorded). */
  writtenPosition: { ...position, nullable: true, description: `${position.description} Null when the request wrote nothing new.` },
  unitCode: { type: String, maxLength: 20, example: '899', description: 'An administrative unit’s code (commune, district or province) from the unit catalogue.' },
  program: { type: String, maxLength: 40, example: 'MERITORIOUS', description: 'A program’s code from the program catalogue.' },
  amountVnd: { type: 'integer', minimum: 0, example: 2055000, description: 'Whole đồng (VND).' },
  count: { type: 'integer', minimum: 0, example: 3 },
  reason: { type: String, minLength: 1, maxLength: 500, example: 'Decision 45/QĐ-UBND of the district' },
  cursor: { type: String, maxLength: 600, description: 'The `next` of the page before, as it was answered.' },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, example: 100, description: 'Items per page.' },
  next: { type: String, nullable: true, example: null, description: 'The cursor of the next page, null on the last.' },
} satisfies Record<string, ApiPropertyOptions>;

export const ENROLLMENT_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export const DISBURSEMENT_STATUSES = ['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED'] as const;
export const PAYROLL_RUN_STATUSES = ['SCHEDULING', 'SCHEDULED', 'APPROVED', 'SENT', 'REJECTED', 'ABANDONED'] as const;
export const ACCOUNT_STATUSES = ['VERIFIED', 'UNVERIFIED', 'CLOSED'] as const;
export const CHANNELS = ['BANK', 'CASH'] as const;
export const TERMINATION_REASONS = ['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT'] as const;
export const GENDERS = ['MALE', 'FEMALE'] as const;
