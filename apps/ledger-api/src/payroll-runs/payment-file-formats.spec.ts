import { describe, expect, it, jest } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { PDFParse } from 'pdf-parse';
import {
  AdministrativeUnitCatalogue,
  disbursementDecider,
  formatVnd,
  initialBeneficiaryState,
  ProgramCatalogue,
  type BeneficiaryState,
  type Catalogues,
  type Period,
} from '@ledger/domain';
import { endToEndIdOf } from '@ledger/payment-files';
import { DEMO_PAYING_ACCOUNT } from '../config/ledger-config.js';
import { bankFilePain001, cashListPdf, paymentMessageIdOf, type SentBankPayment, type SentCashPayment, type SentRun } from './payment-file-formats.js';

const catalogues: Catalogues = {
  programs: ProgramCatalogue.fromDefinitions([
    { code: 'MERITORIOUS', name: 'Trợ cấp ưu đãi người có công', recurrence: 'MONTHLY', dueDay: 10, standardLevels: [{ effectiveFrom: '2023-07', amount: 2_055_000 }] },
  ]),
  units: AdministrativeUnitCatalogue.fromUnits([
    { code: '91', name: 'Tỉnh Kiên Giang', parentCode: null },
    { code: '899', name: 'Thành phố Rạch Giá', parentCode: '91' },
    { code: '900', name: 'Thành phố Hà Tiên', parentCode: '91' },
  ]),
};

/** Sent at 01:30 on 3 April in Vietnam: still 2 April in UTC. */
const run: SentRun = { runId: '6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b', period: '2024-04' as Period, sentAt: new Date('2024-04-02T18:30:00Z') };

const disbursement = (n: number, unitCode: string, amount: number) => ({
  ...disbursementDecider.initialState(),
  exists: true,
  disbursementId: `${String(n).padStart(8, '0')}-1111-5111-8111-111111111111`,
  beneficiaryId: `${String(n).padStart(8, '0')}-2222-5222-8222-222222222222`,
  program: 'MERITORIOUS',
  period: '2024-04',
  unitCode,
  amount,
});

describe('the payment files of a sent run', () => {
  describe('a bank’s file as pain.001', () => {
    const payments: SentBankPayment[] = [1, 2, 3].map((n) => ({
      ...disbursement(n, '899', 2_055_000 + n),
      channel: 'BANK',
      account: { accountId: `acc-${n}`, bankCode: 'VBA', accountNumber: `770020500000${n}`, holderName: n === 2 ? "H'HEN NIE" : 'BUI TRUNG TAI' },
    }));
    const xml = bankFilePain001(payments, run, 'VBA', DEMO_PAYING_ACCOUNT);
    const initiation = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' }).parse(xml).Document.CstmrCdtTrfInitn;

    it('is the same bytes every time: message id and dates come from the run', () => {
      expect(bankFilePain001(payments, run, 'VBA', DEMO_PAYING_ACCOUNT)).toBe(xml);
      expect(initiation.GrpHdr.MsgId).toBe(paymentMessageIdOf(run.runId, 'VBA'));
      expect(initiation.GrpHdr.CreDtTm).toBe('2024-04-03T01:30:00+07:00');
      expect(initiation.PmtInf.ReqdExctnDt.Dt).toBe('2024-04-03');
    });

    it('has a message id of its own per run and bank, within 35 characters', () => {
      const ids = [paymentMessageIdOf(run.runId, 'VBA'), paymentMessageIdOf(run.runId, 'VCB'), paymentMessageIdOf('7f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b', 'VBA')];
      expect(new Set(ids).size).toBe(3);
      for (const messageId of ids) expect(messageId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('pays from the configured account, to each account as recorded, for what the run sent', () => {
      expect(initiation.PmtInf.Dbtr.Nm).toBe(DEMO_PAYING_ACCOUNT.name);
      expect(initiation.PmtInf.DbtrAcct.Id.Othr.Id).toBe(DEMO_PAYING_ACCOUNT.accountNumber);
      expect(initiation.GrpHdr.NbOfTxs).toBe('3');
      expect(initiation.GrpHdr.CtrlSum).toBe(String(3 * 2_055_000 + 6));
      expect(initiation.PmtInf.CdtTrfTxInf.map((tx: any) => [tx.PmtId.EndToEndId, tx.Cdtr.Nm, tx.CdtrAcct.Id.Othr.Id, tx.RmtInf.Ustrd])).toEqual(
        payments.map((payment) => [endToEndIdOf(payment.disbursementId), payment.account.holderName, payment.account.accountNumber, 'MERITORIOUS 2024-04']),
      );
    });
  });

  describe('the Post Office’s cash list as a PDF', () => {
    // Rendering loads the fonts and PDF.js reads the document back: seconds when the cores are shared.
    jest.setTimeout(60_000);
    const person = (fullName: string, dateOfBirth: string): BeneficiaryState => ({ ...initialBeneficiaryState(), registered: true, fullName, dateOfBirth });
    const payments: SentCashPayment[] = [
      { disbursement: disbursement(1, '900', 1_000_000), beneficiary: person('Trần Thị Ơn', '1948-01-02') },
      { disbursement: disbursement(2, '899', 2_055_000), beneficiary: person('Đặng Văn Ánh', '1950-05-06') },
      { disbursement: disbursement(3, '899', 1_500_000), beneficiary: person('Bùi Trung Tài', '1952-03-14') },
    ];

    it('lists each unit’s people on pages of its own, in the catalogue’s order, by name, with the unit’s total', async () => {
      const pdf = await cashListPdf(payments, run, catalogues);
      const parser = new PDFParse({ data: new Uint8Array(pdf) });
      const pages = (await parser.getText()).pages.map((page) => page.text.replace(/\s+/g, ' '));
      await parser.destroy();
      expect(pages).toHaveLength(2);
      expect(pages[0]).toContain('Điểm chi trả: Thành phố Rạch Giá');
      expect(pages[0]).toContain('TỈNH KIÊN GIANG');
      expect(pages[0]).toContain('Chương trình: Trợ cấp ưu đãi người có công — Kỳ chi trả: tháng 04/2024');
      expect(pages[0]!.indexOf('Bùi Trung Tài 1952')).toBeLessThan(pages[0]!.indexOf('Đặng Văn Ánh 1950'));
      expect(pages[0]).toContain(`Tổng cộng (2 người) ${formatVnd(3_555_000)}`);
      expect(pages[0]).toContain('Ngày lập: 03/04/2024');
      expect(pages[1]).toContain('Điểm chi trả: Thành phố Hà Tiên');
      expect(pages[1]).toContain(`Trần Thị Ơn 1948 ${formatVnd(1_000_000)}`);
    });

    it('is the same document every time', async () => {
      expect((await cashListPdf(payments, run, catalogues)).equals(await cashListPdf([...payments].reverse(), run, catalogues))).toBe(true);
    });
  });
});
