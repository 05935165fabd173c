import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { AdministrativeUnitCatalogue, ProgramCatalogue } from '../catalogue/index.js';
import { planPayrollFor } from '../payroll-run/payroll-plan.js';
import { Conflict, InvalidValue, NotFound, RuleViolation, type LocalDate, type Period } from '../shared/index.js';
import { deciderSpec } from '../testing/decider-spec.js';
import type { BeneficiaryCommand, CrossProvinceFindingFacts } from './beneficiary.commands.js';
import { beneficiaryDecider } from './beneficiary.decider.js';
import { BeneficiaryEventType as T, type BeneficiaryEvent, type CrossProvinceFindingDecision } from './beneficiary.events.js';
import { evolveBeneficiary, initialBeneficiaryState } from './beneficiary.state.js';
import { paymentHoldOn } from './payment-hold.js';

const spec = deciderSpec(beneficiaryDecider);
const beneficiaryId = '8f0e7c1a-5b7d-5e2a-9c3b-1d2e3f4a5b6c';
const date = (value: string) => value as LocalDate;
const stateAfter = (events: BeneficiaryEvent[]) => events.reduce(evolveBeneficiary, initialBeneficiaryState());
const config = (file: string) => JSON.parse(readFileSync(new URL(`../../../../config/${file}`, import.meta.url), 'utf8'));
const catalogues = { programs: ProgramCatalogue.fromDefinitions(config('programs.json')), units: AdministrativeUnitCatalogue.fromUnits(config('administrative-units.json')) };

/** Found enrolled in MERITORIOUS in Hồ Chí Minh City (79) too. */
const ENROLLED_TWICE = '3b7c1d2e-4f5a-5b6c-8d7e-9f0a1b2c3d4e';
/** Found paid for May 2024 of MERITORIOUS in Hà Nội (01) too. */
const PAID_TWICE = '6a1b2c3d-4e5f-5a6b-9c8d-7e6f5a4b3c2d';
/** Found enrolled in SOCIAL_ASSISTANCE in Cần Thơ (92) too. */
const OTHER_PROGRAM = '9d8c7b6a-5f4e-5d3c-8b2a-1f0e9d8c7b6a';

const registered: BeneficiaryEvent = {
  type: T.Registered,
  data: { beneficiaryId, nationalId: '091052000123', fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode: '899' },
};
const enrolledIn = (program: string, effectiveFrom = '2024-01'): BeneficiaryEvent => ({
  type: T.EnrollmentStarted,
  data: { beneficiaryId, program, unitCode: '899', coefficient: 1000, effectiveFrom, decision: { number: '123/QĐ-UBND', date: '2023-12-20' } },
});
const enrolledInBoth = [registered, enrolledIn('MERITORIOUS'), enrolledIn('SOCIAL_ASSISTANCE')];

const facts: Record<string, CrossProvinceFindingFacts> = {
  [ENROLLED_TWICE]: { findingId: ENROLLED_TWICE, kind: 'ENROLLED_IN_TWO_PROVINCES', program: 'MERITORIOUS', otherProvinces: ['79'], foundAt: '2024-06-04T03:00:00.000Z' },
  [PAID_TWICE]: { findingId: PAID_TWICE, kind: 'PAID_IN_TWO_PROVINCES', program: 'MERITORIOUS', period: '2024-05' as Period, otherProvinces: ['01'], foundAt: '2024-06-04T03:00:00.000Z' },
  [OTHER_PROGRAM]: { findingId: OTHER_PROGRAM, kind: 'ENROLLED_IN_TWO_PROVINCES', program: 'SOCIAL_ASSISTANCE', otherProvinces: ['92'], foundAt: '2024-06-04T03:00:00.000Z' },
};

