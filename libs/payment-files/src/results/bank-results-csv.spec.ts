import { describe, expect, it } from '@jest/globals';
import { parseResultFile } from './result-file.parser.js';

const ID = '0f8e2c1a-5b7d-5e3f-9a1b-2c3d4e5f6a7b';
const COMPACT = '0f8e2c1a5b7d5e3f9a1b2c3d4e5f6a7b';

describe('the bank results CSV', () => {
  describe('when the bank exports it with its own extra column and lower-case statuses', () => {
    const file = parseResultFile(
      [
        'bank_ref,end_to_end_id,status,amount,currency,booking_date,reason',
        `FT1,${ID},paid,2055000,VND,2025-03-15,`,
        `FT2,${COMPACT},FAILED,,,,AC04 Tài khoản đã đóng`,
        `FT3,${ID},FAILED,,,,`,
      ].join('\r\n'),
    );

    it('reads paid and failed lines with their amounts, dates and reasons', () => {
      expect(file.format).toBe('BANK_RESULTS_CSV');
      expect(file.problems).toEqual([]);
      expect(file.lines).toEqual([
        { lineNumber: 2, endToEndId: ID, outcome: 'PAID', amount: 2055000, currency: 'VND', date: '2025-03-15' },
        { lineNumber: 3, endToEndId: COMPACT, outcome: 'FAILED', reason: 'AC04 Tài khoản đã đóng' },
        { lineNumber: 4, endToEndId: ID, outcome: 'FAILED', reason: 'NO_REASON_GIVEN' },
      ]);
    });
  });

  describe('when lines are wrong', () => {
    const file = parseResultFile(
      [
        'end_to_end_id,status,amount,currency,booking_date,reason',
        `${ID},PAID,2055000,USD,2025-03-15,`,
        `${ID},PAID,"2.055.000",VND,2025-03-15,`,
        `${ID},PAID,2055000.5,VND,2025-03-15,`,
        `${ID},PAID,2055000,VND,15/03/2025,`,
        `${ID},PAID,,VND,2025-03-15,`,
        `${ID},PENDING,2055000,VND,2025-03-15,`,
        `,PAID,2055000,VND,2025-03-15,`,
        `${ID},PAID,2055000,VND`,
        `${ID},PAID,2055000,,2025-03-15,`,
        `${ID},PAID,2055000,VND,2025-03-15,`,
      ].join('\n'),
    );

    it('reports each by line and reads the rest', () => {
      expect(file.problems).toEqual([
        { lineNumber: 2, reason: 'the currency is USD, not VND' },
        { lineNumber: 3, reason: "the amount '2.055.000' is not digits with an optional '.' decimal mark" },
        { lineNumber: 4, reason: "the amount '2055000.5' is not a whole number of đồng" },
        { lineNumber: 5, reason: 'the booking_date is not a date written YYYY-MM-DD' },
        { lineNumber: 6, reason: 'the amount is missing' },
        { lineNumber: 7, reason: "the status 'PENDING' is neither PAID nor FAILED" },
        { lineNumber: 8, reason: 'the end_to_end_id is missing' },
        { lineNumber: 9, reason: 'the line has 4 fields where the header has 6' },
        { lineNumber: 10, reason: 'the amount has no currency' },
      ]);
      expect(file.lines.map((line) => line.lineNumber)).toEqual([11]);
    });
  });

  it('is refused whole when its header lacks a column', () => {
    expect(() => parseResultFile('end_to_end_id,status,amount\nx,PAID,1\n')).toThrow(/lacks the column\(s\) currency, booking_date, reason/);
  });
});
