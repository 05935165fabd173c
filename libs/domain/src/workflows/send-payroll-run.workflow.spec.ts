import { describe, expect, it } from '@jest/globals';
import { accountClosed, accountOpened, beneficiaryAfter, disbursement, enrolledFrom, payee, registered, suspendedFrom } from '../testing/workflow-fixtures.js';
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
