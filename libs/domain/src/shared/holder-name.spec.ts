import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from './domain-errors.js';
import { assertHolderNameCannotReadAsFormula, bankPrintedName, holderNameMatches, parseFullName, parseHolderName } from './holder-name.js';

describe('when printing a name the way banks do', () => {
  it('removes diacritics and upper-cases', () => {
    expect(bankPrintedName('Đặng Thị Ánh')).toBe('DANG THI ANH');
    expect(bankPrintedName('Nguyễn Văn Hưởng')).toBe('NGUYEN VAN HUONG');
    expect(bankPrintedName('Trần Thị Ngọc Ửng')).toBe('TRAN THI NGOC UNG');
  });

  it('turns Đ and đ into D, which removing marks alone would not', () => {
    expect(bankPrintedName('Đỗ Đức Đạt')).toBe('DO DUC DAT');
    expect(bankPrintedName('đinh')).toBe('DINH');
  });

  it('collapses runs of whitespace and trims', () => {
    expect(bankPrintedName('  bùi   trung tài ')).toBe('BUI TRUNG TAI');
    expect(bankPrintedName('Lê\tVăn\u00a0Tám')).toBe('LE VAN TAM');
  });

  it('gives the same result for composed and decomposed input', () => {
    const composed = 'Ánh'.normalize('NFC');
    const decomposed = 'Ánh'.normalize('NFD');
    expect(composed).not.toBe(decomposed);
    expect(bankPrintedName(decomposed)).toBe(bankPrintedName(composed));
  });
});

describe('when matching an account holder to a beneficiary', () => {
  it('matches the bank-printed form of the beneficiary name', () => {
    expect(holderNameMatches('BUI TRUNG TAI', 'Bùi Trung Tài')).toBe(true);
    expect(holderNameMatches('DANG THI ANH', 'Đặng Thị Ánh')).toBe(true);
    expect(holderNameMatches('Bùi  Trung Tài', 'BUI TRUNG TAI')).toBe(true);
  });

  it('does not match a different name', () => {
    expect(holderNameMatches('BUI TRUNG TAM', 'Bùi Trung Tài')).toBe(false);
    expect(holderNameMatches('BUI TAI', 'Bùi Trung Tài')).toBe(false);
    expect(holderNameMatches('TRUNG TAI BUI', 'Bùi Trung Tài')).toBe(false);
  });

  it('folds typographic apostrophes to the one banks print', () => {
    expect(bankPrintedName('H’Hen Niê')).toBe("H'HEN NIE");
    expect(holderNameMatches("H'HEN NIE", 'H’Hen Niê')).toBe(true);
    expect(holderNameMatches('H‘HEN NIE', "H'Hen Niê")).toBe(true);
    expect(holderNameMatches('HʼHEN NIE', 'H’Hen Niê')).toBe(true);
  });

  it('does not drop an apostrophe: a name without one is another name', () => {
    expect(holderNameMatches('HHEN NIE', 'H’Hen Niê')).toBe(false);
  });

  it('never matches an empty name', () => {
    expect(holderNameMatches('   ', '')).toBe(false);
  });
});

describe('when parsing a full name', () => {
  it('accepts letters of any script, spaces, apostrophes, hyphens and dots', () => {
    expect(parseFullName('Bùi Trung Tài')).toBe('Bùi Trung Tài');
    expect(parseFullName("H'Hen Niê")).toBe("H'Hen Niê");
    expect(parseFullName('H’Hen Niê')).toBe('H’Hen Niê');
    expect(parseFullName('H‘Hen Niê')).toBe('H‘Hen Niê');
    expect(parseFullName('HʼHen Niê')).toBe('HʼHen Niê');
    expect(parseFullName('Thạch Thị Sa-Ra')).toBe('Thạch Thị Sa-Ra');
    expect(parseFullName('Nguyễn T. Lan')).toBe('Nguyễn T. Lan');
    expect(parseFullName('王小明')).toBe('王小明');
  });

  it('trims, collapses whitespace and stores the composed form', () => {
    expect(parseFullName('  Bùi   Trung\tTài ')).toBe('Bùi Trung Tài');
    expect(parseFullName('Ánh'.normalize('NFD'))).toBe('Ánh'.normalize('NFC'));
  });

  it.each(['', '   ', 42, null, undefined])('refuses %p as empty or not a string', (raw) => {
    expect(() => parseFullName(raw)).toThrow(InvalidValue);
  });

  it.each(['Bùi Trung Tài 2', 'Bùi_Trung', 'Tài@home', '<script>', '...', "'-"])('refuses %p, which holds more than letters', (raw) => {
    expect(() => parseFullName(raw)).toThrow(/only letters, spaces, apostrophes, hyphens and dots/);
  });

  it('accepts 100 characters and refuses 101', () => {
    expect(parseFullName('Ă'.repeat(100))).toHaveLength(100);
    expect(() => parseFullName('Ă'.repeat(101))).toThrow(/at most 100/);
  });

  it('reports the field without echoing the name', () => {
    expect(() => parseFullName('Tài 2', 'holderName')).toThrow(
      expect.objectContaining({ field: 'holderName', message: expect.not.stringContaining('Tài') }),
    );
  });
});

describe('when parsing an account holder name', () => {
  it('accepts a Vietnamese name with its diacritics, an apostrophe or a hyphen inside', () => {
    expect(parseHolderName('Nguyễn Thị Ánh Đào')).toBe('Nguyễn Thị Ánh Đào');
    expect(parseHolderName('BUI TRUNG TAI')).toBe('BUI TRUNG TAI');
    expect(parseHolderName('H’Hen Niê')).toBe('H’Hen Niê');
    expect(parseHolderName('Thạch Thị Sa-Ra')).toBe('Thạch Thị Sa-Ra');
  });

  it.each(['=1+1', '+84912345678', '-x', '@SUM(A1:A9)', '  =HYPERLINK("x")', '-Bùi Trung Tài', '\u0301=1', 'Bùi\tTrung Tài', '\tBUI', 'BUI\r\nTAI', 'BUI\u0000TAI', 'BUI\u0085TAI'])(
    'refuses %j, which a spreadsheet could read as a formula, naming the field and the reason',
    (raw) => {
      expect(() => parseHolderName(raw)).toThrow(expect.objectContaining({ field: 'holderName', code: 'HOLDER_NAME_READS_AS_FORMULA' }));
      expect(() => assertHolderNameCannotReadAsFormula(raw)).toThrow(InvalidValue);
    },
  );

  it('still refuses what is not a name, as a full name is refused', () => {
    expect(() => parseHolderName('BUI 2')).toThrow(expect.objectContaining({ field: 'holderName', code: 'INVALID_VALUE' }));
    expect(() => parseHolderName(42)).toThrow(InvalidValue);
  });
});
