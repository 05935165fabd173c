import type { CashList } from '@ledger/payment-files';
import { spawnSiblingWorker } from '@ledger/read-models';
import type { FromCashListPdfWorker } from './cash-list-pdf-worker.js';

/**
 * The Post Office's cash list drawn on a worker thread: pdfkit lays out a province's list (tens of
 * thousands of rows) in seconds of pure computation, which on the API's own thread would hold up
 * every other request meanwhile. One short-lived worker per list: lists are asked for a few times a
 * month.
 */
export function cashListPdfOffThread(list: CashList): Promise<Buffer> {
  const worker = spawnSiblingWorker(import.meta.url, 'cash-list-pdf-worker');
  return new Promise<Buffer>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      worker.removeAllListeners();
      void worker.terminate();
      outcome();
    };
    worker.once('message', (message: FromCashListPdfWorker) =>
      finish(() => ('pdf' in message ? resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength)) : reject(new Error(`The cash list could not be drawn: ${message.error}`)))),
    );
    worker.once('error', (error) => finish(() => reject(error)));
    worker.once('exit', (code) => finish(() => reject(new Error(`The cash list's worker stopped (exit code ${code}) before it finished`))));
    worker.postMessage(list);
  });
}
