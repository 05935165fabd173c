import { createHash, randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  INTEGRATION_CONTRACT_VERSION,
  integrationEventSubject,
  type CrossProvinceFindingDecision,
  type DisbursementCancelled,
  type DisbursementFailed,
  type DisbursementPaid,
  type DisbursementScheduled,
  type DisbursementSent,
  type DisbursementSnapshot,
  type IntegrationEvent,
} from '@ledger/integration-events';

/** A national person key for a test person: 64 hex digits, as the HMAC of a national id would be. */
export const personKeyOf = (name: string) => createHash('sha256').update(`test-person:${name}`).digest('hex');

/**
 * Integration events of one province, written as its publisher writes them, one short call per
 * fact; each call takes the next position in the province's log.
 */
export function provinceEvents(province: string, { firstPosition = 1n }: { firstPosition?: bigint } = {}) {
  let position = firstPosition;
  const envelope = <E extends IntegrationEvent>(type: E['type'], data: E['data']): E =>
    ({ id: randomUUID(), type, version: INTEGRATION_CONTRACT_VERSION, province, occurredAt: '2024-04-05T02:00:00.000Z', sourcePosition: String(position++), data }) as E;
  type Person = { personKey: string; beneficiaryRef: string };
  return {
    province,
    /** A person of this province: the same key as in any other province, its own beneficiary id. */
    person: (name: string): Person => ({ personKey: personKeyOf(name), beneficiaryRef: randomUUID() }),
    /** Where the next event goes in the province's log. */
    get position() {
      return position;
    },
    enroll: (person: Person, program: string, unitCode = `${province}101`) => envelope('EnrollmentStarted', { ...person, program, unitCode, effectiveFrom: '2024-01' }),
    suspend: (person: Person, program: string, unitCode = `${province}101`) => envelope('EnrollmentSuspended', { ...person, program, unitCode, effectiveFrom: '2024-03' }),
    resume: (person: Person, program: string, unitCode = `${province}101`) => envelope('EnrollmentResumed', { ...person, program, unitCode, effectiveFrom: '2024-04' }),
    end: (person: Person, program: string, unitCode = `${province}101`) => envelope('EnrollmentEnded', { ...person, program, unitCode, reason: 'NO_LONGER_ELIGIBLE', effectiveDate: '2024-05-01' }),
    openAccount: (person: Person, bankCode = 'VBA') => envelope('PaymentAccountOpened', { ...person, unitCode: `${province}101`, bankCode, openedOn: '2024-01-02' }),
    /** A snapshot of a new disbursement (not an event yet): pass it to `schedule`, `pay`… */
    snapshot: (person: Person, program: string, period: string, { amount = 500_000, channel = 'BANK', unitCode = `${province}101` }: { amount?: number; channel?: 'BANK' | 'CASH'; unitCode?: string } = {}): DisbursementSnapshot => ({
      ...person,
      disbursementRef: randomUUID(),
      program,
      period,
      unitCode,
      amount,
      channel,
      bankCode: channel === 'BANK' ? 'VBA' : null,
      status: 'SCHEDULED',
      attempt: 1,
      arrears: false,
    }),
    schedule: (snapshot: DisbursementSnapshot) => envelope<DisbursementScheduled>('DisbursementScheduled', { ...snapshot, status: 'SCHEDULED' }),
    send: (snapshot: DisbursementSnapshot) => envelope<DisbursementSent>('DisbursementSent', { ...snapshot, status: 'SENT' }),
    pay: (snapshot: DisbursementSnapshot) => envelope<DisbursementPaid>('DisbursementPaid', { ...snapshot, status: 'PAID', paidOn: '2024-04-10' }),
    fail: (snapshot: DisbursementSnapshot) => envelope<DisbursementFailed>('DisbursementFailed', { ...snapshot, status: 'FAILED', reason: 'Account closed' }),
    cancel: (snapshot: DisbursementSnapshot) => envelope<DisbursementCancelled>('DisbursementCancelled', { ...snapshot, status: 'CANCELLED', reason: 'Enrollment ended' }),
    resolve: (person: Person, findingId: string, program: string, decision: CrossProvinceFindingDecision) => envelope('CrossProvinceFindingResolved', { ...person, findingId, program, decision }),
  };
}

const encoder = new TextEncoder();

/**
 * Publishes events on their subjects, as a province's publisher does, awaiting every PubAck. The
 * msgID is the event's id unless `msgId` says otherwise (a republication after the duplicate
 * window is the same id under a msgID JetStream has forgotten).
 */
export async function publishEvents(connection: NatsConnection, events: readonly IntegrationEvent[], { msgId = (event: IntegrationEvent) => event.id, window = 1_000 }: { msgId?: (event: IntegrationEvent) => string; window?: number } = {}): Promise<void> {
  const js = jetstream(connection);
  for (let from = 0; from < events.length; from += window) {
    await Promise.all(
      events.slice(from, from + window).map((event) => js.publish(integrationEventSubject(event.province, event.type), encoder.encode(JSON.stringify(event)), { msgID: msgId(event) })),
    );
  }
}
