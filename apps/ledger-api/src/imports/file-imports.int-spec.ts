import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DisbursementEventType, disbursementStreamName, ProviderReferenceEventType, type LocalDate, type Period } from '@ledger/domain';
import { readAggregate, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { bankResultsCsv, endToEndIdOf } from '@ledger/payment-files';
import { enrollWithBankAccounts, personEnrollment } from '../../../../libs/event-store/src/testing/province.js';
import { handWiredCommands } from '../demo/hand-wired-commands.js';
import { ChangeDisbursementCommand } from '../disbursements/disbursement.commands.js';
import { settlementStreamsOf } from '../disbursements/settlement-reads.js';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { ApprovePayrollRunCommand, SchedulePayrollCommand, SendPayrollRunCommand } from '../payroll-runs/payroll-run.commands.js';
import type { CommandContext } from '../platform/index.js';
import { FileImports } from './file-imports.js';

const identifiers = new LedgerIdentifiers('file-imports-spec-identifier-key-0123456789');
const catalogues = loadCatalogues();
const directory = mkdtempSync(join(tmpdir(), 'ledger-file-imports-'));
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
const commands = handWiredCommands(store, catalogues, identifiers);
const PAID_ON = '2024-04-10' as LocalDate;
/** How a bank's file dates a payment: noon in Vietnam on the day it states. */
const PAID_AT = new Date(`${PAID_ON}T12:00:00+07:00`);

const context = (userId: string): CommandContext => ({
  actor: { userId, role: 'operator', units: ['*'] },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  idempotencyKey: randomUUID(),
  receivedAt: new Date(),
});

/** The April run's payments, sent to the bank: each test takes its own. */
let sent: Array<{ readonly disbursementId: string; readonly amount: number }> = [];

beforeAll(async () => {
  const unitCode = catalogues.units.codes().find((code) => code !== '91')!;
  await enrollWithBankAccounts(store, 10, (n) => personEnrollment(n, { unitCode, program: 'SOCIAL_ASSISTANCE', coefficient: 1000, effectiveFrom: '2024-04' as Period }));
  const run = await commands.execute(new SchedulePayrollCommand({ period: '2024-04' as Period, program: null, unitCode: null }, context('maker')));
  await commands.execute(new ApprovePayrollRunCommand(run.runId, context('checker')));
  await commands.execute(new SendPayrollRunCommand(run.runId, context('maker')));
  for await (const { streamName, events } of store.readCategory('disbursement')) {
    const scheduled = events.find((event) => event.type === DisbursementEventType.Scheduled)!;
    sent.push({ disbursementId: streamName.slice('disbursement-'.length), amount: (scheduled.data as { amount: number }).amount });
  }
  sent = sent.sort((a, b) => (a.disbursementId < b.disbursementId ? -1 : 1));
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const paidLines = (...payments: ReadonlyArray<{ disbursementId: string; amount: number }>) =>
  Buffer.from(bankResultsCsv(payments.map(({ disbursementId, amount }) => ({ disbursementId, outcome: 'PAID' as const, amount, date: PAID_ON }))), 'utf8');

const importsThrough = (through: EventStore) =>
  new FileImports({ store: through, commands: handWiredCommands(through, catalogues, identifiers), catalogues, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });

/**
 * The store as the import sees it, where `meanwhile` happens the first time the import reads the
 * provider references' claims: after it has read every stream its chunk decides on, before it appends.
 */
function racing(meanwhile: () => Promise<unknown>): EventStore {
  let raced = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readStreams') return Reflect.get(target, property, receiver);
      return async (streamNames: readonly string[]) => {
        const read = await target.readStreams(streamNames);
        if (!raced && streamNames.some((name) => name.startsWith('provider-reference-'))) {
          raced = true;
          await meanwhile();
        }
        return read;
      };
    },
  });
}

const settledThroughTheApi = (disbursementId: string, providerReference: string, amount: number) =>
  commands.execute(new ChangeDisbursementCommand(disbursementId, { type: 'SettleDisbursement', data: { providerReference, paidAt: PAID_AT, amount } }, context('teller')));

async function eventTypesOf(streamName: string): Promise<string[]> {
  return (await store.readStream(streamName)).map((event) => event.type);
}

async function referenceStreamOf(disbursementId: string, providerReference: string): Promise<string> {
  const { state } = await readAggregate(store, 'disbursement', disbursementId);
  return `provider-reference-${settlementStreamsOf(state, providerReference).providerReferenceId}`;
}

const count = (types: readonly string[], type: string) => types.filter((each) => each === type).length;

describe('when a settlement of the same payment, under the same reference, lands between the import’s read and its append', () => {
  it('records the payment once, and reports the line applied', async () => {
    const [payment, bystander] = [sent[0]!, sent[1]!];
    const reference = endToEndIdOf(payment.disbursementId);
    const imports = importsThrough(racing(() => settledThroughTheApi(payment.disbursementId, reference, payment.amount)));

    const { report } = await imports.importPaymentResults('BANK_RESULTS', paidLines(payment, bystander), context('importer'));

    expect(report.lines.map(({ disbursementId, outcome }) => ({ disbursementId, outcome }))).toEqual([
      { disbursementId: payment.disbursementId, outcome: 'APPLIED' },
      { disbursementId: bystander.disbursementId, outcome: 'APPLIED' },
    ]);
    const paid = (await store.readStream(disbursementStreamName(payment.disbursementId))).filter((event) => event.type === DisbursementEventType.Paid);
    // Recorded by the settlement that won the race: the import found it done, and wrote no second one.
    expect(paid.map((event) => event.metadata['actorId'])).toEqual(['teller']);
    expect(await eventTypesOf(await referenceStreamOf(payment.disbursementId, reference))).toEqual([ProviderReferenceEventType.Claimed]);
    expect(count(await eventTypesOf(disbursementStreamName(bystander.disbursementId)), DisbursementEventType.Paid)).toBe(1);
  });
});

