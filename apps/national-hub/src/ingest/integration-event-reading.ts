import { INTEGRATION_CONTRACT_VERSION, INTEGRATION_EVENT_TYPES, PROVINCE_CODE, type IntegrationEvent, type IntegrationEventType } from '@ledger/integration-events';

/**
 * One JetStream message read as an integration event, or refused with the reason. Pure: no I/O, so
 * that what the hub accepts is specified by a unit spec rather than found out in production.
 *
 * A refused message never stops the hub (one province's bug must not stop the nation's totals):
 * it is recorded with its stream sequence and reason, counted, logged, and acknowledged with its
 * batch. Its payload is not kept: a message that breaks the contract may break it by carrying
 * what the contract keeps out (a name, a national id).
 */
export type ReadMessage = { readonly kind: 'event'; readonly event: IntegrationEvent } | { readonly kind: 'refused'; readonly eventId: string | null; readonly reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERSON_KEY = /^[0-9a-f]{64}$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const POSITION = /^(0|[1-9]\d{0,18})$/;
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const DISBURSEMENT_STATUSES = new Set(['SCHEDULED', 'SENT', 'PAID', 'FAILED', 'RETURNED', 'CANCELLED']);
const EVENT_TYPES = new Set<string>(INTEGRATION_EVENT_TYPES);
const DISBURSEMENT_TYPES = new Set<IntegrationEventType>([
  'DisbursementScheduled',
  'DisbursementSent',
  'DisbursementPaid',
  'DisbursementFailed',
  'DisbursementReturned',
  'DisbursementCancelled',
  'DisbursementChanged',
]);
const ENROLLMENT_TYPES = new Set<IntegrationEventType>(['EnrollmentStarted', 'EnrollmentSuspended', 'EnrollmentResumed', 'EnrollmentEnded', 'EnrollmentReinstated']);

const decoder = new TextDecoder('utf-8', { fatal: true });

class Refusal extends Error {}

/** `ledger.events.<province>.<type>` and its body. */
export function readIntegrationEvent(subject: string, body: Uint8Array): ReadMessage {
  let eventId: string | null = null;
  try {
    const [, , subjectProvince, subjectType, ...rest] = subject.split('.');
    if (rest.length > 0 || !subjectProvince || !subjectType) throw new Refusal(`subject ${subject} is not ledger.events.<province>.<type>`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(body));
    } catch {
      throw new Refusal('the body is not UTF-8 JSON');
    }
    if (!isObject(parsed)) throw new Refusal('the body is not a JSON object');
    if (typeof parsed.id === 'string' && UUID.test(parsed.id)) eventId = parsed.id.toLowerCase();
    const event = envelopeOf(parsed);
    if (event.province !== subjectProvince) throw new Refusal(`province ${event.province} published on the subject of province ${subjectProvince}`);
    if (event.type !== subjectType) throw new Refusal(`a ${event.type} published on the subject of ${subjectType}`);
    checkData(event.type, event.data);
    return { kind: 'event', event: withCanonicalUuids(event) as unknown as IntegrationEvent };
  } catch (error) {
    if (error instanceof Refusal) return { kind: 'refused', eventId, reason: error.message };
    throw error;
  }
}

function envelopeOf(value: Record<string, unknown>): { id: string; type: IntegrationEventType; province: string; data: Record<string, unknown> } {
  const { id, type, version, province, occurredAt, sourcePosition, data } = value;
  if (typeof id !== 'string' || !UUID.test(id)) throw new Refusal('id must be a UUID');
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw new Refusal(`type ${shown(type)} is not an integration event of version ${INTEGRATION_CONTRACT_VERSION}`);
  if (version !== INTEGRATION_CONTRACT_VERSION) throw new Refusal(`version ${shown(version)} is not ${INTEGRATION_CONTRACT_VERSION}`);
  if (typeof province !== 'string' || !PROVINCE_CODE.test(province)) throw new Refusal('province must be a province code');
  if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt))) throw new Refusal('occurredAt must be an ISO 8601 instant');
  if (typeof sourcePosition !== 'string' || !POSITION.test(sourcePosition) || BigInt(sourcePosition) > 9_223_372_036_854_775_807n) {
    throw new Refusal('sourcePosition must be a decimal 64-bit position');
  }
  if (!isObject(data)) throw new Refusal('data must be an object');
  return { ...(value as { id: string; type: IntegrationEventType; province: string }), data };
}

