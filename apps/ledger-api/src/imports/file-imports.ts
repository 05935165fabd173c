import { createHash } from 'node:crypto';
import {
  DomainError,
  fileImportDecider,
  fileImportStreamName,
  reconcilePaymentResult,
  repeatsWithinFile,
  uuidV5,
  type Catalogues,
  type FileImportCommand,
  type FileImportKind,
  type FileImportStarted,
  type FileImportState,
  type NationalId,
  type PaymentResultLine,
  type ReconciledLine,
} from '@ledger/domain';
import { handleCommandOnKnownStream, NO_STREAM, readAggregate, readAggregates, type AggregateRead, type EventStore, type KnownStream } from '@ledger/event-store';
import {
  disbursementIdFromEndToEndId,
  endToEndIdOf,
  parseIdentityCheckAnswers,
  parseResultFile,
  PaymentFileError,
  type ResultFileFormat,
} from '@ledger/payment-files';
import { RecordIdentityCheckAnswerCommand } from '../beneficiaries/identity-checks.commands.js';
import type { LedgerCommands } from '../demo/seed-demo.js';
import { ChangeDisbursementCommand, type DisbursementLifecycleChange } from '../disbursements/disbursement.commands.js';
import { readForSettlements, type SettlementReads } from '../disbursements/settlement-reads.js';
import type { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { metadataFor } from '../ledger/command-context.js';
import { mayReadUnit, type Actor, type CommandContext } from '../platform/index.js';
import { readImportReport, type ImportReport } from './import-report.js';

/** Fixed namespace: the same bytes always name the same import. */
export const FILE_IMPORT_NAMESPACE = '3b0f6d52-8a71-4c2e-9e15-7d4a0c6b9f28';
/** Lines reconciled, then recorded, per chunk: an interrupted import loses at most one chunk's outcomes, and redoes them harmlessly. */
export const LINES_PER_CHUNK = 1_000;
/** Lines in flight at once: enough for the embedded store to commit many in one fsync. */
const LINES_IN_FLIGHT = 1_000;

const BANK_FORMATS: readonly ResultFileFormat[] = ['PAIN_002', 'CAMT_053', 'CAMT_054', 'MT940', 'BANK_RESULTS_CSV'];

/** A file the ledger will not import, whole: nothing of it is applied. */
export class UnimportableFile extends Error {
  override readonly name = 'UnimportableFile';
  constructor(
    readonly code: 'UNKNOWN_FORMAT' | 'MALFORMED_FILE' | 'WRONG_KIND_OF_FILE' | 'EMPTY_FILE',
    message: string,
  ) {
    super(message);
  }
}

/** A payment's change a result line asks for, with the line's own request and the payment as it was read. */
interface PaymentChange {
  readonly disbursementId: string;
  readonly change: DisbursementLifecycleChange;
  readonly context: CommandContext;
  readonly alreadyRead: NonNullable<ChangeDisbursementCommand['alreadyRead']>;
}

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}

/** One line as the import will reconcile it: read from the file, or already judged (unreadable, ignored, a repeat). */
type PlannedLine =
  | ReconciledLine
  /** A payment's result, matched to its disbursement: judged on the disbursement, then applied with the rest of its chunk. */
  | { readonly line: number; readonly payment: { readonly disbursementId: string; readonly result: PaymentResultLine } }
  /** Anything else, applied on its own. */
  | { readonly line: number; readonly apply: (context: CommandContext) => Promise<Omit<ReconciledLine, 'line'>> };

interface ImportPlan {
  readonly format: string;
  readonly lines: readonly PlannedLine[];
}

export interface FileImportsDependencies {
  readonly store: EventStore;
  readonly commands: LedgerCommands;
  readonly catalogues: Catalogues;
  readonly beneficiaryIds: Pick<BeneficiaryIds, 'beneficiaryIdFor'>;
}

