import { describe, expect, it } from '@jest/globals';
import { schemaVersionOf, upcast } from '../event-schemas.js';
import { BeneficiaryEventType as T } from './beneficiary.events.js';

const v1Account = (status: 'VERIFIED' | 'UNVERIFIED') => ({
  type: T.PaymentAccountOpened,
  schemaVersion: 1,
  data: { beneficiaryId: 'b-1', accountId: 'a-1', bankCode: 'VBA', accountNumber: '7700205123456', holderName: 'BUI TRUNG TAM', openedOn: '2024-03-01', status },
});

describe('stored beneficiary events', () => {
  it('registers the termination corrections and revocations', () => {
    expect(schemaVersionOf(T.EnrollmentTerminationCorrected)).toBe(1);
    expect(schemaVersionOf(T.EnrollmentTerminationRevoked)).toBe(1);
  });

  it('registers the identity-check answers and the death reports at v1, read as written', () => {
    const stored = [
      { type: T.IdentityCheckAnswerRecorded, data: { beneficiaryId: 'b-1', importId: 'import-1', line: 4, outcome: 'MISMATCHED', mismatchedFields: ['fullName'], recordedOn: '2024-06-05' } },
      { type: T.DeathReported, data: { beneficiaryId: 'b-1', unitCode: '899', dateOfDeath: '2024-05-20', importId: 'import-1', line: 5, recordedOn: '2024-06-05' } },
      { type: T.DeathReportConfirmed, data: { beneficiaryId: 'b-1', dateOfDeath: '2024-05-20', importId: 'import-1', line: 5, confirmedBy: 'hoa', recordedOn: '2024-06-10' } },
      { type: T.DeathReportRejected, data: { beneficiaryId: 'b-1', dateOfDeath: '2024-05-20', importId: 'import-1', line: 5, rejectedBy: 'hoa', reason: 'Alive', recordedOn: '2024-06-10' } },
    ];
    for (const event of stored) {
      expect([event.type, schemaVersionOf(event.type)]).toEqual([event.type, 1]);
      expect(upcast({ ...event, schemaVersion: 1 })).toEqual(event);
    }
  });

  it('registers the cross-province findings and their resolution at v1, read as written', () => {
    const stored = [
      {
        type: T.CrossProvinceFindingRecorded,
        data: { beneficiaryId: 'b-1', unitCode: '899', findingId: 'f-1', kind: 'PAID_IN_TWO_PROVINCES', program: 'MERITORIOUS', period: '2024-05', otherProvinces: ['01'], foundAt: '2024-06-04T03:00:00.000Z', recordedOn: '2024-06-05' },
      },
      { type: T.CrossProvinceFindingResolved, data: { beneficiaryId: 'b-1', findingId: 'f-1', program: 'MERITORIOUS', decision: 'TERMINATE', reason: 'Moved', resolvedBy: 'hoa', recordedOn: '2024-06-10', effectiveDate: '2024-05-31' } },
    ];
    for (const event of stored) {
      expect([event.type, schemaVersionOf(event.type)]).toEqual([event.type, 1]);
      expect(upcast({ ...event, schemaVersion: 1 })).toEqual(event);
    }
  });

  describe('when reading an account opened under schema v1', () => {
    it('writes PaymentAccountOpened as v2', () => expect(schemaVersionOf(T.PaymentAccountOpened)).toBe(2));

    it('gives an UNVERIFIED account the only reason v1 knew: its holder name', () => {
      expect(upcast(v1Account('UNVERIFIED')).data).toEqual({ ...v1Account('UNVERIFIED').data, unverifiedReason: 'NAME_MISMATCH' });
    });

    it('leaves a VERIFIED account without a reason, and its opener unknown', () => {
      expect(upcast(v1Account('VERIFIED')).data).toEqual(v1Account('VERIFIED').data);
    });

    it('reads a v2 event as written', () => {
      const v2 = { ...v1Account('UNVERIFIED'), schemaVersion: 2, data: { ...v1Account('UNVERIFIED').data, unverifiedReason: 'SHARED_ACCOUNT', openedBy: 'maker' } };
      expect(upcast(v2).data).toEqual(v2.data);
    });
  });
});
