import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGGREGATES, fold, localDateInVietnam, upcast, type BeneficiaryState, type DisbursementState, type LocalDate } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { bankResultsCsv, camt054Notification, identityCheckAnswersCsv, pain002StatusReport, postOfficeReturnsCsv, type PaymentResult } from '@ledger/payment-files';

/** The month the example files report on: the demo's last run, whose remote Post Office reports are still out. */
const REPORTED_PERIOD = '2024-03';
/** A disbursement id no ledger issued: the line every bank file has sooner or later. */
const STRANGER = '0f0e0d0c-0b0a-5908-8706-050403020100';

/** Where the demo's result files are written: beside its store, in the data directory. */
export const demoResultFilesDirectory = (dataDirectory: string) => join(dataDirectory, 'examples');

export interface DemoResultFile {
  readonly file: string;
  /** What importing it shows. */
  readonly shows: string;
}

/**
 * Result files about the demo's own March payments, as the paying agents and the population
 * database would send them back, for a new user to import (`import-results`, or the import routes)
 * and read the reconciliation of. They name this data directory's payments, whose ids derive from
 * its own key, so they are written for it rather than shipped: another directory's would match
 * nothing. Each file holds what such files hold in life — lines that apply, lines the ledger
 * already knows, and the odd line that does not fit.
 */
export async function writeDemoResultFiles(store: EventStore, directory: string): Promise<DemoResultFile[]> {
  const march: DisbursementState[] = [];
  for await (const { events } of store.readCategory(AGGREGATES.disbursement.category)) {
    const state = fold(AGGREGATES.disbursement.decider, events.map((event) => upcast(event) as never)) as DisbursementState;
    if (state.period === REPORTED_PERIOD && state.payrollRunId !== null) march.push(state);
  }
  march.sort((a, b) => a.disbursementId.localeCompare(b.disbursementId));
  const paidOn = (payment: DisbursementState) => localDateInVietnam(new Date(payment.payment!.paidAt));
  const asReported = (payment: DisbursementState): PaymentResult =>
    payment.status === 'PAID'
      ? { disbursementId: payment.disbursementId, outcome: 'PAID', amount: payment.amount, date: paidOn(payment) }
      : { disbursementId: payment.disbursementId, outcome: payment.status === 'FAILED' ? 'FAILED' : 'RETURNED', reason: 'AC04' };

  // The Post Office's late report from the remote communes: most collected, some not; and one line
  // about a payment collected earlier, its amount misread, and one about a payment of nobody's.
  const unsettledCash = march.filter((payment) => payment.channel === 'CASH' && payment.status === 'SENT');
  const paidCash = march.find((payment) => payment.channel === 'CASH' && payment.status === 'PAID');
  const returns: PaymentResult[] = unsettledCash.map((payment, index) =>
    index % 5 === 4
      ? { disbursementId: payment.disbursementId, outcome: 'RETURNED', reason: 'Người nhận vắng nhà' }
      : { disbursementId: payment.disbursementId, outcome: 'PAID', amount: payment.amount, date: '2024-03-29' as LocalDate },
  );
  if (paidCash) returns.push({ disbursementId: paidCash.disbursementId, outcome: 'PAID', amount: paidCash.amount + 100_000, date: paidOn(paidCash) });
  returns.push({ disbursementId: STRANGER, outcome: 'PAID', amount: 2_055_000, date: '2024-03-29' as LocalDate });

  // A bank's booking notification of its March transfers: what the ledger recorded, one entry listed twice, one unknown.
  const bankPayments = march.filter((payment) => payment.channel === 'BANK' && payment.account?.bankCode === 'VBA');
  const booked = bankPayments.filter((payment) => payment.status === 'PAID');
  const notification = [...booked.map(asReported), ...booked.slice(0, 1).map(asReported), { disbursementId: STRANGER, outcome: 'PAID' as const, amount: 2_055_000, date: '2024-03-05' as LocalDate }];
  // Its status report on the same file: the accepted and the rejected, as the ledger recorded them.
  const statuses = bankPayments.filter((payment) => payment.status === 'PAID' || payment.status === 'FAILED').map(asReported);

  // The population database's answers on a few of the province's people: one of them, it says, has died.
  const people: BeneficiaryState[] = [];
  for await (const { events } of store.readCategory(AGGREGATES.beneficiary.category)) {
    const person = fold(AGGREGATES.beneficiary.decider, events.map((event) => upcast(event) as never)) as BeneficiaryState;
    if (Object.values(person.enrollments).some((enrollment) => !enrollment.termination)) people.push(person);
    if (people.length === 12) break;
  }
  const answers = people.map((person, index) => ({
    nationalId: person.nationalId,
    answer:
      index === 3
        ? ({ outcome: 'DECEASED', dateOfDeath: '2024-03-18' as LocalDate } as const)
        : index % 4 === 1
          ? ({ outcome: 'MISMATCHED', mismatchedFields: ['fullName'] } as const)
          : ({ outcome: 'MATCHED' } as const),
  }));

  mkdirSync(directory, { recursive: true });
  const files: Array<DemoResultFile & { readonly content: string }> = [
    {
      file: `${REPORTED_PERIOD}-post-office-returns.csv`,
      shows: 'the remote communes’ late report: cash collected (paid) and not collected (returned), one amount misread, one unknown payment',
      content: postOfficeReturnsCsv(returns),
    },
    {
      file: `${REPORTED_PERIOD}-VBA-camt054.xml`,
      shows: 'a bank’s booking notification: payments the ledger already records, one entry listed twice, one unknown end-to-end id',
      content: camt054Notification({ messageId: 'VBA-CAMT054-2024-03', createdAt: new Date('2024-03-08T17:00:00+07:00'), reportId: 'VBA-NTF-0308', accountNumber: '1200100009999', statementDate: '2024-03-08' as LocalDate }, notification),
    },
    {
      file: `${REPORTED_PERIOD}-VBA-pain002.xml`,
      shows: 'the bank’s status report on the March payment file: accepted and rejected transfers, as already recorded',
      content: pain002StatusReport({ messageId: 'VBA-PSR-2024-03', createdAt: new Date('2024-03-06T08:00:00+07:00'), originalMessageId: 'RUN-2024-03-VBA' }, statuses),
    },
    {
      file: `${REPORTED_PERIOD}-bank-results.csv`,
      shows: 'the same results in the bank results CSV, for banks that export a spreadsheet',
      content: bankResultsCsv(statuses),
    },
    {
      file: 'identity-check-answers.csv',
      shows: 'the population database’s answers: matched, a name registered otherwise, and one death to review (the person’s payments are held)',
      content: identityCheckAnswersCsv(answers),
    },
  ];
  for (const { file, content } of files) writeFileSync(join(directory, file), content);
  return files.map(({ file, shows }) => ({ file: join(directory, file), shows }));
}
