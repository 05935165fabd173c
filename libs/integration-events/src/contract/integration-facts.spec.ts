import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledger/event-store';
import { projectLedgerEvent, type Row, type RowChange, type SqlValue } from '@ledger/read-models';
import { factsNeededFor, foldBeneficiaryFacts, foldDisbursementFacts, type BeneficiaryFacts, type DisbursementFacts } from './integration-facts.js';
import { everyInternalEvent, FEBRUARY, MAY, NATIONAL_KEY, PERSON, PROGRAM } from './testing/every-internal-event.js';
import { InternalHistory } from './testing/internal-history.js';

const story = everyInternalEvent();
const { step } = story;

/** The read models' disbursements table, as the projection's row changes leave it: the province's own numbers. */
function projectedDisbursements(events: readonly RecordedEvent[]): Map<string, Record<string, SqlValue>> {
  const rows = new Map<string, Record<string, SqlValue>>();
  const matches = (row: Row, where: Row) => Object.entries(where).every(([column, value]) => (row[column] ?? null) === value);
  const apply = (change: RowChange) => {
    if (change.table !== 'disbursements') return;
    if (change.kind === 'update') {
      for (const row of rows.values()) if (matches(row, change.where)) Object.assign(row, change.set);
    } else {
      const id = change.row['disbursement_id'] as string;
      if (change.kind === 'upsert' || !rows.has(id)) rows.set(id, { ...rows.get(id), ...change.row });
    }
  };
  for (const event of events) projectLedgerEvent(event).forEach(apply);
  return rows;
}

/** The facts as the read model's columns name them. */
const asColumns = (facts: DisbursementFacts) => ({
  disbursement_id: facts.disbursementRef,
  beneficiary_id: facts.beneficiaryId,
  program: facts.program,
  period: facts.period,
  unit_code: facts.unitCode,
  amount: facts.amount,
  channel: facts.channel,
  bank_code: facts.bankCode,
  status: facts.status,
  attempt: facts.attempt,
  arrears: facts.arrears,
});
const columnsOf = (row: Record<string, SqlValue>) => Object.fromEntries(Object.keys(asColumns({} as DisbursementFacts)).map((column) => [column, row[column]]));

function foldAll(events: readonly RecordedEvent[]) {
  const beneficiaries = new Map<string, BeneficiaryFacts | undefined>();
  const disbursements = new Map<string, DisbursementFacts | undefined>();
  for (const event of events) {
    const { beneficiaryId, disbursementId } = factsNeededFor(event);
    if (disbursementId !== undefined) disbursements.set(disbursementId, foldDisbursementFacts(disbursements.get(disbursementId), event));
    if (beneficiaryId !== undefined) beneficiaries.set(beneficiaryId, foldBeneficiaryFacts(beneficiaries.get(beneficiaryId), event, NATIONAL_KEY));
  }
  return { beneficiaries, disbursements };
}

describe('the facts of a disbursement', () => {
  it('agree with the read model after every event of a story that schedules, fails, reschedules to cash, relocates, sends and pays it', () => {
    for (let length = 1; length <= story.events.length; length++) {
      const events = story.events.slice(0, length);
      const event = events.at(-1)!;
      const projected = projectedDisbursements(events);
      const { disbursements } = foldAll(events);
      for (const id of [FEBRUARY, MAY]) {
        const facts = disbursements.get(id);
        const row = projected.get(id);
        expect({ after: event.type, at: length, facts: facts && asColumns(facts) }).toEqual({ after: event.type, at: length, facts: row && columnsOf(row) });
      }
    }
  });

  it('stand, after the story, as the province last recorded them', () => {
    const { disbursements } = foldAll(story.events);
    expect(disbursements.get(FEBRUARY)).toEqual({
      beneficiaryId: PERSON.beneficiaryId,
      disbursementRef: FEBRUARY,
      program: PROGRAM,
      period: '2024-02',
      unitCode: '900',
      amount: 2_055_000,
      channel: 'CASH',
      bankCode: null,
      status: 'PAID',
      attempt: 2,
      arrears: false,
    });
  });

  it('are none before the disbursement is scheduled, and none from events of other streams', () => {
    expect(foldDisbursementFacts(undefined, step.sent)).toBeUndefined();
    const facts = foldDisbursementFacts(undefined, step.scheduled);
    expect(foldDisbursementFacts(facts, step.enrolled)).toBe(facts);
  });

  it('refuse an event of another disbursement: a publisher that mixes them up stops', () => {
    const facts = foldDisbursementFacts(undefined, step.scheduled);
    expect(() => foldDisbursementFacts(facts, step.channelChanged)).toThrow('DisbursementChannelChanged at position');
  });
});

