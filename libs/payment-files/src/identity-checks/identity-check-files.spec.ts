import { describe, expect, it } from '@jest/globals';
import type { Gender, IdentityCheckAnswer, LocalDate } from '@ledger/domain';
import { parse } from 'csv-parse/sync';
import { PaymentFileError } from '../shared/file-error.js';
import { identityCheckAnswersCsv, parseIdentityCheckAnswers } from './identity-check-answers.csv.js';
import { identityCheckRequestCsv } from './identity-check-request.csv.js';

const people = [
  { nationalId: '042152000123', fullName: 'Đặng Thị Ánh', dateOfBirth: '1952-04-30' as LocalDate, gender: 'FEMALE' as Gender },
  { nationalId: '001045000789', fullName: 'Nguyễn Văn Tư, "Út"', dateOfBirth: '1945-09-02' as LocalDate, gender: 'MALE' as Gender },
  { nationalId: '066150000456', fullName: "H'Hen Niê", dateOfBirth: '1950-12-01' as LocalDate, gender: 'FEMALE' as Gender },
];

describe('the population database request file', () => {
  const csv = identityCheckRequestCsv(people);

  it('is UTF-8 with a byte-order mark, a header row and CRLF line ends', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFnational_id,full_name,date_of_birth,gender');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('reads back with any CSV reader as the people it was made of, leading zeros and diacritics kept', () => {
    const rows = parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual(people.map((person) => ({ national_id: person.nationalId, full_name: person.fullName, date_of_birth: person.dateOfBirth, gender: person.gender })));
  });

  it('writes names in NFC whatever form they came in', () => {
    const decomposed = identityCheckRequestCsv([{ ...people[0]!, fullName: 'Đặng Thị Ánh'.normalize('NFD') }]);
    expect(decomposed).toContain('Đặng Thị Ánh'.normalize('NFC'));
  });
});

describe('the population database answers', () => {
  const answers: Array<{ nationalId: string; answer: IdentityCheckAnswer }> = [
    { nationalId: people[0]!.nationalId, answer: { outcome: 'MATCHED' } },
    { nationalId: people[1]!.nationalId, answer: { outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'dateOfBirth'] } },
    { nationalId: people[2]!.nationalId, answer: { outcome: 'DECEASED', dateOfDeath: '2025-02-11' as LocalDate } },
  ];

  it('read back as built, each with its line', () => {
    const read = parseIdentityCheckAnswers(Buffer.from(identityCheckAnswersCsv(answers), 'utf8'));
    expect(read.problems).toEqual([]);
    expect(read.answers).toEqual(answers.map((answer, index) => ({ lineNumber: index + 2, ...answer })));
  });

  it('accept fields in any order and separator, listed back in the request file’s order', () => {
    const read = parseIdentityCheckAnswers('national_id,outcome,mismatched_fields,date_of_death\n042152000123,mismatched,"GENDER, full_name",\n');
    expect(read.answers[0]!.answer).toEqual({ outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'gender'] });
  });

  it('report every unreadable line by number, never repeating what it holds', () => {
    const read = parseIdentityCheckAnswers(
      [
        'national_id,outcome,mismatched_fields,date_of_death',
        '42152000123,MATCHED,,',
        '042152000123,ALIVE,,',
        '042152000123,MISMATCHED,,',
        '042152000123,MISMATCHED,address,',
        '042152000123,DECEASED,,',
        '042152000123,DECEASED,,11/02/2025',
        '042152000123,MATCHED',
        '042152000123,MATCHED,,',
      ].join('\r\n'),
    );
    expect(read.answers.map((answer) => answer.lineNumber)).toEqual([9]);
    expect(read.problems.map((problem) => problem.lineNumber)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const reasons = read.problems.map((problem) => problem.reason).join('\n');
    expect(reasons).not.toMatch(/042152000123|42152000123|11\/02\/2025|ALIVE|address/);
  });

  it('refuse a file without the national_id and outcome columns', () => {
    expect(() => parseIdentityCheckAnswers('cccd,ket_qua\n042152000123,MATCHED\n')).toThrow(PaymentFileError);
  });
});
