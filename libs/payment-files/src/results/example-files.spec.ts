import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseIdentityCheckAnswers } from '../identity-checks/identity-check-answers.csv.js';
import { parseResultFile } from './result-file.parser.js';

const example = (name: string) => readFileSync(new URL(`../../../../docs/examples/${name}`, import.meta.url));

// The layout samples in docs/examples, read by the ledger's own reader: they show what it reads.
describe('the layout samples in docs/examples', () => {
  it.each([
    ['sample-pain002.xml', 'PAIN_002', ['PAID', 'FAILED', 'PAID']],
    ['sample-camt054.xml', 'CAMT_054', ['PAID', 'PAID']],
    ['sample-camt053.xml', 'CAMT_053', ['PAID', 'PAID']],
    ['sample-mt940.sta', 'MT940', ['PAID', 'PAID']],
    ['sample-bank-results.csv', 'BANK_RESULTS_CSV', ['PAID', 'FAILED', 'PAID']],
    ['sample-post-office-returns.csv', 'POST_OFFICE_RETURNS_CSV', ['PAID', 'RETURNED']],
  ])('%s reads as %s, every line', (name, format, outcomes) => {
    const read = parseResultFile(example(name));
    expect({ format: read.format, outcomes: read.lines.map((line) => line.outcome), problems: read.problems, ignored: read.ignored }).toEqual({ format, outcomes, problems: [], ignored: [] });
  });

  it('sample-identity-check-answers.csv reads as three answers', () => {
    const read = parseIdentityCheckAnswers(example('sample-identity-check-answers.csv'));
    expect({ outcomes: read.answers.map((line) => line.answer.outcome), problems: read.problems }).toEqual({ outcomes: ['MATCHED', 'MISMATCHED', 'DECEASED'], problems: [] });
  });
});
