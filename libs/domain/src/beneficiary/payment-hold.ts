import type { LocalDate } from '../shared/index.js';
import type { IdentityCheckSource } from './identity-check.js';

/**
 * The population database reported the person dead: every payment of every program waits until an
 * operator confirms the death (a termination) or rejects the report.
 */
export interface DeathReportedHold {
  readonly kind: 'DEATH_REPORTED';
  readonly dateOfDeath: LocalDate;
  /** The answer that reported it. */
  readonly source: IdentityCheckSource;
  /** The day in Vietnam the report was recorded. */
  readonly since: LocalDate;
  /** The operator who imported the answer: another one reviews it. Unknown on reports recorded before that rule. */
  readonly importedBy?: string;
}

/**
 * Why a person's payments wait: not scheduled by a payroll run, not sent by one, until the hold is
 * lifted. A beneficiary has at most one hold of each kind; each kind says which programs it stops
 * (a reported death stops them all). A new kind is one more member of this union.
 */
export type PaymentHold = DeathReportedHold;
export type PaymentHoldKind = PaymentHold['kind'];
export type PaymentHolds = { readonly [Kind in PaymentHoldKind]?: Extract<PaymentHold, { kind: Kind }> };

function holdStops(hold: PaymentHold, _program: string): boolean {
  switch (hold.kind) {
    case 'DEATH_REPORTED':
      return true;
  }
}

/**
 * PaymentsWaitWhileHeld: the hold that stops the person's payments of `program`, if any. The payroll
 * run skips them under this kind as the reason, and sending leaves them out of the run.
 */
export function paymentHoldOn(beneficiary: { readonly paymentHolds: PaymentHolds }, program: string): PaymentHoldKind | undefined {
  for (const hold of Object.values(beneficiary.paymentHolds)) {
    if (hold && holdStops(hold, program)) return hold.kind;
  }
  return undefined;
}
