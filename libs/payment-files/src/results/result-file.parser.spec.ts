import { describe, expect, it } from '@jest/globals';
import { pain001PaymentFile } from '../bank-payment-file/pain001-payment-file.js';
import { PaymentFileError } from '../shared/file-error.js';
import { bankPaymentList } from '../testing/fixtures.js';
import { parseResultFile } from './result-file.parser.js';

describe('parseResultFile', () => {
  it.each([
    ['an empty file', ''],
    ['blank lines', ' \r\n\r\n'],
    ['JSON', '{"settlements":[]}'],
    ['a CSV of something else', 'disbursement_id,beneficiary_id,program\nx,y,z\n'],
    ['an XML file that is no result message', '<?xml version="1.0"?><Document xmlns="urn:x"><Other/></Document>'],
    ['a payment file sent back by mistake', pain001PaymentFile(bankPaymentList(2))],
    ['a PDF', '%PDF-1.7\n%âãÏÓ\n1 0 obj'],
  ])('refuses %s as an unknown format', (_, content) => {
    expect(() => parseResultFile(content)).toThrow(expect.objectContaining({ code: 'UNKNOWN_FORMAT' }) as unknown as PaymentFileError);
  });

  it('says what it can read when it cannot read a file', () => {
    expect(() => parseResultFile('hello')).toThrow(/pain.002, camt.053, camt.054, MT940, the bank results CSV or the Post Office returns CSV/);
  });
});
