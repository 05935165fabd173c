import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  disbursementDecider,
  disbursementIdFor,
  disbursementStreamName,
  NotFound,
  type BeneficiaryCommand,
  type Coefficient,
  type DisbursementCommand,
  type LocalDate,
  type NationalId,
  type Period,
} from '@ledger/domain';
import { handleCommand, SqliteEventStore } from '@ledger/event-store';
import { beneficiaryAsOf } from './beneficiary-as-of.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-as-of-'));
let now = new Date(0);
// Every append is recorded at the instant the script sets: the history's times are exact.
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'), { clock: () => now });

const nationalId = '091052000123' as NationalId;
const beneficiaryId = beneficiaryIdFor(nationalId);
const january = disbursementIdFor(beneficiaryId, 'MERITORIOUS', '2024-01');
const february = disbursementIdFor(beneficiaryId, 'MERITORIOUS', '2024-02');
const metadata = { actorId: 'lan.operator', actorRole: 'operator', command: 'script', correlationId: 'c', causationId: 'c' };
const active = { active: true } as const;
const at = (instant: string) => new Date(instant);

async function onBeneficiary(instant: string, command: BeneficiaryCommand) {
  now = at(instant);
  return handleCommand(store, beneficiaryDecider, beneficiaryStreamName(beneficiaryId), command, { metadata });
}
async function onDisbursement(disbursementId: string, instant: string, command: DisbursementCommand) {
  now = at(instant);
  return handleCommand(store, disbursementDecider, disbursementStreamName(disbursementId), command, { metadata });
}
const onFebruary = (instant: string, command: DisbursementCommand) => onDisbursement(february, instant, command);
const scheduled = (disbursementId: string, period: string, arrears: boolean): DisbursementCommand => ({
  type: 'ScheduleDisbursement',
  data: {
    disbursementId,
    beneficiaryId,
    program: 'MERITORIOUS',
    period,
    unitCode: '899',
    amount: 2_055_000,
    channel: 'CASH',
    account: null,
    dueDate: `${period}-10`,
    arrears,
    payrollRunId: 'run-2024-02',
    attempt: 1,
  },
});

