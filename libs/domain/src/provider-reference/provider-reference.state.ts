import { unreachable } from '../decider.js';
import { ProviderReferenceEventType, type ProviderReferenceEvent } from './provider-reference.events.js';

export interface ProviderReferenceState {
  /** The disbursement this reference paid; null while nobody has presented it. */
  readonly claimedBy: string | null;
}

export const initialProviderReferenceState = (): ProviderReferenceState => ({ claimedBy: null });

export function evolveProviderReference(state: ProviderReferenceState, event: ProviderReferenceEvent): ProviderReferenceState {
  switch (event.type) {
    case ProviderReferenceEventType.Claimed:
      return { ...state, claimedBy: event.data.disbursementId };
    default:
      return unreachable(event.type);
  }
}
