import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FileImportKind } from '@ledger/domain';
import { openEventStore } from '@ledger/event-store';
import { csvForPeople } from '@ledger/payment-files';
import { progressBar, writeFileAtomically, type ProgressBar } from '../../audit/offline-tools.js';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { handWiredCommands } from '../../demo/hand-wired-commands.js';
import { FileImports, UnimportableFile } from '../../imports/file-imports.js';
import { IMPORT_REPORT_COLUMNS, importReportRows, needsAttention } from '../../imports/import-report.js';
import { resolveBeneficiaryIds } from '../../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../../ledger/ledger-identifiers.js';
import type { CommandContext } from '../../platform/index.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

const KINDS: Record<string, FileImportKind> = { bank: 'BANK_RESULTS', 'post-office': 'POST_OFFICE_RETURNS', 'identity-checks': 'IDENTITY_CHECK_ANSWERS' };

/**
 * `import-results --file results.xml`: a bank's result file, the Post Office's returns or the
 * population database's answers, imported exactly as the API's import routes do it (the same
 * service, the same command handlers), with a progress bar and the reconciliation report written
 * beside the file. Run again on the same file, it finishes an import that was interrupted, or
 * answers that the file was imported already.
 */
export const importResultsCommand: CliCommand = {
  name: 'import-results',
  summary: 'import a bank result file, Post Office returns or population database answers, with a reconciliation report',
  usage: `import-results --file results.xml [--kind bank|post-office|identity-checks] [--report report.csv] [--actor cli-import]
    --file     pain.002, camt.054, camt.053, MT940 or the bank results CSV; the Post Office returns CSV;
               or the population database's answers CSV. The format is recognised from the content.
    --kind     what the file is (default: from its content)
    --report   where to write the reconciliation, a row per line (default: <file>.report.csv)
    --actor    the user id recorded on every event (default: cli-import)
  Exits 0 when every line was applied or already recorded, 1 when some need attention (see the report)
  or the file was refused.`,

  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { file: { type: 'string' }, kind: { type: 'string' }, report: { type: 'string' }, actor: { type: 'string', default: 'cli-import' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.file === undefined) throw new UsageError('--file is required.');
    if (values.kind !== undefined && !(values.kind in KINDS)) throw new UsageError(`--kind must be one of ${Object.keys(KINDS).join(', ')}.`);
    let file: Buffer;
    try {
      file = readFileSync(values.file);
    } catch (error) {
      throw new UsageError(`Cannot read ${values.file}: ${(error as Error).message}`);
    }
    const reportPath = values.report ?? `${values.file.replace(/\.(xml|csv|txt|sta|940)$/i, '')}.report.csv`;
    const context: CommandContext = {
      actor: { userId: values.actor!, role: 'operator', units: ['*'] },
      correlationId: crypto.randomUUID(),
      causationId: crypto.randomUUID(),
      receivedAt: new Date(),
    };

    const config = loadLedgerConfig(io.env);
    const store = openEventStore(config);
    try {
      const identifiers = LedgerIdentifiers.fromConfig(config);
      const catalogues = loadCatalogues();
      const imports = new FileImports({ store, commands: handWiredCommands(store, catalogues, identifiers), catalogues, beneficiaryIds: await resolveBeneficiaryIds(store, identifiers) });
      const kind = values.kind === undefined ? FileImports.kindOf(file) : KINDS[values.kind]!;
      io.err(`Importing ${values.file} (${file.byteLength.toLocaleString('en-US')} bytes) as ${kind.toLowerCase().replaceAll('_', ' ')}…`);
      // Made on the first chunk, when the number of lines is known.
      let bar: ProgressBar | undefined;
      const onProgress = ({ done, total }: { done: number; total: number }) => {
        bar ??= progressBar('import [{bar}] {percentage}% | {value}/{total} lines | ETA {eta_formatted}', total);
        bar.update(done);
      };
      let outcome;
      try {
        outcome =
          kind === 'IDENTITY_CHECK_ANSWERS'
            ? await imports.importIdentityCheckAnswers(file, context, onProgress)
            : await imports.importPaymentResults(kind, file, context, onProgress);
      } finally {
        bar?.stop();
      }
      const { report, repeat } = outcome;
      writeFileAtomically(reportPath, csvForPeople(IMPORT_REPORT_COLUMNS, importReportRows(report)));
      const attention = report.lines.filter(needsAttention).length;
      const counts = Object.entries(report.counts)
        .filter(([, count]) => count > 0)
        .map(([outcome, count]) => `${count} ${outcome.toLowerCase().replaceAll('_', ' ')}`)
        .join(', ');
      io.out(
        `${repeat ? 'Imported before, nothing changed' : 'Imported'}: ${report.format}, ${report.lineCount} lines (${counts}); import ${report.importId}. ` +
          `Report: ${reportPath}${attention ? ` (${attention} lines need attention)` : ''}.`,
      );
      return attention === 0 ? EXIT_OK : EXIT_FAILURE;
    } catch (error) {
      if (error instanceof UnimportableFile) {
        io.err(`${values.file} was not imported (${error.code}): ${error.message}. Nothing was applied.`);
        return EXIT_FAILURE;
      }
      throw error;
    } finally {
      await store.close();
    }
  },
};
