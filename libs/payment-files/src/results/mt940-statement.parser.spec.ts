import { describe, expect, it } from '@jest/globals';
import { parseResultFile } from './result-file.parser.js';

const E2E = ['3984a91c1fec5bb9af6f217e95042ce2', '27508bccc4fe50a4b03986f54c66c4d6', '5b0d8f3c2a1e4d6f8a9b0c1d2e3f4a5b'];

/**
 * Two statements in a FIN envelope. The second spans the new year: a value date of 31 December
 * booked on 2 January. :86: comes SEPA-style, wrapped at 65 characters, and German-style (?20EREF+).
 */
const file = [
  '{1:F01VBAAVNVXAXXX0000000000}{2:O9401200250316VBAAVNVXAXXX00000000002503161200N}{3:{108:STMT0315}}{4:',
  ':20:STMT250315',
  ':25:VBAAVNVX/3711000123456',
  ':28C:74/1',
  ':60F:C250314VND100000000,',
  ':61:2503150315D2055000,NTRFNONREF//FT25074A1',
  ':86:/TRCD/DMCT/EREF/3984a91c1fec5bb9af6f21',
  '7e95042ce2/REMI/Tro cap thang 03/2025',
  ':61:250315D1055000,00NTRFNONREF',
  `:86:?00CHUYEN KHOAN?20EREF+${E2E[1]}?21SVWZ+Tro cap`,
  ':61:250315C50000000,NTRFNONREF',
  ':86:/REMI/Cap bo sung kinh phi',
  ':61:250315RD2055000,NTRFNONREF',
  ':61:250315D11000,NCHGNONREF',
  ':86:/REMI/Phi chuyen tien',
  ':62F:C250315VND148934000,',
  ':86:Statement-level information is not a transaction',
  '-}{5:{CHK:0123456789AB}}',
  '{1:F01VBAAVNVXAXXX0000000000}{2:O9401200260102VBAAVNVXAXXX00000000002601021200N}{4:',
  ':20:STMT251231',
  ':25:VBAAVNVX/3711000123456',
  ':28C:75/1',
  ':60F:C251231VND148934000,',
  ':61:2512310102D750000,NTRF5b0d8f3c2a1e4d',
  ':61:2512310102D1.000,NTRFNONREF',
  ':86:/EREF/6c1e9a4d3b2f5e7a9b0c1d2e3f4a5b6c',
  ':62F:C260102VND148183000,',
  '-}',
].join('\r\n');

describe('an MT940 statement', () => {
  const result = parseResultFile(file);

  it('is recognised inside its FIN envelope', () => {
    expect(result.format).toBe('MT940');
  });

  it('pays each debit line, by the end-to-end id in :86: or else its customer reference', () => {
    expect(result.lines).toEqual([
      { lineNumber: 6, endToEndId: E2E[0], outcome: 'PAID', amount: 2055000, currency: 'VND', date: '2025-03-15' },
      { lineNumber: 9, endToEndId: E2E[1], outcome: 'PAID', amount: 1055000, currency: 'VND', date: '2025-03-15' },
      { lineNumber: 24, endToEndId: '5b0d8f3c2a1e4d', outcome: 'PAID', amount: 750000, currency: 'VND', date: '2026-01-02' },
    ]);
  });

  it('ignores credits, reversals and debits without an end-to-end id', () => {
    expect(result.ignored).toEqual([
      { lineNumber: 11, reason: 'a credit entry' },
      { lineNumber: 13, reason: 'a reversal entry' },
      { lineNumber: 14, reason: 'the entry has no end-to-end id' },
    ]);
  });

  it('reports an amount written with thousands separators as a problem', () => {
    expect(result.problems).toEqual([{ lineNumber: 25, reason: "the amount '1.000,' is not digits with an optional ',' decimal mark" }]);
  });
});

describe('an MT940 statement that cannot be trusted whole', () => {
  const statement = (lines: string[]) => [':20:S1', ':25:3711000123456', ':28C:1/1', ...lines].join('\n');

  it('is refused when it ends without a closing balance', () => {
    expect(() => parseResultFile(statement([':60F:C250314VND2055000,', ':61:250315D2055000,NTRFNONREF', `:86:/EREF/${E2E[0]}`]))).toThrow(/looks truncated/);
  });

  it('is refused when its lines do not add up to the closing balance', () => {
    expect(() => parseResultFile(statement([':60F:C250314VND2055000,', ':61:250315D2055000,NTRFNONREF', ':62F:C250315VND1,']))).toThrow(/do not add up/);
  });

  it('is refused when a line comes before the opening balance', () => {
    expect(() => parseResultFile(statement([':61:250315D2055000,NTRFNONREF', ':60F:C250314VND2055000,', ':62F:C250315VND0,']))).toThrow(/before the opening balance/);
  });
});

describe('an MT940 statement in another currency', () => {
  it('reports each of its debits as a problem', () => {
    const result = parseResultFile([':20:S1', ':25:1', ':28C:1/1', ':60F:C250314USD100,50', ':61:250315D80,25NTRFNONREF', `:86:/EREF/${E2E[0]}`, ':62F:C250315USD20,25', '-'].join('\n'));
    expect(result.lines).toEqual([]);
    expect(result.problems).toEqual([{ lineNumber: 5, reason: 'the currency is USD, not VND' }]);
  });
});

describe('an MT940 line of the wrong shape', () => {
  it('is a problem whatever its mark, and the others are still read', () => {
    const result = parseResultFile(
      [':20:S1', ':25:1', ':28C:1/1', ':60F:C250314VND3000000,', ':61:2503X5D1000000,NTRFNONREF', ':61:251345D1000000,NTRFNONREF', ':61:250315D1000000,', ':61:250315D1000000,NTRFNONREF', `:86:/EREF/${E2E[0]}`, ':62F:C250315VND2000000,'].join('\n'),
    );
    expect(result.problems).toEqual([
      { lineNumber: 5, reason: 'the :61: line has no date and debit/credit mark' },
      { lineNumber: 6, reason: 'the :61: line has an impossible date' },
      { lineNumber: 7, reason: 'the :61: line has no transaction type and reference' },
    ]);
    expect(result.lines.map((line) => line.lineNumber)).toEqual([8]);
  });
});
