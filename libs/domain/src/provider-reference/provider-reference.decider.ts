import { unreachable, type Decider } from '../decider.js';
import { Conflict, InvalidValue } from '../shared/index.js';
import type { ProviderReferenceCommand } from './provider-reference.commands.js';
import { ProviderReferenceEventType, type ProviderReferenceEvent } from './provider-reference.events.js';
import { evolveProviderReference, initialProviderReferenceState, type ProviderReferenceState } from './provider-reference.state.js';

export function decideForProviderReference(command: ProviderReferenceCommand, state: ProviderReferenceState): readonly ProviderReferenceEvent[] {
  switch (command.type) {
    case 'ClaimProviderReference': {
      const { payingAgent, providerReference, disbursementId } = command.data;
      if (payingAgent.trim() === '') throw new InvalidValue('payingAgent', 'payingAgent must not be empty');
      if (providerReference.trim() === '') throw new InvalidValue('providerReference', 'providerReference must not be empty');
      // The same settlement presented again (a retried file, a repeated item) finds the reference already its own.
      if (state.claimedBy === disbursementId) return [];
      assertReferenceNotUsedByAnotherDisbursement(state, providerReference);
      return [{ type: ProviderReferenceEventType.Claimed, data: { payingAgent, providerReference, disbursementId } }];
    }
    default:
      return unreachable(command.type);
  }
}

export const providerReferenceDecider: Decider<ProviderReferenceCommand, ProviderReferenceEvent, ProviderReferenceState> = {
  decide: decideForProviderReference,
  evolve: evolveProviderReference,
  initialState: initialProviderReferenceState,
};

/** One payment, one reference: a second disbursement under it is a second payment the paying agent never made. */
function assertReferenceNotUsedByAnotherDisbursement(state: ProviderReferenceState, providerReference: string): void {
  if (state.claimedBy !== null) {
    // Which disbursement (and so whose payment) holds it is not the caller's business: the state says, the refusal does not.
    throw new Conflict('PROVIDER_REFERENCE_IN_USE', 'The provider reference already paid another disbursement at this paying agent', { providerReference });
  }
}
