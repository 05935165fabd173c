import { enrollmentActivityIn, type BeneficiaryState } from '../beneficiary/beneficiary.state.js';
import { eventsToRecord } from '../decider.js';
import { disbursementDecider } from '../disbursement/disbursement.decider.js';
import { DisbursementEventType, payingAgentOf } from '../disbursement/disbursement.events.js';
import type { DisbursementState } from '../disbursement/disbursement.state.js';
import { daysLate, type LocalDate, type Period } from '../shared/index.js';
import { to, type StreamCommand } from './stream-command.js';

/** A paying agent's report that one payment was made. */
export interface Settlement {
  readonly providerReference: string;
  readonly paidAt: Date;
  readonly amount: number;
  /** When the ledger was told: a payment cannot be reported before it happened. */
  readonly recordedAt: Date;
}

/** The paying agent (a bank, or the Post Office) whose reference this settlement carries. */
export function payingAgentOfPayment(disbursement: DisbursementState): string {
  return payingAgentOf(disbursement.channel, disbursement.account);
}

/**
 * A provider reference pays one disbursement only, for its paying agent. The reference is claimed
 * first, on its own stream appended with "no stream" expected, then the payment recorded: a crash in
 * between leaves the reference held by this very payment, and the retry finishes it. A reference
 * already claimed for another payment is not a payment at all: the attempt is recorded on this
 * disbursement (auditors see it in the duplicate report) and refused.
 *
 * A settlement the disbursement refuses anyway (a wrong amount, a date out of range, a second
 * payment of a paid month) claims nothing: a mistyped line must not lock its reference away from the
 * payment it belongs to.
 *
 * `referenceClaimedBy` is the disbursement the reference's stream names, if any.
 */
export function settlePayment(
  settlement: Settlement,
  disbursement: DisbursementState,
  beneficiary: BeneficiaryState,
  referenceStreamId: string,
  referenceClaimedBy: string | null,
): StreamCommand[] {
  const { providerReference, paidAt, amount, recordedAt } = settlement;
  const { disbursementId } = disbursement;
  if (referenceClaimedBy !== null && referenceClaimedBy !== disbursementId) {
    return [to.disbursement(disbursementId, { type: 'RecordDuplicateAttempt', data: { providerReference, paidAt, amount, usedByDisbursementId: referenceClaimedBy } })];
  }
  const enrollment = enrollmentActivityIn(beneficiary.enrollments[disbursement.program], disbursement.period as Period);
  const settle = to.disbursement(disbursementId, {
    type: 'SettleDisbursement',
    data: { providerReference, paidAt, amount, recordedAt, daysLate: daysLate(disbursement.dueDate as LocalDate, paidAt), enrollment },
  });
  if (referenceClaimedBy === disbursementId || !wouldRecordPayment(settle.command, disbursement)) return [settle];
  const claim = to.providerReference(referenceStreamId, {
    type: 'ClaimProviderReference',
    data: { payingAgent: payingAgentOfPayment(disbursement), providerReference, disbursementId },
  });
  return [claim, settle];
}

/** Decided on the state just read (decide is pure): would this settlement record the payment? */
function wouldRecordPayment(command: StreamCommand<'disbursement'>['command'], disbursement: DisbursementState): boolean {
  try {
    const decision = disbursementDecider.decide(command, disbursement);
    return !('thenRefuse' in decision) && eventsToRecord(decision).some((event) => event.type === DisbursementEventType.Paid);
  } catch {
    return false;
  }
}
