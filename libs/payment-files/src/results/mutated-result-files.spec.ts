import { describe, expect, it } from '@jest/globals';
import type { LocalDate } from '@ledger/domain';
import fc from 'fast-check';
import { PaymentFileError } from '../shared/file-error.js';
import { allowance, disbursementId } from '../testing/fixtures.js';
import { bankResultsCsv } from './bank-results-csv.js';
import { camt053Statement, camt054Notification } from './camt-statement.builder.js';
import { mt940Statement } from './mt940-statement.builder.js';
import { pain002StatusReport } from './pain002-status-report.builder.js';
import { postOfficeReturnsCsv } from './post-office-returns-csv.js';
import type { PaymentResult } from './result-file.js';
import { parseResultFile } from './result-file.parser.js';

const date = '2025-03-15' as LocalDate;
const paid: PaymentResult[] = Array.from({ length: 6 }, (_, index) => ({ disbursementId: disbursementId(index), outcome: 'PAID', amount: allowance(index), date }));
const mixed: PaymentResult[] = [...paid, { disbursementId: disbursementId(7), outcome: 'FAILED', reason: 'AC04' }];
const header = { messageId: 'M-1', createdAt: new Date('2025-03-15T10:00:00Z'), reportId: 'R-1', accountNumber: '3711000123456', statementDate: date };

const realFiles = [
  pain002StatusReport({ messageId: 'M-1', createdAt: header.createdAt, originalMessageId: 'P-1' }, mixed),
  camt053Statement(header, paid),
  camt054Notification(header, paid),
  mt940Statement({ reference: 'S-1', accountIdentification: '3711000123456', statementNumber: 1, statementDate: date }, paid),
  bankResultsCsv(mixed),
  postOfficeReturnsCsv([...paid, { disbursementId: disbursementId(7), outcome: 'RETURNED', reason: 'không có mặt' }]),
];

/** Damage as files suffer it: cut short, bytes lost or changed, lines dropped or doubled, junk spliced in. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 12 }) }),
  fc.record({ kind: fc.constant('dropLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeatLine' as const), at: fc.nat() }),
);

type Damage = { readonly kind: string; readonly at: number; readonly length?: number; readonly text?: string };

function apply(content: string, change: Damage): string {
  const at = change.at % (content.length + 1);
  const lines = content.split('\n');
  const line = change.at % lines.length;
  switch (change.kind) {
    case 'truncate':
      return content.slice(0, at);
    case 'delete':
      return content.slice(0, at) + content.slice(at + change.length!);
    case 'replace':
      return content.slice(0, at) + change.text! + content.slice(at + change.text!.length);
    case 'dropLine':
      return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
    default:
      return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
  }
}

describe('a damaged result file', () => {
  it('is read, with its damage reported by line, or refused with a PaymentFileError — never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...realFiles), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.boolean(), (file, changes, asBytes) => {
        const content = changes.reduce(apply, file);
        try {
          const result = parseResultFile(asBytes ? Buffer.from(content, 'latin1') : content);
          for (const line of result.lines) {
            expect(Number.isSafeInteger(line.lineNumber) && line.lineNumber >= 1).toBe(true);
            if (line.amount !== undefined) expect(Number.isSafeInteger(line.amount) && line.amount >= 0).toBe(true);
            if (line.date !== undefined) expect(line.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          }
          for (const problem of [...result.problems, ...result.ignored]) expect(problem.lineNumber).toBeGreaterThanOrEqual(1);
        } catch (error) {
          if (!(error instanceof PaymentFileError)) throw error;
        }
      }),
      { numRuns: 600, seed: 20250315 },
    );
  });
});
