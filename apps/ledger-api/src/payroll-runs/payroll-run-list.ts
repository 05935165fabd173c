import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PAYROLL_RUN_STATUSES, wire } from '../platform/openapi/wire-formats.js';
import { InvalidValue } from '@ledger/domain';
import type { PayrollRunRow } from '@ledger/read-models';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `GET /v1/payroll-runs?status=SCHEDULED` is "the runs awaiting a checker". */
export class PayrollRunListQueryDto {
  @ApiPropertyOptional({ ...wire.period, description: 'Runs paying this month.' })
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'period must be a period YYYY-MM' }) period?: string;
  @ApiPropertyOptional({ enum: PAYROLL_RUN_STATUSES, example: 'SCHEDULED', description: 'SCHEDULED: runs awaiting a checker.' })
  @IsOptional() @IsIn(['SCHEDULING', 'SCHEDULED', 'APPROVED', 'SENT', 'REJECTED', 'ABANDONED']) status?: string;
  @ApiPropertyOptional({ ...wire.unitCode, description: 'Runs of this unit (one of the caller’s).' })
  @IsOptional() @IsString() @MaxLength(20) unitCode?: string;
  @ApiPropertyOptional({ ...wire.cursor, maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional(wire.limit)
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000) limit?: number;
}

const PERIOD = /^\d{4}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A page's `next`: its last run's period and id, opaque to the caller. */
export const encodeRunCursor = (next: readonly [string, string] | null) => (next === null ? null : Buffer.from(JSON.stringify(next), 'utf8').toString('base64url'));

export function decodeRunCursor(cursor: string | undefined): readonly [string, string] | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || !PERIOD.test(key[0]) || typeof key[1] !== 'string' || !UUID.test(key[1])) {
    throw new InvalidValue('cursor', 'cursor must be the `next` of an earlier page');
  }
  return [key[0], key[1]];
}

export function payrollRunListView(row: PayrollRunRow) {
  return {
    runId: row.run_id,
    period: row.period,
    program: row.program,
    unitCode: row.unit_code,
    status: row.status,
    createdBy: row.created_by,
    approvedBy: row.approved_by,
    ...(row.rejected_by ? { rejectedBy: row.rejected_by, rejectionReason: row.rejection_reason } : {}),
    scheduled: row.scheduled,
    arrears: row.arrears,
    totalAmount: row.total_amount === null ? null : Number(row.total_amount),
    largeArrears: row.large_arrears ?? 0,
    sent: row.sent,
    cancelled: row.cancelled,
  };
}
