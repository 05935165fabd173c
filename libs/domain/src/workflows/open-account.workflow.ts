import { heldByAnotherBeneficiary, type AccountNumberState } from '../account-number/account-number.state.js';
import type { BeneficiaryCommand } from '../beneficiary/beneficiary.commands.js';
import { beneficiaryDecider } from '../beneficiary/beneficiary.decider.js';
import type { BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { to, type StreamCommand } from './stream-command.js';

type OpenPaymentAccount = Extract<BeneficiaryCommand, { type: 'OpenPaymentAccount' }>;
export type AccountOpening = Omit<OpenPaymentAccount['data'], 'sharedWithAnotherBeneficiary'>;

/**
 * An opening the beneficiary would refuse (not registered, the same account already open) is
 * refused before anything is claimed: a refused request leaves no trace. Decided on the
 * beneficiary as it stands; decide is pure.
 */
export function assertAccountMayBeOpened(beneficiary: BeneficiaryState, opening: AccountOpening): void {
  // This very opening, repeated (its account id derives from the request's key): it is answered as it was the first time.
  if (beneficiary.accounts.some((account) => account.accountId === opening.accountId)) return;
  beneficiaryDecider.decide({ type: 'OpenPaymentAccount', data: { ...opening, sharedWithAnotherBeneficiary: false } }, beneficiary);
}

/**
 * Opening an account is two steps. First the account number is claimed for this beneficiary on a
 * stream of its own (its name derived from the bank and number under a secret key, never the
 * number itself), so that every beneficiary paid into one account is known on the write side.
 */
export function claimAccountNumber(beneficiaryId: string, accountNumberKey: string, opening: AccountOpening): StreamCommand<'accountNumber'> {
  return to.accountNumber(accountNumberKey, { type: 'ClaimAccountNumber', data: { beneficiaryId, accountId: opening.accountId } });
}

/**
 * Then the account is opened on the beneficiary, decided on the claim as recorded (so that two
 * people claiming one account at the same moment both see each other): an account another
 * beneficiary is also paid into is never verified by the name alone — a second operator must
 * look at it (SHARED_ACCOUNT).
 */
export function openAccountAfterClaim(beneficiaryId: string, claim: AccountNumberState, opening: AccountOpening): StreamCommand<'beneficiary'> {
  return to.beneficiary(beneficiaryId, { type: 'OpenPaymentAccount', data: { ...opening, sharedWithAnotherBeneficiary: heldByAnotherBeneficiary(claim, beneficiaryId) } });
}

/** Closing an account frees its number: another beneficiary opening it later is no longer sharing it. */
export function releaseAccountNumber(beneficiaryId: string, accountNumberKey: string, accountId: string): StreamCommand<'accountNumber'> {
  return to.accountNumber(accountNumberKey, { type: 'ReleaseAccountNumber', data: { beneficiaryId, accountId } });
}
