import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  addMonths,
  beneficiaryDecider,
  beneficiaryStreamName,
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  fold,
  InvalidValue,
  localDateInVietnam,
  NotFound,
  parseInstant,
  parsePeriod,
  periodOfDate,
  periodsFromTo,
  type BeneficiaryEvent,
  type Catalogues,
  type DisbursementEvent,
  type Period,
} from '@ledger/domain';
import { readDomainStream, type EventStore } from '@ledger/event-store';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { EVENT_STORE } from '../ledger.tokens.js';
import { CommandCtx, CurrentActor, Idempotent, mayReadUnit, problem, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { toProblem } from '../platform/problems/problem-mapping.js';
import { ChangeDisbursementCommand, type DisbursementLifecycleChange } from './disbursement.commands.js';
import { DisbursementReasonDto, SettleDisbursementDto, SettlementBatchDto } from './disbursement.dto.js';
import { disbursementView } from './disbursement-views.js';

const id = new ParseUUIDPipe({ version: '5' });

@Controller('v1')
export class DisbursementsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

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

  /** Settlements from a paying agent's report: each item is judged on its own, so one bad line never blocks the others. */
  @Post('settlements')
  @HttpCode(200)
  @Roles('operator')
  @Idempotent({ required: true })
  async settleBatch(@Body() body: SettlementBatchDto, @CommandCtx() context: CommandContext) {
    const results = await Promise.all(
      body.items.map(async (item) => {
        try {
          const paidAt = parseInstant(item.paidAt, 'paidAt');
          const outcome = await this.commands.execute(
            new ChangeDisbursementCommand(item.disbursementId, { type: 'SettleDisbursement', data: { providerReference: item.providerReference, paidAt, amount: item.amount } }, context),
          );
          return { httpStatus: 200, ...outcome };
        } catch (error) {
          return { disbursementId: item.disbursementId, ...problemOf(error) };
        }
      }),
    );
    const positions = results.flatMap((result) => ('position' in result && result.position ? [BigInt(result.position)] : []));
    return {
      settled: results.filter((result) => result.httpStatus === 200).length,
      refused: results.filter((result) => result.httpStatus !== 200).length,
      items: results,
      position: positions.length ? positions.reduce((a, b) => (a > b ? a : b)).toString() : null,
    };
  }

  // Until the read side lands these two read the streams directly.

  @Get('disbursements')
  @Roles('operator', 'auditor', 'reporter')
  async list(@Query('beneficiaryId') beneficiaryId: string | undefined, @Query('period') period: string | undefined, @CurrentActor() actor: Actor) {
    if (!beneficiaryId || !/^[0-9a-f-]{36}$/i.test(beneficiaryId)) throw new InvalidValue('beneficiaryId', 'beneficiaryId (a UUID) is required');
    const beneficiary = fold(beneficiaryDecider, (await readDomainStream<BeneficiaryEvent>(this.store, beneficiaryStreamName(beneficiaryId))).events);
    if (!beneficiary.registered) return { items: [], next: null };
    const now = new Date();
    const horizon = addMonths(periodOfDate(localDateInVietnam(now)), 2);
    const candidates = Object.values(beneficiary.enrollments).flatMap((enrollment) =>
      (period ? [parsePeriod(period, 'period')] : periodsFromTo(enrollment.effectiveFrom, horizon)).map((p: Period) =>
        disbursementIdFor(beneficiaryId, enrollment.program, p),
      ),
    );
    const items = [];
    for (const disbursementId of candidates) {
      const state = fold(disbursementDecider, (await readDomainStream<DisbursementEvent>(this.store, disbursementStreamName(disbursementId))).events);
      if (state.exists && mayReadUnit(actor, state.unitCode, this.catalogues.units)) items.push(disbursementView(state, now));
    }
    return { items, next: null };
  }

  @Get('disbursements/:disbursementId')
  @Roles('operator', 'auditor', 'reporter')
  async get(@Param('disbursementId', id) disbursementId: string, @CurrentActor() actor: Actor) {
    const state = fold(disbursementDecider, (await readDomainStream<DisbursementEvent>(this.store, disbursementStreamName(disbursementId))).events);
    if (!state.exists) throw new NotFound('DISBURSEMENT_NOT_FOUND', 'No disbursement with this id');
    if (!mayReadUnit(actor, state.unitCode, this.catalogues.units)) {
      throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', `Unit ${state.unitCode} is outside the units this operator works in.`, {}));
    }
    return disbursementView(state, new Date());
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
