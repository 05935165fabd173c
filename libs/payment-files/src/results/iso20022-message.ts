import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PaymentFileError } from '../shared/file-error.js';
import { LineIndex } from '../shared/file-text.js';

/** An element as fast-xml-parser gives it: a string when it holds only text, an object otherwise. */
export type XmlNode = string | { readonly [name: string]: unknown };

export type IsoResultMessage = 'PAIN_002' | 'CAMT_053' | 'CAMT_054';

/** The message element under Document names the message, whatever version or prefix the bank used. */
const MESSAGES: Readonly<Record<string, IsoResultMessage>> = {
  CstmrPmtStsRpt: 'PAIN_002',
  BkToCstmrStmt: 'CAMT_053',
  BkToCstmrDbtCdtNtfctn: 'CAMT_054',
};

export interface IsoMessage {
  readonly kind: IsoResultMessage;
  /** The message element: CstmrPmtStsRpt, BkToCstmrStmt or BkToCstmrDbtCdtNtfctn. */
  readonly message: XmlNode;
  /** The line an element starts on. */
  readonly lineOf: (node: XmlNode) => number;
}

const META = XMLParser.getMetaDataSymbol() as unknown as string;

/**
 * Reads an ISO 20022 result message, or says why the file is not one. The file is checked whole
 * before anything is read from it, so a truncated download is refused rather than read up to where
 * it stops. A DOCTYPE is refused: no bank message has one, and entity declarations are how XML
 * bombs and external-entity reads come in.
 */
export function readIsoMessage(text: string): IsoMessage {
  if (/<!DOCTYPE/i.test(text)) throw new PaymentFileError('MALFORMED_FILE', 'The XML has a DOCTYPE, which no bank message has');
  const validity = XMLValidator.validate(text);
  if (validity !== true) {
    // The validator lists the elements still open at the end of the text as "Invalid '[…]' found", at line 1.
    if (/^Invalid '\[/.test(validity.err.msg)) {
      throw new PaymentFileError('MALFORMED_FILE', 'The XML ends before its elements are closed: the file looks truncated', text.trimEnd().split('\n').length);
    }
    throw new PaymentFileError('MALFORMED_FILE', `The XML is not well-formed: ${validity.err.msg}`, validity.err.line);
  }
  let parsed: Record<string, XmlNode>;
  try {
    parsed = new XMLParser({
      removeNSPrefix: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      htmlEntities: true,
      captureMetaData: true,
    }).parse(text) as Record<string, XmlNode>;
  } catch (error) {
    // The validator and the parser are separate code: what one lets through, the other may still refuse.
    throw new PaymentFileError('MALFORMED_FILE', `The XML is not well-formed: ${(error as Error).message}`);
  }
  const document = parsed['Document'];
  const [name, kind] = Object.entries(MESSAGES).find(([element]) => document !== undefined && child(document, element) !== undefined) ?? [];
  if (!name || !kind) throw new PaymentFileError('UNKNOWN_FORMAT', 'The XML is not a pain.002 status report, a camt.053 statement or a camt.054 notification');
  const lines = new LineIndex(text);
  return {
    kind,
    message: child(document!, name)!,
    lineOf: (node) => {
      const startIndex = typeof node === 'object' ? (node[META] as { startIndex?: number } | undefined)?.startIndex : undefined;
      return startIndex === undefined ? 1 : lines.lineAt(startIndex);
    },
  };
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  return (Array.isArray(value) ? value[0] : value) as XmlNode | undefined;
}

/** Every `name` child: one element and many come back alike. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string') return [];
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

/** The text of the element at `path` under `node`, trimmed; undefined when it is absent. */
export function textAt(node: XmlNode | undefined, ...path: string[]): string | undefined {
  const target = path.reduce<XmlNode | undefined>((at, name) => child(at, name), node);
  if (target === undefined) return undefined;
  if (typeof target === 'string') return target.trim();
  const text = target['#text'];
  return typeof text === 'string' ? text.trim() : text === undefined ? '' : String(text).trim();
}

export function attributeOf(node: XmlNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}
