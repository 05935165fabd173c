import { IDENTITY_CHECK_FIELDS, InvalidValue, parseIdentityCheckAnswer, type IdentityCheckAnswer, type IdentityCheckField } from '@ledger/domain';
import { csvRecords, csvText, type CsvRecord } from '../shared/csv.js';
import { fileText } from '../shared/file-text.js';
import type { LineProblem } from '../results/result-file.js';

export const IDENTITY_CHECK_ANSWER_COLUMNS = ['national_id', 'outcome', 'mismatched_fields', 'date_of_death'] as const;

/** A field as the answer file names it, and as the domain does. */
const FIELD_NAMES: Readonly<Record<string, IdentityCheckField>> = {
  national_id: 'nationalId',
  full_name: 'fullName',
  date_of_birth: 'dateOfBirth',
  gender: 'gender',
};
const FILE_NAMES = Object.fromEntries(Object.entries(FIELD_NAMES).map(([file, domain]) => [domain, file])) as Record<IdentityCheckField, string>;

/** One person's answer, with the line it came from. */
export interface IdentityCheckAnswerLine {
  readonly lineNumber: number;
  readonly nationalId: string;
  readonly answer: IdentityCheckAnswer;
}

export interface IdentityCheckAnswers {
  readonly answers: readonly IdentityCheckAnswerLine[];
  readonly problems: readonly LineProblem[];
}

/**
 * The population database's answers: per person, MATCHED; MISMATCHED with the fields that differ
 * (`full_name;date_of_birth`); or DECEASED with the date of death. A line that cannot be read is a
 * problem on its line, in words that never repeat its values: every one of them is personal data.
 */
export function parseIdentityCheckAnswers(content: string | Uint8Array): IdentityCheckAnswers {
  const { records, problems } = csvRecords(fileText(content), IDENTITY_CHECK_ANSWER_COLUMNS.slice(0, 2));
  const answers: IdentityCheckAnswerLine[] = [];
  const all = [...problems];
  for (const record of records) {
    const read = readRecord(record);
    if ('reason' in read) all.push(read);
    else answers.push(read);
  }
  return { answers, problems: all.sort((a, b) => a.lineNumber - b.lineNumber) };
}

function readRecord(record: CsvRecord): IdentityCheckAnswerLine | LineProblem {
  const { lineNumber } = record;
  const nationalId = record.field('national_id');
  if (!/^\d{12}$/.test(nationalId)) return { lineNumber, reason: 'the national_id is not 12 digits' };
  const named = record.field('mismatched_fields').split(/[;|,\s]+/).filter(Boolean);
  const unknown = named.filter((name) => !FIELD_NAMES[name.toLowerCase()]);
  if (unknown.length) return { lineNumber, reason: `mismatched_fields may name only ${Object.keys(FIELD_NAMES).join(', ')}` };
  const outcome = record.field('outcome').toUpperCase();
  try {
    const answer = parseIdentityCheckAnswer({
      outcome,
      ...(outcome === 'MISMATCHED' ? { mismatchedFields: named.map((name) => FIELD_NAMES[name.toLowerCase()]) } : {}),
      ...(outcome === 'DECEASED' ? { dateOfDeath: record.field('date_of_death') } : {}),
    });
    return { lineNumber, nationalId, answer };
  } catch (error) {
    if (error instanceof InvalidValue) return { lineNumber, reason: error.message };
    throw error;
  }
}

/** An answer file as the population database would send it, for tests and the demo. */
export function identityCheckAnswersCsv(answers: ReadonlyArray<{ readonly nationalId: string; readonly answer: IdentityCheckAnswer }>): string {
  const rows = answers.map(({ nationalId, answer }) => [
    nationalId,
    answer.outcome,
    answer.outcome === 'MISMATCHED' ? IDENTITY_CHECK_FIELDS.filter((field) => answer.mismatchedFields.includes(field)).map((field) => FILE_NAMES[field]).join(';') : '',
    answer.outcome === 'DECEASED' ? answer.dateOfDeath : '',
  ]);
  return csvText(IDENTITY_CHECK_ANSWER_COLUMNS, rows, { forPeople: true });
}
