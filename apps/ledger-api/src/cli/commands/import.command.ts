import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DomainError,
  InvalidValue,
  maskAccountNumber,
  maskNationalId,
  parseAccountNumber,
  parseBankCode,
  localDateInVietnam,
  parseCoefficient,
  parseDateOfBirth,
  parseFullName,
  parseHolderName,
  parseLocalDate,
  type LocalDate,
  parseNationalId,
  parsePeriod,
  uuidV5,
  type BeneficiaryCommand,
  type Catalogues,
  type Gender,
} from '@ledger/domain';
import { openEventStore, seedOf, type EventStore } from '@ledger/event-store';
import { progressBar, writeFileAtomically } from '../../audit/offline-tools.js';
import { ChangeBeneficiaryCommand, EnrollBeneficiaryCommand, type BeneficiaryChange } from '../../beneficiaries/beneficiary.commands.js';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { handWiredCommands } from '../../demo/hand-wired-commands.js';
import { loadCatalogues } from '../../ledger/ledger-catalogues.js';
import { resolveBeneficiaryIds, type BeneficiaryIds } from '../../ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../../ledger/ledger-identifiers.js';
import type { Actor, CommandContext } from '../../platform/index.js';
import { readCsv, UnreadableCsv } from '../../files/read-csv.js';
import { csvForPeople } from '@ledger/payment-files';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

const ENROLLMENT_COLUMNS = ['nationalId', 'fullName', 'dateOfBirth', 'gender', 'unitCode', 'program', 'coefficient', 'effectiveFrom', 'decisionNumber', 'decisionDate'] as const;
const ACCOUNT_COLUMNS = ['bankCode', 'accountNumber', 'holderName', 'openedOn'] as const;
const COLUMNS = [...ENROLLMENT_COLUMNS, ...ACCOUNT_COLUMNS] as const;
type Column = (typeof COLUMNS)[number];

/** Account ids of imported accounts derive from the row's account key: a re-run opens the same account. */
export const IMPORT_ACCOUNT_NAMESPACE = '7c3e9a51-2d84-5f16-b0a7-4e1c8d2f6a93';
/** Rows in flight at once: the embedded store group-commits them, one fsync per wave. */
const WAVE = 64;

/** One refusal, as the error report lists it: never the national id or the account number. */
export interface RowError {
  /** The line of the file the row starts on (the header is line 1). */
  readonly row: number;
  /** The column at fault, `enrollment` / `account` for a refusal of the command as a whole, or `line` for a line that is not CSV. */
  readonly field: string;
  readonly message: string;
}

export interface ImportOutcome {
  readonly rows: number;
  /** Rows whose enrollment (and account) this run wrote. */
  readonly imported: number;
  /** Rows an earlier run had already written: nothing was written twice. */
  readonly alreadyImported: number;
  readonly accountsOpened: number;
  readonly failed: number;
  readonly errors: readonly RowError[];
}

