import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CsvColumns, CsvRecord } from '@ledger/payment-files';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Money columns are named so (`amount`, `totalAmount`, `paidAmount`…): whole đồng, with thousands separators. */
const MONEY_COLUMN = /amount$/i;
const MONEY_FORMAT = '#,##0';

/**
 * An Excel workbook of one sheet, written as the records arrive: a header row, then one row per
 * record, numbers as numbers (money formatted `#,##0`), text as text. exceljs's streaming writer
 * commits each row to the zip as it goes, so a whole report never sits in memory; it waits for the
 * reader whenever the reader is behind. A cell is a string or a number, never a formula, so
 * nothing needs defusing here.
 */
export function xlsxForPeople(sheetName: string, columns: CsvColumns, records: AsyncIterable<CsvRecord>): Readable {
  const file = new PassThrough();
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((column) => ({
      header: column,
      key: column,
      width: Math.max(12, column.length + 2),
      ...(MONEY_COLUMN.test(column) ? { style: { numFmt: MONEY_FORMAT } } : {}),
    }));
    for await (const record of records) {
      if (file.destroyed) return;
      sheet.addRow(columns.map((column) => cellOf(record[column]))).commit();
      if (file.writableNeedDrain) await Promise.race([once(file, 'drain'), once(file, 'close')]);
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => file.destroy(error instanceof Error ? error : new Error(String(error))));
  return file;
}

function cellOf(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
