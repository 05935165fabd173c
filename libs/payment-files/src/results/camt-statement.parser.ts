import { localDateOf } from '../shared/iso-date-time.js';
import { attributeOf, child, children, textAt, type IsoMessage, type XmlNode } from './iso20022-message.js';
import { vndAmountOn } from './line-amount.js';
import { ResultFileReading, type ResultFile } from './result-file.js';

/**
 * A camt.053 statement or camt.054 debit notification, any version from .02 on. Only booked debit
 * entries pay anything: one payment per transaction detail, matched by its end-to-end id. Other
 * entries — credits, reversals, pending or informational ones, fees without an end-to-end id — are
 * reported as ignored, so the report accounts for every transaction in the file.
 */
export function parseCamtStatement(iso: IsoMessage): ResultFile {
  const reading = new ResultFileReading(iso.kind === 'CAMT_053' ? 'CAMT_053' : 'CAMT_054');
  const accounts = [...children(iso.message, 'Stmt'), ...children(iso.message, 'Ntfctn')];
  for (const entry of accounts.flatMap((account) => children(account, 'Ntry'))) readEntry(entry, iso, reading);
  return reading.result();
}

function readEntry(entry: XmlNode, iso: IsoMessage, reading: ResultFileReading): void {
  const details = children(entry, 'NtryDtls').flatMap((batch) => children(batch, 'TxDtls'));
  const entryLine = iso.lineOf(entry);
  // Until 2019 the status was the code itself (<Sts>BOOK</Sts>); since, it is <Sts><Cd>BOOK</Cd></Sts>.
  const status = textAt(entry, 'Sts', 'Cd') ?? textAt(entry, 'Sts') ?? '';
  const ignoreAll = (reason: string) => {
    if (details.length === 0) return void reading.ignored.push({ lineNumber: entryLine, reason });
    for (const detail of details) {
      const endToEndId = endToEndIdIn(detail);
      reading.ignored.push({ lineNumber: iso.lineOf(detail), reason, ...(endToEndId ? { endToEndId } : {}) });
    }
  };
  if (status !== 'BOOK') return ignoreAll(`entry status ${status.slice(0, 4) || 'missing'} is not booked`);
  if (textAt(entry, 'CdtDbtInd') !== 'DBIT') return ignoreAll('a credit entry');
  if (textAt(entry, 'RvslInd') === 'true') return ignoreAll('a reversal entry');
  if (details.length === 0) return void reading.ignored.push({ lineNumber: entryLine, reason: 'the entry has no transaction details' });

  const date = localDateOf(textAt(entry, 'BookgDt', 'Dt') ?? textAt(entry, 'BookgDt', 'DtTm'));
  for (const detail of details) {
    const lineNumber = iso.lineOf(detail);
    const endToEndId = endToEndIdIn(detail);
    if (!endToEndId) {
      reading.ignored.push({ lineNumber, reason: 'the transaction has no end-to-end id' });
      continue;
    }
    if (textAt(detail, 'CdtDbtInd') === 'CRDT') {
      reading.ignored.push({ lineNumber, endToEndId, reason: 'a credit transaction' });
      continue;
    }
    // A lone transaction may leave its amount to the entry; in a batch each states its own.
    const amountNode = child(detail, 'Amt') ?? child(child(child(detail, 'AmtDtls'), 'TxAmt'), 'Amt') ?? (details.length === 1 ? child(entry, 'Amt') : undefined);
    const stated = amountNode === undefined ? undefined : vndAmountOn(textAt(amountNode), attributeOf(amountNode, 'Ccy'), '.');
    if (stated?.problem !== undefined) {
      reading.problems.push({ lineNumber, reason: stated.problem });
      continue;
    }
    reading.lines.push({
      lineNumber,
      endToEndId,
      outcome: 'PAID',
      ...(stated ? { amount: stated.amount, currency: 'VND' as const } : {}),
      ...(date ? { date } : {}),
    });
  }
}

/** NOTPROVIDED is what ISO 20022 says to write when there is no end-to-end id: the same as none. */
function endToEndIdIn(detail: XmlNode): string | undefined {
  const id = textAt(detail, 'Refs', 'EndToEndId');
  return id && id !== 'NOTPROVIDED' ? id : undefined;
}
