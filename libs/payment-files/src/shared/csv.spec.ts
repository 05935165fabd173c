import { describe, expect, it } from '@jest/globals';
import { csvHeader, csvRecords, csvText } from './csv.js';
import { PaymentFileError } from './file-error.js';

describe('csvText', () => {
  it('writes a header, CRLF line ends and quotes where RFC 4180 needs them', () => {
    expect(csvText(['name', 'amount'], [['Lê, Văn "Tám"', 2055000]], { forPeople: false })).toBe('name,amount\r\n"Lê, Văn ""Tám""",2055000\r\n');
  });

  it('starts a file for people with a byte-order mark', () => {
    expect(csvText(['a'], [], { forPeople: true }).charCodeAt(0)).toBe(0xfeff);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvText(['note'], [['=HYPERLINK("x")'], ['+1'], ['-1'], ['@SUM(A1)']], { forPeople: true })).toBe(
      '\uFEFFnote\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-1\r\n\'@SUM(A1)\r\n',
    );
  });
});

describe('csvRecords', () => {
  it('reads fields by column name in any order, with the line each record starts on', () => {
    const { records, problems } = csvRecords('B,a\r\n1,2\r\n\r\n"x\r\ny",3\n4,5', ['a', 'b']);
    expect(problems).toEqual([]);
    expect(records.map((record) => [record.lineNumber, record.field('a'), record.field('b')])).toEqual([
      [2, '2', '1'],
      [4, '3', 'x\ny'],
      [6, '5', '4'],
    ]);
  });

  it('reports a line with the wrong number of fields and reads on', () => {
    const { records, problems } = csvRecords('a,b\n1\n2,3,4\n5,6\n,\n', ['a']);
    expect(problems).toEqual([
      { lineNumber: 2, reason: 'the line has 1 fields where the header has 2' },
      { lineNumber: 3, reason: 'the line has 3 fields where the header has 2' },
    ]);
    expect(records.map((record) => record.lineNumber)).toEqual([4]);
  });

  it('refuses a file with a broken quote or a header without the required columns', () => {
    expect(() => csvRecords('a,b\n"1,2\n3,4\n', ['a'])).toThrow(PaymentFileError);
    expect(() => csvRecords('a,c\n1,2\n', ['a', 'b'])).toThrow(/lacks the column\(s\) b/);
  });
});

describe('csvHeader', () => {
  it('gives the first line as lower-case column names', () => {
    expect(csvHeader(' End_To_End_Id , "Status"\r\nx,y')).toEqual(['end_to_end_id', 'status']);
    expect(csvHeader('')).toBeUndefined();
  });
});
