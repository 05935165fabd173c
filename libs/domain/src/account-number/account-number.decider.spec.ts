import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { accountNumberDecider } from './account-number.decider.js';
import { AccountNumberEventType as T, type AccountNumberEvent } from './account-number.events.js';
import { heldByAnotherBeneficiary } from './account-number.state.js';
import { accountNumberStreamName } from './account-number.stream.js';

const spec = deciderSpec(accountNumberDecider);
const claim = (beneficiaryId: string, accountId: string) => ({ type: 'ClaimAccountNumber', data: { beneficiaryId, accountId } }) as const;
const release = (beneficiaryId: string, accountId: string) => ({ type: 'ReleaseAccountNumber', data: { beneficiaryId, accountId } }) as const;
const claimedByB1: AccountNumberEvent = { type: T.Claimed, data: { beneficiaryId: 'b-1', accountId: 'a-1' } };
const claimedByB2: AccountNumberEvent = { type: T.Claimed, data: { beneficiaryId: 'b-2', accountId: 'a-7' } };
const releasedByB1: AccountNumberEvent = { type: T.Released, data: { beneficiaryId: 'b-1', accountId: 'a-1' } };
const stateAfter = (events: AccountNumberEvent[]) => fold(accountNumberDecider, events);

describe('a bank account number', () => {
  describe('when an account opens with it', () => {
    it('is claimed by that account', () => spec.given([]).when(claim('b-1', 'a-1')).then([claimedByB1]));

    it('is claimed once per account', () => spec.given([claimedByB1]).when(claim('b-1', 'a-1')).then([]));

    it('is claimed by a second beneficiary too: sharing is recorded, not refused', () => spec.given([claimedByB1]).when(claim('b-2', 'a-7')).then([claimedByB2]));
  });

  describe('when an account with it closes', () => {
    it('is released by that account', () => spec.given([claimedByB1]).when(release('b-1', 'a-1')).then([releasedByB1]));

    it('is released once, and only by an account that holds it', () => {
      spec.given([claimedByB1, releasedByB1]).when(release('b-1', 'a-1')).then([]);
      spec.given([claimedByB1]).when(release('b-2', 'a-7')).then([]);
    });
  });

  describe('whether another beneficiary holds it', () => {
    it('is not so for nobody, or for the beneficiary alone', () => {
      expect(heldByAnotherBeneficiary(stateAfter([]), 'b-1')).toBe(false);
      expect(heldByAnotherBeneficiary(stateAfter([claimedByB1]), 'b-1')).toBe(false);
    });

    it('is so while another beneficiary has an open account with it', () => {
      expect(heldByAnotherBeneficiary(stateAfter([claimedByB1]), 'b-2')).toBe(true);
      expect(heldByAnotherBeneficiary(stateAfter([claimedByB1, claimedByB2]), 'b-1')).toBe(true);
    });

    it('is no longer so once the other account closed', () => expect(heldByAnotherBeneficiary(stateAfter([claimedByB1, releasedByB1]), 'b-2')).toBe(false));
  });

  describe('its stream', () => {
    it('is named by the opaque key the application derives', () =>
      expect(accountNumberStreamName('5f1c2a9e-0b7d-5c44-9a1e-2f6b8d3c7e10')).toBe('account-number-5f1c2a9e-0b7d-5c44-9a1e-2f6b8d3c7e10'));

    it('is never named by the account number itself', () => {
      expect(() => accountNumberStreamName('7700205123456')).toThrow(RangeError);
      expect(() => accountNumberStreamName('')).toThrow(RangeError);
    });
  });
});
