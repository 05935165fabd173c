import type { Decider, DomainEvent } from '../decider.js';
import type { AccountNumberCommand } from '../account-number/account-number.commands.js';
import { accountNumberDecider } from '../account-number/account-number.decider.js';
import type { AccountNumberEvent } from '../account-number/account-number.events.js';
import type { AccountNumberState } from '../account-number/account-number.state.js';
import { ACCOUNT_NUMBER_CATEGORY, accountNumberStreamName } from '../account-number/account-number.stream.js';
import type { BeneficiaryCommand } from '../beneficiary/beneficiary.commands.js';
import { beneficiaryDecider } from '../beneficiary/beneficiary.decider.js';
import type { BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { BENEFICIARY_CATEGORY, beneficiaryStreamName } from '../beneficiary/beneficiary.stream.js';
import type { DisbursementCommand } from '../disbursement/disbursement.commands.js';
import { disbursementDecider } from '../disbursement/disbursement.decider.js';
import type { DisbursementEvent } from '../disbursement/disbursement.events.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { DISBURSEMENT_CATEGORY, disbursementStreamName } from '../disbursement/disbursement.stream.js';
import { fileImportDecider, type FileImportCommand, type FileImportState } from '../file-import/file-import.decider.js';
import type { FileImportEvent } from '../file-import/file-import.events.js';
import { FILE_IMPORT_CATEGORY, fileImportStreamName } from '../file-import/file-import.stream.js';
import { payrollRunDecider, type PayrollRunCommand, type PayrollRunState } from '../payroll-run/payroll-run.decider.js';
import type { PayrollRunEvent } from '../payroll-run/payroll-run.events.js';
import { PAYROLL_RUN_CATEGORY, payrollRunStreamName } from '../payroll-run/payroll-run.stream.js';
import type { ProviderReferenceCommand } from '../provider-reference/provider-reference.commands.js';
import { providerReferenceDecider } from '../provider-reference/provider-reference.decider.js';
import type { ProviderReferenceEvent } from '../provider-reference/provider-reference.events.js';
import type { ProviderReferenceState } from '../provider-reference/provider-reference.state.js';
import { PROVIDER_REFERENCE_CATEGORY, providerReferenceStreamName } from '../provider-reference/provider-reference.stream.js';

/** What the ledger keeps one stream per: each with its decider and the one function that names its streams. */
interface Aggregate<Command, Event extends DomainEvent, State> {
  readonly decider: Decider<Command, Event, State>;
  /** The stream name's prefix: `<category>-<id>`. */
  readonly category: string;
  readonly streamName: (id: string) => string;
}

interface AggregateTypes {
  beneficiary: { command: BeneficiaryCommand; event: BeneficiaryEvent; state: BeneficiaryState };
  disbursement: { command: DisbursementCommand; event: DisbursementEvent; state: DisbursementState };
  payrollRun: { command: PayrollRunCommand; event: PayrollRunEvent; state: PayrollRunState };
  providerReference: { command: ProviderReferenceCommand; event: ProviderReferenceEvent; state: ProviderReferenceState };
  accountNumber: { command: AccountNumberCommand; event: AccountNumberEvent; state: AccountNumberState };
  fileImport: { command: FileImportCommand; event: FileImportEvent; state: FileImportState };
}

export type AggregateName = keyof AggregateTypes;
export type CommandOf<Name extends AggregateName> = AggregateTypes[Name]['command'];
export type EventOf<Name extends AggregateName> = AggregateTypes[Name]['event'];
export type StateOf<Name extends AggregateName> = AggregateTypes[Name]['state'];

/**
 * Every aggregate of the ledger, in one place: which decider rules a stream and how it is named.
 * The executor finds both here, so no handler spells a stream prefix.
 */
export const AGGREGATES: { readonly [Name in AggregateName]: Aggregate<CommandOf<Name>, EventOf<Name>, StateOf<Name>> } = {
  beneficiary: { decider: beneficiaryDecider, category: BENEFICIARY_CATEGORY, streamName: beneficiaryStreamName },
  disbursement: { decider: disbursementDecider, category: DISBURSEMENT_CATEGORY, streamName: disbursementStreamName },
  payrollRun: { decider: payrollRunDecider, category: PAYROLL_RUN_CATEGORY, streamName: payrollRunStreamName },
  providerReference: { decider: providerReferenceDecider, category: PROVIDER_REFERENCE_CATEGORY, streamName: providerReferenceStreamName },
  accountNumber: { decider: accountNumberDecider, category: ACCOUNT_NUMBER_CATEGORY, streamName: accountNumberStreamName },
  fileImport: { decider: fileImportDecider, category: FILE_IMPORT_CATEGORY, streamName: fileImportStreamName },
};

const BY_CATEGORY = new Map(Object.entries(AGGREGATES).map(([name, aggregate]) => [aggregate.category, name as AggregateName]));

/** Which aggregate instance a stream belongs to, read back from its name; undefined for a stream the ledger does not name. */
export function aggregateOfStream(streamName: string): { readonly aggregate: AggregateName; readonly id: string } | undefined {
  // Categories may hold a dash (payroll-run): try each dash until a category matches.
  for (let dash = streamName.indexOf('-'); dash > 0; dash = streamName.indexOf('-', dash + 1)) {
    const aggregate = BY_CATEGORY.get(streamName.slice(0, dash));
    if (aggregate) return { aggregate, id: streamName.slice(dash + 1) };
  }
  return undefined;
}

/** A command for one stream, as a workflow decides it: which aggregate, which instance, what to do. */
export type StreamCommand<Name extends AggregateName = AggregateName> = {
  [N in Name]: { readonly aggregate: N; readonly id: string; readonly command: CommandOf<N> };
}[Name];

/** A workflow's output for one aggregate instance: `to.disbursement(id, command)` reads like the sentence it is. */
export const to = {
  beneficiary: (id: string, command: BeneficiaryCommand): StreamCommand<'beneficiary'> => ({ aggregate: 'beneficiary', id, command }),
  disbursement: (id: string, command: DisbursementCommand): StreamCommand<'disbursement'> => ({ aggregate: 'disbursement', id, command }),
  payrollRun: (id: string, command: PayrollRunCommand): StreamCommand<'payrollRun'> => ({ aggregate: 'payrollRun', id, command }),
  providerReference: (id: string, command: ProviderReferenceCommand): StreamCommand<'providerReference'> => ({ aggregate: 'providerReference', id, command }),
  accountNumber: (id: string, command: AccountNumberCommand): StreamCommand<'accountNumber'> => ({ aggregate: 'accountNumber', id, command }),
  fileImport: (id: string, command: FileImportCommand): StreamCommand<'fileImport'> => ({ aggregate: 'fileImport', id, command }),
};

export function streamNameOf(target: Pick<StreamCommand, 'aggregate' | 'id'>): string {
  return AGGREGATES[target.aggregate].streamName(target.id);
}