/**
 * Files that come back to the ledger — a bank's results, the Post Office's returns, the population
 * database's answers — applied line by line through the same command handlers as the API's own
 * commands, and recorded as an import with a reconciliation report.
 *
 * The import id derives from the file's bytes: the same file again is the same import. An import
 * already complete is answered with its report and changes nothing. One interrupted (a crash, a
 * lost connection) is carried on from its first chunk without recorded outcomes: each line's
 * command carries an idempotency key of its import and line, so a line applied just before the
 * interruption is found applied, never applied twice. A line that cannot be applied is a line of
 * the report; it never stops the others.
 */
export class FileImports {
  constructor(private readonly deps: FileImportsDependencies) {}

  /** What a file is, from its content: for a caller (the CLI) that was not told. */
  static kindOf(file: Uint8Array): FileImportKind {
    const firstLine = Buffer.from(file.subarray(0, 512)).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    if (/^\s*"?national_id"?\s*[,;]/.test(firstLine)) return 'IDENTITY_CHECK_ANSWERS';
    return readWhole(() => parseResultFile(file)).format === 'POST_OFFICE_RETURNS_CSV' ? 'POST_OFFICE_RETURNS' : 'BANK_RESULTS';
  }

  async importPaymentResults(kind: 'BANK_RESULTS' | 'POST_OFFICE_RETURNS', file: Uint8Array, context: CommandContext, onProgress?: (progress: ImportProgress) => void) {
    return this.run(kind, file, context, () => this.paymentResultsPlan(kind, file), onProgress);
  }

  async importIdentityCheckAnswers(file: Uint8Array, context: CommandContext, onProgress?: (progress: ImportProgress) => void) {
    return this.run('IDENTITY_CHECK_ANSWERS', file, context, () => this.identityAnswersPlan(file, context.actor), onProgress);
  }

  private async run(
    kind: FileImportKind,
    file: Uint8Array,
    context: CommandContext,
    plan: () => ImportPlan,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<{ report: ImportReport; repeat: boolean }> {
    if (file.byteLength === 0) throw new UnimportableFile('EMPTY_FILE', 'The file is empty');
    const sha256 = createHash('sha256').update(file).digest('hex');
    const importId = importIdOf(sha256, context.actor);
    const { store } = this.deps;
    const existing = await readAggregate(store, 'fileImport', importId);
    if (existing.state.started && existing.state.started.kind !== kind) throw wrongKind(kind, existing.state.started.format);
    if (existing.state.completedAt !== null) return { report: await this.report(importId), repeat: true };

    const { format, lines } = plan();
    if (lines.length === 0) throw new UnimportableFile('EMPTY_FILE', 'The file holds no lines to import');
    const options = { metadata: metadataFor(context, 'ImportFile') };
    const started: FileImportStarted['data'] = existing.state.started ?? {
      importId,
      kind,
      format,
      sha256,
      byteLength: file.byteLength,
      lineCount: lines.length,
      importedBy: context.actor.userId,
      units: [...context.actor.units],
      startedAt: context.receivedAt.toISOString(),
    };
    // The import's stream grows by a chunk's outcomes at every chunk: each record is decided on the
    // import's state as this run keeps it and appended at the revision it knows, never on the whole
    // stream read back and folded again (that made an import's time grow with the square of its
    // chunks, and held every line's outcome in memory to the end).
    const streamName = fileImportStreamName(importId);
    let known: KnownStream<FileImportState> = { state: existing.state, revision: existing.read.recorded.at(-1)?.streamRevision ?? NO_STREAM };
    const record = async (command: FileImportCommand) => {
      known = await handleCommandOnKnownStream(store, fileImportDecider, streamName, command, known, options);
      return known;
    };
    const { state } = await record({ type: 'StartFileImport', data: started });

    const chunks = Math.ceil(lines.length / LINES_PER_CHUNK);
    let done = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const slice = lines.slice(chunk * LINES_PER_CHUNK, (chunk + 1) * LINES_PER_CHUNK);
      if (!state.chunks.has(chunk)) await record({ type: 'RecordReconciledLines', data: { chunk, lines: await this.reconcileChunk(slice, importId, context) } });
      done += slice.length;
      onProgress?.({ done, total: lines.length });
    }
    await record({ type: 'CompleteFileImport', data: { completedAt: new Date().toISOString() } });
    return { report: await this.report(importId), repeat: false };
  }