describe('when a settlement of the same payment, under another reference, lands between the import’s read and its append', () => {
  it('keeps the payment paid once, and reports the line a duplicate payment', async () => {
    const payment = sent[2]!;
    const imports = importsThrough(racing(() => settledThroughTheApi(payment.disbursementId, 'TELLER-0001', payment.amount)));

    const { report } = await imports.importPaymentResults('BANK_RESULTS', paidLines(payment), context('importer'));

    expect(report.lines).toMatchObject([{ disbursementId: payment.disbursementId, outcome: 'DUPLICATE', code: 'DUPLICATE_PAYMENT' }]);
    const types = await eventTypesOf(disbursementStreamName(payment.disbursementId));
    expect(count(types, DisbursementEventType.Paid)).toBe(1);
    expect((await readAggregate(store, 'disbursement', payment.disbursementId)).state.payment).toMatchObject({ providerReference: 'TELLER-0001' });
  });
});

describe('when another payment claims the line’s provider reference between the import’s read and its claim', () => {
  it('decides the line again on the claim, pays neither twice, and reports the line a duplicate', async () => {
    const [payment, other] = [sent[3]!, sent[4]!];
    const reference = endToEndIdOf(payment.disbursementId);
    const imports = importsThrough(racing(() => settledThroughTheApi(other.disbursementId, reference, other.amount)));

    const { report } = await imports.importPaymentResults('BANK_RESULTS', paidLines(payment), context('importer'));

    expect(report.lines).toMatchObject([{ disbursementId: payment.disbursementId, outcome: 'DUPLICATE', code: 'PROVIDER_REFERENCE_IN_USE' }]);
    expect(count(await eventTypesOf(disbursementStreamName(payment.disbursementId)), DisbursementEventType.Paid)).toBe(0);
    expect(count(await eventTypesOf(disbursementStreamName(other.disbursementId)), DisbursementEventType.Paid)).toBe(1);
    expect(await eventTypesOf(await referenceStreamOf(payment.disbursementId, reference))).toEqual([ProviderReferenceEventType.Claimed]);
  });
});

describe('when an import was interrupted after claiming its references but before recording the payments', () => {
  it('carries on, recording each payment once and each claim once, every line applied', async () => {
    const payments = [sent[5]!, sent[6]!, sent[7]!];
    const file = paidLines(...payments);
    // The connection lost on the way to the payments' streams: the claims are written, the payments not.
    const failingPayments = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'appendToStream') return Reflect.get(target, property, receiver);
        return (streamName: string, ...rest: Parameters<EventStore['appendToStream']> extends [string, ...infer Rest] ? Rest : never) =>
          streamName.startsWith('disbursement-') ? Promise.reject(new Error('connection lost')) : target.appendToStream(streamName, ...rest);
      },
    });
    const importer = context('importer');
    await expect(importsThrough(failingPayments).importPaymentResults('BANK_RESULTS', file, importer)).rejects.toThrow('connection lost');
    for (const { disbursementId } of payments) {
      expect(await eventTypesOf(await referenceStreamOf(disbursementId, endToEndIdOf(disbursementId)))).toEqual([ProviderReferenceEventType.Claimed]);
    }

    const { report, repeat } = await importsThrough(store).importPaymentResults('BANK_RESULTS', file, importer);

    expect(repeat).toBe(false);
    expect(report.lines.map(({ outcome }) => outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    for (const { disbursementId } of payments) {
      expect(count(await eventTypesOf(disbursementStreamName(disbursementId)), DisbursementEventType.Paid)).toBe(1);
      expect(await eventTypesOf(await referenceStreamOf(disbursementId, endToEndIdOf(disbursementId)))).toEqual([ProviderReferenceEventType.Claimed]);
    }
  });
});

describe('when a chunk holds many payments and other lines', () => {
  it('reads its payments, their people and their references’ claims in one call each, settles each payment once, and reports the rest', async () => {
    const [paid, fresh, another] = [sent[0]!, sent[8]!, sent[9]!];
    const stranger = { disbursementId: randomUUID(), amount: 1_000 };
    const reads: string[] = [];
    const counting = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'readStream') return (streamName: string, options?: object) => (reads.push(`readStream ${streamName.split('-')[0]}`), target.readStream(streamName, options));
        if (property === 'readStreams') return (streamNames: readonly string[]) => (reads.push(`readStreams ${streamNames[0]!.split('-')[0]}`), target.readStreams(streamNames));
        return Reflect.get(target, property, receiver);
      },
    });

    const { report } = await importsThrough(counting).importPaymentResults('BANK_RESULTS', paidLines(paid, fresh, stranger, another, fresh), context('importer'));

    expect(reads.filter((read) => !read.endsWith(' file')).sort()).toEqual(['readStreams beneficiary', 'readStreams disbursement', 'readStreams provider']);

    expect(report.lines.map(({ outcome, code }) => (code ? `${outcome}/${code}` : outcome))).toEqual(['ALREADY_RECORDED', 'APPLIED', 'UNMATCHED', 'APPLIED', 'DUPLICATE/REPEATED_IN_FILE']);
    for (const { disbursementId } of [paid, fresh, another]) expect(count(await eventTypesOf(disbursementStreamName(disbursementId)), DisbursementEventType.Paid)).toBe(1);
  });
});
