import { describe, expect, it } from '@jest/globals';
import { BeneficiaryEventType, DisbursementEventType } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { INTEGRATION_EVENT_TYPES, type IntegrationEvent } from './integration-events.js';
import { foldBeneficiaryFacts, foldDisbursementFacts, type BeneficiaryFacts } from './integration-facts.js';
import { everyInternalEvent, FEBRUARY, FINDING_ID, MAY, NATIONAL_KEY, PERSON, PROGRAM, PROVINCE } from './testing/every-internal-event.js';
import { publishHistory } from './testing/internal-history.js';
import { PUBLISHED_AS, publishedReasonOf, toIntegrationEvents } from './to-integration-events.js';

const story = everyInternalEvent();
const { published } = publishHistory(story.events, { province: PROVINCE, nationalKey: NATIONAL_KEY });
const { step } = story;

/** What `event` was published as, in the story. */
const publishedFor = (event: RecordedEvent): IntegrationEvent[] => published.filter((message) => message.sourcePosition === event.globalPosition.toString());
const envelopeOf = (event: RecordedEvent) => ({ id: event.id, version: 1, province: PROVINCE, occurredAt: event.recordedAt.toISOString(), sourcePosition: event.globalPosition.toString() });
const person = { personKey: PERSON.personKey, beneficiaryRef: PERSON.beneficiaryId };
const february = { ...person, disbursementRef: FEBRUARY, program: PROGRAM, period: '2024-02', amount: 2_055_000, arrears: false };
const may = { ...person, disbursementRef: MAY, program: PROGRAM, period: '2024-05', amount: 2_055_000, arrears: false };

describe('which internal events are published', () => {
  it('decides for every event type of a beneficiary and of a disbursement, and for no other', () => {
    const internalTypes = [...Object.values(BeneficiaryEventType), ...Object.values(DisbursementEventType)];
    expect(Object.keys(PUBLISHED_AS).sort()).toEqual([...internalTypes].sort());
  });

  it('publishes each integration event type from some internal event, and nothing outside the contract', () => {
    const targets = new Set(Object.values(PUBLISHED_AS));
    targets.delete('NOT_PUBLISHED');
    expect([...targets].sort()).toEqual([...INTEGRATION_EVENT_TYPES].sort());
  });

  it('publishes each event of a story holding every internal type as PUBLISHED_AS says', () => {
    const told = new Set(story.events.map((event) => event.type));
    for (const type of Object.keys(PUBLISHED_AS)) expect({ type, told: told.has(type) }).toEqual({ type, told: true });
    for (const event of story.events) {
      const expected = PUBLISHED_AS[event.type as keyof typeof PUBLISHED_AS] ?? 'NOT_PUBLISHED';
      expect({ internal: event.type, published: publishedFor(event).map((message) => message.type) }).toEqual({
        internal: event.type,
        published: expected === 'NOT_PUBLISHED' ? [] : [expected],
      });
    }
  });

  it('publishes nothing of payroll runs, and nothing of an event type a newer ledger wrote', () => {
    const run = story.events.find((event) => event.type === 'PayrollRunCreated')!;
    expect(toIntegrationEvents(run, { province: PROVINCE })).toEqual([]);
    expect(publishedFor(step.unknown)).toEqual([]);
  });
});

describe('an enrollment', () => {
  it('started: the person by key and reference, the program, the unit and the first month owed', () => {
    expect(publishedFor(step.enrolled)).toEqual([
      {
        id: step.enrolled.id,
        type: 'EnrollmentStarted',
        version: 1,
        province: '91',
        occurredAt: '2024-01-02T03:00:00.000Z',
        sourcePosition: '2',
        data: { personKey: PERSON.personKey, beneficiaryRef: PERSON.beneficiaryId, program: 'MERITORIOUS', unitCode: '899', effectiveFrom: '2024-01' },
      },
    ]);
  });

  it('suspended and resumed: in the unit the person has moved to since, without the reason', () => {
    expect(publishedFor(step.suspended)).toEqual([
      { ...envelopeOf(step.suspended), type: 'EnrollmentSuspended', data: { ...person, program: PROGRAM, unitCode: '900', effectiveFrom: '2024-04' } },
    ]);
    expect(publishedFor(step.resumed)).toEqual([{ ...envelopeOf(step.resumed), type: 'EnrollmentResumed', data: { ...person, program: PROGRAM, unitCode: '900', effectiveFrom: '2024-05' } }]);
  });

  it('terminated: ended, with the termination reason and date', () => {
    expect(publishedFor(step.terminated)).toEqual([
      { ...envelopeOf(step.terminated), type: 'EnrollmentEnded', data: { ...person, program: PROGRAM, unitCode: '900', reason: 'DECEASED', effectiveDate: '2024-01-20' } },
    ]);
  });

  it('with its termination date corrected: ended again on the new date, with the termination’s own reason rather than the correction’s', () => {
    expect(publishedFor(step.corrected)).toEqual([
      { ...envelopeOf(step.corrected), type: 'EnrollmentEnded', data: { ...person, program: PROGRAM, unitCode: '900', reason: 'DECEASED', effectiveDate: '2024-03-20' } },
    ]);
  });

  it('with its termination revoked: reinstated', () => {
    expect(publishedFor(step.revoked)).toEqual([{ ...envelopeOf(step.revoked), type: 'EnrollmentReinstated', data: { ...person, program: PROGRAM, unitCode: '900' } }]);
  });
});