/**
 * `import --file beneficiaries.csv`: one row per enrollment, through the API's own command handlers
 * (wired by hand: the CLI runs under tsx, without decorator metadata for Nest's injector).
 *
 * Each row is checked whole before anything is written, so a bad row writes nothing; its enrollment
 * is one command (one atomic append), its account opening a second one. Each command carries an
 * idempotency key derived from the row's content (not its line, nor the file's name: the same
 * enrollment in another file or order is the same fact), so running the import again writes nothing
 * twice, and a row whose account failed is finished by a re-run once fixed. A re-run must use the
 * same --actor: event ids derive from the actor and the key together.
 */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'enroll beneficiaries from a CSV file, with a progress bar and an error report',
  usage: `import --file beneficiaries.csv [--report errors.csv] [--actor cli-import]
    --file     CSV (UTF-8, comma- or semicolon-separated) with a header row:
               ${ENROLLMENT_COLUMNS.join(',')}[,${ACCOUNT_COLUMNS.join(',')}]
               one row per enrollment; the account columns (all four, or none) open a bank account
    --report   where to write the rows refused, as row,field,message (default: <file>.errors.csv);
               a line that cannot be read as CSV is listed there too, with its number
    --actor    the user id recorded on every event (default: cli-import); re-run with the same one
  Exits 0 when every row was imported (or already was), 1 when some were refused.`,

  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { file: { type: 'string' }, report: { type: 'string' }, actor: { type: 'string', default: 'cli-import' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.file === undefined) throw new UsageError('--file is required.');
    let file: Buffer;
    try {
      file = readFileSync(values.file);
    } catch (error) {
      throw new UsageError(`Cannot read ${values.file}: ${(error as Error).message}`);
    }
    const reportPath = values.report ?? `${values.file.replace(/\.csv$/i, '')}.errors.csv`;
    const actor: Actor = { userId: values.actor!, role: 'operator', units: ['*'] };

    const config = loadLedgerConfig(io.env);
    const store = openEventStore(config);
    try {
      const identifiers = LedgerIdentifiers.fromConfig(config);
      const beneficiaryIds = await resolveBeneficiaryIds(store, identifiers);
      const { rows, malformed } = csvRows(file);
      io.err(`Importing ${rows.length.toLocaleString('en-US')} rows from ${values.file}${malformed.length ? ` (${malformed.length} lines cannot be read)` : ''}…`);
      const bar = progressBar('import [{bar}] {percentage}% | {value}/{total} rows | {failed} refused | ETA {eta_formatted}', rows.length, { failed: 0 });
      let outcome: ImportOutcome;
      try {
        outcome = withMalformedLines(
          await importBeneficiaries(rows, { store, catalogues: loadCatalogues(), identifiers, beneficiaryIds, actor, onProgress: (done, failed) => bar.update(done, { failed }) }),
          malformed,
        );
      } finally {
        bar.stop();
      }
      writeFileAtomically(reportPath, csvForPeople(['row', 'field', 'message'], outcome.errors.map(({ row, field, message }) => ({ row, field, message }))));
      io.out(
        `Imported ${outcome.imported} of ${outcome.rows} rows (${outcome.accountsOpened} accounts opened); ${outcome.alreadyImported} already imported; ` +
          `${outcome.failed} refused${outcome.failed ? `: see ${reportPath}` : ''}.`,
      );
      return outcome.failed === 0 ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await store.close();
    }
  },
};

/** A CSV record: its cells by column name and the line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly cells: Readonly<Partial<Record<Column, string>>>;
}

/**
 * The file's rows by column name, and the lines that could not be read as rows (an unclosed quote,
 * too many or too few cells), each with its line number: every line of the file is one or the other.
 */
export function csvRows(file: Buffer | string): { rows: CsvRow[]; malformed: RowError[] } {
  let read: ReturnType<typeof readCsv>;
  try {
    read = readCsv(typeof file === 'string' ? Buffer.from(file, 'utf8') : file);
  } catch (error) {
    if (error instanceof UnreadableCsv) throw new UsageError(error.message);
    throw error;
  }
  const names = read.header.cells.map((name) => name.trim());
  const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name));
  const missing = ENROLLMENT_COLUMNS.filter((name) => !names.includes(name));
  if (unknown.length || missing.length) {
    throw new UsageError(
      [missing.length ? `missing columns: ${missing.join(', ')}` : '', unknown.length ? `unknown columns: ${unknown.join(', ')}` : ''].filter(Boolean).join('; ') +
        `. Expected ${ENROLLMENT_COLUMNS.join(',')}[,${ACCOUNT_COLUMNS.join(',')}].`,
    );
  }
  return {
    rows: read.records.map((record) => ({ line: record.line, cells: Object.fromEntries(names.map((name, index) => [name, record.cells[index]!.trim()])) })),
    malformed: read.malformed.map(({ line, reason }) => ({ row: line, field: 'line', message: `not read: ${reason}` })),
  };
}

/** The outcome with the lines that could not be read counted as refused rows, in line order. */
function withMalformedLines(outcome: ImportOutcome, malformed: readonly RowError[]): ImportOutcome {
  if (malformed.length === 0) return outcome;
  return {
    ...outcome,
    rows: outcome.rows + malformed.length,
    failed: outcome.failed + malformed.length,
    errors: [...outcome.errors, ...malformed].sort((a, b) => a.row - b.row),
  };
}

type Enrollment = Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>;
type AccountOpening = Extract<BeneficiaryChange, { type: 'OpenPaymentAccount' }>;

interface CheckedRow {
  readonly enrollment: Enrollment;
  readonly enrollmentKey: string;
  readonly account?: { readonly opening: AccountOpening; readonly key: string };
}

