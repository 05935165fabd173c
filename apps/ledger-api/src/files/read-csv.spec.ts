import { describe, expect, it } from '@jest/globals';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { readCsv, UnreadableCsv } from './read-csv.js';

const read = (text: string) => readCsv(Buffer.from(text, 'utf8'));

describe('reading a CSV file', () => {
  it('numbers each record by the line it starts on, across blank lines and any line end', () => {
    const file = read('\uFEFFa,b\r\n1,2\n\n3,4\r5,6\r\n\r\n7,"8, ""eight"""');
    expect(file.header).toEqual({ line: 1, cells: ['a', 'b'] });
    expect(file.records).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['3', '4'] },
      { line: 5, cells: ['5', '6'] },
      { line: 7, cells: ['7', '8, "eight"'] },
    ]);
    expect(file.malformed).toEqual([]);
  });

  it('takes the separator from the header line: semicolon as Excel writes it in Vietnam', () => {
    const file = read('a;b;c\r\n1,5;2;"x;y"\r\n');
    expect(file.delimiter).toBe(';');
    expect(file.records).toEqual([{ line: 2, cells: ['1,5', '2', 'x;y'] }]);
  });

  it('leaves out a line of empty cells, which holds nobody', () => {
    expect(read('a,b\n,\n , \n1,2\n').records).toEqual([{ line: 4, cells: ['1', '2'] }]);
  });

  it('refuses a file with no header row, or one whose header cannot be read', () => {
    expect(() => read('')).toThrow(UnreadableCsv);
    expect(() => read('\uFEFF\r\n\n')).toThrow(/empty/);
    expect(() => read('"a,b\nc,d')).toThrow(/header row cannot be read/);
  });

  describe('when lines are malformed', () => {
    const header = 'a,b,c';
    const row = fc
      .tuple(...Array.from({ length: 3 }, () => fc.array(fc.constantFrom('x', 'Đ', 'ắ', ' ', ',', ';', '"', '1'), { maxLength: 6 }).map((chars) => chars.join(''))))
      .filter((cells) => cells.some((cell) => cell.trim() !== ''));
    const damage = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.constant({ kind: 'extra cell' as const }),
      fc.record({ kind: fc.constant('stray quote' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.constant({ kind: 'last quote lost' as const }),
    );
    const damaged = (line: string, harm: { kind: string; at?: number }) => {
      switch (harm.kind) {
        case 'extra cell':
          return `${line},extra`;
        case 'stray quote': {
          const at = harm.at! % (line.length + 1);
          return `${line.slice(0, at)}"${line.slice(at)}`;
        }
        case 'cut':
          return line.slice(0, 1 + (harm.at! % line.length));
        case 'last quote lost': {
          const at = line.lastIndexOf('"');
          return at < 0 ? line : line.slice(0, at) + line.slice(at + 1);
        }
        default:
          return line;
      }
    };

    it('loses nobody: every line is a record or reported by its number, and every sound line is read as written', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(row, damage, fc.boolean()), { maxLength: 25 }), fc.constantFrom('\r\n', '\n'), fc.boolean(), (lines, end, bom) => {
          const text = [header];
          const expected = new Map<number, readonly string[] | 'damaged'>();
          for (const [cells, harm, blankAfter] of lines) {
            const sound = stringify([cells], { record_delimiter: end, eof: false });
            const line = damaged(sound, harm);
            text.push(line);
            expected.set(text.length, line === sound ? cells : 'damaged');
            if (blankAfter) text.push('');
          }
          const file = read(`${bom ? '\uFEFF' : ''}${text.join(end)}${end}`);

          const seen = [...file.records.map((record) => record.line), ...file.malformed.map((line) => line.line)].sort((a, b) => a - b);
          const everyLine = [...expected.keys()].filter((line) => expected.get(line) === 'damaged' || (expected.get(line) as string[]).some((cell) => cell.trim() !== ''));
          // A damaged line may have become one of blank cells (a cut after a comma): it holds nobody, and may be left out.
          expect(seen.filter((line) => !everyLine.includes(line))).toEqual([]);
          expect(everyLine.filter((line) => !seen.includes(line) && !(expected.get(line) === 'damaged' && text[line - 1]!.split(/[,"]/).every((cell) => cell.trim() === '')))).toEqual([]);
          expect(new Set(seen).size).toBe(seen.length);
          for (const [line, cells] of expected) {
            if (cells !== 'damaged') expect(file.records.find((record) => record.line === line)?.cells).toEqual(cells);
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
