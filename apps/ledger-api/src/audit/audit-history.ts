import { beneficiaryStreamName, disbursementStreamName, NotFound, payrollRunStreamName } from '@ledger/domain';
import type { EventStore, RecordedEvent } from '@ledger/event-store';

/** An event as auditors read it: everything stored, positions as strings (they outgrow a double). */
export function auditEventView(event: RecordedEvent) {
  return {
    position: event.globalPosition.toString(),
    streamName: event.streamName,
    streamRevision: Number(event.streamRevision),
    eventId: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}

/**
 * The stream an id names. Beneficiary, disbursement and payroll-run ids are all UUIDs, so the id
 * alone is asked for and the stream found by trying each category: no national id ever travels in
 * a URL, and one route serves every history.
 */
export async function auditStreamOf(store: EventStore, id: string): Promise<string> {
  const candidates = [beneficiaryStreamName(id), disbursementStreamName(id), payrollRunStreamName(id)];
  const existing = await store.streamHeads(candidates);
  const found = candidates.find((name) => existing.has(name));
  if (!found) throw new NotFound('STREAM_NOT_FOUND', 'No beneficiary, disbursement or payroll run with this id');
  return found;
}

/**
 * A page of one stream's history, by revision; `next` is the revision to continue from.
 * `beneficiaryId` names the person the stream is about (theirs, or one of their disbursements'),
 * null for a payroll run: whose data the page shows, whichever page it is.
 */
export async function streamHistory(store: EventStore, id: string, { fromRevision, limit }: { fromRevision: bigint; limit: number }) {
  const streamName = await auditStreamOf(store, id);
  const events = await store.readStream(streamName, { fromRevision, maxCount: limit + 1 });
  const page = events.slice(0, limit);
  return {
    streamName,
    beneficiaryId: await personOfStream(store, id, streamName, page),
    items: page.map(auditEventView),
    next: events.length > limit ? events[limit]!.streamRevision.toString() : null,
  };
}

/** A disbursement names its beneficiary in its first event (DisbursementScheduled), read if the page starts later. */
async function personOfStream(store: EventStore, id: string, streamName: string, page: readonly RecordedEvent[]): Promise<string | null> {
  if (streamName === beneficiaryStreamName(id)) return id;
  if (streamName !== disbursementStreamName(id)) return null;
  const [first] = page[0]?.streamRevision === 0n ? page : await store.readStream(streamName, { fromRevision: 0n, maxCount: 1 });
  const beneficiaryId = first?.data.beneficiaryId;
  return typeof beneficiaryId === 'string' ? beneficiaryId : null;
}

/** A page of the whole log, by position; `next` is the position to continue after. */
export async function logHistory(store: EventStore, { after, limit }: { after: bigint | undefined; limit: number }) {
  const events = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: limit + 1 });
  const page = events.slice(0, limit);
  return {
    items: page.map(auditEventView),
    next: events.length > limit ? page.at(-1)!.globalPosition.toString() : null,
  };
}
