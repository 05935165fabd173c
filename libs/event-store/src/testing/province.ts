import { randomUUID } from 'node:crypto';
import {
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  eventsToRecord,
  type BeneficiaryCommand,
  type Coefficient,
  type LocalDate,
  type NationalId,
  type Period,
} from '@ledger/domain';
import { toEventToAppend } from '../command-handling.js';
import { NO_STREAM, type EventStore } from '../event-store.port.js';

/*
 * A province of numbered people, for specs and benchmarks that need many of them: built by the
 * beneficiary decider and appended straight to the store, their set-up rather than what they test.
 * (Free of Jest, unlike the rest of this folder's index: benchmarks import it too.)
 */

/** Person `n`: a national id of province 091 that agrees with a man born in 1952. */
export const personNationalId = (n: number) => `091052${String(n).padStart(6, '0')}` as NationalId;

/** Person `n`'s enrollment, as the command handler would decide on it. */
export function personEnrollment(
  n: number,
  { unitCode, program, coefficient, effectiveFrom }: { unitCode: string; program: string; coefficient: number; effectiveFrom: Period },
): Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }> {
  const nationalId = personNationalId(n);
  return {
    type: 'EnrollBeneficiary',
    data: {
      beneficiaryId: beneficiaryIdFor(nationalId),
      nationalId,
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1952-03-14' as LocalDate,
      gender: 'MALE',
      unitCode,
      program,
      coefficient: coefficient as Coefficient,
      effectiveFrom,
      decision: { number: `${n}/QĐ-UBND`, date: '2024-03-20' as LocalDate },
    },
  };
}

/**
 * People `first … people - 1` (from 0 unless told) enrolled as `enrollmentOf(n)` says, each with an
 * open bank account (or those `paidByBank` names; the others are paid in cash), 5,000 at a time.
 */
export async function enrollWithBankAccounts(
  store: EventStore,
  people: number,
  enrollmentOf: (n: number) => Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>,
  {
    openedOn = '2024-03-01' as LocalDate,
    first = 0,
    paidByBank = () => true,
    onProgress,
  }: { openedOn?: LocalDate; first?: number; paidByBank?: (n: number) => boolean; onProgress?: (enrolled: number) => void } = {},
): Promise<void> {
  const metadata = { actorId: 'set-up', actorRole: 'admin', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
  for (let start = first; start < people; start += 5_000) {
    await Promise.all(
      Array.from({ length: Math.min(5_000, people - start) }, async (_, offset) => {
        const n = start + offset;
        const enroll = enrollmentOf(n);
        const open: BeneficiaryCommand = {
          type: 'OpenPaymentAccount',
          data: { accountId: randomUUID(), bankCode: 'VBA', accountNumber: `77002${String(n).padStart(8, '0')}`, holderName: 'NGUYEN VAN AN', openedOn, openedBy: 'set-up-operator', sharedWithAnotherBeneficiary: false },
        };
        let state = beneficiaryDecider.initialState();
        const recorded = (paidByBank(n) ? [enroll, open] : [enroll]).flatMap((command) => {
          const decided = eventsToRecord(beneficiaryDecider.decide(command, state));
          state = decided.reduce(beneficiaryDecider.evolve, state);
          return decided;
        });
        await store.appendToStream(beneficiaryStreamName(enroll.data.beneficiaryId), recorded.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }),
    );
    onProgress?.(Math.min(start + 5_000, people));
  }
}