describe("a beneficiary as of a past instant", () => {
  const positions: Record<string, string> = {};

  beforeAll(async () => {
    positions.enrolled = String(
      (
        await onBeneficiary('2024-01-05T09:00:00+07:00', {
          type: 'EnrollBeneficiary',
          data: {
            beneficiaryId,
            nationalId,
            fullName: 'Bùi Trung Tài',
            dateOfBirth: '1952-03-14' as LocalDate,
            gender: 'MALE',
            unitCode: '899',
            program: 'MERITORIOUS',
            coefficient: 1000 as Coefficient,
            effectiveFrom: '2024-01' as Period,
            decision: { number: '123/QĐ-UBND', date: '2023-12-20' as LocalDate },
          },
        })
      ).position,
    );
    // The February payroll, run on 20 January, also pays January as arrears (enrolled from January).
    await onDisbursement(january, '2024-01-20T10:00:00+07:00', scheduled(january, '2024-01', true));
    await onFebruary('2024-01-20T10:00:00+07:00', scheduled(february, '2024-02', false));
    await onDisbursement(january, '2024-01-22T14:00:00+07:00', { type: 'SendDisbursement', data: { payrollRunId: 'run-2024-02', enrollment: active, scheduledAccountOpen: true } });
    positions.sent = String((await onFebruary('2024-01-22T14:00:00+07:00', { type: 'SendDisbursement', data: { payrollRunId: 'run-2024-02', enrollment: active, scheduledAccountOpen: true } })).position);
    await onBeneficiary('2024-02-01T08:30:00+07:00', {
      type: 'OpenPaymentAccount',
      data: { accountId: '3f0f2d7c-5a1e-4c9b-8f51-0d7a2b6c9e11', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI', openedOn: '2024-01-30' as LocalDate, openedBy: 'lan.operator', sharedWithAnotherBeneficiary: false },
    });
    positions.paid = String(
      (
        await onFebruary('2024-02-08T16:00:00+07:00', {
          type: 'SettleDisbursement',
          data: { providerReference: 'PO24020800123', paidAt: at('2024-02-07T09:30:00+07:00'), amount: 2_055_000, daysLate: 0, enrollment: active, recordedAt: at('2024-02-08T16:00:00+07:00') },
        })
      ).position,
    );
    positions.suspended = String(
      (await onBeneficiary('2024-03-02T09:00:00+07:00', { type: 'SuspendEnrollment', data: { program: 'MERITORIOUS', reason: 'Hospitalised abroad', effectiveFrom: '2024-03' as Period } })).position,
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when asked about an instant before the first enrollment', () => {
    it('answers that the beneficiary was not recorded yet', async () => {
      await expect(beneficiaryAsOf(store, beneficiaryId, at('2024-01-05T08:59:59.999+07:00'))).rejects.toMatchObject({ code: 'BENEFICIARY_NOT_YET_RECORDED' });
      await expect(beneficiaryAsOf(store, '00000000-0000-5000-8000-000000000000', at('2024-06-01T00:00:00Z'))).rejects.toBeInstanceOf(NotFound);
    });
  });

  describe('when asked about the day after the enrollment (10 January)', () => {
    it('shows the enrollment active, paid in cash, no account and no payment yet', async () => {
      const then = await beneficiaryAsOf(store, beneficiaryId, at('2024-01-10T00:00:00+07:00'));
      expect(then).toMatchObject({
        asOf: '2024-01-09T17:00:00.000Z',
        position: positions.enrolled,
        beneficiary: { beneficiaryId, nationalId, fullName: 'Bùi Trung Tài', unitCode: '899', channel: 'CASH' },
        enrollments: [{ program: 'MERITORIOUS', status: 'ACTIVE', activeInPeriod: true, coefficient: 1000, effectiveFrom: '2024-01', suspensions: [], termination: null }],
        accounts: [],
        payments: [],
      });
    });
  });

  describe('when asked about the moment the February payment was sent (22 January, 14:00)', () => {
    it('includes the events recorded at that very instant: both payments sent in cash, the arrears already late', async () => {
      const then = await beneficiaryAsOf(store, beneficiaryId, at('2024-01-22T14:00:00+07:00'));
      expect(then.position).toBe(positions.sent);
      expect(then.accounts).toEqual([]);
      expect(then.payments).toEqual([
        expect.objectContaining({ disbursementId: january, period: '2024-01', arrears: true, status: 'SENT', paidAt: null, daysLate: 12 }),
        expect.objectContaining({ disbursementId: february, period: '2024-02', amount: 2_055_000, channel: 'CASH', status: 'SENT', paidAt: null, daysLate: 0 }),
      ]);
    });

    it('leaves out what was recorded a millisecond later', async () => {
      const then = await beneficiaryAsOf(store, beneficiaryId, at('2024-01-22T13:59:59.999+07:00'));
      expect(then.payments.map((payment) => payment.status)).toEqual(['SCHEDULED', 'SCHEDULED']);
    });
  });

  describe('when asked about mid-February', () => {
    it('shows the payment paid, when and under which reference, and the verified account', async () => {
      const then = await beneficiaryAsOf(store, beneficiaryId, at('2024-02-15T00:00:00+07:00'));
      expect(then.position).toBe(positions.paid);
      expect(then.beneficiary.channel).toBe('BANK');
      expect(then.accounts).toEqual([expect.objectContaining({ bankCode: 'VBA', status: 'VERIFIED', paymentAccount: true })]);
      expect(then.payments).toEqual([
        expect.objectContaining({ period: '2024-01', status: 'SENT', daysLate: 36 }),
        expect.objectContaining({ period: '2024-02', status: 'PAID', amount: 2_055_000, paidAt: '2024-02-07T02:30:00.000Z', providerReference: 'PO24020800123', daysLate: 0 }),
      ]);
      expect(then.enrollments[0]).toMatchObject({ status: 'ACTIVE' });
    });
  });

  describe('when asked about early March', () => {
    it('shows the enrollment suspended from March', async () => {
      const then = await beneficiaryAsOf(store, beneficiaryId, at('2024-03-05T00:00:00+07:00'));
      expect(then.position).toBe(positions.suspended);
      expect(then.enrollments).toEqual([
        expect.objectContaining({ status: 'SUSPENDED', activeInPeriod: false, suspensions: [{ from: '2024-03', reason: 'Hospitalised abroad', resumedFrom: null }] }),
      ]);
    });
  });
});
