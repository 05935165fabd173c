import { randomUUID } from 'node:crypto';
import {
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  eventsToRecord,
  type BeneficiaryCommand,
  type Coefficient,
  type Decider,
  type DisbursementCommand,
  type DomainEvent,
  type LocalDate,
  type NationalId,
  type Period,
} from '@ledger/domain';
import { NO_STREAM, toEventToAppend, type EventStore } from '@ledger/event-store';

const metadata = { actorId: 'history', actorRole: 'admin', command: 'Generate', correlationId: randomUUID(), causationId: randomUUID() };

function decideAll<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, commands: C[]): E[] {
  let state = decider.initialState();
  return commands.flatMap((command) => {
    const events = eventsToRecord(decider.decide(command, state));
    state = events.reduce(decider.evolve, state);
    return [...events];
  });
}

/**
 * A ledger history written through the real deciders: beneficiaries in every district, a third
 * paid by bank, three months of disbursements scheduled, sent and mostly paid.
 */
export async function writeLedgerHistory(store: EventStore, beneficiaries: number, units: readonly string[]): Promise<number> {
  let written = 0;
  const append = async (streamName: string, events: DomainEvent[]) => {
    await store.appendToStream(streamName, events.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
    written += events.length;
  };
  for (let start = 0; start < beneficiaries; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, beneficiaries - start) }, async (_, offset) => {
        const n = start + offset;
        const nationalId = `0910520${String(n).padStart(5, '0')}` as NationalId;
        const beneficiaryId = beneficiaryIdFor(nationalId);
        const program = n % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE';
        const unitCode = units[n % units.length]!;
        const commands: BeneficiaryCommand[] = [
          {
            type: 'EnrollBeneficiary',
            data: {
              beneficiaryId,
              nationalId,
              fullName: 'Nguyễn Văn An',
              dateOfBirth: '1952-03-14' as LocalDate,
              gender: 'MALE',
              unitCode,
              program,
              coefficient: 1000 as Coefficient,
              effectiveFrom: '2024-01' as Period,
              decision: { number: `${n}/QĐ`, date: '2023-12-01' as LocalDate },
            },
          },
        ];
        const bank = n % 3 === 1;
        const account = bank ? { accountId: randomUUID(), bankCode: 'VBA', accountNumber: `7700${String(n).padStart(9, '0')}`, holderName: 'NGUYEN VAN AN' } : null;
        if (account) {
          commands.push({ type: 'OpenPaymentAccount', data: { ...account, openedOn: '2023-12-01' as LocalDate, openedBy: 'history', sharedWithAnotherBeneficiary: false } });
        }
        await append(beneficiaryStreamName(beneficiaryId), decideAll(beneficiaryDecider, commands));

        for (const [month, period] of (['2024-01', '2024-02', '2024-03'] as Period[]).entries()) {
          const disbursementId = disbursementIdFor(beneficiaryId, program, period);
          const amount = program === 'MERITORIOUS' ? 2_055_000 : 360_000;
          const active = { active: true } as const;
          const lifecycle: DisbursementCommand[] = [
            {
              type: 'ScheduleDisbursement',
              data: { disbursementId, beneficiaryId, program, period, unitCode, amount, channel: account ? 'BANK' : 'CASH', account, dueDate: `${period}-10`, arrears: false, payrollRunId: `run-${period}`, attempt: 1 },
            },
            { type: 'SendDisbursement', data: { payrollRunId: `run-${period}`, enrollment: active, scheduledAccountOpen: true } },
          ];
          if ((n + month) % 10 !== 0) {
            const paidAt = new Date(`${period}-${n % 7 === 0 ? '14' : '05'}T03:00:00Z`);
            lifecycle.push({
              type: 'SettleDisbursement',
              data: { providerReference: `FT${n}-${month}`, paidAt, amount, daysLate: n % 7 === 0 ? 4 : 0, enrollment: active, recordedAt: new Date(paidAt.getTime() + 3_600_000) },
            });
          }
          await append(disbursementStreamName(disbursementId), decideAll(disbursementDecider, lifecycle));
        }
      }),
    );
  }
  return written;
}
