import { describe, expect, it } from '@jest/globals';
import { Conflict, InvalidValue, NotFound, RuleViolation } from '@ledger/domain';
import { WrongExpectedRevision } from '@ledger/event-store';
import { commandTypeOf, outcomeOf, settlementOutcomeOf } from './command-metrics.js';

class SchedulePayrollCommand {}
class ChangeDisbursementCommand {
  constructor(readonly change: { type: string }) {}
}

describe('command metrics', () => {
  describe('when naming a command', () => {
    it("uses the domain's name for the change it carries, else the class name without Command", () => {
      expect(commandTypeOf(new ChangeDisbursementCommand({ type: 'SettleDisbursement' }))).toBe('SettleDisbursement');
      expect(commandTypeOf({ enrollment: { type: 'EnrollBeneficiary' } })).toBe('EnrollBeneficiary');
      expect(commandTypeOf(new SchedulePayrollCommand())).toBe('SchedulePayroll');
    });

    it('never labels a series with anything but a command-like word', () => {
      expect(commandTypeOf(new ChangeDisbursementCommand({ type: '091052000123' }))).toBe('Unknown');
      expect(commandTypeOf(new ChangeDisbursementCommand({ type: 'Settle Disbursement"}' }))).toBe('Unknown');
    });
  });

  describe('when a command is refused or fails', () => {
    it('is a conflict when the caller sees a 409, refused for another 4xx, an error for a 5xx', () => {
      expect(outcomeOf(new Conflict('ALREADY_ENROLLED', 'enrolled'))).toBe('conflict');
      expect(outcomeOf(new WrongExpectedRevision('beneficiary-1', 1n, 2n))).toBe('conflict');
      expect(outcomeOf(new NotFound('DISBURSEMENT_NOT_FOUND', 'none'))).toBe('refused');
      expect(outcomeOf(new RuleViolation('AMOUNT_MISMATCH', 'differs'))).toBe('refused');
      expect(outcomeOf(new InvalidValue('amount', 'amount must be an integer'))).toBe('refused');
      expect(outcomeOf(new Error('disk full'))).toBe('error');
    });
  });

  describe('when the command reports a payment', () => {
    it('counts paid, failed and returned when accepted, and tells duplicates and mismatches from other refusals', () => {
      expect(settlementOutcomeOf('SettleDisbursement', 'accepted')).toBe('paid');
      expect(settlementOutcomeOf('FailDisbursement', 'accepted')).toBe('failed');
      expect(settlementOutcomeOf('ReturnDisbursement', 'accepted')).toBe('returned');
      expect(settlementOutcomeOf('SettleDisbursement', 'conflict', new Conflict('DUPLICATE_PAYMENT', 'paid already'))).toBe('duplicate');
      expect(settlementOutcomeOf('SettleDisbursement', 'conflict', new Conflict('PROVIDER_REFERENCE_IN_USE', 'used'))).toBe('duplicate');
      expect(settlementOutcomeOf('SettleDisbursement', 'refused', new RuleViolation('AMOUNT_MISMATCH', 'differs'))).toBe('mismatch');
      expect(settlementOutcomeOf('SettleDisbursement', 'conflict', new Conflict('SETTLEMENT_MISMATCH', 'differs'))).toBe('mismatch');
      expect(settlementOutcomeOf('SettleDisbursement', 'refused', new RuleViolation('DISBURSEMENT_FAILED', 'failed'))).toBe('refused');
      expect(settlementOutcomeOf('SettleDisbursement', 'error', new Error('disk full'))).toBe('error');
    });

    it('leaves other commands out of the settlements', () => {
      expect(settlementOutcomeOf('SchedulePayroll', 'accepted')).toBeUndefined();
      expect(settlementOutcomeOf('RescheduleDisbursement', 'accepted')).toBeUndefined();
    });
  });
});
