import { describe, expect, it } from '@jest/globals';
import { PaymentFileError } from './file-error.js';
import { fileText, LineIndex } from './file-text.js';

describe('fileText', () => {
  it('reads UTF-8 and drops a byte-order mark', () => {
    expect(fileText(Buffer.from('\uFEFFĐặng Thị Ánh', 'utf8'))).toBe('Đặng Thị Ánh');
    expect(fileText('\uFEFFabc')).toBe('abc');
  });

  it('refuses bytes that are not UTF-8', () => {
    // "Đ" in Windows-1258 is 0xD0, alone an incomplete UTF-8 sequence.
    expect(() => fileText(Uint8Array.from([0x41, 0xd0, 0x41]))).toThrow(PaymentFileError);
  });
});

describe('LineIndex', () => {
  it('numbers lines from 1, counting CRLF and LF alike', () => {
    const text = 'a\r\nbb\nccc\n\nd';
    const index = new LineIndex(text);
    expect([0, 1, 2, 3, 5, 6, 9, 10, 11].map((offset) => index.lineAt(offset))).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 5]);
  });
});
