import { fileURLToPath } from 'node:url';
import { formatVnd, type LocalDate, type Period, type Vnd } from '@ledger/domain';
import PDFDocument from 'pdfkit';
import { amountInVietnameseWords } from './amount-in-vietnamese-words.js';

/** One person the paying agent hands money to. */
export interface CashPayment {
  readonly fullName: string;
  readonly birthYear: number;
  readonly amount: Vnd;
}

/** The payments of one commune pay point: a list of its own, with its own page numbers and totals. */
export interface PayPointCashList {
  /** The commune and the place money is handed out, e.g. "Xã Cẩm Hưng — Bưu điện văn hoá xã". */
  readonly payPoint: string;
  readonly payments: readonly CashPayment[];
}

export interface CashList {
  readonly province: string;
  /** The program's name as people know it. */
  readonly program: string;
  readonly period: Period;
  /** The day the list is made: printed on it and recorded as the PDF's creation date. */
  readonly preparedOn: LocalDate;
  readonly payPoints: readonly PayPointCashList[];
}

/** The fonts to draw with: paths or bytes. By default the DejaVu Sans shipped in this library, which covers Vietnamese. */
export interface CashListFonts {
  readonly regular: string | Buffer;
  readonly bold: string | Buffer;
}

const SHIPPED_FONTS: CashListFonts = {
  regular: fileURLToPath(new URL('../../fonts/DejaVuSans.ttf', import.meta.url)),
  bold: fileURLToPath(new URL('../../fonts/DejaVuSans-Bold.ttf', import.meta.url)),
};

const MARGIN = 36;
const FOOTER = 20;
const PADDING = 4;
/** Tall enough to sign in. */
const MIN_ROW_HEIGHT = 26;
const BODY_SIZE = 9;
const COLUMNS = [
  { title: 'STT', width: 32, align: 'center' },
  { title: 'Họ và tên', width: 162, align: 'left' },
  { title: 'Năm sinh', width: 60, align: 'center' },
  { title: 'Số tiền', width: 92, align: 'right' },
  { title: 'Số tiền bằng chữ', width: 268, align: 'left' },
  { title: 'Ký nhận', width: 155, align: 'center' },
] as const;
const TABLE_WIDTH = COLUMNS.reduce((sum, column) => sum + column.width, 0);

type Doc = PDFKit.PDFDocument;
type Cells = readonly [string, string, string, string, string, string];

/**
 * The Post Office's cash list as a printable PDF: per commune pay point, a table of the people to
 * pay — name, birth year, amount in figures and in Vietnamese words, a column to sign in — with a
 * total at the foot of every page, the list total at its end, and "Trang x/y" counted per pay point,
 * so each pay point's pages can be handed out and checked on their own.
 */
export async function postOfficeCashListPdf(list: CashList, fonts: CashListFonts = SHIPPED_FONTS): Promise<Buffer> {
  assertPrintable(list);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: `Danh sách chi trả ${list.program} ${monthOf(list.period)}`, Author: list.province, CreationDate: new Date(`${list.preparedOn}T00:00:00+07:00`) },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const pdf = collect(doc);

  const pageRanges = list.payPoints.map((payPoint) => drawPayPoint(doc, list, payPoint));
  for (const { first, count, payPoint } of pageRanges) {
    for (let page = 0; page < count; page += 1) footer(doc, first + page, `${payPoint} — Trang ${page + 1}/${count}`);
  }
  doc.end();
  return pdf;
}

function drawPayPoint(doc: Doc, list: CashList, payPoint: PayPointCashList): { first: number; count: number; payPoint: string } {
  const first = doc.bufferedPageRange().count;
  let y = newPage(doc, list, payPoint.payPoint);
  let pageTotal = 0;
  const listTotal = payPoint.payments.reduce((sum, payment) => sum + payment.amount, 0);
  const limit = doc.page.height - MARGIN - FOOTER;

  payPoint.payments.forEach((payment, index) => {
    const cells: Cells = [String(index + 1), payment.fullName, String(payment.birthYear), formatVnd(payment.amount), amountInVietnameseWords(payment.amount), ''];
    const height = rowHeight(doc, cells, 'regular');
    const last = index === payPoint.payments.length - 1;
    // The row must leave room for this page's total, and on the last row for the list's too.
    const room = height + rowHeight(doc, totalCells('Cộng trang', pageTotal + payment.amount), 'bold') + (last ? rowHeight(doc, totalCells('', listTotal), 'bold') : 0);
    if (y + room > limit && pageTotal > 0) {
      y = drawRow(doc, y, totalCells('Cộng trang', pageTotal), 'bold');
      y = newPage(doc, list, payPoint.payPoint);
      pageTotal = 0;
    }
    y = drawRow(doc, y, cells, 'regular');
    pageTotal += payment.amount;
  });
  y = drawRow(doc, y, totalCells('Cộng trang', pageTotal), 'bold');
  y = drawRow(doc, y, totalCells(`Tổng cộng (${payPoint.payments.length} người)`, listTotal), 'bold');
  signatures(doc, y, list, payPoint.payPoint);
  return { first, count: doc.bufferedPageRange().count - first, payPoint: payPoint.payPoint };
}

