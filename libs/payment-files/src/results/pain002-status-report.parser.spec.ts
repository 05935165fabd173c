import { describe, expect, it } from '@jest/globals';
import { PaymentFileError } from '../shared/file-error.js';
import { parseResultFile } from './result-file.parser.js';

const E2E = ['3984a91c1fec5bb9af6f217e95042ce2', '27508bccc4fe50a4b03986f54c66c4d6', '5b0d8f3c2a1e4d6f8a9b0c1d2e3f4a5b', '6c1e9a4d3b2f5e7a9b0c1d2e3f4a5b6c'];

/** A version .03 report with a namespace prefix, as older bank systems still send. */
function report(transactions: string, version = '03'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.002.001.${version}">
  <p:CstmrPmtStsRpt>
    <p:GrpHdr><p:MsgId>PSR-77</p:MsgId><p:CreDtTm>2025-03-15T20:30:00Z</p:CreDtTm></p:GrpHdr>
    <p:OrgnlGrpInfAndSts><p:OrgnlMsgId>HT-VBA-2025-03-01</p:OrgnlMsgId><p:OrgnlMsgNmId>pain.001.001.09</p:OrgnlMsgNmId><p:GrpSts>PART</p:GrpSts></p:OrgnlGrpInfAndSts>
    <p:OrgnlPmtInfAndSts>
      <p:OrgnlPmtInfId>HT-VBA-2025-03-01</p:OrgnlPmtInfId>
${transactions}
    </p:OrgnlPmtInfAndSts>
  </p:CstmrPmtStsRpt>
</p:Document>
`;
}

const tx = (e2e: string, status: string, extra = '') =>
  `      <p:TxInfAndSts><p:OrgnlEndToEndId>${e2e}</p:OrgnlEndToEndId><p:TxSts>${status}</p:TxSts>${extra}</p:TxInfAndSts>`;
const amount = (text: string, currency = 'VND') => `<p:OrgnlTxRef><p:Amt><p:InstdAmt Ccy="${currency}">${text}</p:InstdAmt></p:Amt></p:OrgnlTxRef>`;

describe('a pain.002 status report', () => {
  describe('when statuses are final, pending or rejected with reasons', () => {
    const file = parseResultFile(
      report(
        [
          tx(E2E[0]!, 'ACSP', `<p:AccptncDtTm>2025-03-14T18:00:00Z</p:AccptncDtTm>${amount('2055000.00')}`),
          tx(E2E[1]!, 'PDNG'),
          tx(E2E[2]!, 'RJCT', '<p:StsRsnInf><p:Rsn><p:Prtry>TK_DONG</p:Prtry></p:Rsn><p:AddtlInf>Tài khoản đã đóng</p:AddtlInf></p:StsRsnInf>'),
          tx(E2E[3]!, 'RJCT'),
          tx(E2E[0]!, 'ACCC'),
        ].join('\n'),
      ),
    );

    it('reads ACSP and ACCC as paid, on the acceptance date in Vietnam or else the report’s', () => {
      expect(file.lines.filter((line) => line.outcome === 'PAID')).toEqual([
        { lineNumber: 8, endToEndId: E2E[0], outcome: 'PAID', amount: 2055000, currency: 'VND', date: '2025-03-15' },
        { lineNumber: 12, endToEndId: E2E[0], outcome: 'PAID', date: '2025-03-16' },
      ]);
    });

    it('reads RJCT as failed with its reason, or says none was given', () => {
      expect(file.lines.filter((line) => line.outcome === 'FAILED')).toEqual([
        { lineNumber: 10, endToEndId: E2E[2], outcome: 'FAILED', reason: 'TK_DONG: Tài khoản đã đóng' },
        { lineNumber: 11, endToEndId: E2E[3], outcome: 'FAILED', reason: 'NO_REASON_GIVEN' },
      ]);
    });

    it('reports a pending status as ignored, not as a result', () => {
      expect(file.ignored).toEqual([{ lineNumber: 9, endToEndId: E2E[1], reason: 'status PDNG is not final' }]);
    });
  });

  describe('when a line cannot be read', () => {
    const file = parseResultFile(
      report(
        [
          tx(E2E[0]!, 'ACSC', amount('2055000', 'USD')),
          tx(E2E[1]!, 'ACSC', amount('2055000.5')),
          tx(E2E[2]!, 'ACSC', amount('2,055,000')),
          '      <p:TxInfAndSts><p:TxSts>ACSC</p:TxSts></p:TxInfAndSts>',
          tx(E2E[3]!, 'ACSC', amount('990000')),
        ].join('\n'),
        '10',
      ),
    );

    it('reports it by line and still reads the others', () => {
      expect(file.problems).toEqual([
        { lineNumber: 8, reason: 'the currency is USD, not VND' },
        { lineNumber: 9, reason: "the amount '2055000.5' is not a whole number of đồng" },
        { lineNumber: 10, reason: "the amount '2,055,000' is not digits with an optional '.' decimal mark" },
        { lineNumber: 11, reason: 'the transaction status has no OrgnlEndToEndId' },
      ]);
      expect(file.lines).toEqual([{ lineNumber: 12, endToEndId: E2E[3], outcome: 'PAID', amount: 990000, currency: 'VND', date: '2025-03-16' }]);
    });
  });

  describe('when the whole file was rejected', () => {
    it('names no transaction and says so', () => {
      const file = parseResultFile(report('').replace('<p:GrpSts>PART</p:GrpSts>', '<p:GrpSts>RJCT</p:GrpSts>'));
      expect(file.lines).toEqual([]);
      expect(file.ignored).toEqual([{ lineNumber: 5, reason: 'the report names no transaction (group status RJCT)' }]);
    });
  });

  describe('when the file is broken', () => {
    const whole = report(tx(E2E[0]!, 'ACSC'));

    it.each([
      ['truncated', whole.slice(0, whole.length - 60)],
      ['missing a closing tag', whole.replace('</p:TxSts>', '')],
      ['carrying a DOCTYPE', whole.replace('<p:Document', '<!DOCTYPE d [<!ENTITY x "x">]>\n<p:Document')],
      ['not UTF-8', Buffer.concat([Buffer.from(whole.slice(0, 200)), Buffer.from([0xd0, 0x41]), Buffer.from(whole.slice(200))])],
    ])('refuses it whole when %s', (_, content) => {
      expect(() => parseResultFile(content)).toThrow(expect.objectContaining({ code: 'MALFORMED_FILE' }) as unknown as PaymentFileError);
    });

    it('says a file cut short looks truncated, at its last line', () => {
      const truncated = whole.slice(0, whole.indexOf('</p:OrgnlPmtInfAndSts>'));
      expect(() => parseResultFile(truncated)).toThrow(/looks truncated \(line 8\)/);
    });
  });
});
