import { describe, expect, it } from '@jest/globals';
import { BeneficiaryEventType as B, type BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import { beneficiaryAfter, beneficiaryId, disbursement, enrolledFrom, PROGRAM, registered } from '../testing/workflow-fixtures.js';
import { followCrossProvinceFindingResolution } from './cross-province-finding.workflow.js';
import { sendDisbursement } from './send-payroll-run.workflow.js';
import type { StreamCommand } from './stream-command.js';

const typesOf = (commands: StreamCommand[]) => commands.map((command) => [command.id, command.command.type]);
const FINDING = '3b7c1d2e-4f5a-5b6c-8d7e-9f0a1b2c3d4e';

const found: BeneficiaryEvent = {
  type: B.CrossProvinceFindingRecorded,
  data: { beneficiaryId, unitCode: '899', findingId: FINDING, kind: 'ENROLLED_IN_TWO_PROVINCES', program: PROGRAM, otherProvinces: ['79'], foundAt: '2024-06-04T03:00:00.000Z', recordedOn: '2024-06-05' },
};
const kept: BeneficiaryEvent = {
  type: B.CrossProvinceFindingResolved,
  data: { beneficiaryId, findingId: FINDING, program: PROGRAM, decision: 'KEEP', reason: 'Moved back here in March', resolvedBy: 'hoa.operator', recordedOn: '2024-06-10' },
};
const movedOut = (effectiveDate: string): BeneficiaryEvent[] => [
  {
    type: B.CrossProvinceFindingResolved,
    data: { beneficiaryId, findingId: FINDING, program: PROGRAM, decision: 'TERMINATE', reason: 'Lives in Hồ Chí Minh City', resolvedBy: 'hoa.operator', recordedOn: '2024-06-10', effectiveDate },
  },
  { type: B.EnrollmentTerminated, data: { beneficiaryId, program: PROGRAM, reason: 'MOVED_OUT', effectiveDate, recordedOn: '2024-06-10' } },
];

describe('following a resolved cross-province finding', () => {
  describe('when an operator finds the person moved out', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), found, ...movedOut('2024-03-31'));

    it('flags the months paid after the termination and cancels those not paid, as a termination does', () => {
      const march = disbursement('2024-03', ['sent', 'paid']);
      const april = disbursement('2024-04', ['sent', 'paid']);
      const may = disbursement('2024-05', ['sent']);
      const commands = followCrossProvinceFindingResolution({ beneficiary, findingId: FINDING, disbursements: [march, april, may] });
      expect(typesOf(commands)).toEqual([
        [april.disbursementId, 'FlagOverpayment'],
        [may.disbursementId, 'CancelDisbursement'],
      ]);
      expect(commands[0]!.command).toEqual({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-31' } });
    });

    it('finishes the job when repeated, and does nothing more once done', () => {
      const april = disbursement('2024-04', ['sent', 'paid', 'flagged']);
      const may = disbursement('2024-05', ['sent', 'cancelled']);
      expect(followCrossProvinceFindingResolution({ beneficiary, findingId: FINDING, disbursements: [april, may] })).toEqual([]);
    });

    it('leaves the payments of another program alone', () => {
      const other = { ...disbursement('2024-05', ['sent']), program: 'SOCIAL_ASSISTANCE', disbursementId: `${beneficiaryId}/SOCIAL_ASSISTANCE/2024-05` };
      expect(followCrossProvinceFindingResolution({ beneficiary, findingId: FINDING, disbursements: [other] })).toEqual([]);
    });
  });

  describe('when an operator keeps the person enrolled here', () => {
    it('has nothing to follow: the months held back are paid by the next run', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), found, kept);
      expect(followCrossProvinceFindingResolution({ beneficiary, findingId: FINDING, disbursements: [disbursement('2024-04', ['sent', 'paid']), { ...disbursement('2024-05', []), payrollRunId: null }] })).toEqual(
        [],
      );
    });
  });

  describe('when a run approved before the finding is sent while it is open', () => {
    it('leaves the held program’s payment out of the run, unsent and not cancelled', () => {
      const held = beneficiaryAfter(registered, enrolledFrom('2024-01'), found);
      const waiting = disbursement('2024-06', []);
      expect(sendDisbursement('run-1', waiting, held)).toEqual({ aggregate: 'disbursement', id: waiting.disbursementId, command: { type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } } });
    });

    it('sends it once the finding is kept', () => {
      const released = beneficiaryAfter(registered, enrolledFrom('2024-01'), found, kept);
      expect(sendDisbursement('run-1', disbursement('2024-06', []), released)?.command.type).toBe('SendDisbursement');
    });
  });
});
