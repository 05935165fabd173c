import { describe, expect, it } from '@jest/globals';
import { parseResultFile } from './result-file.parser.js';

const ID = '0f8e2c1a-5b7d-5e3f-9a1b-2c3d4e5f6a7b';

describe('the Post Office returns CSV', () => {
  describe('when a post office fills it in with Excel, in Vietnamese', () => {
    const file = parseResultFile(
      Buffer.from(
        [
          '\uFEFFdisbursement_id,collected,collected_date,amount_vnd,note',
          `${ID},Có,5/3/2025,2055000,`,
          `${ID},yes,2025-03-06,,`,
          `${ID},KHÔNG,,,"Người nhận đã chuyển đi, không có mặt"`,
          `${ID},no,,,`,
        ].join('\r\n'),
        'utf8',
      ),
    );

    it('reads collected payments as paid on their date and the others as returned with the note', () => {
      expect(file.format).toBe('POST_OFFICE_RETURNS_CSV');
      expect(file.problems).toEqual([]);
      expect(file.lines).toEqual([
        { lineNumber: 2, endToEndId: ID, outcome: 'PAID', amount: 2055000, currency: 'VND', date: '2025-03-05' },
        { lineNumber: 3, endToEndId: ID, outcome: 'PAID', date: '2025-03-06' },
        { lineNumber: 4, endToEndId: ID, outcome: 'RETURNED', reason: 'Người nhận đã chuyển đi, không có mặt' },
        { lineNumber: 5, endToEndId: ID, outcome: 'RETURNED', reason: 'NOT_COLLECTED' },
      ]);
    });
  });

  describe('when lines are wrong', () => {
    it('reports each by line', () => {
      const file = parseResultFile(
        ['disbursement_id,collected,collected_date', `${ID},yes,`, `${ID},yes,31/02/2025`, `${ID},maybe,`, `,no,`, `${ID},yes,01/03/2025`].join('\n'),
      );
      expect(file.problems).toEqual([
        { lineNumber: 2, reason: 'the collected_date is not a date written DD/MM/YYYY or YYYY-MM-DD' },
        { lineNumber: 3, reason: 'the collected_date is not a date written DD/MM/YYYY or YYYY-MM-DD' },
        { lineNumber: 4, reason: "collected must be yes or no, not 'maybe'" },
        { lineNumber: 5, reason: 'the disbursement_id is missing' },
      ]);
      expect(file.lines).toEqual([{ lineNumber: 6, endToEndId: ID, outcome: 'PAID', date: '2025-03-01' }]);
    });

    it('reports an amount that is not whole đồng', () => {
      const file = parseResultFile(['disbursement_id,collected,collected_date,amount_vnd', `${ID},yes,01/03/2025,2.055.000`].join('\n'));
      expect(file.problems).toEqual([{ lineNumber: 2, reason: "the amount '2.055.000' is not digits with an optional '.' decimal mark" }]);
    });
  });
});
