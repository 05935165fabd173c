import { XMLParser } from 'fast-xml-parser';

/**
 * The part of the ISO 20022 pain.001.001.09 schema a province's payment file can touch, transcribed
 * from the published XSD: each complex type's sequence (or choice) in schema order with its
 * occurrences, and the facets of the simple types. No XSD validator is installed, so tests check a
 * file against this; an element the file has and this does not know is an error, not a pass.
 */
type Particle = readonly [name: string, type: string, min: number, max: number];
type ContentModel = { readonly sequence: readonly Particle[] } | { readonly choice: readonly Particle[] } | { readonly text: RegExp; readonly attributes?: Record<string, RegExp> };

const N = Number.POSITIVE_INFINITY;
const max35 = /^.{1,35}$/su;
const max140 = /^.{1,140}$/su;

const MODEL: Record<string, ContentModel> = {
  Document: { sequence: [['CstmrCdtTrfInitn', 'CustomerCreditTransferInitiationV09', 1, 1]] },
  CustomerCreditTransferInitiationV09: {
    sequence: [['GrpHdr', 'GroupHeader85', 1, 1], ['PmtInf', 'PaymentInstruction30', 1, N], ['SplmtryData', 'Unused', 0, N]],
  },
  GroupHeader85: {
    sequence: [
      ['MsgId', 'Max35Text', 1, 1], ['CreDtTm', 'ISODateTime', 1, 1], ['Authstn', 'Unused', 0, 2], ['NbOfTxs', 'Max15NumericText', 1, 1],
      ['CtrlSum', 'DecimalNumber', 0, 1], ['InitgPty', 'PartyIdentification135', 1, 1], ['FwdgAgt', 'Unused', 0, 1],
    ],
  },
  PartyIdentification135: {
    sequence: [['Nm', 'Max140Text', 0, 1], ['PstlAdr', 'Unused', 0, 1], ['Id', 'Unused', 0, 1], ['CtryOfRes', 'Unused', 0, 1], ['CtctDtls', 'Unused', 0, 1]],
  },
  PaymentInstruction30: {
    sequence: [
      ['PmtInfId', 'Max35Text', 1, 1], ['PmtMtd', 'PaymentMethod3Code', 1, 1], ['BtchBookg', 'BatchBookingIndicator', 0, 1],
      ['NbOfTxs', 'Max15NumericText', 0, 1], ['CtrlSum', 'DecimalNumber', 0, 1], ['PmtTpInf', 'Unused', 0, 1],
      ['ReqdExctnDt', 'DateAndDateTime2Choice', 1, 1], ['PoolgAdjstmntDt', 'Unused', 0, 1], ['Dbtr', 'PartyIdentification135', 1, 1],
      ['DbtrAcct', 'CashAccount38', 1, 1], ['DbtrAgt', 'BranchAndFinancialInstitutionIdentification6', 1, 1], ['DbtrAgtAcct', 'Unused', 0, 1],
      ['InstrForDbtrAgt', 'Unused', 0, 1], ['UltmtDbtr', 'Unused', 0, 1], ['ChrgBr', 'Unused', 0, 1], ['ChrgsAcct', 'Unused', 0, 1],
      ['ChrgsAcctAgt', 'Unused', 0, 1], ['CdtTrfTxInf', 'CreditTransferTransaction34', 1, N],
    ],
  },
  DateAndDateTime2Choice: { choice: [['Dt', 'ISODate', 1, 1], ['DtTm', 'ISODateTime', 1, 1]] },
  CashAccount38: {
    sequence: [['Id', 'AccountIdentification4Choice', 1, 1], ['Tp', 'Unused', 0, 1], ['Ccy', 'Unused', 0, 1], ['Nm', 'Max70Text', 0, 1], ['Prxy', 'Unused', 0, 1]],
  },
  AccountIdentification4Choice: { choice: [['IBAN', 'IBAN2007Identifier', 1, 1], ['Othr', 'GenericAccountIdentification1', 1, 1]] },
  GenericAccountIdentification1: { sequence: [['Id', 'Max34Text', 1, 1], ['SchmeNm', 'Unused', 0, 1], ['Issr', 'Unused', 0, 1]] },
  BranchAndFinancialInstitutionIdentification6: {
    sequence: [['FinInstnId', 'FinancialInstitutionIdentification18', 1, 1], ['BrnchId', 'Unused', 0, 1]],
  },
  FinancialInstitutionIdentification18: {
    sequence: [
      ['BICFI', 'BICFIDec2014Identifier', 0, 1], ['ClrSysMmbId', 'Unused', 0, 1], ['LEI', 'Unused', 0, 1], ['Nm', 'Max140Text', 0, 1],
      ['PstlAdr', 'Unused', 0, 1], ['Othr', 'GenericFinancialIdentification1', 0, 1],
    ],
  },
  GenericFinancialIdentification1: { sequence: [['Id', 'Max35Text', 1, 1], ['SchmeNm', 'Unused', 0, 1], ['Issr', 'Unused', 0, 1]] },
  CreditTransferTransaction34: {
    sequence: [
      ['PmtId', 'PaymentIdentification6', 1, 1], ['PmtTpInf', 'Unused', 0, 1], ['Amt', 'AmountType4Choice', 1, 1], ['XchgRateInf', 'Unused', 0, 1],
      ['ChrgBr', 'Unused', 0, 1], ['ChqInstr', 'Unused', 0, 1], ['UltmtDbtr', 'Unused', 0, 1], ['IntrmyAgt1', 'Unused', 0, 1],
      ['IntrmyAgt1Acct', 'Unused', 0, 1], ['IntrmyAgt2', 'Unused', 0, 1], ['IntrmyAgt2Acct', 'Unused', 0, 1], ['IntrmyAgt3', 'Unused', 0, 1],
      ['IntrmyAgt3Acct', 'Unused', 0, 1], ['CdtrAgt', 'BranchAndFinancialInstitutionIdentification6', 0, 1], ['CdtrAgtAcct', 'Unused', 0, 1],
      ['Cdtr', 'PartyIdentification135', 0, 1], ['CdtrAcct', 'CashAccount38', 0, 1], ['UltmtCdtr', 'Unused', 0, 1], ['InstrForCdtrAgt', 'Unused', 0, N],
      ['InstrForDbtrAgt', 'Unused', 0, 1], ['Purp', 'Unused', 0, 1], ['RgltryRptg', 'Unused', 0, 10], ['Tax', 'Unused', 0, 1],
      ['RltdRmtInf', 'Unused', 0, 10], ['RmtInf', 'RemittanceInformation16', 0, 1], ['SplmtryData', 'Unused', 0, N],
    ],
  },
  PaymentIdentification6: { sequence: [['InstrId', 'Max35Text', 0, 1], ['EndToEndId', 'Max35Text', 1, 1], ['UETR', 'Unused', 0, 1]] },
  AmountType4Choice: { choice: [['InstdAmt', 'ActiveOrHistoricCurrencyAndAmount', 1, 1], ['EqvtAmt', 'Unused', 1, 1]] },
  RemittanceInformation16: { sequence: [['Ustrd', 'Max140Text', 0, N], ['Strd', 'Unused', 0, N]] },
  Max35Text: { text: max35 },
  Max34Text: { text: /^.{1,34}$/su },
  Max70Text: { text: /^.{1,70}$/su },
  Max140Text: { text: max140 },
  Max15NumericText: { text: /^[0-9]{1,15}$/ },
  // xs:decimal with fractionDigits 17 and totalDigits 18.
  DecimalNumber: { text: /^(?=(?:\D*\d){1,18}\D*$)\d+(\.\d{1,17})?$/ },
  ISODate: { text: /^\d{4}-\d{2}-\d{2}$/ },
  ISODateTime: { text: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/ },
  PaymentMethod3Code: { text: /^(CHK|TRF|TRA)$/ },
  BatchBookingIndicator: { text: /^(true|false)$/ },
  IBAN2007Identifier: { text: /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/ },
  BICFIDec2014Identifier: { text: /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/ },
  // totalDigits 18, fractionDigits 5, minInclusive 0; Ccy is ActiveOrHistoricCurrencyCode.
  ActiveOrHistoricCurrencyAndAmount: { text: /^(?=(?:\D*\d){1,18}\D*$)\d+(\.\d{1,5})?$/, attributes: { Ccy: /^[A-Z]{3}$/ } },
};

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Every way the document departs from the schema's structure, as `path: what is wrong`; empty when it conforms. */
export function pain001StructureErrors(xml: string): string[] {
  const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: false }).parse(xml) as OrderedNode[];
  const documents = parsed.filter((node) => elementName(node) === 'Document');
  if (documents.length !== 1) return ['the root element is not one Document'];
  const document = documents[0]!;
  const errors: string[] = [];
  if (document[':@']?.['@_xmlns'] !== 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09') errors.push('Document: not in the pain.001.001.09 namespace');
  check(document, 'Document', 'Document', errors);
  return errors;
}