  report(importId: string): Promise<ImportReport> {
    return readImportReport(this.deps.store, importId);
  }

  /**
   * One chunk's lines: each judged on what it names (the chunk's payments read together, once, and
   * decided on as read), then the changes applied through the disbursement's command handler.
   * Reading the chunk's streams in one call each, rather than a few per line, is most of an
   * import's speed; a write to one of them since is found by the handler's append, and decided again.
   */
  private async reconcileChunk(slice: readonly PlannedLine[], importId: string, context: CommandContext): Promise<ReconciledLine[]> {
    const reconciled = new Array<ReconciledLine>(slice.length);
    const changes: Array<{ readonly at: number; readonly reported: string; readonly change: PaymentChange }> = [];
    const payments = await readAggregates(this.deps.store, 'disbursement', slice.flatMap((planned) => ('payment' in planned ? [planned.payment.disbursementId] : [])));
    await mapInFlight(slice, LINES_IN_FLIGHT, async (planned, at) => {
      if ('outcome' in planned) {
        reconciled[at] = planned;
        return;
      }
      const lineContext = lineContextOf(importId, planned.line, context);
      if ('apply' in planned) {
        reconciled[at] = { line: planned.line, ...(await planned.apply(lineContext)) };
        return;
      }
      const judged = this.judgePaymentResult(planned.payment.disbursementId, payments.get(planned.payment.disbursementId)!, planned.payment.result, lineContext);
      if ('change' in judged) changes.push({ at, reported: planned.payment.result.outcome, change: judged.change });
      else reconciled[at] = { line: planned.line, ...judged.noChange };
    });
    if (changes.length > 0) {
      const settlementReads = await this.readForSettling(changes.map(({ change }) => change));
      // Each through the disbursement's own handler, many in flight: the embedded store commits them together.
      await mapInFlight(changes, LINES_IN_FLIGHT, async ({ at, reported, change }) => {
        const { disbursementId } = change;
        const settlement = settlementReads.get(change);
        const alreadyRead = settlement ? { ...change.alreadyRead, settlement } : change.alreadyRead;
        let applied: Omit<ReconciledLine, 'line'>;
        try {
          const changed = await this.deps.commands.execute(new ChangeDisbursementCommand(disbursementId, change.change, change.context, undefined, alreadyRead));
          applied = { outcome: 'APPLIED', reported, disbursementId, ...(changed.overpayment ? { code: 'OVERPAYMENT_FLAGGED', detail: 'Paid for a month no longer owed: flagged as an overpayment' } : {}) };
        } catch (error) {
          applied = refusedLine(error, reported, disbursementId);
        }
        reconciled[at] = { line: slice[at]!.line, ...applied };
      });
    }
    return reconciled;
  }

  /** What the chunk's settlements decide on besides their payments, the people and the references' claims: one read of each for all of them. */
  private async readForSettling(changes: readonly PaymentChange[]): Promise<Map<PaymentChange, SettlementReads>> {
    const settling = changes.flatMap((change) => (change.change.type === 'SettleDisbursement' ? [{ change, providerReference: change.change.data.providerReference }] : []));
    const reads = await readForSettlements(this.deps.store, settling.map(({ change, providerReference }) => ({ disbursement: change.alreadyRead.state, providerReference })));
    return new Map(settling.map(({ change }, index) => [change, reads[index]!]));
  }

