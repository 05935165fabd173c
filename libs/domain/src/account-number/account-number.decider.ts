import { unreachable, type Decider } from '../decider.js';
import type { AccountNumberCommand } from './account-number.commands.js';
import { AccountNumberEventType, type AccountNumberEvent } from './account-number.events.js';
import { evolveAccountNumber, isHeldBy, initialAccountNumberState, type AccountNumberState } from './account-number.state.js';

/**
 * A reservation that records, never refuses: a number shared by two beneficiaries (a spouse's
 * account, a guardian's) is legitimate once a second operator has looked at it, which the
 * beneficiary's own stream enforces. Claims and releases repeat harmlessly.
 */
export function decideForAccountNumber(command: AccountNumberCommand, state: AccountNumberState): readonly AccountNumberEvent[] {
  switch (command.type) {
    case 'ClaimAccountNumber':
      if (isHeldBy(state, command.data)) return [];
      return [{ type: AccountNumberEventType.Claimed, data: { beneficiaryId: command.data.beneficiaryId, accountId: command.data.accountId } }];
    case 'ReleaseAccountNumber':
      if (!isHeldBy(state, command.data)) return [];
      return [{ type: AccountNumberEventType.Released, data: { beneficiaryId: command.data.beneficiaryId, accountId: command.data.accountId } }];
    default:
      return unreachable(command);
  }
}

export const accountNumberDecider: Decider<AccountNumberCommand, AccountNumberEvent, AccountNumberState> = {
  decide: decideForAccountNumber,
  evolve: evolveAccountNumber,
  initialState: initialAccountNumberState,
};