/** A fresh page with the heading and the table's header row; returns where the rows start. */
function newPage(doc: Doc, list: CashList, payPoint: string): number {
  doc.addPage();
  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(10).text(list.province.toUpperCase(), MARGIN, MARGIN, { width: width / 2 });
  doc.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', MARGIN + width / 2, MARGIN, { width: width / 2, align: 'center' });
  doc.font('regular').fontSize(10).text('Độc lập - Tự do - Hạnh phúc', MARGIN + width / 2, doc.y, { width: width / 2, align: 'center' });
  doc.font('bold').fontSize(14).text('DANH SÁCH CHI TRẢ TRỢ CẤP BẰNG TIỀN MẶT', MARGIN, doc.y + 10, { width, align: 'center' });
  doc.font('regular').fontSize(10).text(`Chương trình: ${list.program} — Kỳ chi trả: ${monthOf(list.period)}`, MARGIN, doc.y + 2, { width, align: 'center' });
  doc.font('bold').fontSize(10).text(`Điểm chi trả: ${payPoint}`, MARGIN, doc.y + 2, { width, align: 'center' });
  return drawRow(doc, doc.y + 8, COLUMNS.map((column) => column.title) as unknown as Cells, 'bold');
}

/** Draws one bordered row from `y` and returns where the next starts. */
function drawRow(doc: Doc, y: number, cells: Cells, font: 'regular' | 'bold'): number {
  const height = rowHeight(doc, cells, font);
  let x = MARGIN;
  COLUMNS.forEach((column, index) => {
    doc.rect(x, y, column.width, height).lineWidth(0.5).stroke();
    const text = cells[index]!;
    if (text) doc.font(font).fontSize(BODY_SIZE).text(text, x + PADDING, y + PADDING, { width: column.width - 2 * PADDING, align: column.align });
    x += column.width;
  });
  return y + height;
}

function rowHeight(doc: Doc, cells: Cells, font: 'regular' | 'bold'): number {
  doc.font(font).fontSize(BODY_SIZE);
  const tallest = Math.max(...cells.map((text, index) => (text ? doc.heightOfString(text, { width: COLUMNS[index]!.width - 2 * PADDING }) : 0)));
  return Math.max(MIN_ROW_HEIGHT, Math.ceil(tallest + 2 * PADDING));
}

function totalCells(label: string, amount: number): Cells {
  return ['', label, '', formatVnd(amount), amountInVietnameseWords(amount), ''];
}

/** Who prepared, paid out and witnessed the list sign under it; on a page of their own if the table left no room. */
function signatures(doc: Doc, y: number, list: CashList, payPoint: string): void {
  const height = 80;
  let top = y + 14;
  if (top + height > doc.page.height - MARGIN - FOOTER) top = newPageWithoutTable(doc, list, payPoint);
  const roles = ['NGƯỜI LẬP DANH SÁCH', 'NHÂN VIÊN CHI TRẢ', 'ĐẠI DIỆN UBND XÃ'];
  const width = TABLE_WIDTH / roles.length;
  doc.font('regular').fontSize(BODY_SIZE).text(`Ngày lập: ${dayOf(list.preparedOn)}`, MARGIN, top, { width: TABLE_WIDTH, align: 'right' });
  roles.forEach((role, index) => {
    const x = MARGIN + index * width;
    doc.font('bold').fontSize(BODY_SIZE).text(role, x, top + 16, { width, align: 'center' });
    doc.font('regular').fontSize(8).text('(Ký, ghi rõ họ tên)', x, top + 28, { width, align: 'center' });
  });
}

function newPageWithoutTable(doc: Doc, list: CashList, payPoint: string): number {
  doc.addPage();
  doc.font('bold').fontSize(10).text(`${list.province.toUpperCase()} — Điểm chi trả: ${payPoint}`, MARGIN, MARGIN, { width: TABLE_WIDTH });
  return doc.y + 10;
}

/** Writes in the bottom margin: with the margin set to 0 for the call, pdfkit does not start a new page. */
function footer(doc: Doc, pageIndex: number, text: string): void {
  doc.switchToPage(pageIndex);
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.font('regular').fontSize(8).text(text, MARGIN, doc.page.height - MARGIN - 10, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
  doc.page.margins.bottom = bottom;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function monthOf(period: Period): string {
  return `tháng ${period.slice(5, 7)}/${period.slice(0, 4)}`;
}

function dayOf(date: LocalDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function assertPrintable(list: CashList): void {
  for (const payPoint of list.payPoints) {
    for (const payment of payPoint.payments) {
      if (!Number.isSafeInteger(payment.amount) || payment.amount < 0) throw new RangeError('A cash payment is a whole, non-negative number of đồng');
      if (!Number.isInteger(payment.birthYear)) throw new RangeError('A birth year is a whole number');
    }
  }
}