/**
 * Every field of a row, checked with the domain's own value objects; all its errors at once. The
 * beneficiary id is the store's (`beneficiaryIds`), so a person imported into a store the API
 * already enrolled them in lands on the same stream.
 */
export function checkRow(
  row: CsvRow,
  { catalogues, beneficiaryIds }: { catalogues: Catalogues; beneficiaryIds: Pick<BeneficiaryIds, 'beneficiaryIdFor'> },
  today: LocalDate = localDateInVietnam(new Date()),
): { checked: CheckedRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const cells = row.cells;
  const field = <T>(name: Column, parse: (raw: string) => T): T | undefined => {
    try {
      return parse(cells[name] ?? '');
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      errors.push({ row: row.line, field: name, message: error.message });
      return undefined;
    }
  };
  const required = (name: Column, maxLength: number) =>
    field(name, (raw) => {
      if (raw === '') throw new InvalidValue(name, `${name} is required`);
      if (raw.length > maxLength) throw new InvalidValue(name, `${name} must be at most ${maxLength} characters`);
      return raw;
    });

  const dateOfBirth = field('dateOfBirth', (raw) => parseDateOfBirth(raw, today));
  const gender = field('gender', (raw) => {
    if (raw !== 'MALE' && raw !== 'FEMALE') throw new InvalidValue('gender', 'gender must be MALE or FEMALE');
    return raw as Gender;
  });
  const nationalId = dateOfBirth && gender ? field('nationalId', (raw) => parseNationalId(raw, { dateOfBirth, gender })) : undefined;
  const fullName = field('fullName', (raw) => parseFullName(raw));
  const unitCode = field('unitCode', (raw) => {
    catalogues.units.assertRegistrable(raw);
    return raw;
  });
  const program = field('program', (raw) => catalogues.programs.get(raw).code);
  const coefficient = field('coefficient', (raw) => {
    if (!/^\d{1,7}$/.test(raw)) throw new InvalidValue('coefficient', 'coefficient must be a whole number of thousandths (1500 = 1.5)');
    // Bounded by its program's range; without a valid program, by what any coefficient must be.
    return program ? catalogues.programs.parseCoefficientFor(program, Number(raw)) : parseCoefficient(Number(raw));
  });
  const effectiveFrom = field('effectiveFrom', (raw) => parsePeriod(raw, 'effectiveFrom'));
  const decisionNumber = required('decisionNumber', 60);
  const decisionDate = field('decisionDate', (raw) => parseLocalDate(raw, 'decisionDate'));

  const accountGiven = ACCOUNT_COLUMNS.filter((name) => (cells[name] ?? '') !== '');
  let account: { bankCode: string; accountNumber: string; holderName: string; openedOn: string } | undefined;
  if (accountGiven.length > 0) {
    const bankCode = field('bankCode', (raw) => parseBankCode(raw));
    const accountNumber = field('accountNumber', (raw) => parseAccountNumber(raw));
    const holderName = field('holderName', (raw) => parseHolderName(raw));
    const openedOn = field('openedOn', (raw) => parseLocalDate(raw, 'openedOn'));
    if (bankCode && accountNumber && holderName && openedOn) account = { bankCode, accountNumber, holderName, openedOn };
  }
  if (errors.length > 0) return { errors: errors.map((error) => ({ ...error, message: withoutIdentifiers(error.message, cells) })) };

  const beneficiaryId = beneficiaryIds.beneficiaryIdFor(nationalId!);
  const enrollment: Enrollment = {
    type: 'EnrollBeneficiary',
    data: {
      beneficiaryId,
      nationalId: nationalId!,
      fullName: fullName!,
      dateOfBirth: dateOfBirth!,
      gender: gender!,
      unitCode: unitCode!,
      program: program!,
      coefficient: coefficient!,
      effectiveFrom: effectiveFrom!,
      decision: { number: decisionNumber!, date: decisionDate! },
    },
  };
  const enrollmentKey = `import:${seedOf('enrollment', ...ENROLLMENT_COLUMNS.map((name) => cells[name]))}`;
  if (!account) return { checked: { enrollment, enrollmentKey } };
  const accountKey = `import:${seedOf('account', beneficiaryId, ...ACCOUNT_COLUMNS.map((name) => cells[name]))}`;
  const opening: AccountOpening = {
    type: 'OpenPaymentAccount',
    data: {
      accountId: uuidV5(accountKey, IMPORT_ACCOUNT_NAMESPACE),
      bankCode: account.bankCode,
      accountNumber: account.accountNumber,
      holderName: account.holderName,
      openedOn: account.openedOn as AccountOpening['data']['openedOn'],
    },
  };
  return { checked: { enrollment, enrollmentKey, account: { opening, key: accountKey } } };
}