  /** A bank's or the Post Office's result file: each payment line matched to its disbursement by the end-to-end id. */
  private paymentResultsPlan(kind: 'BANK_RESULTS' | 'POST_OFFICE_RETURNS', file: Uint8Array): ImportPlan {
    const read = readWhole(() => parseResultFile(file));
    const expected = kind === 'BANK_RESULTS' ? BANK_FORMATS.includes(read.format) : read.format === 'POST_OFFICE_RETURNS_CSV';
    if (!expected) throw wrongKind(kind, read.format);
    const keyed = read.lines.map((line) => ({ line: line.lineNumber, key: disbursementIdFromEndToEndId(line.endToEndId) ?? `unmatched:${line.endToEndId}` }));
    const repeats = repeatsWithinFile(keyed);
    const planned: PlannedLine[] = [
      ...read.problems.map((problem): ReconciledLine => ({ line: problem.lineNumber, outcome: 'UNREADABLE', detail: problem.reason })),
      ...read.ignored.map((ignored): ReconciledLine => ({ line: ignored.lineNumber, outcome: 'IGNORED', detail: ignored.reason })),
      ...read.lines.map((line): PlannedLine => {
        const earlier = repeats.get(line.lineNumber);
        const disbursementId = disbursementIdFromEndToEndId(line.endToEndId);
        if (earlier !== undefined) {
          return { line: line.lineNumber, outcome: 'DUPLICATE', reported: line.outcome, ...(disbursementId ? { disbursementId } : {}), code: 'REPEATED_IN_FILE', detail: `The same payment as line ${earlier}` };
        }
        if (!disbursementId) return { line: line.lineNumber, outcome: 'UNMATCHED', reported: line.outcome, detail: 'The end-to-end id is not one this ledger issues' };
        return { line: line.lineNumber, payment: { disbursementId, result: line } };
      }),
    ];
    return { format: read.format, lines: planned.sort((a, b) => a.line - b.line) };
  }

  /** What a result line asks of its payment, judged on the payment as read: a change to apply, or the line's outcome as it is. */
  private judgePaymentResult(
    disbursementId: string,
    { state: payment, read }: AggregateRead<'disbursement'>,
    line: PaymentResultLine,
    context: CommandContext,
  ): { readonly change: PaymentChange } | { readonly noChange: Omit<ReconciledLine, 'line'> } {
    const reconciliation = reconcilePaymentResult(line, payment, {
      inScope: payment.exists && mayReadUnit(context.actor, payment.unitCode, this.deps.catalogues.units),
      providerReference: endToEndIdOf(disbursementId),
      reportedAt: context.receivedAt,
    });
    if ('noChange' in reconciliation) {
      // Applied by this very line before an interruption: still this import's doing.
      const byThisLine = reconciliation.noChange.outcome === 'ALREADY_RECORDED' && read.recorded.some((event) => event.metadata['idempotencyKey'] === context.idempotencyKey);
      return { noChange: byThisLine ? { outcome: 'APPLIED', reported: line.outcome, disbursementId } : reconciliation.noChange };
    }
    const { change } = reconciliation;
    return {
      change: {
        disbursementId,
        change:
          change.type === 'SettleDisbursement'
            ? { type: change.type, data: { providerReference: change.providerReference, paidAt: change.paidAt, amount: change.amount } }
            : { type: change.type, data: { reason: change.reason } },
        context,
        alreadyRead: { state: payment, read },
      },
    };
  }