function checkData(type: IntegrationEventType, data: Record<string, unknown>): void {
  text(data, 'personKey', PERSON_KEY, '64 lowercase hex digits');
  text(data, 'beneficiaryRef', UUID, 'a UUID');
  if (ENROLLMENT_TYPES.has(type)) {
    text(data, 'program', CODE, 'a program code');
    text(data, 'unitCode', CODE, 'a unit code');
  } else if (DISBURSEMENT_TYPES.has(type)) {
    text(data, 'disbursementRef', UUID, 'a UUID');
    text(data, 'program', CODE, 'a program code');
    text(data, 'period', PERIOD, 'a month YYYY-MM');
    text(data, 'unitCode', CODE, 'a unit code');
    if (typeof data.amount !== 'number' || !Number.isSafeInteger(data.amount) || data.amount < 0) throw new Refusal('data.amount must be a whole number of VND');
    if (data.channel !== 'BANK' && data.channel !== 'CASH') throw new Refusal('data.channel must be BANK or CASH');
    if (data.bankCode !== null && (typeof data.bankCode !== 'string' || !CODE.test(data.bankCode))) throw new Refusal('data.bankCode must be a bank code or null');
    if (typeof data.status !== 'string' || !DISBURSEMENT_STATUSES.has(data.status)) throw new Refusal('data.status must be a disbursement status');
    if (typeof data.attempt !== 'number' || !Number.isSafeInteger(data.attempt) || data.attempt < 1) throw new Refusal('data.attempt must be a positive integer');
    if (typeof data.arrears !== 'boolean') throw new Refusal('data.arrears must be true or false');
  } else if (type === 'PaymentAccountOpened') {
    text(data, 'bankCode', CODE, 'a bank code');
    text(data, 'unitCode', CODE, 'a unit code');
  } else if (type === 'CrossProvinceFindingResolved') {
    text(data, 'findingId', UUID, 'a UUID');
    text(data, 'program', CODE, 'a program code');
    if (data.decision !== 'KEEP' && data.decision !== 'TERMINATE') throw new Refusal('data.decision must be KEEP or TERMINATE');
  }
}

/**
 * UUIDs in lower case, as PostgreSQL writes them: the hub folds a batch by these ids before the
 * database sees it, and `A…` and `a…` must be one disbursement there as they are in the table.
 * The event as it came when it is so already, which is what a publisher sends.
 */
function withCanonicalUuids<E extends { id: string; data: Record<string, unknown> }>(event: E): E {
  const fields = ['beneficiaryRef', 'disbursementRef', 'findingId'].filter((field) => typeof event.data[field] === 'string' && event.data[field] !== (event.data[field] as string).toLowerCase());
  if (fields.length === 0 && event.id === event.id.toLowerCase()) return event;
  const data = { ...event.data };
  for (const field of fields) data[field] = (data[field] as string).toLowerCase();
  return { ...event, id: event.id.toLowerCase(), data };
}

function text(data: Record<string, unknown>, field: string, pattern: RegExp, what: string): void {
  const value = data[field];
  if (typeof value !== 'string' || !pattern.test(value)) throw new Refusal(`data.${field} must be ${what}`);
}

/** A value from the message, in a reason: short, since a message that breaks the contract may carry anything. */
const shown = (value: unknown) => (JSON.stringify(value) ?? 'nothing').slice(0, 40);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
