import { ForbiddenException } from '@nestjs/common';
import { aggregateOfStream, NotFound, type Catalogues } from '@ledger/domain';
import { readAggregate, type EventStore } from '@ledger/event-store';
import { mayReadUnit, problem, readsEveryUnit, type Actor } from '../platform/index.js';

/**
 * An auditor reads only within the units of their token, like every role. A stream outside them is
 * answered as an unknown one: the refusal must not tell that the person or payment exists.
 */
export async function assertMayReadStream(store: EventStore, catalogues: Catalogues, actor: Actor, streamName: string): Promise<void> {
  if (readsEveryUnit(actor)) return;
  const stream = aggregateOfStream(streamName);
  const unitCode = stream ? await unitOf(store, stream.aggregate, stream.id) : undefined;
  const readable = unitCode === null ? catalogues.units.codes().every((code) => mayReadUnit(actor, code, catalogues.units)) : unitCode !== undefined && mayReadUnit(actor, unitCode, catalogues.units);
  if (!readable) throw new NotFound('STREAM_NOT_FOUND', 'No beneficiary, disbursement or payroll run with this id');
}

export async function assertMayReadBeneficiary(store: EventStore, catalogues: Catalogues, actor: Actor, beneficiaryId: string): Promise<void> {
  if (readsEveryUnit(actor)) return;
  const { state } = await readAggregate(store, 'beneficiary', beneficiaryId);
  if (!state.registered || !mayReadUnit(actor, state.unitCode, catalogues.units)) throw new NotFound('BENEFICIARY_NOT_FOUND', 'No beneficiary with this id');
}

/** The whole log and a replay of every read model span every unit: only a caller who reads them all may ask. */
export function assertReadsEveryUnit(actor: Actor): void {
  if (!readsEveryUnit(actor)) {
    throw new ForbiddenException(problem(403, 'UNIT_OUT_OF_SCOPE', 'The whole log spans every unit; it is read by auditors of every unit (units ["*"]).', {}));
  }
}

/** The unit a stream belongs to; null for a payroll run of the whole province; undefined when unknown. */
async function unitOf(store: EventStore, aggregate: string, id: string): Promise<string | null | undefined> {
  switch (aggregate) {
    case 'beneficiary':
      return (await readAggregate(store, 'beneficiary', id)).state.unitCode || undefined;
    case 'disbursement':
      return (await readAggregate(store, 'disbursement', id)).state.unitCode || undefined;
    case 'payrollRun':
      return (await readAggregate(store, 'payrollRun', id)).state.scope.unitCode;
    default:
      return undefined;
  }
}
