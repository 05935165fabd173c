import { describe, expect, it } from '@jest/globals';
import { beneficiaryAfter, disbursement, enrolledFrom, payee, registered, relocatedTo } from '../testing/workflow-fixtures.js';
import { followRelocation } from './relocation.workflow.js';

describe('following a relocation', () => {
  const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'), relocatedTo('900'));

  it('moves every unpaid payment — waiting, failed or returned — to the new unit', () => {
    const waiting = disbursement('2024-04', []);
    const failed = disbursement('2024-03', ['sent', 'failed'], { account: payee('a-1') });
    const returned = disbursement('2024-02', ['sent', 'returned']);
    expect(followRelocation({ beneficiary, disbursements: [waiting, failed, returned] })).toEqual(
      [waiting, failed, returned].map((month) => ({ aggregate: 'disbursement', id: month.disbursementId, command: { type: 'RelocateDisbursement', data: { toUnitCode: '900' } } })),
    );
  });

  it('leaves a payment already sent with the run that sent it, and paid or cancelled ones as history', () => {
    const months = [disbursement('2024-04', ['sent']), disbursement('2024-03', ['sent', 'paid']), disbursement('2024-02', ['cancelled'])];
    expect(followRelocation({ beneficiary, disbursements: months })).toEqual([]);
  });

  it('moves nothing already in the new unit', () => {
    expect(followRelocation({ beneficiary, disbursements: [disbursement('2024-04', [], { unitCode: '900' })] })).toEqual([]);
  });
});
