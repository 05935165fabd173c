import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseInstant } from '@ledger/domain';
import { CommandCtx, Idempotent, Roles, type CommandContext } from '../platform/index.js';
import { toProblem } from '../platform/problems/problem-mapping.js';
import { ChangeDisbursementCommand, type DisbursementLifecycleChange } from './disbursement.commands.js';
import { DisbursementReasonDto, SettleDisbursementDto, SettlementBatchDto } from './disbursement.dto.js';

const id = new ParseUUIDPipe({ version: '5' });

@Controller('v1')
export class DisbursementsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('disbursements/:disbursementId/settle')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  settle(@Param('disbursementId', id) disbursementId: string, @Body() body: SettleDisbursementDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'SettleDisbursement', data: { providerReference: body.providerReference, paidAt: parseInstant(body.paidAt, 'paidAt'), amount: body.amount } }, context);
  }

  @Post('disbursements/:disbursementId/fail')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  fail(@Param('disbursementId', id) disbursementId: string, @Body() body: DisbursementReasonDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'FailDisbursement', data: { reason: body.reason.trim() } }, context);
  }

  @Post('disbursements/:disbursementId/return')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  return(@Param('disbursementId', id) disbursementId: string, @Body() body: DisbursementReasonDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'ReturnDisbursement', data: { reason: body.reason.trim() } }, context);
  }

  @Post('disbursements/:disbursementId/reschedule')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  reschedule(@Param('disbursementId', id) disbursementId: string, @Body() body: DisbursementReasonDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'RescheduleDisbursement', data: { reason: body.reason.trim() } }, context);
  }

  /**
   * Settlements from a paying agent's report: each item is judged on its own, so one bad line never
   * blocks the others, and in the report's order, so that of two lines paying one payment (or using
   * one reference) the first is the payment and the later one the recorded duplicate.
   */
  @Post('settlements')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  async settleBatch(@Body() body: SettlementBatchDto, @CommandCtx() context: CommandContext) {
    const results: Array<{ httpStatus: number; disbursementId: string; position?: string | null }> = [];
    for (const [index, item] of body.items.entries()) {
      try {
        const paidAt = parseInstant(item.paidAt, 'paidAt');
        const outcome = await this.commands.execute(
          new ChangeDisbursementCommand(item.disbursementId, { type: 'SettleDisbursement', data: { providerReference: item.providerReference, paidAt, amount: item.amount } }, context, index),
        );
        results.push({ httpStatus: 200, ...outcome });
      } catch (error) {
        results.push({ disbursementId: item.disbursementId, ...problemOf(error) });
      }
    }
    const positions = results.flatMap((result) => ('position' in result && result.position ? [BigInt(result.position)] : []));
    return {
      settled: results.filter((result) => result.httpStatus === 200).length,
      refused: results.filter((result) => result.httpStatus !== 200).length,
      items: results,
      position: positions.length ? positions.reduce((a, b) => (a > b ? a : b)).toString() : null,
    };
  }

  private change(disbursementId: string, change: DisbursementLifecycleChange, context: CommandContext) {
    return this.commands.execute(new ChangeDisbursementCommand(disbursementId, change, context));
  }
}

/** A refused item reported the way a refused request would be; a fault still fails the whole batch. */
function problemOf(error: unknown) {
  const { problem: refusal, fault } = toProblem(error, '/v1/settlements');
  if (fault) throw fault;
  return { httpStatus: refusal.status, code: refusal.code, detail: refusal.detail };
}