function check(node: OrderedNode, type: string, path: string, errors: string[]): void {
  const model = MODEL[type];
  const name = elementName(node)!;
  if (!model) return void errors.push(`${path}: ${type} is not meant to be used here`);
  const children = (node[name] as OrderedNode[]).filter((child) => elementName(child) !== undefined);
  if ('text' in model) {
    const texts = (node[name] as OrderedNode[]).filter((child) => '#text' in child);
    const value = texts.map((child) => String(child['#text'])).join('');
    if (children.length) errors.push(`${path}: ${type} holds text only`);
    if (!model.text.test(value)) errors.push(`${path}: '${value}' is not a valid ${type}`);
    for (const [attribute, pattern] of Object.entries(model.attributes ?? {})) {
      if (!pattern.test(node[':@']?.[`@_${attribute}`] ?? '')) errors.push(`${path}: attribute ${attribute} is missing or invalid`);
    }
    return;
  }
  if ('choice' in model) {
    const [only, ...rest] = children;
    const particle = only && model.choice.find(([particleName]) => particleName === elementName(only));
    if (!particle || rest.length) return void errors.push(`${path}: ${type} holds exactly one of ${model.choice.map(([n]) => n).join(', ')}`);
    return check(only, particle[1], `${path}/${particle[0]}`, errors);
  }
  let at = 0;
  for (const [particleName, particleType, min, max] of model.sequence) {
    let seen = 0;
    while (at < children.length && elementName(children[at]!) === particleName) {
      check(children[at]!, particleType, `${path}/${particleName}[${seen + 1}]`, errors);
      seen += 1;
      at += 1;
    }
    if (seen < min) errors.push(`${path}: ${particleName} is required${at < children.length ? ` before ${elementName(children[at]!)}` : ''}`);
    if (seen > max) errors.push(`${path}: ${particleName} may occur at most ${max} times`);
  }
  if (at < children.length) errors.push(`${path}: ${elementName(children[at]!)} is out of place or unknown in ${type}`);
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && !key.startsWith('?'));
}
