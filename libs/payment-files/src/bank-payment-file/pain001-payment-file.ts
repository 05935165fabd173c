import { MAX_VND, parseLocalDate, type LocalDate, type Vnd } from '@ledger/domain';
import { create } from 'xmlbuilder2';
import { endToEndIdOf } from '../shared/end-to-end-id.js';
import { isoDateTimeInVietnam } from '../shared/iso-date-time.js';

type XMLBuilder = ReturnType<typeof create>;

export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** The province's account the allowances are paid from, as configured for it. */
export interface PayingAccount {
  /** The account holder's name as the bank holds it. */
  readonly name: string;
  /** One of the two: an IBAN where the bank uses them, otherwise the domestic account number. */
  readonly iban?: string;
  readonly accountNumber?: string;
  /** The bank holding the account: its BIC, its domestic code, or both. */
  readonly bankBic?: string;
  readonly bankCode?: string;
}

/** One payment of the run to one account at the bank. */
export interface BankTransfer {
  readonly disbursementId: string;
  readonly amount: Vnd;
  /** The holder name exactly as the bank must match it: written as given, never re-cased or stripped. */
  readonly holderName: string;
  readonly accountNumber: string;
  readonly bankCode: string;
  readonly bankBic?: string;
  /** What the beneficiary reads on their statement, e.g. the program and period. */
  readonly remittanceInformation: string;
}

/** A run's payments to one bank: one pain.001 message, one payment instruction. */
export interface BankPaymentList {
  /** Unique per message the province sends the bank; at most 35 characters. */
  readonly messageId: string;
  readonly createdAt: Date;
  readonly requestedExecutionDate: LocalDate;
  readonly payingAccount: PayingAccount;
  readonly transfers: readonly BankTransfer[];
}

/**
 * A run's bank payment list as an ISO 20022 pain.001.001.09 credit transfer initiation: one
 * transfer per payment, the disbursement id as end-to-end id, count and control sum in the group
 * header and again in the payment instruction. Amounts are whole đồng with no decimals (ISO 4217
 * gives VND no minor unit). Elements follow the order of the schema's sequences.
 */
export function pain001PaymentFile(list: BankPaymentList): string {
  assertWritable(list);
  const count = String(list.transfers.length);
  const controlSum = String(list.transfers.reduce((sum, transfer) => sum + transfer.amount, 0));

  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN_001_NAMESPACE, 'Document');
  const initiation = root.ele('CstmrCdtTrfInitn');
  initiation
    .ele('GrpHdr')
    .ele('MsgId').txt(list.messageId).up()
    .ele('CreDtTm').txt(isoDateTimeInVietnam(list.createdAt)).up()
    .ele('NbOfTxs').txt(count).up()
    .ele('CtrlSum').txt(controlSum).up()
    .ele('InitgPty').ele('Nm').txt(list.payingAccount.name);

  const instruction = initiation.ele('PmtInf');
  instruction
    .ele('PmtInfId').txt(list.messageId).up()
    .ele('PmtMtd').txt('TRF').up()
    // One debit entry per transfer, so the bank's statement can be matched payment by payment.
    .ele('BtchBookg').txt('false').up()
    .ele('NbOfTxs').txt(count).up()
    .ele('CtrlSum').txt(controlSum).up()
    .ele('ReqdExctnDt').ele('Dt').txt(list.requestedExecutionDate).up().up()
    .ele('Dbtr').ele('Nm').txt(list.payingAccount.name).up().up();
  account(instruction.ele('DbtrAcct'), list.payingAccount);
  bank(instruction.ele('DbtrAgt'), list.payingAccount.bankBic, list.payingAccount.bankCode);

  for (const transfer of list.transfers) {
    const tx = instruction.ele('CdtTrfTxInf');
    tx.ele('PmtId').ele('EndToEndId').txt(endToEndIdOf(transfer.disbursementId));
    tx.ele('Amt').ele('InstdAmt', { Ccy: 'VND' }).txt(String(transfer.amount));
    bank(tx.ele('CdtrAgt'), transfer.bankBic, transfer.bankCode);
    tx.ele('Cdtr').ele('Nm').txt(transfer.holderName);
    account(tx.ele('CdtrAcct'), { accountNumber: transfer.accountNumber });
    tx.ele('RmtInf').ele('Ustrd').txt(transfer.remittanceInformation);
  }
  return root.end({ prettyPrint: true });
}

/** CashAccount38: an IBAN, or the domestic number as GenericAccountIdentification1. */
function account(parent: XMLBuilder, of: { iban?: string; accountNumber?: string }): void {
  const id = parent.ele('Id');
  if (of.iban) id.ele('IBAN').txt(of.iban);
  else id.ele('Othr').ele('Id').txt(of.accountNumber!);
}

/** FinancialInstitutionIdentification18: BICFI comes before Othr in the schema's sequence. */
function bank(parent: XMLBuilder, bic: string | undefined, code: string | undefined): void {
  const institution = parent.ele('FinInstnId');
  if (bic) institution.ele('BICFI').txt(bic);
  if (code) institution.ele('Othr').ele('Id').txt(code);
}

const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/;

/** The schema's limits, checked before writing: a bank refuses the whole file for one long name. */
function assertWritable(list: BankPaymentList): void {
  const text = (value: string | undefined, max: number, field: string) => {
    if (value === undefined || value.trim() === '' || [...value].length > max) {
      throw new RangeError(`${field} must be 1 to ${max} characters`);
    }
  };
  text(list.messageId, 35, 'messageId');
  parseLocalDate(list.requestedExecutionDate, 'requestedExecutionDate');
  if (Number.isNaN(list.createdAt.getTime())) throw new RangeError('createdAt must be a valid instant');
  const payer = list.payingAccount;
  text(payer.name, 140, 'payingAccount.name');
  if (!payer.iban === !payer.accountNumber) throw new RangeError('payingAccount needs an iban or an accountNumber, not both');
  if (payer.iban !== undefined && !IBAN.test(payer.iban)) throw new RangeError('payingAccount.iban is not an IBAN');
  if (payer.accountNumber !== undefined) text(payer.accountNumber, 34, 'payingAccount.accountNumber');
  if (!payer.bankBic && !payer.bankCode) throw new RangeError('payingAccount needs a bankBic or a bankCode');
  if (payer.bankBic !== undefined && !BIC.test(payer.bankBic)) throw new RangeError('payingAccount.bankBic is not a BIC');
  if (payer.bankCode !== undefined) text(payer.bankCode, 35, 'payingAccount.bankCode');
  if (list.transfers.length === 0) throw new RangeError('A payment file holds at least one transfer');
  let total = 0;
  list.transfers.forEach((transfer, index) => {
    const field = (name: string) => `transfers[${index}].${name}`;
    if (!Number.isSafeInteger(transfer.amount) || transfer.amount <= 0 || transfer.amount > MAX_VND) {
      throw new RangeError(`${field('amount')} must be a whole number of đồng above 0`);
    }
    text(transfer.holderName, 140, field('holderName'));
    text(transfer.accountNumber, 34, field('accountNumber'));
    text(transfer.bankCode, 35, field('bankCode'));
    if (transfer.bankBic !== undefined && !BIC.test(transfer.bankBic)) throw new RangeError(`${field('bankBic')} is not a BIC`);
    text(transfer.remittanceInformation, 140, field('remittanceInformation'));
    endToEndIdOf(transfer.disbursementId);
    total += transfer.amount;
  });
  // The control sum is written as an integer; past 2^53 it would silently stop being one.
  if (!Number.isSafeInteger(total)) throw new RangeError('The transfers add up to more than can be summed exactly');
}
