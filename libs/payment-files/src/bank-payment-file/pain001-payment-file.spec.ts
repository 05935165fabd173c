import { describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { endToEndIdOf } from '../shared/end-to-end-id.js';
import { bankPaymentList } from '../testing/fixtures.js';
import { pain001StructureErrors } from '../testing/pain001-content-model.js';
import { pain001PaymentFile } from './pain001-payment-file.js';

/** Read back with fast-xml-parser, which shares no code with the xmlbuilder2 that wrote the file. */
function readBack(xml: string) {
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' || name === 'PmtInf' });
  return parser.parse(xml).Document.CstmrCdtTrfInitn;
}

describe('pain001PaymentFile', () => {
  describe('when a run pays 250 people at one bank', () => {
    const list = bankPaymentList(250);
    const xml = pain001PaymentFile(list);
    const initiation = readBack(xml);
    const total = list.transfers.reduce((sum, transfer) => sum + transfer.amount, 0);

    it('states the count and the control sum in the group header and the payment instruction', () => {
      expect(initiation.GrpHdr.NbOfTxs).toBe('250');
      expect(initiation.GrpHdr.CtrlSum).toBe(String(total));
      expect(initiation.PmtInf).toHaveLength(1);
      expect(initiation.PmtInf[0].NbOfTxs).toBe('250');
      expect(initiation.PmtInf[0].CtrlSum).toBe(String(total));
    });

    it('holds one transfer per payment, whose amounts add up to the control sum', () => {
      const transfers = initiation.PmtInf[0].CdtTrfTxInf;
      expect(transfers).toHaveLength(250);
      expect(transfers.reduce((sum: number, tx: any) => sum + Number(tx.Amt.InstdAmt['#text']), 0)).toBe(total);
    });

    it('names every disbursement as an end-to-end id', () => {
      const ids = initiation.PmtInf[0].CdtTrfTxInf.map((tx: any) => tx.PmtId.EndToEndId);
      expect(ids).toEqual(list.transfers.map((transfer) => endToEndIdOf(transfer.disbursementId)));
      expect(new Set(ids).size).toBe(250);
    });

    it('writes đồng as whole numbers in VND', () => {
      const first = initiation.PmtInf[0].CdtTrfTxInf[0];
      expect(first.Amt.InstdAmt['@_Ccy']).toBe('VND');
      expect(first.Amt.InstdAmt['#text']).toBe(String(list.transfers[0]!.amount));
      expect(xml).not.toMatch(/InstdAmt Ccy="VND">\d+\./);
    });

    it('writes each holder name exactly as given, diacritics and apostrophes included', () => {
      const names = initiation.PmtInf[0].CdtTrfTxInf.map((tx: any) => tx.Cdtr.Nm);
      expect(names).toEqual(list.transfers.map((transfer) => transfer.holderName));
      expect(names).toContain("Đặng Thị H'Hen");
    });

    it('has the debtor, its account and its bank from the paying account', () => {
      const instruction = initiation.PmtInf[0];
      expect(instruction.Dbtr.Nm).toBe(list.payingAccount.name);
      expect(instruction.DbtrAcct.Id.Othr.Id).toBe('3711000123456');
      expect(instruction.DbtrAgt.FinInstnId).toEqual({ BICFI: 'VBAAVNVX', Othr: { Id: 'VBA' } });
      expect(instruction.ReqdExctnDt.Dt).toBe('2025-03-15');
      expect(initiation.GrpHdr.CreDtTm).toBe('2025-03-10T09:00:00+07:00');
    });

    it('follows the structure of the pain.001.001.09 schema', () => {
      expect(pain001StructureErrors(xml)).toEqual([]);
    });
  });

  describe('when the paying account has an IBAN', () => {
    it('is written as an IBAN and still conforms', () => {
      const xml = pain001PaymentFile(bankPaymentList(1, { payingAccount: { name: 'Tỉnh Hà Tĩnh', iban: 'VN12VBAA3711000123456', bankCode: 'VBA' } }));
      expect(readBack(xml).PmtInf[0].DbtrAcct.Id.IBAN).toBe('VN12VBAA3711000123456');
      expect(pain001StructureErrors(xml)).toEqual([]);
    });
  });

  describe('the structure check itself', () => {
    const xml = pain001PaymentFile(bankPaymentList(2));

    it('catches elements out of order', () => {
      const misplaced = xml.replace(/<MsgId>([^<]*)<\/MsgId>(\s*)(<CreDtTm>[^<]*<\/CreDtTm>)/, '$3$2<MsgId>$1</MsgId>');
      expect(misplaced).not.toBe(xml);
      expect(pain001StructureErrors(misplaced).join('\n')).toMatch(/MsgId is required before CreDtTm/);
    });

    it('catches a missing required element, a wrong amount and an unknown element', () => {
      expect(pain001StructureErrors(xml.replace(/<EndToEndId>[^<]*<\/EndToEndId>/, '')).join('\n')).toMatch(/EndToEndId is required/);
      expect(pain001StructureErrors(xml.replace(/(<InstdAmt Ccy="VND">)\d+/, '$1-5')).join('\n')).toMatch(/not a valid ActiveOrHistoricCurrencyAndAmount/);
      expect(pain001StructureErrors(xml.replace('<RmtInf>', '<Foo>x</Foo><RmtInf>')).join('\n')).toMatch(/Foo is out of place/);
      expect(pain001StructureErrors(xml.replace('<BtchBookg>false</BtchBookg>', '<BtchBookg>no</BtchBookg>')).join('\n')).toMatch(/BatchBookingIndicator/);
    });
  });

  describe('when the list cannot be written as the schema wants', () => {
    it.each([
      ['a message id over 35 characters', { messageId: 'x'.repeat(36) }],
      ['no transfers', { transfers: [] }],
      ['a paying account with neither IBAN nor account number', { payingAccount: { name: 'Tỉnh', bankCode: 'VBA' } }],
      ['a paying account with no bank', { payingAccount: { name: 'Tỉnh', accountNumber: '123456' } }],
    ])('refuses %s', (_, overrides) => {
      expect(() => pain001PaymentFile(bankPaymentList(1, overrides))).toThrow(RangeError);
    });

    it('refuses a fraction of a đồng and a name over 140 characters', () => {
      const list = bankPaymentList(2);
      expect(() => pain001PaymentFile({ ...list, transfers: [{ ...list.transfers[0]!, amount: 100.5 }] })).toThrow(/whole number of đồng/);
      expect(() => pain001PaymentFile({ ...list, transfers: [{ ...list.transfers[0]!, holderName: 'A'.repeat(141) }] })).toThrow(/holderName/);
    });
  });
});
