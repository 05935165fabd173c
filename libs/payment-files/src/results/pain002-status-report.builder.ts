import { create } from 'xmlbuilder2';
import { endToEndIdOf } from '../shared/end-to-end-id.js';
import { isoDateTimeInVietnam } from '../shared/iso-date-time.js';
import type { PaymentResult } from './result-file.js';

export const PAIN_002_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10';

export interface StatusReportHeader {
  readonly messageId: string;
  readonly createdAt: Date;
  /** The MsgId (and PmtInfId) of the pain.001 the report answers. */
  readonly originalMessageId: string;
}

/**
 * A bank's pain.002.001.10 status report on a pain.001: ACSC for a paid result, with its settlement
 * date and amount; RJCT with the reason — a four-character ISO code as Cd, anything else as Prtry.
 * A status report has no word for a payment returned, so such a result is refused.
 */
export function pain002StatusReport(header: StatusReportHeader, results: readonly PaymentResult[]): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN_002_NAMESPACE, 'Document');
  const report = root.ele('CstmrPmtStsRpt');
  report.ele('GrpHdr').ele('MsgId').txt(header.messageId).up().ele('CreDtTm').txt(isoDateTimeInVietnam(header.createdAt));
  report.ele('OrgnlGrpInfAndSts').ele('OrgnlMsgId').txt(header.originalMessageId).up().ele('OrgnlMsgNmId').txt('pain.001.001.09');
  const instruction = report.ele('OrgnlPmtInfAndSts');
  instruction.ele('OrgnlPmtInfId').txt(header.originalMessageId);
  for (const result of results) {
    if (result.outcome === 'RETURNED') throw new RangeError('A status report cannot say a payment was returned');
    const status = instruction.ele('TxInfAndSts');
    status.ele('OrgnlEndToEndId').txt(endToEndIdOf(result.disbursementId));
    status.ele('TxSts').txt(result.outcome === 'PAID' ? 'ACSC' : 'RJCT');
    if (result.outcome === 'FAILED') {
      const reason = result.reason ?? 'NARR';
      status.ele('StsRsnInf').ele('Rsn').ele(ISO_REASON.test(reason) ? 'Cd' : 'Prtry').txt(reason.slice(0, 35));
    }
    if (result.outcome === 'PAID' && result.date) status.ele('FctvIntrBkSttlmDt').ele('Dt').txt(result.date);
    if (result.amount !== undefined) status.ele('OrgnlTxRef').ele('Amt').ele('InstdAmt', { Ccy: 'VND' }).txt(String(result.amount));
  }
  return root.end({ prettyPrint: true });
}

const ISO_REASON = /^[A-Z0-9]{4}$/;
