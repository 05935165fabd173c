import { describe, expect, it } from '@jest/globals';
import { parseResultFile } from './result-file.parser.js';

const E2E = ['3984a91c1fec5bb9af6f217e95042ce2', '27508bccc4fe50a4b03986f54c66c4d6', '5b0d8f3c2a1e4d6f8a9b0c1d2e3f4a5b'];

const details = (e2e: string, amount?: string, currency = 'VND') =>
  `<NtryDtls><TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs>${amount ? `<Amt Ccy="${currency}">${amount}</Amt>` : ''}</TxDtls></NtryDtls>`;

/** A camt.053.001.02 statement: status as a bare code, as statements from before 2019 write it. */
const statement = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>
<GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2025-03-16T06:00:00+07:00</CreDtTm></GrpHdr>
<Stmt>
<Id>STMT-1</Id>
<Acct><Id><Othr><Id>3711000123456</Id></Othr></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="VND">900000000</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-15</Dt></Dt></Bal>
<Ntry><Amt Ccy="VND">3110000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><DtTm>2025-03-14T19:00:00Z</DtTm></BookgDt>
<NtryDtls>
<Btch><NbOfTxs>2</NbOfTxs></Btch>
<TxDtls><Refs><EndToEndId>${E2E[0]}</EndToEndId></Refs><Amt Ccy="VND">2055000</Amt></TxDtls>
<TxDtls><Refs><EndToEndId>${E2E[1]}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="VND">1055000</Amt></TxAmt></AmtDtls></TxDtls>
</NtryDtls>
</Ntry>
<Ntry><Amt Ccy="VND">750000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt>${details(E2E[2]!)}</Ntry>
<Ntry><Amt Ccy="VND">500000000</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt>${details('NOTPROVIDED')}</Ntry>
<Ntry><Amt Ccy="VND">2055000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts>${details(E2E[0]!, '2055000')}</Ntry>
<Ntry><Amt Ccy="VND">2055000</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>${details(E2E[0]!, '2055000')}</Ntry>
<Ntry><Amt Ccy="VND">11000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt><AddtlNtryInf>Phí chuyển tiền</AddtlNtryInf></Ntry>
<Ntry><Amt Ccy="VND">22000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt>${details('NOTPROVIDED', '22000')}</Ntry>
<Ntry><Amt Ccy="EUR">80.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt>${details(E2E[1]!, '80.00', 'EUR')}</Ntry>
<Ntry><Amt Ccy="VND">1.5</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-15</Dt></BookgDt>${details(E2E[1]!, '1.5')}</Ntry>
</Stmt>
</BkToCstmrStmt>
</Document>
`;

describe('a camt.053 statement', () => {
  const file = parseResultFile(statement);

  it('is recognised by its message element, whatever its version', () => {
    expect(file.format).toBe('CAMT_053');
  });

  it('pays each transaction of a booked debit — a batch line by line, a lone one at the entry’s amount', () => {
    expect(file.lines).toEqual([
      { lineNumber: 12, endToEndId: E2E[0], outcome: 'PAID', amount: 2055000, currency: 'VND', date: '2025-03-15' },
      { lineNumber: 13, endToEndId: E2E[1], outcome: 'PAID', amount: 1055000, currency: 'VND', date: '2025-03-15' },
      { lineNumber: 16, endToEndId: E2E[2], outcome: 'PAID', amount: 750000, currency: 'VND', date: '2025-03-15' },
    ]);
  });

  it('accounts for every other entry as ignored, with why', () => {
    expect(file.ignored).toEqual([
      { lineNumber: 17, reason: 'a credit entry' },
      { lineNumber: 18, endToEndId: E2E[0], reason: 'entry status PDNG is not booked' },
      { lineNumber: 19, endToEndId: E2E[0], reason: 'a reversal entry' },
      { lineNumber: 20, reason: 'the entry has no transaction details' },
      { lineNumber: 21, reason: 'the transaction has no end-to-end id' },
    ]);
  });

  it('reports a line in another currency or with a fraction of a đồng as a problem', () => {
    expect(file.problems).toEqual([
      { lineNumber: 22, reason: 'the currency is EUR, not VND' },
      { lineNumber: 23, reason: "the amount '1.5' is not a whole number of đồng" },
    ]);
  });
});

describe('a camt.054 notification', () => {
  it('is read like a statement', () => {
    const notification = statement
      .replace('camt.053.001.02', 'camt.054.001.08')
      .replace(/BkToCstmrStmt>/g, 'BkToCstmrDbtCdtNtfctn>')
      .replace(/Stmt>/g, 'Ntfctn>')
      .replace(/<Sts>(\w+)<\/Sts>/g, '<Sts><Cd>$1</Cd></Sts>');
    const file = parseResultFile(notification);
    expect(file.format).toBe('CAMT_054');
    expect(file.lines.map((line) => line.endToEndId)).toEqual(E2E);
    expect(file.ignored).toHaveLength(5);
    expect(file.problems).toHaveLength(2);
  });
});
