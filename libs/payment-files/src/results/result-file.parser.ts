import { csvHeader } from '../shared/csv.js';
import { PaymentFileError } from '../shared/file-error.js';
import { fileText } from '../shared/file-text.js';
import { BANK_RESULTS_COLUMNS, parseBankResultsCsv } from './bank-results-csv.js';
import { parseCamtStatement } from './camt-statement.parser.js';
import { readIsoMessage } from './iso20022-message.js';
import { FIN_BLOCKS, parseMt940 } from './mt940-statement.parser.js';
import { parsePain002 } from './pain002-status-report.parser.js';
import { parsePostOfficeReturnsCsv, POST_OFFICE_RETURNS_COLUMNS } from './post-office-returns-csv.js';
import type { ResultFile } from './result-file.js';

/**
 * Reads a result file of any known format, recognised from its content alone: XML by its ISO 20022
 * message element, MT940 by its `:20:` field (after any FIN envelope), CSV by its header row.
 * Throws PaymentFileError for a file that is none of them or cannot be read whole; a line that cannot
 * be read is a problem in the result and the other lines are still read.
 */
export function parseResultFile(content: string | Uint8Array): ResultFile {
  const text = fileText(content);
  const start = text.trimStart();
  if (start === '') throw new PaymentFileError('UNKNOWN_FORMAT', 'The file is empty');
  if (start.startsWith('<')) {
    const iso = readIsoMessage(text);
    return iso.kind === 'PAIN_002' ? parsePain002(iso) : parseCamtStatement(iso);
  }
  if (/^\s*:20:/.test(start.slice(0, 4096).replace(FIN_BLOCKS, ''))) return parseMt940(text);
  const header = csvHeader(text);
  if (header && BANK_RESULTS_COLUMNS.slice(0, 2).every((column) => header.includes(column))) return parseBankResultsCsv(text);
  if (header && POST_OFFICE_RETURNS_COLUMNS.slice(0, 2).every((column) => header.includes(column))) return parsePostOfficeReturnsCsv(text);
  throw new PaymentFileError(
    'UNKNOWN_FORMAT',
    'The file is not a known result format: pain.002, camt.053, camt.054, MT940, the bank results CSV or the Post Office returns CSV',
  );
}