const notice = (findingId: string, overrides: Record<string, unknown> = {}): BeneficiaryCommand => ({
  type: 'RecordCrossProvinceFinding',
  data: { finding: { ...facts[findingId]!, ...overrides } as CrossProvinceFindingFacts, recordedOn: date('2024-06-05') },
});
const recorded = (findingId: string): BeneficiaryEvent => {
  const { period, ...finding } = facts[findingId]!;
  return {
    type: T.CrossProvinceFindingRecorded,
    data: { beneficiaryId, unitCode: '899', ...finding, ...(period ? { period } : {}), otherProvinces: [...finding.otherProvinces], recordedOn: '2024-06-05' },
  };
};

const keep = (findingId: string, reason = 'Moved back here in March; the other province terminated them'): BeneficiaryCommand => ({
  type: 'ResolveCrossProvinceFinding',
  data: { findingId, decision: 'KEEP', reason, resolvedBy: 'hoa.operator', recordedOn: date('2024-06-10') },
});
const terminate = (findingId: string, effectiveDate = '2024-05-31', reason = 'Lives in Hồ Chí Minh City since May'): BeneficiaryCommand => ({
  type: 'ResolveCrossProvinceFinding',
  data: { findingId, decision: 'TERMINATE', reason, effectiveDate: date(effectiveDate), resolvedBy: 'hoa.operator', recordedOn: date('2024-06-10') },
});
const resolved = (findingId: string, decision: CrossProvinceFindingDecision, extra: { reason?: string; effectiveDate?: string } = {}): BeneficiaryEvent => ({
  type: T.CrossProvinceFindingResolved,
  data: {
    beneficiaryId,
    findingId,
    program: facts[findingId]!.program,
    decision,
    reason: extra.reason ?? (decision === 'KEEP' ? 'Moved back here in March; the other province terminated them' : 'Lives in Hồ Chí Minh City since May'),
    resolvedBy: 'hoa.operator',
    recordedOn: '2024-06-10',
    ...(extra.effectiveDate ? { effectiveDate: extra.effectiveDate } : {}),
  },
});
const movedOut = (program: string, effectiveDate = '2024-05-31'): BeneficiaryEvent => ({
  type: T.EnrollmentTerminated,
  data: { beneficiaryId, program, reason: 'MOVED_OUT', effectiveDate, recordedOn: '2024-06-10' },
});
const heldPrograms = (events: BeneficiaryEvent[]) => ['MERITORIOUS', 'SOCIAL_ASSISTANCE'].map((program) => paymentHoldOn(stateAfter(events), program));

