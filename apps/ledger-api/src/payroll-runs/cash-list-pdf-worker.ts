import { parentPort } from 'node:worker_threads';
import { postOfficeCashListPdf, type CashList } from '@ledger/payment-files';

/** What the worker answers: the PDF's bytes, or why it could not draw it. */
export type FromCashListPdfWorker = { readonly pdf: Uint8Array } | { readonly error: string };

// One list per message; the bytes go back transferred, not copied.
parentPort!.on('message', (list: CashList) => {
  postOfficeCashListPdf(list).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf);
      parentPort!.postMessage({ pdf: bytes } satisfies FromCashListPdfWorker, [bytes.buffer]);
    },
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies FromCashListPdfWorker),
  );
});