describe('a payment account opened', () => {
  it('is published with its bank and opening day, never its number or holder, verified or not', () => {
    expect(publishedFor(step.accountOpened)).toEqual([
      { ...envelopeOf(step.accountOpened), type: 'PaymentAccountOpened', data: { ...person, unitCode: '899', bankCode: 'VBA', openedOn: '2024-01-05' } },
    ]);
    expect(publishedFor(step.secondAccountOpened)).toEqual([
      { ...envelopeOf(step.secondAccountOpened), type: 'PaymentAccountOpened', data: { ...person, unitCode: '900', bankCode: 'BIDV', openedOn: '2024-05-02' } },
    ]);
  });
});

describe('a cross-province finding resolved', () => {
  it('is published with the finding, the program and the decision, never the operator’s reason', () => {
    expect(publishedFor(step.findingResolved)).toEqual([
      { ...envelopeOf(step.findingResolved), type: 'CrossProvinceFindingResolved', data: { ...person, findingId: FINDING_ID, program: PROGRAM, decision: 'KEEP' } },
    ]);
  });
});

describe('a disbursement', () => {
  it('scheduled: the whole of it', () => {
    expect(publishedFor(step.scheduled)).toEqual([
      {
        ...envelopeOf(step.scheduled),
        type: 'DisbursementScheduled',
        data: { ...february, unitCode: '899', channel: 'BANK', bankCode: 'VBA', status: 'SCHEDULED', attempt: 1 },
      },
    ]);
    expect(publishedFor(step.mayScheduled)).toEqual([
      { ...envelopeOf(step.mayScheduled), type: 'DisbursementScheduled', data: { ...may, unitCode: '900', channel: 'BANK', bankCode: 'BIDV', status: 'SCHEDULED', attempt: 1 } },
    ]);
  });

  it('sent: the whole of it, SENT', () => {
    expect(publishedFor(step.sent)).toEqual([
      { ...envelopeOf(step.sent), type: 'DisbursementSent', data: { ...february, unitCode: '899', channel: 'BANK', bankCode: 'VBA', status: 'SENT', attempt: 1 } },
    ]);
  });

  it('failed: FAILED, with the bank’s reason code and none of the words after it', () => {
    expect(publishedFor(step.failed)).toEqual([
      {
        ...envelopeOf(step.failed),
        type: 'DisbursementFailed',
        data: { ...february, unitCode: '899', channel: 'BANK', bankCode: 'VBA', status: 'FAILED', attempt: 1, reason: 'AC04' },
      },
    ]);
  });

  it('rescheduled to cash: changed (RESCHEDULED), SCHEDULED again, its next attempt, no bank', () => {
    expect(publishedFor(step.rescheduled)).toEqual([
      {
        ...envelopeOf(step.rescheduled),
        type: 'DisbursementChanged',
        data: { ...february, unitCode: '899', channel: 'CASH', bankCode: null, status: 'SCHEDULED', attempt: 2, change: 'RESCHEDULED' },
      },
    ]);
  });

  it('moved with its person: changed (RELOCATED), in the new unit', () => {
    expect(publishedFor(step.disbursementRelocated)).toEqual([
      {
        ...envelopeOf(step.disbursementRelocated),
        type: 'DisbursementChanged',
        data: { ...february, unitCode: '900', channel: 'CASH', bankCode: null, status: 'SCHEDULED', attempt: 2, change: 'RELOCATED' },
      },
    ]);
  });

  it('paid: PAID, on the day in Vietnam it was paid', () => {
    expect(publishedFor(step.sentAgain)).toEqual([
      { ...envelopeOf(step.sentAgain), type: 'DisbursementSent', data: { ...february, unitCode: '900', channel: 'CASH', bankCode: null, status: 'SENT', attempt: 2 } },
    ]);
    expect(publishedFor(step.paid)).toEqual([
      {
        ...envelopeOf(step.paid),
        type: 'DisbursementPaid',
        data: { ...february, unitCode: '900', channel: 'CASH', bankCode: null, status: 'PAID', attempt: 2, paidOn: '2024-03-01' },
      },
    ]);
  });

  it('paid through the Post Office because its account closed: changed (CHANNEL_CHANGED), no bank', () => {
    expect(publishedFor(step.channelChanged)).toEqual([
      {
        ...envelopeOf(step.channelChanged),
        type: 'DisbursementChanged',
        data: { ...may, unitCode: '900', channel: 'CASH', bankCode: null, status: 'SCHEDULED', attempt: 1, change: 'CHANNEL_CHANGED' },
      },
    ]);
  });

  it('returned with a clerk’s note: RETURNED, OTHER, the note stays in the province', () => {
    expect(publishedFor(step.returned)).toEqual([
      {
        ...envelopeOf(step.returned),
        type: 'DisbursementReturned',
        data: { ...may, unitCode: '900', channel: 'CASH', bankCode: null, status: 'RETURNED', attempt: 1, reason: 'OTHER' },
      },
    ]);
  });

  it('cancelled: CANCELLED, with the ledger’s reason code', () => {
    expect(publishedFor(step.cancelled)).toEqual([
      {
        ...envelopeOf(step.cancelled),
        type: 'DisbursementCancelled',
        data: { ...may, unitCode: '900', channel: 'CASH', bankCode: null, status: 'CANCELLED', attempt: 1, reason: 'ENROLLMENT_TERMINATED' },
      },
    ]);
  });
});