describe('the facts of a beneficiary', () => {
  it('hold the person key of the national id, never the id', () => {
    const facts = foldBeneficiaryFacts(undefined, step.registered, NATIONAL_KEY);
    expect(facts).toEqual({ beneficiaryId: PERSON.beneficiaryId, personKey: PERSON.personKey, unitCode: '899', terminationReasons: {} });
    expect(JSON.stringify(facts)).not.toContain(PERSON.nationalId);
  });

  it('follow the person to the unit they move to', () => {
    const { beneficiaries } = foldAll(story.events.slice(0, story.events.indexOf(step.relocated) + 1));
    expect(beneficiaries.get(PERSON.beneficiaryId)?.unitCode).toBe('900');
  });

  it('keep the reason of a standing termination, through its correction, until it is revoked', () => {
    const upTo = (event: RecordedEvent) => foldAll(story.events.slice(0, story.events.indexOf(event) + 1)).beneficiaries.get(PERSON.beneficiaryId)!;
    expect(upTo(step.terminated).terminationReasons).toEqual({ [PROGRAM]: 'DECEASED' });
    expect(upTo(step.corrected).terminationReasons).toEqual({ [PROGRAM]: 'DECEASED' });
    expect(upTo(step.revoked).terminationReasons).toEqual({});
  });

  it('are none before the registration, and refuse another beneficiary’s event', () => {
    expect(foldBeneficiaryFacts(undefined, step.enrolled, NATIONAL_KEY)).toBeUndefined();
    const facts = foldBeneficiaryFacts(undefined, step.registered, NATIONAL_KEY);
    const other = new InternalHistory().beneficiary('0b1c2d3e-4f50-5a6b-8c7d-9e0f1a2b3c4d', 'BeneficiaryRelocated', { beneficiaryId: '0b1c2d3e-4f50-5a6b-8c7d-9e0f1a2b3c4d', fromUnitCode: '899', toUnitCode: '901' });
    expect(() => foldBeneficiaryFacts(facts, other, NATIONAL_KEY)).toThrow('BeneficiaryRelocated at position 1');
  });

  it('are read from PaymentAccountOpened as it was first stored too (schema v1, upcast)', () => {
    const history = new InternalHistory();
    history.beneficiary(PERSON.beneficiaryId, 'BeneficiaryRegistered', step.registered.data);
    const opened = history.beneficiary(
      PERSON.beneficiaryId,
      'PaymentAccountOpened',
      { beneficiaryId: PERSON.beneficiaryId, accountId: 'a-1', bankCode: 'VBA', accountNumber: PERSON.accountNumber, holderName: 'X', openedOn: '2023-01-05', status: 'UNVERIFIED' },
      1,
    );
    const facts = foldBeneficiaryFacts(undefined, history.events[0]!, NATIONAL_KEY);
    expect(foldBeneficiaryFacts(facts, opened, NATIONAL_KEY)).toBe(facts);
  });
});

describe('whose facts an event needs', () => {
  it('a beneficiary event: its beneficiary’s', () => {
    expect(factsNeededFor(step.enrolled)).toEqual({ beneficiaryId: PERSON.beneficiaryId });
  });

  it('a scheduling: its disbursement’s and the beneficiary it names', () => {
    expect(factsNeededFor(step.scheduled)).toEqual({ disbursementId: FEBRUARY, beneficiaryId: PERSON.beneficiaryId });
  });

  it('any later disbursement event: its disbursement’s, named by its stream only (the beneficiary is in those facts)', () => {
    expect(factsNeededFor(step.paid)).toEqual({ disbursementId: FEBRUARY });
  });

  it('an event of any other stream: nobody’s', () => {
    expect(factsNeededFor(story.events.find((event) => event.type === 'PayrollRunCreated')!)).toEqual({});
  });
});
