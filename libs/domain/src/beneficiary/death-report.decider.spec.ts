import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../testing/decider-spec.js';
import { Conflict, InvalidValue, NotFound, RuleViolation, type LocalDate } from '../shared/index.js';
import type { BeneficiaryCommand } from './beneficiary.commands.js';
import { beneficiaryDecider } from './beneficiary.decider.js';
import { BeneficiaryEventType as T, type BeneficiaryEvent } from './beneficiary.events.js';
import { evolveBeneficiary, initialBeneficiaryState } from './beneficiary.state.js';
import type { IdentityCheckAnswer } from './identity-check.js';
import { paymentHoldOn } from './payment-hold.js';

const spec = deciderSpec(beneficiaryDecider);
const beneficiaryId = '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c';
const date = (value: string) => value as LocalDate;
const IMPORT = 'import-2024-06-a1b2c3';
/** The operator who imports the answer files; `hoa.operator` reviews what they report. */
const IMPORTER = 'lan.operator';
const stateAfter = (events: BeneficiaryEvent[]) => events.reduce(evolveBeneficiary, initialBeneficiaryState());

const registered: BeneficiaryEvent = {
  type: T.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
const enrolledIn = (program: string, effectiveFrom = '2024-01'): BeneficiaryEvent => ({
  type: T.EnrollmentStarted,
  data: { beneficiaryId, program, unitCode: '899', coefficient: 1000, effectiveFrom, decision: { number: '123/QĐ-UBND', date: '2023-12-20' } },
});
const enrolled = enrolledIn('MERITORIOUS');
const terminatedFor = (reason: 'DECEASED' | 'NO_LONGER_ELIGIBLE', effectiveDate = '2024-03-15', program = 'MERITORIOUS'): BeneficiaryEvent => ({
  type: T.EnrollmentTerminated,
  data: { beneficiaryId, program, reason, effectiveDate, recordedOn: '2024-04-02' },
});

const answerFrom = (answer: IdentityCheckAnswer, line = 12, importId = IMPORT, recordedOn = '2024-06-05'): BeneficiaryCommand => ({
  type: 'RecordIdentityCheckAnswer',
  data: { importId, line, answer, recordedOn: date(recordedOn), importedBy: IMPORTER },
});
const matched: IdentityCheckAnswer = { outcome: 'MATCHED' };
const deceasedOn = (dateOfDeath: string): IdentityCheckAnswer => ({ outcome: 'DECEASED', dateOfDeath: date(dateOfDeath) });

const answerRecorded = (data: { outcome: 'MATCHED' | 'MISMATCHED' | 'DECEASED'; mismatchedFields?: Array<'nationalId' | 'fullName' | 'dateOfBirth' | 'gender'>; dateOfDeath?: string }, line = 12, importId = IMPORT): BeneficiaryEvent => ({
  type: T.IdentityCheckAnswerRecorded,
  data: { beneficiaryId, importId, line, ...data, recordedOn: '2024-06-05' },
});
const deathReported = (dateOfDeath = '2024-05-20', line = 12, importId = IMPORT): BeneficiaryEvent => ({
  type: T.DeathReported,
  data: { beneficiaryId, unitCode: '899', dateOfDeath, importId, line, recordedOn: '2024-06-05', importedBy: IMPORTER },
});
const reportedDead = [answerRecorded({ outcome: 'DECEASED', dateOfDeath: '2024-05-20' }), deathReported()];

const confirmBy = (confirmedBy: string): BeneficiaryCommand => ({ type: 'ConfirmDeathReport', data: { confirmedBy, recordedOn: date('2024-06-10') } });
const confirm = confirmBy('hoa.operator');
const reject = (reason = 'Seen alive at the commune office on 8 June', rejectedBy = 'hoa.operator'): BeneficiaryCommand => ({
  type: 'RejectDeathReport',
  data: { reason, rejectedBy, recordedOn: date('2024-06-10') },
});
const confirmed: BeneficiaryEvent = {
  type: T.DeathReportConfirmed,
  data: { beneficiaryId, dateOfDeath: '2024-05-20', importId: IMPORT, line: 12, confirmedBy: 'hoa.operator', recordedOn: '2024-06-10' },
};
const rejected: BeneficiaryEvent = {
  type: T.DeathReportRejected,
  data: { beneficiaryId, dateOfDeath: '2024-05-20', importId: IMPORT, line: 12, rejectedBy: 'hoa.operator', reason: 'Seen alive at the commune office on 8 June', recordedOn: '2024-06-10' },
};
const terminatedAtDeath = (program: string): BeneficiaryEvent => ({
  type: T.EnrollmentTerminated,
  data: { beneficiaryId, program, reason: 'DECEASED', effectiveDate: '2024-05-20', recordedOn: '2024-06-10' },
});

describe('identity checks against the population database', () => {
  describe('when it answers about a registered person', () => {
    it('records a MATCHED answer with the import and line it came from, and nothing else of the line', () =>
      spec.given([registered, enrolled]).when(answerFrom(matched)).then([answerRecorded({ outcome: 'MATCHED' })]));

    it('records the fields a MISMATCHED answer names, in the order of the request file', () =>
      spec
        .given([registered, enrolled])
        .when(answerFrom({ outcome: 'MISMATCHED', mismatchedFields: ['gender', 'fullName'] }))
        .then([answerRecorded({ outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'gender'] })]));

    it('keeps the latest answer, and pays as before: an answer other than a death holds nothing', () => {
      const state = stateAfter([registered, enrolled, answerRecorded({ outcome: 'MISMATCHED', mismatchedFields: ['dateOfBirth'] }), answerRecorded({ outcome: 'MATCHED' }, 3, 'import-2024-07')]);
      expect(state.identityCheck).toEqual({ answer: { outcome: 'MATCHED' }, source: { importId: 'import-2024-07', line: 3 }, recordedOn: '2024-06-05' });
      expect(paymentHoldOn(state, 'MERITORIOUS')).toBeUndefined();
    });
  });

  describe('when the same answer file is imported again', () => {
    it('records nothing new for a line already recorded with the same answer', () =>
      spec.given([registered, enrolled, answerRecorded({ outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'gender'] })])
        .when(answerFrom({ outcome: 'MISMATCHED', mismatchedFields: ['gender', 'fullName'] }))
        .then([]));

    it('records nothing new, and opens no second report, for a death already reported from that line', () =>
      spec.given([registered, enrolled, ...reportedDead]).when(answerFrom(deceasedOn('2024-05-20'))).then([]));

    it('does not reopen a report an operator rejected when the same line comes again', () =>
      spec.given([registered, enrolled, ...reportedDead, rejected]).when(answerFrom(deceasedOn('2024-05-20'))).then([]));

    it('refuses the same line saying something else: an import id names one file’s content', () =>
      spec.given([registered, enrolled, answerRecorded({ outcome: 'MATCHED' })]).when(answerFrom(deceasedOn('2024-05-20'))).thenRefuses(Conflict, 'IDENTITY_CHECK_LINE_ALREADY_ANSWERED'));

    it('records the same answer from another import: a new check', () =>
      spec.given([registered, enrolled, answerRecorded({ outcome: 'MATCHED' })]).when(answerFrom(matched, 12, 'import-2024-07')).then([answerRecorded({ outcome: 'MATCHED' }, 12, 'import-2024-07')]));
  });

  describe('when an answer is not one', () => {
    it.each<[string, BeneficiaryCommand]>([
      ['a MISMATCHED answer naming no field', answerFrom({ outcome: 'MISMATCHED', mismatchedFields: [] })],
      ['a field the request file does not have', answerFrom({ outcome: 'MISMATCHED', mismatchedFields: ['address' as 'fullName'] })],
      ['the same field twice', answerFrom({ outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'fullName'] })],
      ['an outcome of its own', answerFrom({ outcome: 'MOVED' } as unknown as IdentityCheckAnswer)],
      ['a date of death that is not a date', answerFrom(deceasedOn('2024-02-30'))],
      ['line 0', answerFrom(matched, 0)],
      ['a line that is not a whole number', answerFrom(matched, 1.5)],
      ['an import id with a space', answerFrom(matched, 1, 'import 1')],
      ['an empty import id', answerFrom(matched, 1, '')],
    ])('refuses %s, recording nothing', (_, command) => spec.given([registered, enrolled]).when(command).thenRefuses(InvalidValue, 'INVALID_VALUE'));

    it('refuses an answer about someone not registered', () => spec.given([]).when(answerFrom(matched)).thenRefuses(NotFound, 'BENEFICIARY_NOT_FOUND'));
  });

  describe('when it reports the person dead', () => {
    it('records the answer and holds every payment of the person, for their unit to review', () =>
      spec.given([registered, enrolled]).when(answerFrom(deceasedOn('2024-05-20'))).then(reportedDead));

    it('holds every program, while the report waits', () => {
      const state = stateAfter([registered, enrolled, enrolledIn('SOCIAL_ASSISTANCE'), ...reportedDead]);
      expect(['MERITORIOUS', 'SOCIAL_ASSISTANCE'].map((program) => paymentHoldOn(state, program))).toEqual(['DEATH_REPORTED', 'DEATH_REPORTED']);
      expect(state.paymentHolds.DEATH_REPORTED).toEqual({ kind: 'DEATH_REPORTED', dateOfDeath: '2024-05-20', source: { importId: IMPORT, line: 12 }, since: '2024-06-05', importedBy: IMPORTER });
    });

    it('accepts a death on the day it is recorded', () =>
      spec.given([registered, enrolled]).when(answerFrom(deceasedOn('2024-06-05'))).then([answerRecorded({ outcome: 'DECEASED', dateOfDeath: '2024-06-05' }), deathReported('2024-06-05')]));

    it('refuses a date of death after the day it is recorded', () =>
      spec.given([registered, enrolled]).when(answerFrom(deceasedOn('2024-06-06'))).thenRefuses(RuleViolation, 'DATE_OF_DEATH_IN_FUTURE'));

    it('refuses a date of death before the person was born, without repeating the date of birth', () => {
      spec.given([registered, enrolled]).when(answerFrom(deceasedOn('1952-03-13'))).thenRefuses(RuleViolation, 'DATE_OF_DEATH_BEFORE_BIRTH');
      expect(() => beneficiaryDecider.decide(answerFrom(deceasedOn('1952-03-13')), stateAfter([registered, enrolled]))).toThrow(expect.not.objectContaining({ message: expect.stringMatching(/1952/) }));
    });

    it('records a second report while one waits, without a second hold: the first one is reviewed', () =>
      spec
        .given([registered, enrolled, ...reportedDead])
        .when(answerFrom(deceasedOn('2024-05-21'), 4, 'import-2024-07'))
        .then([answerRecorded({ outcome: 'DECEASED', dateOfDeath: '2024-05-21' }, 4, 'import-2024-07')]));

    it('lifts nothing when a later answer matches: an operator decides', () => {
      const state = stateAfter([registered, enrolled, ...reportedDead, answerRecorded({ outcome: 'MATCHED' }, 4, 'import-2024-07')]);
      expect(paymentHoldOn(state, 'MERITORIOUS')).toBe('DEATH_REPORTED');
    });

    it('records it, and holds nothing, for someone whose every enrollment is already terminated for death', () =>
      spec
        .given([registered, enrolled, terminatedFor('DECEASED')])
        .when(answerFrom(deceasedOn('2024-03-15')))
        .then([answerRecorded({ outcome: 'DECEASED', dateOfDeath: '2024-03-15' })]));

    it('holds the payments of someone terminated for another reason: they may still be owed, or enrolled again', () =>
      spec.given([registered, enrolled, terminatedFor('NO_LONGER_ELIGIBLE')]).when(answerFrom(deceasedOn('2024-05-20'))).then(reportedDead));

    it('reports again, from a new import, a death an operator rejected before', () =>
      spec
        .given([registered, enrolled, ...reportedDead, rejected])
        .when(answerFrom(deceasedOn('2024-05-20'), 9, 'import-2024-07'))
        .then([answerRecorded({ outcome: 'DECEASED', dateOfDeath: '2024-05-20' }, 9, 'import-2024-07'), deathReported('2024-05-20', 9, 'import-2024-07')]));
  });

  describe('when an operator confirms the reported death', () => {
    it('terminates every enrollment not terminated yet, suspended ones too, as of the date of death', () =>
      spec
        .given([
          registered,
          enrolled,
          enrolledIn('SOCIAL_ASSISTANCE'),
          { type: T.EnrollmentSuspended, data: { beneficiaryId, program: 'SOCIAL_ASSISTANCE', reason: 'Under review', effectiveFrom: '2024-04' } },
          ...reportedDead,
        ])
        .when(confirm)
        .then([confirmed, terminatedAtDeath('MERITORIOUS'), terminatedAtDeath('SOCIAL_ASSISTANCE')]));

    it('leaves an enrollment terminated before as it was', () =>
      spec
        .given([registered, enrolled, enrolledIn('SOCIAL_ASSISTANCE'), terminatedFor('NO_LONGER_ELIGIBLE', '2024-02-10', 'SOCIAL_ASSISTANCE'), ...reportedDead])
        .when(confirm)
        .then([confirmed, terminatedAtDeath('MERITORIOUS')]));

    it('lifts the hold: the month of death is still owed, the months after it are not', () => {
      const state = stateAfter([registered, enrolled, ...reportedDead, confirmed, terminatedAtDeath('MERITORIOUS')]);
      expect(paymentHoldOn(state, 'MERITORIOUS')).toBeUndefined();
      expect(state.enrollments.MERITORIOUS!.termination).toEqual({ reason: 'DECEASED', effectiveDate: '2024-05-20' });
    });

    it('refuses a death before an enrollment’s first month, as a termination would, and keeps the hold', () => {
      spec.given([registered, enrolledIn('MERITORIOUS', '2024-06'), ...reportedDead]).when(confirm).thenRefuses(RuleViolation, 'TERMINATION_BEFORE_ENROLLMENT');
    });

    it('refuses when no report waits: none came, or it was decided already', () => {
      spec.given([registered, enrolled]).when(confirm).thenRefuses(NotFound, 'DEATH_REPORT_NOT_FOUND');
      spec.given([registered, enrolled, ...reportedDead, confirmed, terminatedAtDeath('MERITORIOUS')]).when(confirm).thenRefuses(NotFound, 'DEATH_REPORT_NOT_FOUND');
      spec.given([registered, enrolled, ...reportedDead, rejected]).when(confirm).thenRefuses(NotFound, 'DEATH_REPORT_NOT_FOUND');
    });
  });

  describe('when an operator rejects the report', () => {
    it('lifts the hold, with the reason, and changes nothing else', () => {
      spec.given([registered, enrolled, ...reportedDead]).when(reject()).then([rejected]);
      const state = stateAfter([registered, enrolled, ...reportedDead, rejected]);
      expect(paymentHoldOn(state, 'MERITORIOUS')).toBeUndefined();
      expect(state.enrollments.MERITORIOUS!.termination).toBeUndefined();
    });

    it('records the reason trimmed, and refuses a blank one', () => {
      spec.given([registered, enrolled, ...reportedDead]).when(reject('  Seen alive at the commune office on 8 June \n')).then([rejected]);
      spec.given([registered, enrolled, ...reportedDead]).when(reject(' \t')).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });

    it('refuses when no report waits', () => spec.given([registered, enrolled, ...reportedDead, rejected]).when(reject()).thenRefuses(NotFound, 'DEATH_REPORT_NOT_FOUND'));
  });

  describe('when the operator who imported the answer reviews it (maker-checker)', () => {
    it('refuses their confirmation, and the hold stays', () =>
      spec.given([registered, enrolled, ...reportedDead]).when(confirmBy(IMPORTER)).thenRefuses(RuleViolation, 'CONFIRMATION_BY_IMPORTER'));

    it('refuses their rejection: the person would be paid again on one operator’s word', () =>
      spec.given([registered, enrolled, ...reportedDead]).when(reject(undefined, IMPORTER)).thenRefuses(RuleViolation, 'REJECTION_BY_IMPORTER'));

    it('lets any operator review a report recorded before the rule, which names no importer', () => {
      const { importedBy: _unknown, ...withoutImporter } = deathReported().data as { importedBy?: string };
      const before: BeneficiaryEvent = { type: T.DeathReported, data: withoutImporter as Extract<BeneficiaryEvent, { type: 'DeathReported' }>['data'] };
      spec.given([registered, enrolled, reportedDead[0]!, before]).when(confirmBy(IMPORTER)).then([{ ...confirmed, data: { ...confirmed.data, confirmedBy: IMPORTER } }, terminatedAtDeath('MERITORIOUS')]);
    });
  });
});
