import { Controller, Get, Headers, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Catalogues, LineOutcome } from '@ledger/domain';
import type { FileImportRow, ReadModelQueries } from '@ledger/read-models';
import { csvForPeople } from '@ledger/payment-files';
import { FILE_MEDIA_TYPES } from '../platform/http/configure-http.js';
import type { LedgerRequest } from '../platform/http/ledger-request.js';
import { CommandCtx, CurrentActor, EVERY_UNIT, Idempotent, mayReadUnit, readsEveryUnit, Roles, type Actor, type CommandContext } from '../platform/index.js';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics.js';
import { ApiCommand, ApiIdParam, ApiRead } from '../platform/openapi/api-route.decorators.js';
import { problemException } from '../platform/problems/problem-details.js';
import { CSV_MEDIA_TYPE } from '../read-side/report-download.js';
import { READ_MODEL_QUERIES } from '../read-side/read-side.tokens.js';
import { CATALOGUES } from '../ledger/ledger.tokens.js';
import { FileImports, UnimportableFile } from './file-imports.js';
import { ImportListQueryDto, ImportPageDto, ImportReportDto, ImportReportQueryDto, ImportResultDto } from './import.dto.js';
import { IMPORT_REPORT_COLUMNS, importReportRows, needsAttention, UnknownImport, type ImportReport } from './import-report.js';

/** The lines an import's answer lists; the rest are in its report. */
const ATTENTION_SHOWN = 1_000;

const fileBody = (what: string) => ({
  description: `${what}, as it is: its format is recognised from the content (a file name or media type says nothing). At most LEDGER_IMPORT_LIMIT_BYTES (32 MiB unless configured).`,
  mediaTypes: FILE_MEDIA_TYPES,
});

const REPEATED = 'This very file was imported before (by the caller’s units): nothing changed; its report, with `repeat: true`.';

const FILE_PROBLEMS = {
  422: 'UNKNOWN_FORMAT: the content is none of the formats read here; MALFORMED_FILE: a truncated or broken document (nothing of it is applied); WRONG_KIND_OF_FILE: a file of the other route (a Post Office returns file sent as bank results); EMPTY_FILE.',
} as const;

const UNKNOWN_IMPORT = 'IMPORT_NOT_FOUND: no import with this id that the caller may read.';

/**
 * Files back from the paying agents and the population database, applied line by line through the
 * ledger's own commands, each recorded as an import with its reconciliation report. The same file
 * again is answered with its report and changes nothing; an interrupted import is finished by
 * sending the same file again.
 */
