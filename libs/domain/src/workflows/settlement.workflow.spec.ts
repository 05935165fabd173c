import { describe, expect, it } from '@jest/globals';
import { beneficiaryAfter, disbursement, enrolledFrom, payee, registered } from '../testing/workflow-fixtures.js';
import { payingAgentOfPayment, settlePayment, type Settlement } from './settlement.workflow.js';

describe('settling a payment', () => {
  const beneficiary = beneficiaryAfter(registered, enrolledFrom('2024-01'));
  const sent = disbursement('2024-04', ['sent'], { account: payee('a-1', 'VCB') });
  const settlement: Settlement = {
    providerReference: 'FT24096000123',
    paidAt: new Date('2024-04-05T02:30:00Z'),
    amount: 2_055_000,
    recordedAt: new Date('2024-04-06T03:00:00Z'),
  };

  it('claims the reference for this payment first, then records the payment', () => {
    expect(settlePayment(settlement, sent, beneficiary, 'ref-1', null)).toEqual([
      { aggregate: 'providerReference', id: 'ref-1', command: { type: 'ClaimProviderReference', data: { payingAgent: 'VCB', providerReference: 'FT24096000123', disbursementId: sent.disbursementId } } },
      {
        aggregate: 'disbursement',
        id: sent.disbursementId,
        command: { type: 'SettleDisbursement', data: { ...settlement, daysLate: 0, enrollment: { active: true } } },
      },
    ]);
  });

  it('does not claim again a reference this payment holds already (a repeat, or a retry after a crash)', () => {
    expect(settlePayment(settlement, sent, beneficiary, 'ref-1', sent.disbursementId).map((command) => command.command.type)).toEqual(['SettleDisbursement']);
  });

  it('records a reference already used for another payment as a duplicate attempt, and pays nothing', () => {
    expect(settlePayment(settlement, sent, beneficiary, 'ref-1', 'another-disbursement')).toEqual([
      {
        aggregate: 'disbursement',
        id: sent.disbursementId,
        command: { type: 'RecordDuplicateAttempt', data: { providerReference: 'FT24096000123', paidAt: settlement.paidAt, amount: 2_055_000, usedByDisbursementId: 'another-disbursement' } },
      },
    ]);
  });

  it('claims nothing for a settlement the payment refuses anyway, so a mistyped line locks no reference away', () => {
    for (const refused of [{ ...settlement, amount: 2_000_000 }, { ...settlement, paidAt: new Date('2023-01-01T00:00:00Z') }]) {
      expect(settlePayment(refused, sent, beneficiary, 'ref-1', null).map((command) => command.command.type)).toEqual(['SettleDisbursement']);
    }
    const paid = disbursement('2024-04', ['sent', 'paid'], { account: payee('a-1', 'VCB') });
    expect(settlePayment(settlement, paid, beneficiary, 'ref-1', null).map((command) => command.command.type)).toEqual(['SettleDisbursement']);
  });

  it("knows a reference by its paying agent: the bank's code, or the Post Office for cash", () => {
    expect(payingAgentOfPayment(sent)).toBe('VCB');
    expect(payingAgentOfPayment(disbursement('2024-04', ['sent']))).toBe('POST_OFFICE');
  });
});