describe('cross-province findings of the national hub', () => {
  describe('when the hub sends a finding about a registered person', () => {
    it('records it on the person, for the unit they are registered in to resolve', () => spec.given(enrolledInBoth).when(notice(ENROLLED_TWICE)).then([recorded(ENROLLED_TWICE)]));

    it('records the period of a month paid twice', () => spec.given(enrolledInBoth).when(notice(PAID_TWICE)).then([recorded(PAID_TWICE)]));

    it('holds the payments of the finding’s program only: the person’s other programs are paid as usual', () => {
      expect(heldPrograms([...enrolledInBoth, recorded(ENROLLED_TWICE)])).toEqual(['CROSS_PROVINCE_FINDING', undefined]);
      expect(heldPrograms([...enrolledInBoth, recorded(OTHER_PROGRAM)])).toEqual([undefined, 'CROSS_PROVINCE_FINDING']);
      expect(stateAfter([...enrolledInBoth, recorded(ENROLLED_TWICE)]).paymentHolds.CROSS_PROVINCE_FINDING).toEqual({
        kind: 'CROSS_PROVINCE_FINDING',
        findings: { [ENROLLED_TWICE]: { program: 'MERITORIOUS', since: '2024-06-05' } },
      });
    });

    it('reads the notice the one way: the id in lower case, each province once in order, the instant in UTC', () =>
      spec
        .given(enrolledInBoth)
        .when(notice(ENROLLED_TWICE, { findingId: ENROLLED_TWICE.toUpperCase(), otherProvinces: ['79', '01', '79'], foundAt: '2024-06-04T10:00:00+07:00' }))
        .then([{ ...recorded(ENROLLED_TWICE), data: { ...recorded(ENROLLED_TWICE).data, otherProvinces: ['01', '79'] } } as BeneficiaryEvent]));

    it('records a finding about a terminated enrollment too: an operator decides what it means', () =>
      spec.given([...enrolledInBoth, movedOut('MERITORIOUS', '2024-03-31')]).when(notice(ENROLLED_TWICE)).then([recorded(ENROLLED_TWICE)]));

    it('refuses a finding about someone the ledger does not know, recording nothing', () => spec.given([]).when(notice(ENROLLED_TWICE)).thenRefuses(NotFound, 'BENEFICIARY_NOT_FOUND'));
  });

  describe('when the same notice comes again', () => {
    it('records nothing new for a finding already recorded: delivered twice, recorded once', () =>
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(notice(ENROLLED_TWICE)).then([]));

    it('records nothing new when it names one more province: the same finding, found again', () =>
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(notice(ENROLLED_TWICE, { otherProvinces: ['79', '48'] })).then([]));

    it('does not reopen a finding an operator resolved', () => {
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'KEEP')]).when(notice(ENROLLED_TWICE)).then([]);
      expect(heldPrograms([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'KEEP')])).toEqual([undefined, undefined]);
    });

    it('refuses the same finding id saying something else: the id names what was found', () =>
      spec
        .given([...enrolledInBoth, recorded(ENROLLED_TWICE)])
        .when(notice(ENROLLED_TWICE, { program: 'SOCIAL_ASSISTANCE' }))
        .thenRefuses(Conflict, 'FINDING_ALREADY_RECORDED_OTHERWISE'));
  });

  describe('when a notice is not one', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a finding id that is not a UUID', { findingId: 'finding-1' }],
      ['a kind of its own', { kind: 'LIVES_IN_TWO_PROVINCES' }],
      ['a program code in lower case', { program: 'meritorious' }],
      ['no program', { program: '' }],
      ['a period with an enrollment found twice', { period: '2024-05' }],
      ['no other province', { otherProvinces: [] }],
      ['a province that is not a code', { otherProvinces: ['ledger.findings.>'] }],
      ['other provinces that are not a list', { otherProvinces: '79' }],
      ['an instant without its offset', { foundAt: '2024-06-04T10:00:00' }],
      ['an instant that is not one', { foundAt: 'yesterday' }],
    ])('refuses %s, recording nothing', (_, overrides) => spec.given(enrolledInBoth).when(notice(ENROLLED_TWICE, overrides)).thenRefuses(InvalidValue, 'INVALID_VALUE'));

    it.each<[string, Record<string, unknown>]>([
      ['no period with a month paid twice', { period: undefined }],
      ['a period that is not a month', { period: '2024-13' }],
    ])('refuses %s', (_, overrides) => spec.given(enrolledInBoth).when(notice(PAID_TWICE, overrides)).thenRefuses(InvalidValue, 'INVALID_VALUE'));
  });

  describe('when two findings of one program are open', () => {
    const both = [...enrolledInBoth, recorded(ENROLLED_TWICE), recorded(PAID_TWICE)];

    it('holds the program until both are resolved', () => {
      expect(heldPrograms([...both, resolved(ENROLLED_TWICE, 'KEEP')])).toEqual(['CROSS_PROVINCE_FINDING', undefined]);
      expect(heldPrograms([...both, resolved(ENROLLED_TWICE, 'KEEP'), resolved(PAID_TWICE, 'KEEP')])).toEqual([undefined, undefined]);
      expect(stateAfter([...both, resolved(PAID_TWICE, 'KEEP'), resolved(ENROLLED_TWICE, 'KEEP')]).paymentHolds).toEqual({});
    });

    it('resolves each one on its own', () => spec.given(both).when(keep(PAID_TWICE)).then([resolved(PAID_TWICE, 'KEEP')]));
  });

  describe('when findings of two programs are open', () => {
    it('holds each program until its own finding is resolved', () => {
      const events = [...enrolledInBoth, recorded(ENROLLED_TWICE), recorded(OTHER_PROGRAM)];
      expect(heldPrograms(events)).toEqual(['CROSS_PROVINCE_FINDING', 'CROSS_PROVINCE_FINDING']);
      expect(heldPrograms([...events, resolved(OTHER_PROGRAM, 'KEEP')])).toEqual(['CROSS_PROVINCE_FINDING', undefined]);
    });
  });

  describe('when a death is reported of a person a finding holds', () => {
    it('skips their months as DEATH_REPORTED, whichever hold came first', () => {
      const deathReported: BeneficiaryEvent = {
        type: T.DeathReported,
        data: { beneficiaryId, unitCode: '899', dateOfDeath: '2024-05-20', importId: 'import-2024-06', line: 3, recordedOn: '2024-06-05' },
      };
      expect(heldPrograms([...enrolledInBoth, recorded(ENROLLED_TWICE), deathReported])).toEqual(['DEATH_REPORTED', 'DEATH_REPORTED']);
    });
  });

  describe('when an operator keeps the person enrolled here', () => {
    it('lifts the hold, with the reason, and changes nothing else', () => {
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(keep(ENROLLED_TWICE)).then([resolved(ENROLLED_TWICE, 'KEEP')]);
      const state = stateAfter([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'KEEP')]);
      expect(state.paymentHolds).toEqual({});
      expect(state.enrollments.MERITORIOUS!.termination).toBeUndefined();
      expect(state.crossProvinceFindings[ENROLLED_TWICE]!.resolution).toEqual({ decision: 'KEEP', resolvedBy: 'hoa.operator', recordedOn: '2024-06-10' });
    });

    it('records the reason trimmed, and refuses a blank one', () => {
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(keep(ENROLLED_TWICE, '  Moved back here in March; the other province terminated them \n')).then([resolved(ENROLLED_TWICE, 'KEEP')]);
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(keep(ENROLLED_TWICE, ' \t')).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });

    it('refuses an effective date: keeping the person terminates nothing', () => {
      const withDate = keep(ENROLLED_TWICE) as Extract<BeneficiaryCommand, { type: 'ResolveCrossProvinceFinding' }>;
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when({ ...withDate, data: { ...withDate.data, effectiveDate: date('2024-05-31') } }).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });
  });

  describe('when an operator finds the person moved out', () => {
    it('lifts the hold and terminates the enrollment of the finding’s program, MOVED_OUT as of the date given', () =>
      spec
        .given([...enrolledInBoth, recorded(ENROLLED_TWICE)])
        .when(terminate(ENROLLED_TWICE))
        .then([resolved(ENROLLED_TWICE, 'TERMINATE', { effectiveDate: '2024-05-31' }), movedOut('MERITORIOUS')]));

    it('leaves the person’s other programs as they were', () => {
      const state = stateAfter([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'TERMINATE', { effectiveDate: '2024-05-31' }), movedOut('MERITORIOUS')]);
      expect(state.enrollments.MERITORIOUS!.termination).toEqual({ reason: 'MOVED_OUT', effectiveDate: '2024-05-31' });
      expect(state.enrollments.SOCIAL_ASSISTANCE!.termination).toBeUndefined();
      expect(state.paymentHolds).toEqual({});
    });

    it('keeps the program held while another finding of it is open', () =>
      expect(heldPrograms([...enrolledInBoth, recorded(ENROLLED_TWICE), recorded(PAID_TWICE), resolved(ENROLLED_TWICE, 'TERMINATE', { effectiveDate: '2024-05-31' }), movedOut('MERITORIOUS')])).toEqual([
        'CROSS_PROVINCE_FINDING',
        undefined,
      ]));

    it('needs the termination’s effective date', () => {
      const withoutDate = terminate(ENROLLED_TWICE) as Extract<BeneficiaryCommand, { type: 'ResolveCrossProvinceFinding' }>;
      const { effectiveDate: _none, ...data } = withoutDate.data;
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when({ ...withoutDate, data }).thenRefuses(InvalidValue, 'INVALID_VALUE');
    });

    it('refuses what a termination refuses, and the finding stays open', () => {
      const open = [...enrolledInBoth, recorded(ENROLLED_TWICE)];
      spec.given(open).when(terminate(ENROLLED_TWICE, '2024-06-11')).thenRefuses(RuleViolation, 'TERMINATION_IN_FUTURE');
      spec.given(open).when(terminate(ENROLLED_TWICE, '2023-12-31')).thenRefuses(RuleViolation, 'TERMINATION_BEFORE_ENROLLMENT');
      spec.given([...enrolledInBoth, movedOut('MERITORIOUS', '2024-03-31'), recorded(ENROLLED_TWICE)]).when(terminate(ENROLLED_TWICE)).thenRefuses(RuleViolation, 'ENROLLMENT_TERMINATED');
    });
  });

  describe('when the finding is not open', () => {
    it('refuses a finding never recorded for the person', () => spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE)]).when(keep(PAID_TWICE)).thenRefuses(NotFound, 'FINDING_NOT_FOUND'));

    it('refuses a finding resolved already, whichever way', () => {
      spec.given([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'KEEP')]).when(keep(ENROLLED_TWICE)).thenRefuses(Conflict, 'FINDING_ALREADY_RESOLVED');
      spec
        .given([...enrolledInBoth, recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'TERMINATE', { effectiveDate: '2024-05-31' }), movedOut('MERITORIOUS')])
        .when(terminate(ENROLLED_TWICE))
        .thenRefuses(Conflict, 'FINDING_ALREADY_RESOLVED');
    });

    it('refuses a person the ledger does not know', () => spec.given([]).when(keep(ENROLLED_TWICE)).thenRefuses(NotFound, 'BENEFICIARY_NOT_FOUND'));
  });
});