/** Runs the rows through the ledger's command handlers, a wave at a time; never stops at a bad row. */
export async function importBeneficiaries(
  rows: readonly CsvRow[],
  {
    store,
    catalogues,
    identifiers,
    beneficiaryIds,
    actor,
    onProgress,
  }: { store: EventStore; catalogues: Catalogues; identifiers: LedgerIdentifiers; beneficiaryIds: BeneficiaryIds; actor: Actor; onProgress?: (done: number, failed: number) => void },
): Promise<ImportOutcome> {
  const commands = handWiredCommands(store, catalogues, identifiers);
  // Anything at or below the head before the run was written by an earlier run: a replay.
  const headBefore = await store.headPosition();
  const isNew = (position: string | null) => position !== null && BigInt(position) > headBefore;
  const correlationId = randomUUID();
  const contextFor = (idempotencyKey: string): CommandContext => ({ actor, correlationId, causationId: correlationId, idempotencyKey, receivedAt: new Date() });

  const errors: RowError[] = [];
  let imported = 0;
  let alreadyImported = 0;
  /** Two rows of one person may name the same account: it is opened once, and counted once. */
  const accountsOpened = new Set<string>();
  let failedRows = 0;
  let done = 0;

  const importRow = async (row: CsvRow) => {
    const result = checkRow(row, { catalogues, beneficiaryIds });
    if ('errors' in result) {
      errors.push(...result.errors);
      failedRows++;
      return;
    }
    const { enrollment, enrollmentKey, account } = result.checked;
    let wroteSomething = false;
    try {
      const enrolled = await commands.execute(new EnrollBeneficiaryCommand(enrollment, contextFor(enrollmentKey)));
      wroteSomething = isNew(enrolled.position);
    } catch (error) {
      errors.push({ row: row.line, field: 'enrollment', message: refusalMessage(error, row) });
      failedRows++;
      return;
    }
    if (account) {
      try {
        const opened = await commands.execute(new ChangeBeneficiaryCommand(enrollment.data.beneficiaryId, account.opening, contextFor(account.key)));
        if (isNew(opened.position)) {
          wroteSomething = true;
          accountsOpened.add(account.opening.data.accountId);
        }
      } catch (error) {
        // The enrollment stands; a re-run (once the account is sorted out) opens the account and writes the enrollment no second time.
        errors.push({ row: row.line, field: 'account', message: `enrolled, but the account was not opened: ${refusalMessage(error, row)}` });
        failedRows++;
        return;
      }
    }
    if (wroteSomething) imported++;
    else alreadyImported++;
  };

  for (let start = 0; start < rows.length; start += WAVE) {
    await Promise.all(rows.slice(start, start + WAVE).map(importRow));
    done = Math.min(rows.length, start + WAVE);
    onProgress?.(done, failedRows);
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows: rows.length, imported, alreadyImported, accountsOpened: accountsOpened.size, failed: failedRows, errors };
}

/** A refusal as the report says it: the domain's reason code and message, identifiers masked. */
function refusalMessage(error: unknown, row: CsvRow): string {
  if (error instanceof DomainError) return withoutIdentifiers(`${error.code}: ${error.message}`, row.cells);
  const problem = (error as { getResponse?: () => unknown }).getResponse?.() as { code?: string; detail?: string } | undefined;
  if (problem?.code) return withoutIdentifiers(`${problem.code}: ${problem.detail ?? ''}`, row.cells);
  throw error;
}

/** Domain messages never repeat a national id or an account number; this makes sure of it. */
function withoutIdentifiers(message: string, cells: CsvRow['cells']): string {
  let safe = message;
  if (cells.nationalId) safe = safe.split(cells.nationalId).join(maskNationalId(cells.nationalId));
  if (cells.accountNumber) safe = safe.split(cells.accountNumber).join(maskAccountNumber(cells.accountNumber));
  return safe;
}