@Controller('v1')
@ApiTags('Imports')
export class ImportsController {
  constructor(
    @Inject(FileImports) private readonly imports: FileImports,
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CATALOGUES) private readonly catalogues: Catalogues,
    @Inject(LedgerMetrics) private readonly metrics: LedgerMetrics,
  ) {}

  @Post('bank-results')
  @Roles('operator')
  @Idempotent()
  @ApiCommand({
    file: fileBody('A bank’s result file: a pain.002 status report, a camt.054 or camt.053 statement, an MT940 statement, or the bank results CSV'),
    operationId: 'importBankResults',
    summary: 'Import a bank’s result file',
    description:
      'pain.002 (ACSC/ACSP → PAID, RJCT with its reason → FAILED), camt.054/camt.053 (booked debits → PAID), MT940 (`:61:` debits → PAID) or the bank results CSV, matched to payments by end-to-end id. 201 with the reconciliation when the file is new (or an interrupted import of it is finished); 200 with its report when this very file was imported before.',
    idempotencyKey: 'optional',
    created: true,
    repeated: REPEATED,
    response: { description: 'The import and the lines that need attention.', json: ImportResultDto },
    problems: FILE_PROBLEMS,
  })
  bankResults(@Req() request: LedgerRequest, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, () => this.imports.importPaymentResults('BANK_RESULTS', fileOf(request), context));
  }

  @Post('post-office-returns')
  @Roles('operator')
  @Idempotent()
  @ApiCommand({
    file: fileBody('The Post Office’s returns CSV: disbursement_id, collected (yes/no, có/không), collected_date, amount_vnd, note'),
    operationId: 'importPostOfficeReturns',
    summary: 'Import the Post Office’s returns',
    description: 'Per cash payment: collected (with its date) → PAID, not collected → RETURNED. Answered like bank results.',
    idempotencyKey: 'optional',
    created: true,
    repeated: REPEATED,
    response: { description: 'The import and the lines that need attention.', json: ImportResultDto },
    problems: FILE_PROBLEMS,
  })
  postOfficeReturns(@Req() request: LedgerRequest, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, () => this.imports.importPaymentResults('POST_OFFICE_RETURNS', fileOf(request), context));
  }

  @Post('identity-checks/results')
  @Roles('operator')
  @Idempotent()
  @ApiCommand({
    file: fileBody('The population database’s answers CSV: national_id, outcome (MATCHED, MISMATCHED, DECEASED), mismatched_fields, date_of_death'),
    operationId: 'importIdentityCheckAnswers',
    summary: 'Import the population database’s answers',
    description:
      'Each answer is recorded on the person. A DECEASED answer holds the person’s payments (a payroll run skips them with DEATH_REPORTED; a payment already sent is not touched) and puts them on the death-report review list. Answered like bank results; a line never repeats a national id.',
    idempotencyKey: 'optional',
    created: true,
    repeated: REPEATED,
    response: { description: 'The import and the lines that need attention.', json: ImportResultDto },
    problems: FILE_PROBLEMS,
  })
  identityCheckAnswers(@Req() request: LedgerRequest, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, () => this.imports.importIdentityCheckAnswers(fileOf(request), context));
  }

  @Get('imports')
  @Roles('operator', 'auditor')
  @ApiRead({
    operationId: 'listImports',
    summary: 'List imported files',
    description: 'The latest first: the imports made under units the caller reads every one of (the same rule as an import’s report). From the read models.',
    minPosition: true,
    response: { description: 'A page of imports.', json: ImportPageDto },
  })
  async list(@Query() query: ImportListQueryDto, @CurrentActor() actor: Actor) {
    const page = await this.readableImports(actor, query.cursor !== undefined && /^\d{1,19}$/.test(query.cursor) ? query.cursor : undefined, query.limit ?? 100);
    return {
      items: page.items.map((row) => ({
        importId: row.import_id,
        kind: row.kind,
        format: row.format,
        sha256: row.sha256,
        byteLength: row.byte_length,
        lineCount: row.line_count,
        importedBy: row.imported_by,
        startedAt: row.started_at,
        completedAt: row.completed_at,
        status: row.completed_at === null ? 'INTERRUPTED' : 'COMPLETED',
        counts:
          row.completed_at === null
            ? null
            : {
                APPLIED: row.applied,
                ALREADY_RECORDED: row.already_recorded,
                UNMATCHED: row.unmatched,
                OUT_OF_SCOPE: row.out_of_scope,
                AMOUNT_MISMATCH: row.amount_mismatch,
                DUPLICATE: row.duplicate,
                REFUSED: row.refused,
                UNREADABLE: row.unreadable,
                IGNORED: row.ignored,
              },
      })),
      next: page.next,
    };
  }

  @Get('imports/:importId')
  @Roles('operator', 'auditor')
  @ApiIdParam('importId', 'The import')
  @ApiRead({
    operationId: 'getImport',
    summary: 'Read an import’s reconciliation report',
    description:
      'Every line of the file with what became of it: applied, already recorded, unmatched, out of scope, amount mismatch (both amounts), duplicate, refused (the rule’s code), unreadable or ignored. JSON, or CSV with `Accept: text/csv` (a row per line). From the import’s own stream: always whole and current.',
    response: {
      description: 'The report.',
      json: ImportReportDto,
      csv: `${IMPORT_REPORT_COLUMNS.join(', ')}; UTF-8 with a byte-order mark.`,
    },
    problems: { 404: UNKNOWN_IMPORT },
  })
  async report(
    @Param('importId', new ParseUUIDPipe()) importId: string,
    @Query() query: ImportReportQueryDto,
    @CurrentActor() actor: Actor,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.readable(importId, actor);
    const lines = query.outcome === undefined ? report.lines : report.lines.filter((line) => line.outcome === (query.outcome as LineOutcome));
    if (accept?.toLowerCase().includes('text/csv')) {
      void reply.header('content-type', CSV_MEDIA_TYPE).header('content-disposition', `attachment; filename="import-${importId}.csv"`);
      return csvForPeople(IMPORT_REPORT_COLUMNS, importReportRows({ ...report, lines }));
    }
    const { units: _units, position: _position, ...shown } = report;
    return { ...shown, lines };
  }

  private async answer(reply: FastifyReply, run: () => Promise<{ report: ImportReport; repeat: boolean }>) {
    let result: { report: ImportReport; repeat: boolean };
    try {
      result = await run();
    } catch (error) {
      if (error instanceof UnimportableFile) {
        this.metrics.imports.inc({ format: 'UNKNOWN', outcome: 'refused' });
        throw problemException(422, error.code, error.message);
      }
      throw error;
    }
    const { report, repeat } = result;
    this.metrics.imports.inc({ format: report.format, outcome: repeat ? 'repeat' : 'completed' });
    void reply.status(repeat ? HttpStatus.OK : HttpStatus.CREATED).header('location', `/v1/imports/${report.importId}`);
    const { units: _units, lines, ...shown } = report;
    const attention = lines.filter(needsAttention);
    return { ...shown, repeat, attention: attention.slice(0, ATTENTION_SHOWN), attentionCount: attention.length };
  }

  /** May this caller read an import made under these units? Only one who reads every one of them. */
  private mayRead(actor: Actor, units: readonly string[]): boolean {
    return readsEveryUnit(actor) || units.every((unit) => unit !== EVERY_UNIT && mayReadUnit(actor, unit, this.catalogues.units));
  }

  /**
   * A page of the imports the caller may read, the latest first. Imports are few (a province's
   * files of a month), so the read model's pages are filtered here by the same rule as a report.
   */
  private async readableImports(actor: Actor, cursor: string | undefined, limit: number): Promise<{ items: FileImportRow[]; next: string | null }> {
    const items: FileImportRow[] = [];
    for (let after = cursor; ; ) {
      const page = await this.queries.fileImports({ ...(after === undefined ? {} : { cursor: after }), limit: Math.max(limit, 100) });
      for (const row of page.items) {
        if (!this.mayRead(actor, row.units.split(','))) continue;
        items.push(row);
        if (items.length === limit) return { items, next: row.started_position };
      }
      if (page.next === null) return { items, next: null };
      after = page.next;
    }
  }

  /** An import's report, for its importer's units or a caller who reads them all; otherwise as unknown as one that never was. */
  private async readable(importId: string, actor: Actor): Promise<ImportReport> {
    const unknown = () => problemException(404, 'IMPORT_NOT_FOUND', 'No import with this id');
    let report: ImportReport;
    try {
      report = await this.imports.report(importId);
    } catch (error) {
      if (error instanceof UnknownImport) throw unknown();
      throw error;
    }
    if (!this.mayRead(actor, report.units)) throw unknown();
    return report;
  }
}

function fileOf(request: LedgerRequest): Buffer {
  const body = (request as unknown as { body: unknown }).body;
  if (!Buffer.isBuffer(body)) throw problemException(400, 'FILE_REQUIRED', 'Send the file itself as the body (text/csv, application/xml, text/plain or application/octet-stream), not JSON.');
  return body;
}