describe('payroll plan of a person a cross-province finding holds', () => {
  const scope = (period: string) => ({ period: period as Period, program: null, unitCode: null });

  it('skips the held program’s month as CROSS_PROVINCE_FINDING, arrears included, and pays the other program', () => {
    const person = stateAfter([registered, enrolledIn('MERITORIOUS', '2024-05'), enrolledIn('SOCIAL_ASSISTANCE', '2024-06'), recorded(ENROLLED_TWICE)]);
    const plan = planPayrollFor(person, scope('2024-06'), catalogues);
    expect(plan.skipped).toEqual(['CROSS_PROVINCE_FINDING']);
    expect(plan.planned.map((d) => [d.program, d.period, d.arrears])).toEqual([['SOCIAL_ASSISTANCE', '2024-06', false]]);
  });

  it('pays the months held back as arrears once the finding is kept', () => {
    const person = stateAfter([registered, enrolledIn('MERITORIOUS', '2024-06'), recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'KEEP')]);
    expect(planPayrollFor(person, scope('2024-07'), catalogues).planned.map((d) => [d.period, d.arrears])).toEqual([
      ['2024-07', false],
      ['2024-06', true],
    ]);
  });

  it('owes nothing after the month of the termination once the person is found moved out', () => {
    const person = stateAfter([registered, enrolledIn('MERITORIOUS', '2024-05'), recorded(ENROLLED_TWICE), resolved(ENROLLED_TWICE, 'TERMINATE', { effectiveDate: '2024-05-31' }), movedOut('MERITORIOUS')]);
    const plan = planPayrollFor(person, scope('2024-07'), catalogues);
    expect(plan.skipped).toEqual(['TERMINATED']);
    expect(plan.planned.map((d) => d.period)).toEqual(['2024-05']);
  });
});
