import { describe, expect, it } from '@jest/globals';
import { accountClosed, accountOpened, beneficiaryAfter, disbursement, enrolledFrom, payee, registered, suspendedFrom } from '../testing/workflow-fixtures.js';
import { reschedulePayment } from './reschedule.workflow.js';

describe('rescheduling a payment', () => {
  describe('when a bank transfer failed', () => {
    const failed = disbursement('2024-03', ['sent', 'failed'], { account: payee('a-1') });

    it('never sends it back to the account that failed: cash when there is no other verified account', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'));
      expect(reschedulePayment(beneficiary, failed, 'retry').command.data).toMatchObject({ channel: 'CASH', account: null });
    });

    it('into another verified open account when there is one, even an older one', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-22'), accountOpened('a-1'));
      expect(reschedulePayment(beneficiary, failed, 'retry').command.data).toMatchObject({ channel: 'BANK', account: payee('a-22') });
    });

    it('not into an account closed or never verified', () => {
      const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-22'), accountClosed('a-22'), accountOpened('a-333', 'UNVERIFIED'), accountOpened('a-1'));
      expect(reschedulePayment(beneficiary, failed, 'retry').command.data).toMatchObject({ channel: 'CASH', account: null });
    });
  });

  it('pays returned cash into a verified account opened since', () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), accountOpened('a-1'));
    expect(reschedulePayment(beneficiary, disbursement('2024-03', ['sent', 'returned']), 'retry').command.data).toMatchObject({ channel: 'BANK', account: payee('a-1') });
  });

  it("carries the enrollment's activity in the month, so the decider refuses a month no longer owed", () => {
    const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), suspendedFrom('2024-03'));
    expect(reschedulePayment(beneficiary, disbursement('2024-03', ['sent', 'returned']), 'retry').command.data).toMatchObject({ enrollment: { active: false, reason: 'SUSPENDED' } });
  });
});
