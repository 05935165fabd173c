import { describe, expect, it } from '@jest/globals';
import { maskAccountNumber, parseAccountNumber, parseBankCode } from './account-number.js';
import { InvalidValue } from './domain-errors.js';

describe('when parsing an account number', () => {
  it('accepts 6 to 19 digits, leading zeros kept', () => {
    expect(parseAccountNumber('7700205123456')).toBe('7700205123456');
    expect(parseAccountNumber('012345')).toBe('012345');
    expect(parseAccountNumber('1234567890123456789')).toBe('1234567890123456789');
  });

  it.each(['12345', '12345678901234567890', '7700 205 123456', '7700-205123456', 'ABC123456', ''])(
    'refuses %p without echoing it',
    (raw) => {
      expect(() => parseAccountNumber(raw)).toThrow(InvalidValue);
      expect(() => parseAccountNumber(raw)).toThrow(
        expect.objectContaining({ field: 'accountNumber', message: expect.stringContaining('6 to 19 digits') }),
      );
      if (raw.length > 0) expect(() => parseAccountNumber(raw)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(raw) }));
    },
  );

  it('refuses a number, which would lose leading zeros', () => {
    expect(() => parseAccountNumber(7700205123456)).toThrow(InvalidValue);
  });
});

describe('when an account number is shown', () => {
  it('keeps only the last four digits', () => {
    expect(maskAccountNumber('7700205123456')).toBe('*********3456');
    expect(maskAccountNumber('012345')).toBe('**2345');
  });

  it('hides a value too short to mask partly', () => {
    expect(maskAccountNumber('1234')).toBe('****');
  });
});

describe('when parsing a bank code', () => {
  it.each(['VBA', 'VCB', 'BIDV', 'AGRIBANK', 'VP', 'ABCDEFGH1234'])('accepts %s', (raw) => {
    expect(parseBankCode(raw)).toBe(raw);
  });

  it.each(['V', 'vba', 'ABCDEFGH12345', 'VIET BANK', 'VIET-BANK', '', 42, null])('refuses %p', (raw) => {
    expect(() => parseBankCode(raw)).toThrow(expect.objectContaining({ field: 'bankCode' }));
  });

  it('refuses POST_OFFICE, which pays cash and is not a bank', () => {
    expect(() => parseBankCode('POST_OFFICE')).toThrow(/not a bank/);
  });
});
