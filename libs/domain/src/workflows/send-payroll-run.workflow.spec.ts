import { describe, expect, it } from '@jest/globals';
import { accountClosed, accountOpened, beneficiaryAfter, deathReported, deathReportRejected, disbursement, enrolledFrom, payee, registered, suspendedFrom } from '../testing/workflow-fixtures.js';
import { disbursementDecider } from '../disbursement/disbursement.decider.js';
import { eventsToRecord } from '../decider.js';
import { initialPayrollRunState } from '../payroll-run/payroll-run.decider.js';
import { emptySendingTally, recordRunSent, sendDisbursement, tallySent } from './send-payroll-run.workflow.js';

describe('sending a payroll run', () => {
  const withAccount = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'));

  it('sends a transfer into the account the checker approved while it is open and verified', () => {
    const command = sendDisbursement('run-1', disbursement('2024-04', [], { account: payee('a-1') }), withAccount);
    expect(command?.command).toEqual({ type: 'SendDisbursement', data: { payrollRunId: 'run-1', enrollment: { active: true }, scheduledAccountOpen: true } });
  });

  it('says so when that account was closed since approval: the payment goes into the cash list', () => {
    const closed = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'), accountClosed('a-1'), accountOpened('a-22'));
    expect(sendDisbursement('run-1', disbursement('2024-04', [], { account: payee('a-1') }), closed)?.command.data).toMatchObject({ scheduledAccountOpen: false });
  });

  it('checks the enrollment again: a month suspended since approval is not sent', () => {
    const suspended = beneficiaryAfter(registered, enrolledFrom('2024-01'), suspendedFrom('2024-04'));
    expect(sendDisbursement('run-1', disbursement('2024-04', []), suspended)?.command.data).toMatchObject({ enrollment: { active: false, reason: 'SUSPENDED' } });
  });

  describe('when the person was reported dead since approval', () => {
    const held = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'), deathReported('2024-03-20'));

    it('sends none of their payments, before the death or after it: each leaves the run, unsent and not cancelled', () => {
      for (const period of ['2024-03', '2024-04']) {
        const waiting = disbursement(period, [], { account: payee('a-1') });
        const command = sendDisbursement('run-1', waiting, held);
        expect(command).toEqual({ aggregate: 'disbursement', id: waiting.disbursementId, command: { type: 'ReleaseFromRun', data: { payrollRunId: 'run-1' } } });
        const released = eventsToRecord(disbursementDecider.decide(command!.command, waiting)).reduce(disbursementDecider.evolve, waiting);
        expect(released).toMatchObject({ status: 'SCHEDULED', payrollRunId: null });
        // Not counted as sent or cancelled: it waits for a run after the report is decided.
        expect(tallySent(emptySendingTally(), released)).toEqual(emptySendingTally());
      }
    });

    it('still cancels a month the enrollment no longer covers: that is not the hold’s doing', () => {
      const suspendedAndHeld = beneficiaryAfter(registered, enrolledFrom('2024-01'), suspendedFrom('2024-04'), deathReported('2024-03-20'));
      expect(sendDisbursement('run-1', disbursement('2024-04', []), suspendedAndHeld)?.command).toMatchObject({ type: 'SendDisbursement', data: { enrollment: { active: false, reason: 'SUSPENDED' } } });
    });

    it('leaves a payment already sent as it is', () => {
      const sent = disbursement('2024-03', ['sent'], { account: payee('a-1') });
      const command = sendDisbursement('run-1', sent, held);
      expect(eventsToRecord(disbursementDecider.decide(command!.command, sent))).toEqual([]);
    });

    it('sends them again once the report is rejected', () => {
      const alive = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'), deathReported('2024-03-20'), deathReportRejected('2024-03-20'));
      expect(sendDisbursement('run-1', disbursement('2024-04', [], { account: payee('a-1') }), alive)?.command.type).toBe('SendDisbursement');
    });
  });

  it('sends nothing the run no longer holds (taken over, released or moved with its beneficiary)', () => {
    expect(sendDisbursement('run-1', disbursement('2024-04', [], { runId: 'run-2' }), withAccount)).toBeUndefined();
  });

  it('counts one payment file per paying agent and records them in a stable order', () => {
    let tally = emptySendingTally();
    tally = tallySent(tally, disbursement('2024-04', ['sent'], { account: payee('a-1', 'VCB') }));
    tally = tallySent(tally, disbursement('2024-04', ['sent']));
    tally = tallySent(tally, disbursement('2024-04', ['sent'], { account: payee('a-1', 'AGRIBANK') }));
    tally = tallySent(tally, disbursement('2024-04', ['sent'], { account: payee('a-1', 'VCB') }));
    tally = tallySent(tally, disbursement('2024-04', ['cancelled']));
    tally = tallySent(tally, disbursement('2024-04', []));
    const run = { ...initialPayrollRunState(), exists: true, runId: 'run-1' };
    expect(recordRunSent(run, 'lan.operator', tally).command).toEqual({
      type: 'RecordPayrollRunSent',
      data: {
        sentBy: 'lan.operator',
        sent: 4,
        cancelled: 1,
        paymentFiles: [
          { paymentFile: 'AGRIBANK', count: 1, totalAmount: 2_055_000 },
          { paymentFile: 'POST_OFFICE', count: 1, totalAmount: 2_055_000 },
          { paymentFile: 'VCB', count: 2, totalAmount: 4_110_000 },
        ],
      },
    });
  });
});
