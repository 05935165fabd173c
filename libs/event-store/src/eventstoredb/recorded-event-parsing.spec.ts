import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import { parseClientEvent, skippedEventWarning } from './recorded-event-parsing.js';

function clientEvent(overrides: Partial<ClientRecordedEvent> = {}): ClientRecordedEvent {
  return {
    streamId: 'beneficiary-42',
    id: 'c0a80101-0000-4000-8000-000000000001',
    revision: 3n,
    type: 'BeneficiaryEnrolled',
    data: { nationalId: 'NI-SECRET-1' },
    metadata: { $schemaVersion: 1, $appendId: 'append-1', actorId: 'clerk-7' },
    isJson: true,
    created: new Date('2025-01-02T03:04:05Z'),
    position: { commit: 1_000n, prepare: 1_000n },
    ...overrides,
  } as ClientRecordedEvent;
}

describe('parseClientEvent', () => {
  describe('when the event was written by an adapter of this port', () => {
    it('gives the event with its schema version, its own metadata and the append id apart', () => {
      const parsed = parseClientEvent(clientEvent());
      expect(parsed).toEqual({
        parsed: {
          recorded: {
            id: 'c0a80101-0000-4000-8000-000000000001',
            type: 'BeneficiaryEnrolled',
            schemaVersion: 1,
            data: { nationalId: 'NI-SECRET-1' },
            metadata: { actorId: 'clerk-7' },
            streamName: 'beneficiary-42',
            streamRevision: 3n,
            globalPosition: 1_000n,
            recordedAt: new Date('2025-01-02T03:04:05Z'),
          },
          appendId: 'append-1',
        },
      });
    });

    it('accepts revisions and positions delivered as numbers', () => {
      const parsed = parseClientEvent(clientEvent({ revision: 3 as unknown as bigint, position: { commit: 1_000, prepare: 1_000 } as never }));
      expect('parsed' in parsed && parsed.parsed.recorded.globalPosition).toBe(1_000n);
    });
  });

  describe('when another producer wrote the event', () => {
    it('says it cannot read one without a schema version', () => {
      expect(parseClientEvent(clientEvent({ metadata: { source: 'legacy-importer' } } as never))).toEqual({ unreadable: 'its metadata has no $schemaVersion' });
    });

    it('says it cannot read one without metadata, or whose data is not a JSON object', () => {
      expect(parseClientEvent(clientEvent({ metadata: undefined } as never))).toHaveProperty('unreadable');
      expect(parseClientEvent(clientEvent({ data: new Uint8Array([1, 2]), isJson: false } as never))).toEqual({ unreadable: 'its data is not a JSON object' });
      expect(parseClientEvent(clientEvent({ data: [1, 2] } as never))).toHaveProperty('unreadable');
    });

    it('says it cannot read one written in an explicit transaction', () => {
      expect(parseClientEvent(clientEvent({ position: { commit: 2_000n, prepare: 1_900n } }))).toHaveProperty('unreadable');
    });
  });
});

describe('skippedEventWarning', () => {
  describe('when an event is skipped', () => {
    it('names its position, stream, revision and type, and never its data or metadata', () => {
      const event = clientEvent({ metadata: { source: 'legacy-importer' } } as never);
      const warning = skippedEventWarning(event, 'its metadata has no $schemaVersion');
      expect(warning).toBe(
        'EventStoreDB: skipped the "BeneficiaryEnrolled" event at commit 1000 / prepare 1000 (beneficiary-42@3): its metadata has no $schemaVersion',
      );
      expect(warning).not.toContain('NI-SECRET-1');
      expect(warning).not.toContain('legacy-importer');
    });
  });
});
