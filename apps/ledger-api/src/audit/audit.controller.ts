import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
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
import { ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import {
  AccessLogPageDto,
  AccessLogQueryDto,
  AsOfQueryDto,
  AuditLogPageDto,
  BeneficiaryAsOfDto,
  DigestDto,
  DigestListDto,
  DigestWithEarlierDto,
  LogQueryDto,
  ReplayCheckResultDto,
  SignedDigestDto,
  StreamHistoryDto,
  StreamHistoryQueryDto,
  VerifyResultDto,
} from './audit.dto.js';
import { REPLAY_CHECKS, TAMPER_EVIDENCE } from './audit.tokens.js';
import { auditStreamOf, logHistory, streamHistory } from './audit-history.js';
import { beneficiaryAsOf } from './beneficiary-as-of.js';
import { parseVerifyBody } from './parse-verify-body.js';
import type { ReplayChecks } from './replay-checks.js';
import type { TamperEvidence } from './tamper-evidence.js';

const uuid = new ParseUUIDPipe();

/**
 * The audit trail: history of a stream and of the whole log, a beneficiary as of a past
 * instant, signed digests of the hash chain, their verification, the replay check, and the access
 * log. Auditors (and admins) only: it shows everything, and changes nothing. What it shows of
 * people is recorded in the access log like any other read.
 */
@ApiTags('Audit')
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
  @ApiIdParam('id', 'A beneficiary’s, a disbursement’s or a payroll run’s id: the stream is found by the id alone.')
  @ApiRead({
    operationId: 'getStreamHistory',
    recordsAccess: true,
    summary: 'Read one stream’s history',
    description: 'Every event of a beneficiary’s, a disbursement’s or a payroll run’s stream, by revision. The person it is about is recorded in the access log.',
    response: { description: 'A page of the stream’s events.', json: StreamHistoryDto },
    problems: { 404: 'STREAM_NOT_FOUND: no beneficiary, disbursement or payroll run with this id in the caller’s units.' },
  })
  async streamHistory(@Param('id', uuid) id: string, @Query() query: StreamHistoryQueryDto, @CurrentActor() actor: Actor) {
    await assertMayReadStream(this.store, this.catalogues, actor, await auditStreamOf(this.store, id));
    return streamHistory(this.store, id, { fromRevision: BigInt(query.cursor ?? '0'), limit: query.limit ?? 100 });
  }

  /** Every person whose events the page shows (registrations, enrollments, scheduled payments…) is recorded as read. */
  @Get('log')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'response', field: 'items[].data.beneficiaryId' })
  @ApiRead({
    operationId: 'getAuditLog',
    recordsAccess: true,
    summary: 'Read the whole log',
    description: 'Every event, by position: for auditors and admins of every unit. Each person the page shows is recorded in the access log.',
    response: { description: 'A page of the log.', json: AuditLogPageDto },
  })
  log(@Query() query: LogQueryDto, @CurrentActor() actor: Actor) {
    assertReadsEveryUnit(actor);
    return logHistory(this.store, { after: query.after === undefined ? undefined : BigInt(query.after), limit: query.limit ?? 100 });
  }

  @Get('beneficiaries/:beneficiaryId')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'param' })
  @ApiIdParam('beneficiaryId', 'The beneficiary’s id.')
  @ApiRead({
    operationId: 'getBeneficiaryAsOf',
    recordsAccess: true,
    summary: 'A beneficiary as the ledger knew them at an instant',
    description: 'Folded from the events recorded by `asOf`: what an auditor would have read then. Recorded in the access log.',
    response: { description: 'The beneficiary as of `asOf`.', json: BeneficiaryAsOfDto },
    problems: {
      400: 'INVALID_VALUE when `asOf` is not an instant with an offset.',
      404: 'BENEFICIARY_NOT_FOUND (none with this id in the caller’s units), or BENEFICIARY_NOT_YET_RECORDED (first recorded after `asOf`; `firstRecordedAt` says when).',
    },
  })
  async beneficiaryAsOf(@Param('beneficiaryId', uuid) beneficiaryId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await assertMayReadBeneficiary(this.store, this.catalogues, actor, beneficiaryId);
    return beneficiaryAsOf(this.store, beneficiaryId, parseInstant(query.asOf, 'asOf'));
  }

  /** Who read whose data: oldest first, filtered, paged by `cursor` (a page's `next`). */
  @Get('access-log')
  @ApiRead({
    operationId: 'getAccessLog',
    summary: 'Who read whose personal data',
    description: 'The access log, oldest first, filtered and paged by `cursor`.',
    response: { description: 'A page of the access log.', json: AccessLogPageDto },
  })
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
  @ApiRead({
    operationId: 'getAuditDigest',
    summary: 'Sign the hash chain’s head',
    description: 'A signed statement of what the log hashes to up to the read models’ checkpoint, for an auditor to keep outside the system and verify later.',
    minPosition: true,
    response: { description: 'The signed digest.', json: SignedDigestDto },
  })
  digest() {
    return this.tamperEvidence.digest();
  }

  @Post('verify')
  @HttpCode(200)
  @ApiExtraModels(DigestDto, DigestWithEarlierDto, DigestListDto)
  @ApiBody({
    description: 'A digest as `GET /v1/audit/digest` answered it; or a digest with `earlier`, one it must extend; or `{ "digests": [...] }`, each extending the ones before it.',
    schema: { anyOf: [{ $ref: getSchemaPath(DigestDto) }, { $ref: getSchemaPath(DigestWithEarlierDto) }, { $ref: getSchemaPath(DigestListDto) }] },
  })
  @ApiRead({
    operationId: 'verifyAuditDigest',
    summary: 'Verify digests against the log',
    description: 'Checks each digest’s signature against the ledger’s own key, then rehashes the stored events up to the latest digest. A tampered log answers 200 with `ok: false` and where it first differs.',
    body: true,
    response: { description: 'The verdict.', json: VerifyResultDto },
  })
  verify(@Body() body: unknown) {
    return this.tamperEvidence.verify(parseVerifyBody(body));
  }

  /** Runs on a worker thread, one at a time (a second one meanwhile: 409 REPLAY_CHECK_RUNNING). */
  @Post('replay-check')
  @HttpCode(200)
  @ApiRead({
    operationId: 'runReplayCheck',
    summary: 'Compare the read models with a replay of the log',
    description: 'Rebuilds every read model from the log into scratch storage and compares them row by row with the live ones. For auditors and admins of every unit. One at a time.',
    response: { description: 'The differences (none when the read models match).', json: ReplayCheckResultDto },
    problems: { 409: 'REPLAY_CHECK_RUNNING: another replay check is running; retry when it is done.' },
  })
  replayCheck(@CurrentActor() actor: Actor) {
    // Its differences may name rows of any unit.
    assertReadsEveryUnit(actor);
    return this.replayChecks.run();
  }
}
