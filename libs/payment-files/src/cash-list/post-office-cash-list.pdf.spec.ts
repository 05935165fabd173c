import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatVnd, type LocalDate, type Period } from '@ledger/domain';
import { PDFParse } from 'pdf-parse';
import { allowance, personName } from '../testing/fixtures.js';
import { amountInVietnameseWords } from './amount-in-vietnamese-words.js';
import { postOfficeCashListPdf, type CashList } from './post-office-cash-list.pdf.js';

const payPoint = (name: string, from: number, count: number) => ({
  payPoint: name,
  payments: Array.from({ length: count }, (_, index) => ({ fullName: personName(from + index), birthYear: 1940 + ((from + index) % 40), amount: allowance(from + index) })),
});

const list: CashList = {
  province: 'Tỉnh Hà Tĩnh',
  program: 'Trợ cấp xã hội hằng tháng',
  period: '2025-03' as Period,
  preparedOn: '2025-03-10' as LocalDate,
  payPoints: [payPoint('Xã Cẩm Hưng — Bưu điện văn hoá xã', 0, 70), payPoint('Xã Kỳ Đồng — Điểm bưu điện Kỳ Đồng', 70, 52)],
};
const totalOf = (index: number) => list.payPoints[index]!.payments.reduce((sum, payment) => sum + payment.amount, 0);
/** Table cells come out in reading order; a wrapped cell's line break is only a space. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('postOfficeCashListPdf', () => {
  let pdf: Buffer;
  let pages: string[];

  beforeAll(async () => {
    pdf = await postOfficeCashListPdf(list);
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    pages = (await parser.getText()).pages.map((page) => flat(page.text));
    await parser.destroy();
  });

  describe('when 122 people are paid at two commune pay points', () => {
    it('is a PDF of several pages for each pay point', () => {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const counts = [0, 1].map((index) => pages.filter((page) => page.includes(list.payPoints[index]!.payPoint)).length);
      expect(counts[0]).toBeGreaterThan(1);
      expect(counts[1]).toBeGreaterThan(1);
    });

    it('lists every name with its diacritics, its birth year and its amount in figures and in words', () => {
      const text = pages.join(' ');
      for (const { payments } of list.payPoints) {
        for (const payment of payments) expect(text).toContain(`${payment.fullName} ${payment.birthYear} ${formatVnd(payment.amount)} ${amountInVietnameseWords(payment.amount)}`);
      }
      expect(text).toContain('Đặng Thị H');
      expect(text).toContain('Huỳnh');
    });

    it('totals every page, and the page totals of a pay point add up to its list total', () => {
      list.payPoints.forEach(({ payPoint: name }, index) => {
        const own = pages.filter((page) => page.includes(name));
        const pageTotals = own.map((page) => Number(/Cộng trang ([\d.]+) ₫/.exec(page)![1]!.replace(/\./g, '')));
        expect(pageTotals.reduce((sum, total) => sum + total, 0)).toBe(totalOf(index));
        const last = own[own.length - 1]!;
        expect(last).toContain(`Tổng cộng (${list.payPoints[index]!.payments.length} người) ${formatVnd(totalOf(index))} ${amountInVietnameseWords(totalOf(index))}`);
      });
    });

    it('numbers the pages of each pay point on their own', () => {
      list.payPoints.forEach(({ payPoint: name }) => {
        const own = pages.filter((page) => page.includes(name));
        own.forEach((page, index) => expect(page).toContain(`${name} — Trang ${index + 1}/${own.length}`));
      });
    });

    it('heads every page with the province, the program, the period and the pay point', () => {
      for (const page of pages) {
        expect(page).toContain('TỈNH HÀ TĨNH');
        expect(page).toMatch(/Xã (Cẩm Hưng|Kỳ Đồng)/);
      }
      const tablePages = pages.filter((page) => page.includes('Ký nhận'));
      for (const page of tablePages) expect(page).toContain('Chương trình: Trợ cấp xã hội hằng tháng — Kỳ chi trả: tháng 03/2025');
      expect(tablePages.length).toBeGreaterThan(3);
    });
  });

  describe('when page 1 is drawn as an image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cash-list-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('has ink on it', async () => {
      const parser = new PDFParse({ data: new Uint8Array(pdf) });
      const shot = await parser.getScreenshot({ partial: [1], scale: 1, imageDataUrl: false });
      await parser.destroy();
      const png = Buffer.from(shot.pages[0]!.data);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      const { createCanvas, loadImage } = await import('@napi-rs/canvas');
      const image = await loadImage(png);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, image.width, image.height);
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let dark = 0;
      for (let at = 0; at < data.length; at += 4) if (data[at]! < 128) dark += 1;
      expect(image.width).toBeGreaterThan(image.height); // landscape
      expect(dark / (image.width * image.height)).toBeGreaterThan(0.01);
    });

    it('renders with pdftoppm too, where it is installed', () => {
      let hasPdftoppm = true;
      try {
        execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
      } catch {
        hasPdftoppm = false;
      }
      if (!hasPdftoppm) return;
      const file = join(dir, 'list.pdf');
      execFileSync('sh', ['-c', 'cat > "$1"', 'sh', file], { input: pdf });
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
      expect(statSync(join(dir, 'page.png')).size).toBeGreaterThan(1000);
      expect(readFileSync(join(dir, 'page.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    });
  });

  it('is the same document every time it is made from the same list', async () => {
    expect((await postOfficeCashListPdf(list)).equals(pdf)).toBe(true);
  });

  it('refuses a fraction of a đồng', async () => {
    const bad = { ...list, payPoints: [{ payPoint: 'X', payments: [{ fullName: 'A', birthYear: 1950, amount: 1.5 }] }] };
    await expect(postOfficeCashListPdf(bad)).rejects.toThrow(RangeError);
  });
});
