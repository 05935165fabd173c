import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { parseInstant } from '@ledger/domain';
import { CommandCtx, Idempotent, Roles, type CommandContext } from '../platform/index.js';
import { ApiCommand, ApiIdParam } from '../platform/openapi/api-route.decorators.js';
import { toProblem } from '../platform/problems/problem-mapping.js';
import { ChangeDisbursementCommand, type DisbursementLifecycleChange } from './disbursement.commands.js';
import { DisbursementChangedDto, DisbursementReasonDto, SettleDisbursementDto, SettlementBatchDto, SettlementBatchResultDto } from './disbursement.dto.js';

const id = new ParseUUIDPipe({ version: '5' });

const DISBURSEMENT = 'The disbursement’s id (one person, program and month).';
const UNKNOWN_DISBURSEMENT = 'DISBURSEMENT_NOT_FOUND: no disbursement with this id in the caller’s units.';
const LIFECYCLE_RULES = 'DISBURSEMENT_<status>: the disbursement’s status does not allow this (`DISBURSEMENT_PAID` for failing a paid one…).';

@ApiTags('Disbursements')
@Controller('v1')
export class DisbursementsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('disbursements/:disbursementId/settle')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('disbursementId', DISBURSEMENT)
  @ApiCommand({
    operationId: 'settleDisbursement',
    summary: 'Record a payment made',
    description: 'The paying agent paid this disbursement. Paying it again under another reference, or using a reference that paid another one, is refused and recorded as a duplicate attempt.',
    idempotencyKey: 'required',
    response: { description: 'Paid.', json: DisbursementChangedDto },
    problems: {
      404: UNKNOWN_DISBURSEMENT,
      409: 'DUPLICATE_PAYMENT (paid already under another reference), PROVIDER_REFERENCE_IN_USE (the reference paid another disbursement) or SETTLEMENT_MISMATCH (the reference was settled with another amount or time).',
      422: `AMOUNT_MISMATCH: the amount is not the disbursement’s; PAID_AT_OUT_OF_RANGE. ${LIFECYCLE_RULES}`,
    },
  })
  settle(@Param('disbursementId', id) disbursementId: string, @Body() body: SettleDisbursementDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'SettleDisbursement', data: { providerReference: body.providerReference, paidAt: parseInstant(body.paidAt, 'paidAt'), amount: body.amount } }, context);
  }

  @Post('disbursements/:disbursementId/fail')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('disbursementId', DISBURSEMENT)
  @ApiCommand({
    operationId: 'failDisbursement',
    summary: 'Record a bank transfer that failed',
    description: 'A SENT bank transfer the bank could not credit; reschedule it to try again.',
    idempotencyKey: 'required',
    response: { description: 'Failed.', json: DisbursementChangedDto },
    problems: { 404: UNKNOWN_DISBURSEMENT, 422: `NOT_A_BANK_PAYMENT: cash is returned, not failed. ${LIFECYCLE_RULES}` },
  })
  fail(@Param('disbursementId', id) disbursementId: string, @Body() body: DisbursementReasonDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'FailDisbursement', data: { reason: body.reason.trim() } }, context);
  }

  @Post('disbursements/:disbursementId/return')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('disbursementId', DISBURSEMENT)
  @ApiCommand({
    operationId: 'returnDisbursement',
    summary: 'Record cash returned uncollected',
    description: 'SENT cash the Post Office could not pay out; reschedule it to try again.',
    idempotencyKey: 'required',
    response: { description: 'Returned.', json: DisbursementChangedDto },
    problems: { 404: UNKNOWN_DISBURSEMENT, 422: `NOT_A_CASH_PAYMENT: a bank transfer fails, it is not returned. ${LIFECYCLE_RULES}` },
  })
  return(@Param('disbursementId', id) disbursementId: string, @Body() body: DisbursementReasonDto, @CommandCtx() context: CommandContext) {
    return this.change(disbursementId, { type: 'ReturnDisbursement', data: { reason: body.reason.trim() } }, context);
  }

  @Post('disbursements/:disbursementId/reschedule')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  @ApiIdParam('disbursementId', DISBURSEMENT)
  @ApiCommand({
    operationId: 'rescheduleDisbursement',
    summary: 'Try a failed, returned or cancelled payment again',
    description: 'A new attempt, by the beneficiary’s current paying account (or cash), waits for the next payroll run.',
    idempotencyKey: 'required',
    response: { description: 'Rescheduled.', json: DisbursementChangedDto },
    problems: {
      404: UNKNOWN_DISBURSEMENT,
      422: `RESCHEDULE_TO_FAILED_ACCOUNT: the transfer failed into the account payments would go to again; open or verify another, or close it for cash. ${LIFECYCLE_RULES}`,
    },
  })
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
  @ApiCommand({
    operationId: 'settleBatch',
    summary: 'Record a paying agent’s report of payments',
    description: 'Each item is settled or refused on its own (a refusal is reported in its item, with the status and code it would have had alone); the answer is 200 whatever the items’ outcomes.',
    idempotencyKey: 'required',
    response: { description: 'Each item’s outcome.', json: SettlementBatchResultDto },
  })
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
