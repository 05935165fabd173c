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

/** One open finding the hold keeps: the program it stops, and the day it was recorded. */
export interface HeldForFinding {
  readonly program: string;
  readonly since: LocalDate;
}

/**
 * The national hub found the person in another province too: their payments of each program an
 * open finding names wait until an operator resolves every open finding of that program. Their other
 * programs are paid as usual. One hold for all of them, so it keeps the open findings by id.
 */
export interface CrossProvinceFindingHold {
  readonly kind: 'CROSS_PROVINCE_FINDING';
  readonly findings: Readonly<Record<string, HeldForFinding>>;
}

/**
 * Why a person's payments wait: not scheduled by a payroll run, not sent by one, until the hold is
 * lifted. A beneficiary has at most one hold of each kind; each kind says which programs it stops
 * (a reported death stops them all, a cross-province finding the program it names). A new kind is
 * one more member of this union, and of HOLD_KINDS.
 */
export type PaymentHold = DeathReportedHold | CrossProvinceFindingHold;
export type PaymentHoldKind = PaymentHold['kind'];
export type PaymentHolds = { readonly [Kind in PaymentHoldKind]?: Extract<PaymentHold, { kind: Kind }> };

/**
 * The order a month held twice over is reported in: a reported death before a finding, whichever
 * came first, so that the reason a run gives does not depend on the order the holds were recorded.
 */
const HOLD_KINDS: readonly PaymentHoldKind[] = ['DEATH_REPORTED', 'CROSS_PROVINCE_FINDING'];

function holdStops(hold: PaymentHold, program: string): boolean {
  switch (hold.kind) {
    case 'DEATH_REPORTED':
      return true;
    case 'CROSS_PROVINCE_FINDING':
      return Object.values(hold.findings).some((finding) => finding.program === program);
  }
}

/**
 * PaymentsWaitWhileHeld: the hold that stops the person's payments of `program`, if any. The payroll
 * run skips them under this kind as the reason, and sending leaves them out of the run.
 */
export function paymentHoldOn(beneficiary: { readonly paymentHolds: PaymentHolds }, program: string): PaymentHoldKind | undefined {
  for (const kind of HOLD_KINDS) {
    const hold = beneficiary.paymentHolds[kind];
    if (hold && holdStops(hold, program)) return hold.kind;
  }
  return undefined;
}