  /** The population database's answers: each matched to the person by the national id, as the ledger derives beneficiary ids. */
  private identityAnswersPlan(file: Uint8Array, actor: Actor): ImportPlan {
    const read = readWhole(() => parseIdentityCheckAnswers(file));
    const people = read.answers.map((answer) => ({ answer, beneficiaryId: beneficiaryIdOf(answer.nationalId, this.deps.beneficiaryIds) }));
    const repeats = repeatsWithinFile(people.map(({ answer, beneficiaryId }) => ({ line: answer.lineNumber, key: beneficiaryId ?? `unknown:${answer.nationalId}` })));
    const planned: PlannedLine[] = [
      ...read.problems.map((problem): ReconciledLine => ({ line: problem.lineNumber, outcome: 'UNREADABLE', detail: problem.reason })),
      ...people.map(({ answer, beneficiaryId }): PlannedLine => {
        const reported = answer.answer.outcome;
        const earlier = repeats.get(answer.lineNumber);
        if (earlier !== undefined) return { line: answer.lineNumber, outcome: 'DUPLICATE', reported, code: 'REPEATED_IN_FILE', detail: `The same person as line ${earlier}` };
        if (!beneficiaryId) return { line: answer.lineNumber, outcome: 'UNMATCHED', reported, detail: 'Not a national id this ledger enrolls' };
        return {
          line: answer.lineNumber,
          apply: async (context) => {
            const { state: person } = await readAggregate(this.deps.store, 'beneficiary', beneficiaryId);
            if (!person.registered) return { outcome: 'UNMATCHED', reported, detail: 'Nobody with this national id is enrolled in this ledger' };
            if (!mayReadUnit(actor, person.unitCode, this.deps.catalogues.units)) return { outcome: 'OUT_OF_SCOPE', reported, beneficiaryId, detail: 'The person belongs to a unit outside yours' };
            try {
              const result = await this.deps.commands.execute(new RecordIdentityCheckAnswerCommand(beneficiaryId, { importId: context.correlationId, line: answer.lineNumber }, answer.answer, context));
              // The answer is keyed by this import and line: found recorded, it was this very line, before an interruption.
              if (!result.recorded) return { outcome: 'APPLIED', reported, beneficiaryId };
              return { outcome: 'APPLIED', reported, beneficiaryId, ...(result.deathReported ? { code: 'DEATH_REPORTED', detail: 'Payments held until an operator confirms or rejects the death' } : {}) };
            } catch (error) {
              return refusedLine(error, reported, undefined, beneficiaryId);
            }
          },
        };
      }),
    ];
    return { format: 'IDENTITY_CHECK_ANSWERS_CSV', lines: planned.sort((a, b) => a.line - b.line) };
  }
}

/**
 * The same file, imported under the same units, is the same import. Another operator's scope judges
 * the file anew: lines outside the first importer's units may be inside theirs.
 */
function importIdOf(sha256: string, actor: Actor): string {
  return uuidV5(`${[...actor.units].sort().join(',')}/${sha256}`, FILE_IMPORT_NAMESPACE);
}

function wrongKind(kind: FileImportKind, format: string): UnimportableFile {
  return new UnimportableFile(
    'WRONG_KIND_OF_FILE',
    kind === 'BANK_RESULTS' ? `This file (${format}) is not a bank’s result file` : kind === 'POST_OFFICE_RETURNS' ? `This file (${format}) is not the Post Office’s returns` : `This file (${format}) is not the population database’s answers`,
  );
}

/** Refusals that say the payment was paid already, under this reference or another: duplicates for the report. */
const DUPLICATE_CODES = new Set(['DUPLICATE_PAYMENT', 'PROVIDER_REFERENCE_IN_USE', 'SETTLEMENT_MISMATCH']);

function refusedLine(error: unknown, reported: string, disbursementId?: string, beneficiaryId?: string): Omit<ReconciledLine, 'line'> {
  if (!(error instanceof DomainError)) throw error;
  return {
    outcome: DUPLICATE_CODES.has(error.code) ? 'DUPLICATE' : 'REFUSED',
    reported,
    ...(disbursementId ? { disbursementId } : {}),
    ...(beneficiaryId ? { beneficiaryId } : {}),
    code: error.code,
    detail: error.message,
  };
}

/**
 * The person's beneficiary id, when the line holds a national id's twelve digits. Whether it is one
 * this ledger enrolls is the beneficiary stream's to say (the birth date and gender it encodes were
 * checked at enrollment).
 */
function beneficiaryIdOf(nationalId: string, ids: Pick<BeneficiaryIds, 'beneficiaryIdFor'>): string | undefined {
  return /^\d{12}$/.test(nationalId) ? ids.beneficiaryIdFor(nationalId as NationalId) : undefined;
}

function readWhole<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PaymentFileError) throw new UnimportableFile(error.code, error.message);
    throw error;
  }
}

/** The line's own request: its idempotency key makes its events found again, not written twice, when the import is carried on. */
function lineContextOf(importId: string, line: number, context: CommandContext): CommandContext {
  return { actor: context.actor, correlationId: importId, causationId: importId, idempotencyKey: `import:${importId}:${line}`, receivedAt: context.receivedAt };
}

/** `fn` over every item, at most `limit` at once, results in the items' order. */
async function mapInFlight<Item, Result>(items: readonly Item[], limit: number, fn: (item: Item, index: number) => Promise<Result>): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
