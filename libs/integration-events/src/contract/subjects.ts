import type { IntegrationEventType } from './integration-events.js';

/**
 * Where integration events and findings travel on NATS JetStream. Provinces publish their events on
 * `ledger.events.<province>.<type>`, into one stream the hub follows; the hub sends each finding on
 * `ledger.findings.<province>`, into a stream each province follows for its own subject.
 */
export const INTEGRATION_EVENTS_STREAM = 'LEDGER_EVENTS';
export const INTEGRATION_EVENTS_SUBJECTS = 'ledger.events.>';
export const FINDINGS_STREAM = 'LEDGER_FINDINGS';
export const FINDINGS_SUBJECTS = 'ledger.findings.>';

export function integrationEventSubject(province: string, type: IntegrationEventType): string {
  return `ledger.events.${province}.${type}`;
}

export function findingSubject(province: string): string {
  return `ledger.findings.${province}`;
}

/** A province code as the subjects carry it: digits only, so it never adds a token or a wildcard to a subject. */
export const PROVINCE_CODE = /^[0-9]{2,3}$/;
