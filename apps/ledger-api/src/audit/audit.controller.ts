import { Body, Controller, Get, HttpCode, Inject, Optional, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { parseInstant } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { ReadModelsKeptMoving, replayCheck, type Projector, type ReadModelStore } from '@ledger/read-models';
import { EVENT_STORE } from '../ledger.tokens.js';
import { problemException, Roles } from '../platform/index.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { PROJECTOR, READ_MODEL_STORE } from '../read-side/read-side.tokens.js';
import { AsOfQueryDto, LogQueryDto, StreamHistoryQueryDto } from './audit.dto.js';
import { TAMPER_EVIDENCE } from './audit.tokens.js';
import { logHistory, streamHistory } from './audit-history.js';
import { beneficiaryAsOf } from './beneficiary-as-of.js';
import { parseVerifyBody } from './parse-verify-body.js';
import type { TamperEvidence } from './tamper-evidence.js';

const uuid = new ParseUUIDPipe();

/**
 * The audit trail (SPEC 4): history of a stream and of the whole log, a beneficiary as of a past
 * instant, signed digests of the hash chain, their verification, and the replay check. Auditors
 * (and admins) only: it shows everything, and changes nothing.
 */
@Controller('v1/audit')
@Roles('auditor')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(TAMPER_EVIDENCE) private readonly tamperEvidence: TamperEvidence,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
  ) {}

  @Get('streams/:id')
  streamHistory(@Param('id', uuid) id: string, @Query() query: StreamHistoryQueryDto) {
    return streamHistory(this.store, id, { fromRevision: BigInt(query.cursor ?? '0'), limit: query.limit ?? 100 });
  }

  @Get('log')
  log(@Query() query: LogQueryDto) {
    return logHistory(this.store, { after: query.after === undefined ? undefined : BigInt(query.after), limit: query.limit ?? 100 });
  }

  @Get('beneficiaries/:beneficiaryId')
  beneficiaryAsOf(@Param('beneficiaryId', uuid) beneficiaryId: string, @Query() query: AsOfQueryDto) {
    return beneficiaryAsOf(this.store, beneficiaryId, parseInstant(query.asOf, 'asOf'));
  }

  /** Signs the chain's head: the read models' checkpoint, so `X-Min-Position` waits for a write to be in it. */
  @Get('digest')
  @UseInterceptors(MinPositionInterceptor)
  digest() {
    return this.tamperEvidence.digest();
  }

  @Post('verify')
  @HttpCode(200)
  verify(@Body() body: unknown) {
    return this.tamperEvidence.verify(parseVerifyBody(body));
  }

  @Post('replay-check')
  @HttpCode(200)
  async replayCheck() {
    try {
      const result = await replayCheck(this.store, this.readModels, this.projector ? { holdStill: (work) => this.projector!.whilePaused(work) } : {});
      return { differences: result.differences, checkedPosition: result.checkedPosition, truncated: result.truncated, rowsCompared: result.rowsCompared, eventsReplayed: result.eventsReplayed };
    } catch (error) {
      if (error instanceof ReadModelsKeptMoving) throw problemException(503, 'READ_MODELS_KEPT_MOVING', error.message);
      throw error;
    }
  }
}
