import type { LocalDate } from '@ledger/domain';
import { localDateOf } from '../shared/iso-date-time.js';
import { attributeOf, child, children, textAt, type IsoMessage, type XmlNode } from './iso20022-message.js';
import { vndAmountOn } from './line-amount.js';
import { ResultFileReading, type ResultFile, type ResultOutcome } from './result-file.js';

/**
 * Transaction statuses (ExternalPaymentTransactionStatus1Code) that settle or fail a payment.
 * ACSP — accepted, settlement in process — counts as paid: the bank has accepted the transfer for
 * execution, and one that still goes wrong after that comes back as a return, not a rejection.
 */
const OUTCOMES: Readonly<Record<string, ResultOutcome>> = { ACSC: 'PAID', ACSP: 'PAID', ACCC: 'PAID', RJCT: 'FAILED' };

/**
 * A pain.002 customer payment status report, any version from .03 on: per transaction, its original
 * end-to-end id and status. A status that is not final (PDNG, ACTC, RCVD…) is reported as ignored.
 * A paid payment's date is its effective settlement date, else its acceptance time, else the
 * report's creation time — each read as a date in Vietnam.
 */
export function parsePain002(iso: IsoMessage): ResultFile {
  const reading = new ResultFileReading('PAIN_002');
  const reportDate = localDateOf(textAt(iso.message, 'GrpHdr', 'CreDtTm'));
  const statuses = children(iso.message, 'OrgnlPmtInfAndSts').flatMap((instruction) => children(instruction, 'TxInfAndSts'));
  if (statuses.length === 0) {
    const groupStatus = textAt(iso.message, 'OrgnlGrpInfAndSts', 'GrpSts') ?? 'none';
    const group = child(iso.message, 'OrgnlGrpInfAndSts') ?? iso.message;
    reading.ignored.push({ lineNumber: iso.lineOf(group), reason: `the report names no transaction (group status ${groupStatus})` });
  }
  for (const status of statuses) read(status, iso, reportDate, reading);
  return reading.result();
}

function read(status: XmlNode, iso: IsoMessage, reportDate: LocalDate | undefined, reading: ResultFileReading): void {
  const lineNumber = iso.lineOf(status);
  const endToEndId = textAt(status, 'OrgnlEndToEndId');
  const code = textAt(status, 'TxSts') ?? '';
  if (!endToEndId) return void reading.problems.push({ lineNumber, reason: 'the transaction status has no OrgnlEndToEndId' });
  const outcome = OUTCOMES[code];
  if (!outcome) return void reading.ignored.push({ lineNumber, endToEndId, reason: code ? `status ${code.slice(0, 4)} is not final` : 'the transaction has no status' });

  // The original amount is optional in a status report; when it is there, it is checked like any other.
  const instructed = child(child(child(status, 'OrgnlTxRef'), 'Amt'), 'InstdAmt');
  const stated = instructed === undefined ? undefined : vndAmountOn(textAt(instructed), attributeOf(instructed, 'Ccy'), '.');
  if (stated?.problem !== undefined) return void reading.problems.push({ lineNumber, reason: stated.problem });
  const date = outcome === 'PAID' ? (localDateOf(textAt(status, 'FctvIntrBkSttlmDt', 'Dt') ?? textAt(status, 'AccptncDtTm')) ?? reportDate) : undefined;
  reading.lines.push({
    lineNumber,
    endToEndId,
    outcome,
    ...(stated?.amount !== undefined ? { amount: stated.amount, currency: 'VND' as const } : {}),
    ...(date ? { date } : {}),
    ...(outcome === 'FAILED' ? { reason: rejectionReason(status) } : {}),
  });
}

/** The first reason code (or proprietary reason), with any additional information after it. */
function rejectionReason(status: XmlNode): string {
  const reason = children(status, 'StsRsnInf')[0];
  const code = textAt(reason, 'Rsn', 'Cd') ?? textAt(reason, 'Rsn', 'Prtry') ?? 'NO_REASON_GIVEN';
  const information = children(reason, 'AddtlInf').map((info) => textAt(info) ?? '').filter(Boolean).join(' ');
  return information ? `${code}: ${information}` : code;
}