describe('the reason of a failure or a return, as published', () => {
  it.each([
    ['AC04', 'AC04'],
    ['AM04: insufficient funds on the province account', 'AM04'],
    ['REJECTED_BY_BANK', 'REJECTED_BY_BANK'],
    ['NOT_COLLECTED', 'NOT_COLLECTED'],
    ['NO_REASON_GIVEN: Tài khoản BUI TRUNG TAI', 'NO_REASON_GIVEN'],
    ['  AC01 ', 'AC01'],
    ['NARR: Nguyễn Văn Minh moved', 'OTHER'],
    ['MINH did not come', 'OTHER'],
    ['không có mặt', 'OTHER'],
    ['7700205100123 closed', 'OTHER'],
    ['', 'OTHER'],
  ])('%j is published as %s', (reason, code) => {
    expect(publishedReasonOf(reason)).toBe(code);
  });
});

describe('when the publisher gives the wrong facts', () => {
  const beneficiary = foldBeneficiaryFacts(undefined, step.registered, NATIONAL_KEY)!;
  const another: BeneficiaryFacts = { ...beneficiary, beneficiaryId: '0b1c2d3e-4f50-5a6b-8c7d-9e0f1a2b3c4d' };
  const disbursement = foldDisbursementFacts(undefined, step.scheduled)!;

  it('refuses a beneficiary event without its beneficiary’s facts, or with another’s', () => {
    expect(() => toIntegrationEvents(step.enrolled, { province: PROVINCE })).toThrow('EnrollmentStarted at position 2 is published with its beneficiary’s facts, and none were given');
    expect(() => toIntegrationEvents(step.enrolled, { province: PROVINCE, beneficiary: another })).toThrow('these are another beneficiary’s');
  });

  it('refuses a disbursement event without its disbursement’s facts, or without its beneficiary’s', () => {
    expect(() => toIntegrationEvents(step.sent, { province: PROVINCE, beneficiary })).toThrow('DisbursementSent at position 7 is published with its disbursement’s facts, and none were given');
    expect(() => toIntegrationEvents(step.sent, { province: PROVINCE, disbursement })).toThrow('is published with its beneficiary’s facts, and none were given');
    expect(() => toIntegrationEvents(step.sent, { province: PROVINCE, disbursement, beneficiary: another })).toThrow('these are another beneficiary’s');
    expect(() => toIntegrationEvents(step.mayScheduled, { province: PROVINCE, disbursement, beneficiary })).toThrow('these are another disbursement’s');
  });

  it('refuses a corrected termination whose facts hold no termination', () => {
    expect(() => toIntegrationEvents(step.corrected, { province: PROVINCE, beneficiary })).toThrow('corrects a termination its beneficiary’s facts do not hold');
  });

  it('needs no facts for an event it does not publish', () => {
    expect(toIntegrationEvents(step.registered, { province: PROVINCE })).toEqual([]);
    expect(toIntegrationEvents(step.assigned, { province: PROVINCE })).toEqual([]);
  });
});
