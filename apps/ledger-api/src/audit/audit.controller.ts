import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { parseInstant, type Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { AccessLog } from '@ledger/read-models';
import { EVENT_STORE } from '../ledger.tokens.js';
import { ACCESS_LOG } from '../platform/access-log/access-log.tokens.js';
import { RecordsPersonalDataAccess } from '../platform/access-log/records-personal-data-access.js';
import { CurrentActor, Roles, type Actor } from '../platform/index.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { assertMayReadBeneficiary, assertMayReadStream, assertReadsEveryUnit } from './audit-scope.js';
import { MinPositionInterceptor } from '../read-side/min-position.interceptor.js';
import { AccessLogQueryDto, AsOfQueryDto, LogQueryDto, StreamHistoryQueryDto } from './audit.dto.js';
import { REPLAY_CHECKS, TAMPER_EVIDENCE } from './audit.tokens.js';
import { auditStreamOf, logHistory, streamHistory } from './audit-history.js';
import { beneficiaryAsOf } from './beneficiary-as-of.js';
import { parseVerifyBody } from './parse-verify-body.js';
import type { ReplayChecks } from './replay-checks.js';
import type { TamperEvidence } from './tamper-evidence.js';

const uuid = new ParseUUIDPipe();

/**
 * The audit trail (SPEC 4): history of a stream and of the whole log, a beneficiary as of a past
 * instant, signed digests of the hash chain, their verification, the replay check, and the access
 * log. Auditors (and admins) only: it shows everything, and changes nothing. What it shows of
 * people is recorded in the access log like any other read.
 */
@Controller('v1/audit')
@Roles('auditor')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TAMPER_EVIDENCE) private readonly tamperEvidence: TamperEvidence,
    @Inject(REPLAY_CHECKS) private readonly replayChecks: ReplayChecks,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
  ) {}

  @Get('streams/:id')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'response' })
  async streamHistory(@Param('id', uuid) id: string, @Query() query: StreamHistoryQueryDto, @CurrentActor() actor: Actor) {
    await assertMayReadStream(this.store, this.catalogues, actor, await auditStreamOf(this.store, id));
    return streamHistory(this.store, id, { fromRevision: BigInt(query.cursor ?? '0'), limit: query.limit ?? 100 });
  }

  /** Every person whose events the page shows (registrations, enrollments, scheduled payments…) is recorded as read. */
  @Get('log')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'response', field: 'items[].data.beneficiaryId' })
  log(@Query() query: LogQueryDto, @CurrentActor() actor: Actor) {
    assertReadsEveryUnit(actor);
    return logHistory(this.store, { after: query.after === undefined ? undefined : BigInt(query.after), limit: query.limit ?? 100 });
  }

  @Get('beneficiaries/:beneficiaryId')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'param' })
  async beneficiaryAsOf(@Param('beneficiaryId', uuid) beneficiaryId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await assertMayReadBeneficiary(this.store, this.catalogues, actor, beneficiaryId);
    return beneficiaryAsOf(this.store, beneficiaryId, parseInstant(query.asOf, 'asOf'));
  }

  /** Who read whose data: oldest first, filtered, paged by `cursor` (a page's `next`). */
  @Get('access-log')
  accessLogPage(@Query() query: AccessLogQueryDto) {
    return this.accessLog.page({
      ...(query.beneficiaryId === undefined ? {} : { beneficiaryId: query.beneficiaryId.toLowerCase() }),
      ...(query.actor === undefined ? {} : { actor: query.actor }),
      ...(query.from === undefined ? {} : { from: parseInstant(query.from, 'from') }),
      ...(query.to === undefined ? {} : { to: parseInstant(query.to, 'to') }),
      ...(query.cursor === undefined ? {} : { after: BigInt(query.cursor) }),
      limit: query.limit ?? 100,
    });
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

  /** Runs on a worker thread, one at a time (a second one meanwhile: 409 REPLAY_CHECK_RUNNING). */
  @Post('replay-check')
  @HttpCode(200)
  replayCheck(@CurrentActor() actor: Actor) {
    // Its differences may name rows of any unit.
    assertReadsEveryUnit(actor);
    return this.replayChecks.run();
  }
}
