import { unreachable } from '../decider.js';
import { AccountNumberEventType, type AccountNumberEvent } from './account-number.events.js';

export interface AccountNumberHolder {
  readonly beneficiaryId: string;
  readonly accountId: string;
}

export interface AccountNumberState {
  /** The open payment accounts with this number, in the order they were opened. */
  readonly holders: readonly AccountNumberHolder[];
}

export const initialAccountNumberState = (): AccountNumberState => ({ holders: [] });

export function evolveAccountNumber(state: AccountNumberState, event: AccountNumberEvent): AccountNumberState {
  switch (event.type) {
    case AccountNumberEventType.Claimed:
      return { holders: [...state.holders, { beneficiaryId: event.data.beneficiaryId, accountId: event.data.accountId }] };
    case AccountNumberEventType.Released:
      return { holders: state.holders.filter((holder) => !isSameHolder(holder, event.data)) };
    default:
      return unreachable(event);
  }
}

/** The number is open for somebody else: an account opened with it is not trusted on its name alone. */
export function heldByAnotherBeneficiary(state: AccountNumberState, beneficiaryId: string): boolean {
  return state.holders.some((holder) => holder.beneficiaryId !== beneficiaryId);
}

export function isHeldBy(state: AccountNumberState, holder: AccountNumberHolder): boolean {
  return state.holders.some((held) => isSameHolder(held, holder));
}

function isSameHolder(a: AccountNumberHolder, b: AccountNumberHolder): boolean {
  return a.beneficiaryId === b.beneficiaryId && a.accountId === b.accountId;
}
