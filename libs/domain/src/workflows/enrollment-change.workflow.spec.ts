import { describe, expect, it } from '@jest/globals';
import {
  accountOpened,
  beneficiaryAfter,
  disbursement,
  enrolledFrom,
  payee,
  PROGRAM,
  registered,
  resumedFrom,
  suspendedFrom,
  terminatedOn,
  terminationCorrectedTo,
  terminationRevoked,
} from '../testing/workflow-fixtures.js';
import { followEnrollmentChange } from './enrollment-change.workflow.js';
import type { StreamCommand } from './stream-command.js';

const typesOf = (commands: StreamCommand[]) => commands.map((command) => [command.id, command.command.type]);

describe('following a change of enrollment', () => {
  describe('when an enrollment is suspended', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), suspendedFrom('2024-03'));

    it('cancels every month of the suspension that is not paid yet, whether waiting, sent, failed or returned', () => {
      const months = [
        disbursement('2024-03', []),
        disbursement('2024-04', ['sent']),
        disbursement('2024-05', ['sent', 'failed'], { account: payee('a-1') }),
        disbursement('2024-06', ['sent', 'returned']),
      ];
      const commands = followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: months, reason: 'suspended' });
      expect(typesOf(commands)).toEqual(months.map((month) => [month.disbursementId, 'CancelDisbursement']));
      expect(commands[0]!.command).toEqual({ type: 'CancelDisbursement', data: { enrollment: { active: false, reason: 'SUSPENDED' } } });
    });

    it('leaves the months before it, and a suspended month already paid, alone', () => {
      const commands = followEnrollmentChange({
        beneficiary,
        program: PROGRAM,
        disbursements: [disbursement('2024-02', []), disbursement('2024-03', ['sent', 'paid'])],
        reason: 'suspended',
      });
      expect(commands).toEqual([]);
    });
  });

  describe('when an enrollment resumes', () => {
    it('gives each cancelled month it covers again a new attempt, in the channel that applies today', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), suspendedFrom('2024-03'), resumedFrom('2024-04'), accountOpened('a-2'));
      const april = disbursement('2024-04', ['cancelled']);
      const commands = followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [disbursement('2024-03', ['cancelled']), april], reason: 'resumed' });
      expect(commands).toEqual([
        {
          aggregate: 'disbursement',
          id: april.disbursementId,
          command: { type: 'RescheduleDisbursement', data: { channel: 'BANK', account: payee('a-2'), reason: 'resumed', enrollment: { active: true } } },
        },
      ]);
    });
  });

  describe('when a termination reaches back over paid months', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), terminatedOn('2024-02-15'));

    it('flags every month paid after it as an overpayment, and cancels what is not paid', () => {
      const march = disbursement('2024-03', ['sent', 'paid']);
      const april = disbursement('2024-04', ['sent']);
      const commands = followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [disbursement('2024-02', ['sent', 'paid']), march, april], reason: 'terminated' });
      expect(commands).toEqual([
        { aggregate: 'disbursement', id: march.disbursementId, command: { type: 'FlagOverpayment', data: { terminationEffectiveDate: '2024-02-15' } } },
        { aggregate: 'disbursement', id: april.disbursementId, command: { type: 'CancelDisbursement', data: { enrollment: { active: false, reason: 'TERMINATED' } } } },
      ]);
    });

    it('does not flag a month twice', () => {
      expect(followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [disbursement('2024-03', ['sent', 'paid', 'flagged'])], reason: 'terminated' })).toEqual([]);
    });
  });

  describe('when a termination is corrected to a later date', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), terminatedOn('2024-02-15'), terminationCorrectedTo('2024-04-02', '2024-02-15'));

    it('withdraws the overpayment of each paid month owed again and gives each cancelled month owed again a new attempt', () => {
      const march = disbursement('2024-03', ['sent', 'paid', 'flagged']);
      const april = disbursement('2024-04', ['sent', 'cancelled']);
      const may = disbursement('2024-05', ['sent', 'cancelled']);
      const commands = followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [march, april, may], reason: 'corrected' });
      expect(typesOf(commands)).toEqual([
        [march.disbursementId, 'WithdrawOverpayment'],
        [april.disbursementId, 'RescheduleDisbursement'],
      ]);
    });
  });

  describe('when a termination is corrected to an earlier date', () => {
    it('flags the months paid between the two dates', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), terminatedOn('2024-04-02'), terminationCorrectedTo('2024-02-15', '2024-04-02'));
      const march = disbursement('2024-03', ['sent', 'paid']);
      expect(typesOf(followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [march], reason: 'corrected' }))).toEqual([[march.disbursementId, 'FlagOverpayment']]);
    });
  });

  describe('when a termination is revoked', () => {
    it('owes every month again: flags withdrawn, cancelled months rescheduled', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), terminatedOn('2024-02-15'), terminationRevoked('2024-02-15'));
      const march = disbursement('2024-03', ['sent', 'paid', 'flagged']);
      const april = disbursement('2024-04', ['cancelled']);
      expect(typesOf(followEnrollmentChange({ beneficiary, program: PROGRAM, disbursements: [march, april], reason: 'revoked' }))).toEqual([
        [march.disbursementId, 'WithdrawOverpayment'],
        [april.disbursementId, 'RescheduleDisbursement'],
      ]);
    });
  });
});
