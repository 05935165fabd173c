import { describe, expect, it } from '@jest/globals';
import { EventIdConflict, WrongExpectedRevision, type EventToAppend } from '../event-store.port.js';
import { AppendPlan, retryReadsFor, type StoredStream } from './append-plan.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const event = (n: number, data: Record<string, number> = { n }): EventToAppend => ({ id: id(n), type: 'numbered', schemaVersion: 1, data, metadata: {} });

/** A log at position 40 with 7 streams, `existing` at revision 1 (positions 39 and 40 hold events 1 and 2). */
const existing = new Map<string, StoredStream>([['existing', { streamId: 7n, revision: 1n }]]);
const storedEvents = [
  { streamId: 7n, revision: 0n, position: 39n, id: id(1), type: 'numbered', schemaVersion: 1, data: '{"n":1}' },
  { streamId: 7n, revision: 1n, position: 40n, id: id(2), type: 'numbered', schemaVersion: 1, data: '{"n":2}' },
];
const head = { position: 40n, streamCount: 7n };

describe('an append plan', () => {
  describe('when it reads before deciding', () => {
    it('reads where a pinned append would have landed, up to the head, and by id for "any" and "stream exists"', () => {
      const reads = retryReadsFor(
        [
          { streamName: 'existing', events: [event(1), event(2), event(3)], expectedRevision: 'no_stream' },
          { streamName: 'existing', events: [event(3)], expectedRevision: 1n },
          { streamName: 'existing', events: [event(2), event(3)], expectedRevision: 0n },
          { streamName: 'existing', events: [event(2)], expectedRevision: 'any' },
          { streamName: 'new', events: [event(9)], expectedRevision: 'any' },
        ],
        existing,
      );
      expect(reads).toEqual({
        ranges: [
          { streamId: 7n, first: 0n, last: 1n },
          { streamId: 7n, first: 1n, last: 1n },
        ],
        byId: [{ streamId: 7n, eventId: id(2), count: 1 }],
      });
    });
  });

  describe('when appends of one batch build on each other', () => {
    it('hands out positions and stream ids from the head, and lets each append see the ones before it', () => {
      const plan = new AppendPlan(head, existing, storedEvents, []);
      expect(plan.decide({ streamName: 'fresh', events: [event(10), event(11)], expectedRevision: 'no_stream' })).toEqual({ nextExpectedRevision: 1n, position: 42n, written: true });
      expect(plan.decide({ streamName: 'fresh', events: [event(12)], expectedRevision: 1n })).toEqual({ nextExpectedRevision: 2n, position: 43n, written: true });
      expect(plan.decide({ streamName: 'existing', events: [event(3)], expectedRevision: 1n })).toEqual({ nextExpectedRevision: 2n, position: 44n, written: true });
      expect(() => plan.decide({ streamName: 'fresh', events: [event(13)], expectedRevision: 'no_stream' })).toThrow(WrongExpectedRevision);

      expect(plan.head).toEqual({ position: 44n, streamCount: 8n });
      expect(plan.createdStreams).toEqual([{ streamName: 'fresh', streamId: 8n, revision: 2n }]);
      expect(plan.movedStreams).toEqual([{ streamId: 7n, revision: 2n }]);
      expect(plan.rows.map(({ position, streamId, revision }) => [position, streamId, revision])).toEqual([
        [41n, 8n, 0n],
        [42n, 8n, 1n],
        [43n, 8n, 2n],
        [44n, 7n, 2n],
      ]);
    });

    it('settles a retry of an append written earlier in the batch as already appended, under "any" too', () => {
      const plan = new AppendPlan(head, existing, storedEvents, []);
      const first = plan.decide({ streamName: 'existing', events: [event(3), event(4)], expectedRevision: 'any' });
      expect(plan.decide({ streamName: 'existing', events: [event(3), event(4)], expectedRevision: 'any' })).toEqual({ ...first, written: false });
      expect(plan.decide({ streamName: 'existing', events: [event(3), event(4)], expectedRevision: 1n })).toEqual({ ...first, written: false });
      expect(() => plan.decide({ streamName: 'existing', events: [event(3, { n: 99 })], expectedRevision: 1n })).toThrow(EventIdConflict);
      expect(plan.rows).toHaveLength(2);
    });
  });

  describe('when an append retries events already in the log', () => {
    it('compares the stored content, found by id under "any"', () => {
      const plan = new AppendPlan(head, existing, storedEvents, [{ streamId: 7n, eventId: id(2), revision: 1n }]);
      expect(plan.decide({ streamName: 'existing', events: [event(2)], expectedRevision: 'any' })).toEqual({ nextExpectedRevision: 1n, position: 40n, written: false });
      expect(() => plan.decide({ streamName: 'existing', events: [event(2, { n: 3 })], expectedRevision: 'stream_exists' })).toThrow(EventIdConflict);
      expect(plan.rows).toEqual([]);
    });
  });
});
