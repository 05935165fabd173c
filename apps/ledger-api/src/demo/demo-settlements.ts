import type { Period } from '@ledger/domain';
import { REMOTE_UNITS, type DemoPeriod, type DemoProvince } from './demo-province.js';
import { integerBetween, randomFor, shuffled } from './demo-random.js';

/** A disbursement of a sent payroll run, as the settlement plan needs it. */
export interface SentDisbursement {
  readonly disbursementId: string;
  readonly beneficiaryId: string;
  readonly period: string;
  readonly unitCode: string;
  readonly amount: number;
  /** The channel of its first attempt: what it was sent by, whatever a later reschedule chose. */
  readonly firstChannel: 'BANK' | 'CASH';
  /** Cancelled before sending (its enrollment was suspended): nothing to settle. */
  readonly cancelled: boolean;
}

export type Fate =
  | { readonly kind: 'PAID'; readonly providerReference: string; readonly paidAt: Date }
  | { readonly kind: 'FAILED'; readonly reason: string; readonly retry: string | null }
  | { readonly kind: 'RETURNED'; readonly reason: string; readonly retry: string | null }
  | { readonly kind: 'UNSETTLED' };

export interface SettlementPlan {
  readonly period: DemoPeriod;
  readonly fates: ReadonlyMap<string, Fate>;
  /** Paid disbursements reported again under another reference: refused as duplicate payments, and recorded. */
  readonly duplicates: ReadonlyArray<{ readonly disbursementId: string; readonly providerReference: string; readonly paidAt: Date; readonly amount: number }>;
  /** Paid disbursements reported again under the same reference: harmless repeats. */
  readonly repeats: ReadonlyArray<{ readonly disbursementId: string; readonly providerReference: string; readonly paidAt: Date; readonly amount: number }>;
}

const FAILURE_REASONS = ['Account number not found at the bank', 'Account dormant; the bank refused the credit', "Holder name rejected by the bank's own check"];
const FREEZE = 'Account temporarily frozen by the bank';
const RETURN_REASONS = ['Not at home on pay day', 'In hospital on pay day', 'Did not come to the pay point', 'Staying with relatives in another commune'];
const LATE_SHARE_REMOTE = 0.12;
const LATE_SHARE_ELSEWHERE = 0.02;

/**
 * What the paying agents report for one sent run: which transfers failed, which cash came back,
 * which payments are still unreported, when and under which reference the rest were paid. The
 * counts are exactly the story's; which disbursements they fall on is drawn from the run's own
 * content, so a restarted seed draws the same ones. The featured people's fates are pinned.
 */
