import { describe, expect, it } from '@jest/globals';
import { fold } from '../decider.js';
import { beneficiaryDecider } from '../beneficiary/beneficiary.decider.js';
import { BeneficiaryEventType as B, type BeneficiaryEvent } from '../beneficiary/beneficiary.events.js';
import { eventsToRecord } from '../decider.js';
import type { LocalDate } from '../shared/index.js';
import {
  beneficiaryAfter,
  beneficiaryId,
  deathReportConfirmed,
  deathReported,
  deathReportRejected,
  disbursement,
  enrolledFrom,
  PROGRAM,
  registered,
  terminatedOn,
} from '../testing/workflow-fixtures.js';
import { followDeathConfirmation } from './death-report.workflow.js';
import type { StreamCommand } from './stream-command.js';

const typesOf = (commands: StreamCommand[]) => commands.map((command) => [command.id, command.command.type]);

describe('following a reported death', () => {
  describe('when an operator confirms it', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), deathReported('2024-03-20'), ...deathReportConfirmed('2024-03-20'));

    it('flags the months paid after the month of death and cancels those not paid, as a termination does', () => {
      const march = disbursement('2024-03', ['sent', 'paid']);
      const april = disbursement('2024-04', ['sent', 'paid']);
      const may = disbursement('2024-05', ['sent']);
      const june = disbursement('2024-06', []);
      const commands = followDeathConfirmation({ beneficiary, disbursements: [march, april, may, june] });
      expect(typesOf(commands)).toEqual([
        [april.disbursementId, 'FlagOverpayment'],
        [may.disbursementId, 'CancelDisbursement'],
        [june.disbursementId, 'CancelDisbursement'],
      ]);
      expect(commands[0]!.command).toEqual({ type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-03-20' } });
    });

    it('leaves the month of death owed: a payment of it held back waits for the next run', () => {
      const heldBack = { ...disbursement('2024-03', []), payrollRunId: null };
      expect(followDeathConfirmation({ beneficiary, disbursements: [heldBack] })).toEqual([]);
    });

    it('finishes the job when repeated, and does nothing more once done', () => {
      const april = disbursement('2024-04', ['sent', 'paid', 'flagged']);
      const may = disbursement('2024-05', ['sent', 'cancelled']);
      expect(followDeathConfirmation({ beneficiary, disbursements: [april, may] })).toEqual([]);
    });

    it('follows every program the confirmation terminated, decided on the beneficiary as it left them', () => {
      const twoPrograms: BeneficiaryEvent[] = [
        registered,
        enrolledFrom('2024-01'),
        { ...enrolledFrom('2024-01'), data: { ...(enrolledFrom('2024-01').data as object), program: 'SOCIAL_ASSISTANCE' } } as BeneficiaryEvent,
        deathReported('2024-03-20'),
      ];
      const before = fold(beneficiaryDecider, twoPrograms);
      const confirmation = eventsToRecord(beneficiaryDecider.decide({ type: 'ConfirmDeathReport', data: { confirmedBy: 'hoa.operator', recordedOn: '2024-06-10' as LocalDate } }, before));
      expect(confirmation.map((event) => event.type)).toEqual([B.DeathReportConfirmed, B.EnrollmentTerminated, B.EnrollmentTerminated]);
      const after = confirmation.reduce(beneficiaryDecider.evolve, before);
      const socialAssistance = { ...disbursement('2024-04', ['sent', 'paid']), program: 'SOCIAL_ASSISTANCE', disbursementId: `${beneficiaryId}/SOCIAL_ASSISTANCE/2024-04` };
      const meritorious = disbursement('2024-04', []);
      expect(typesOf(followDeathConfirmation({ beneficiary: after, disbursements: [socialAssistance, meritorious] }))).toEqual([
        [meritorious.disbursementId, 'CancelDisbursement'],
        [socialAssistance.disbursementId, 'FlagOverpayment'],
      ]);
    });

    it('reaches an enrollment terminated for death before the report as well, which changes nothing there', () => {
      const earlier = beneficiaryAfter(registered, enrolledFrom('2024-01'), terminatedOn('2024-02-15'));
      expect(followDeathConfirmation({ beneficiary: earlier, disbursements: [disbursement('2024-03', ['sent', 'paid', 'flagged'])] })).toEqual([]);
    });
  });

  describe('when an operator rejects it', () => {
    it('has nothing to follow: the months held back are paid by the next run', () => {
      const alive = beneficiaryAfter(registered, enrolledFrom('2024-01'), deathReported('2024-03-20'), deathReportRejected('2024-03-20'));
      expect(alive.enrollments[PROGRAM]!.termination).toBeUndefined();
      expect(followDeathConfirmation({ beneficiary: alive, disbursements: [disbursement('2024-04', ['sent', 'paid']), { ...disbursement('2024-05', []), payrollRunId: null }] })).toEqual([]);
    });
  });
});
