import { POST_OFFICE } from '@ledger/domain';
import { problemException } from '../platform/problems/problem-details.js';

/** The shapes a payment file is served in, each by the media type that asks for it. */
export const PAYMENT_FILE_FORMATS = {
  csv: { mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  pain001: { mediaType: 'application/xml', contentType: 'application/xml; charset=utf-8', extension: 'xml' },
  pdf: { mediaType: 'application/pdf', contentType: 'application/pdf', extension: 'pdf' },
} as const;

export type PaymentFileFormat = keyof typeof PAYMENT_FILE_FORMATS;

/**
 * CSV first, as before there was a choice: a client that names no format (no Accept, `*\/*`) keeps
 * getting what it always got. A bank's system reads pain.001; the Post Office's people read a PDF.
 */
export function formatsOfPaymentFile(paymentFile: string): readonly PaymentFileFormat[] {
  return paymentFile === POST_OFFICE ? ['csv', 'pdf'] : ['csv', 'pain001'];
}

/**
 * The format to answer in, as the Accept header asks (RFC 9110 §12.5.1); a 406 problem naming the
 * formats there are when it accepts none of them. Nothing is read before this: a request that
 * cannot be answered does no work and leaves no trace in the access log.
 */
export function paymentFileFormatOf(accept: string | undefined, paymentFile: string): PaymentFileFormat {
  const offered = formatsOfPaymentFile(paymentFile);
  const chosen = preferredMediaType(accept, offered.map((format) => PAYMENT_FILE_FORMATS[format].mediaType));
  if (chosen === undefined) {
    const available = offered.map((format) => PAYMENT_FILE_FORMATS[format].mediaType);
    throw problemException(406, 'NOT_ACCEPTABLE', `This payment file is served as ${available.join(' or ')}; the Accept header accepts neither.`, { available });
  }
  return offered[chosen]!;
}

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  /** Where it stands in the header: of two ranges named as strongly, the client's first wins. */
  readonly index: number;
}

/**
 * The index of the offer the client prefers, or undefined when it accepts none. Each offer takes the
 * quality of the most specific range that matches it (`text/csv` over `text/*` over `*\/*`); the
 * highest quality wins, then a type named outright over one reached by a wildcard, then the one the
 * header names first, then the server's order. An absent or blank header accepts anything: the
 * first offer. Unreadable ranges are ignored, so a header of nothing but those accepts nothing.
 */
export function preferredMediaType(accept: string | undefined, offers: readonly string[]): number | undefined {
  if (accept === undefined || accept.trim() === '') return offers.length > 0 ? 0 : undefined;
  const ranges = mediaRangesOf(accept);
  let best: { offer: number; q: number; specificity: number; index: number } | undefined;
  offers.forEach((offer, position) => {
    const [type, subtype] = offer.toLowerCase().split('/') as [string, string];
    const matching = ranges
      .map((range) => ({ range, specificity: range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1 }))
      .filter(({ specificity }) => specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity || a.range.index - b.range.index)[0];
    if (!matching || matching.range.q === 0) return;
    const candidate = { offer: position, q: matching.range.q, specificity: matching.specificity === 2 ? 1 : 0, index: matching.range.index };
    if (!best || candidate.q > best.q || (candidate.q === best.q && (candidate.specificity > best.specificity || (candidate.specificity === best.specificity && candidate.index < best.index)))) {
      best = candidate;
    }
  });
  return best?.offer;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QUALITY = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

function mediaRangesOf(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((entry, index) => {
    const [range = '', ...parameters] = entry.split(';').map((part) => part.trim());
    const [type, subtype, extra] = range.toLowerCase().split('/');
    if (extra !== undefined || !type || !subtype || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) return;
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((part) => part.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (value === undefined || !QUALITY.test(value)) return;
      q = Number(value);
    }
    ranges.push({ type, subtype, q, index });
  });
  return ranges;
}
