import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { accountNumberDecider } from '../account-number/account-number.decider.js';
import { AccountNumberEventType } from '../account-number/account-number.events.js';
import type { LocalDate } from '../shared/index.js';
import { claimAccountNumber, openAccountAfterClaim, type AccountOpening } from './open-account.workflow.js';

describe('opening a payment account', () => {
  const opening: AccountOpening = { accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' as LocalDate, openedBy: 'lan.operator' };

  it('claims the account number for the beneficiary, on the stream its secret key names', () => {
    expect(claimAccountNumber('b-1', 'key-1', opening)).toEqual({ aggregate: 'accountNumber', id: 'key-1', command: { type: 'ClaimAccountNumber', data: { beneficiaryId: 'b-1', accountId: 'a-1' } } });
  });

  it('opens it shared when another beneficiary holds the same number, whatever the name says', () => {
    const claim = fold(accountNumberDecider, [
      { type: AccountNumberEventType.Claimed, data: { beneficiaryId: 'b-2', accountId: 'a-9' } },
      { type: AccountNumberEventType.Claimed, data: { beneficiaryId: 'b-1', accountId: 'a-1' } },
    ]);
    expect(openAccountAfterClaim('b-1', claim, opening).command).toEqual({ type: 'OpenPaymentAccount', data: { ...opening, sharedWithAnotherBeneficiary: true } });
  });

  it('opens it unshared when the number is this beneficiary’s alone, or the other holder closed theirs', () => {
    const alone = fold(accountNumberDecider, [{ type: AccountNumberEventType.Claimed, data: { beneficiaryId: 'b-1', accountId: 'a-1' } }]);
    const released = fold(accountNumberDecider, [
      { type: AccountNumberEventType.Claimed, data: { beneficiaryId: 'b-2', accountId: 'a-9' } },
      { type: AccountNumberEventType.Released, data: { beneficiaryId: 'b-2', accountId: 'a-9' } },
      { type: AccountNumberEventType.Claimed, data: { beneficiaryId: 'b-1', accountId: 'a-1' } },
    ]);
    for (const claim of [alone, released]) expect(openAccountAfterClaim('b-1', claim, opening).command.data).toMatchObject({ sharedWithAnotherBeneficiary: false });
  });
});

describe('an opening the beneficiary refuses', () => {
  it('is refused before anything is claimed', async () => {
    const { assertAccountMayBeOpened } = await import('./open-account.workflow.js');
    const { beneficiaryAfter, registered, accountOpened, enrolledFrom } = await import('../testing/workflow-fixtures.js');
    const holder = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'));
    const opening = { accountId: 'a-2', bankCode: 'VBA', accountNumber: holder.accounts[0]!.accountNumber, holderName: 'BUI TRUNG TAI', openedOn: '2024-03-01' as LocalDate, openedBy: 'lan.operator' };
    expect(() => assertAccountMayBeOpened(holder, opening)).toThrow(expect.objectContaining({ code: 'ACCOUNT_ALREADY_OPEN' }));
    expect(() => assertAccountMayBeOpened(beneficiaryAfter(), opening)).toThrow(expect.objectContaining({ code: 'BENEFICIARY_NOT_FOUND' }));
    expect(() => assertAccountMayBeOpened(holder, { ...opening, accountNumber: '7700299999999' })).not.toThrow();
    // The same request again (the same account id) is a repeat to be answered, not a second opening.
    expect(() => assertAccountMayBeOpened(holder, { ...opening, accountId: 'a-1' })).not.toThrow();
  });
});