export function settlementPlanFor(period: DemoPeriod, sent: readonly SentDisbursement[], province: DemoProvince): SettlementPlan {
  const { story, featured } = province;
  const ordered = [...sent].filter((disbursement) => !disbursement.cancelled).sort((a, b) => a.disbursementId.localeCompare(b.disbursementId));
  const ownPeriod = ordered.filter((disbursement) => disbursement.period === period);
  const fates = new Map<string, Fate>();
  const byBeneficiary = new Map(ownPeriod.map((disbursement) => [disbursement.beneficiaryId, disbursement]));
  const pinned = (beneficiaryId: string) => {
    const disbursement = byBeneficiary.get(beneficiaryId);
    if (!disbursement) throw new Error(`The demo's featured beneficiary has no ${period} disbursement in this run`);
    return disbursement;
  };

  // The featured people first.
  const paidAnyway = new Set<string>();
  if (period === '2024-01') fates.set(pinned(featured.bankTransferRetried.beneficiaryId).disbursementId, { kind: 'FAILED', reason: FREEZE, retry: 'The account stays frozen: paid in cash at the commune pay point instead' });
  if (period === '2024-02') {
    paidAnyway.add(pinned(featured.bankTransferRetried.beneficiaryId).disbursementId);
    fates.set(pinned(featured.cashReturned.beneficiaryId).disbursementId, {
      kind: 'RETURNED',
      reason: 'Away on the mainland for medical treatment on pay day',
      retry: 'Back home on the island; to be paid with the next run',
    });
  }
  // Whoever died in January is paid for February and March before anyone reports the death.
  if (period !== '2024-01') {
    for (const person of province.persons) {
      if (person.lifeEvent?.kind === 'DECEASED_REPORTED_LATE') paidAnyway.add(pinned(person.beneficiaryId).disbursementId);
    }
  }

  const open = (channel: 'BANK' | 'CASH') => (disbursement: SentDisbursement) => disbursement.firstChannel === channel && !fates.has(disbursement.disbursementId) && !paidAnyway.has(disbursement.disbursementId);
  const draw = (label: string, candidates: readonly SentDisbursement[], count: number) => {
    if (count < 0 || candidates.length < count) throw new Error(`The ${period} settlements need ${count} ${label} but only ${candidates.length} disbursements qualify`);
    return shuffled(randomFor(`${period}/${label}`), candidates).slice(0, count);
  };
  const pinnedCount = (kind: Fate['kind'], retried?: boolean) =>
    [...fates.values()].filter((fate) => fate.kind === kind && (retried === undefined || ('retry' in fate && (fate.retry !== null) === retried))).length;

  const failed = draw('failed transfers', ownPeriod.filter(open('BANK')), story.failedTransfers[period] - pinnedCount('FAILED'));
  const retried = new Set(draw('retried transfers', failed, story.retriedTransfers[period] - pinnedCount('FAILED', true)));
  failed.forEach((disbursement, index) => {
    const retry = retried.has(disbursement);
    fates.set(disbursement.disbursementId, { kind: 'FAILED', reason: retry ? FREEZE : FAILURE_REASONS[index % FAILURE_REASONS.length]!, retry: retry ? 'The bank lifted the freeze on the account' : null });
  });
  const returned = draw('returned cash', ownPeriod.filter(open('CASH')), story.returnedCash[period] - pinnedCount('RETURNED'));
  const repaid = new Set(draw('repaid cash', returned, story.repaidCash[period] - pinnedCount('RETURNED', true)));
  returned.forEach((disbursement, index) => {
    fates.set(disbursement.disbursementId, {
      kind: 'RETURNED',
      reason: RETURN_REASONS[index % RETURN_REASONS.length]!,
      retry: repaid.has(disbursement) ? 'Beneficiary back home; to be paid with the next run' : null,
    });
  });
  // The Post Office's reports from the islands and the remote districts come in last.
  const unreported = ownPeriod.filter(open('CASH'));
  const remoteFirst = [...draw('unsettled (order)', unreported, unreported.length)].sort((a, b) => Number(!REMOTE_UNITS.has(a.unitCode)) - Number(!REMOTE_UNITS.has(b.unitCode)));
  for (const disbursement of remoteFirst.slice(0, story.unsettled[period])) fates.set(disbursement.disbursementId, { kind: 'UNSETTLED' });

  let serial = 0;
  for (const disbursement of ordered) {
    if (fates.has(disbursement.disbursementId)) continue;
    fates.set(disbursement.disbursementId, { kind: 'PAID', ...payment(period, disbursement, ++serial) });
  }

  const paidOwn = ownPeriod.filter((disbursement) => fates.get(disbursement.disbursementId)!.kind === 'PAID');
  const again = (disbursementId: string, sameReference: boolean) => {
    const fate = fates.get(disbursementId) as Extract<Fate, { kind: 'PAID' }>;
    const amount = ordered.find((disbursement) => disbursement.disbursementId === disbursementId)!.amount;
    if (sameReference) return { disbursementId, providerReference: fate.providerReference, paidAt: fate.paidAt, amount };
    // The same payment listed twice in a bank statement, under a second transaction reference.
    return { disbursementId, providerReference: `${fate.providerReference.slice(0, -6)}9${fate.providerReference.slice(-5)}`, paidAt: new Date(fate.paidAt.getTime() + 86_400_000), amount };
  };
  const duplicates: Array<ReturnType<typeof again>> = [];
  const repeats: Array<ReturnType<typeof again>> = [];
  if (period === '2024-02') {
    const featuredPayment = pinned(featured.bankTransferRetried.beneficiaryId).disbursementId;
    duplicates.push(again(featuredPayment, false));
    const others = draw('second reports', paidOwn.filter((disbursement) => disbursement.disbursementId !== featuredPayment && !paidAnyway.has(disbursement.disbursementId)), story.duplicateSettlements - 1 + story.repeatedSettlements);
    others.slice(0, story.duplicateSettlements - 1).forEach((disbursement) => duplicates.push(again(disbursement.disbursementId, false)));
    others.slice(story.duplicateSettlements - 1).forEach((disbursement) => repeats.push(again(disbursement.disbursementId, true)));
  }
  return { period, fates, duplicates, repeats };
}

/**
 * When and under which reference a disbursement was paid. Banks credit in the first days of the
 * month; the Post Office pays at commune pay points up to the due day, and late in remote places.
 * A month paid as arrears with a later run is paid in that run's month, late by nature.
 */
function payment(period: DemoPeriod, disbursement: SentDisbursement, serial: number): { providerReference: string; paidAt: Date } {
  const random = randomFor(`${disbursement.disbursementId}/payment`);
  const bank = disbursement.firstChannel === 'BANK';
  const late = random() < (REMOTE_UNITS.has(disbursement.unitCode) ? LATE_SHARE_REMOTE : LATE_SHARE_ELSEWHERE);
  const day = disbursement.period !== period ? integerBetween(random, 3, 9) : late ? integerBetween(random, 11, 24) : bank ? integerBetween(random, 3, 6) : integerBetween(random, 2, 10);
  const minutes = integerBetween(random, 7 * 60 + 30, 16 * 60);
  const paidAt = new Date(`${period}-${pad(day)}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00+07:00`);
  const year = period.slice(2, 4);
  const providerReference = bank
    ? `FT${year}${pad(dayOfYear(period as Period, day), 3)}${pad(serial, 6)}`
    : `VNP.${disbursement.unitCode}.${year}${period.slice(5, 7)}.${pad(serial, 6)}`;
  return { providerReference, paidAt };
}

function dayOfYear(period: Period, day: number): number {
  return Math.round((Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)) - 1, day) - Date.UTC(Number(period.slice(0, 4)), 0, 1)) / 86_400_000) + 1;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
