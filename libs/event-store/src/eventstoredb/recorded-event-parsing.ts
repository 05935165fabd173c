import type { Position, RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import type { JsonObject, RecordedEvent } from '../event-store.port.js';

/**
 * What the port models but an EventStoreDB event has no field for travels in the event metadata
 * under reserved keys, stripped again on read.
 */
export const SCHEMA_VERSION = '$schemaVersion';
/** A fresh id per appendToStream call: reading it back tells whether this call wrote the events. */
export const APPEND_ID = '$appendId';

export interface StoredEvent {
  readonly recorded: RecordedEvent;
  /** The appendToStream call that wrote it; absent on events written by other tools. */
  readonly appendId: string | undefined;
}

/**
 * An event as the port sees it, or why the adapter cannot show it: not written by an adapter of
 * this port (another producer's event has no schema version, or data that is not a JSON object), or
 * written in an explicit transaction of the retired TCP API, whose position is not unique.
 */
export type ParsedEvent = { readonly parsed: StoredEvent } | { readonly unreadable: string };

export function parseClientEvent(event: ClientRecordedEvent): ParsedEvent {
  if (!isJsonObject(event.data)) return { unreadable: 'its data is not a JSON object' };
  const { [SCHEMA_VERSION]: schemaVersion, [APPEND_ID]: appendId, ...metadata } = isJsonObject(event.metadata) ? event.metadata : {};
  if (typeof schemaVersion !== 'number') return { unreadable: `its metadata has no ${SCHEMA_VERSION}` };
  if (!event.position) throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without its position; it must be version 22.6 or later`);
  const position = toPosition(event.position);
  if (position.commit !== position.prepare) return { unreadable: 'it was written in an explicit transaction, so its commit position is not unique' };
  return {
    parsed: {
      recorded: {
        id: event.id,
        type: event.type,
        schemaVersion,
        data: event.data,
        metadata,
        streamName: event.streamId,
        // Typed bigint but delivered as a number by some client versions (KurrentDB-Client-NodeJS#513).
        streamRevision: BigInt(event.revision),
        globalPosition: position.commit,
        recordedAt: event.created,
      },
      appendId: typeof appendId === 'string' ? appendId : undefined,
    },
  };
}

/**
 * The warning for an event passed over: where it is and what type it claims, never its data or
 * metadata, which may carry personal data.
 */
export function skippedEventWarning(event: Pick<ClientRecordedEvent, 'type' | 'streamId' | 'revision' | 'position'>, reason: string): string {
  const where = event.position ? `commit ${BigInt(event.position.commit)} / prepare ${BigInt(event.position.prepare)}` : 'an unknown position';
  return `EventStoreDB: skipped the ${JSON.stringify(event.type)} event at ${where} (${event.streamId}@${BigInt(event.revision)}): ${reason}`;
}

/**
 * The client types positions as bigints, yet some versions deliver numbers
 * (KurrentDB-Client-NodeJS#423, #513); BigInt() makes either a bigint.
 */
export function toPosition(position: Position): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

/**
 * EventStoreDB writes every event of a gRPC append as its own self-committed record, whose commit
 * and prepare positions are one number; only the TCP API's explicit transactions share a commit.
 */
export function globalPositionOf({ commit, prepare }: Position): bigint {
  if (commit !== prepare) {
    throw new Error(`An event at commit ${commit} / prepare ${prepare} was written in an explicit transaction; its commit position is not unique`);
  }
  return commit;
}

function isJsonObject(value: unknown): value is JsonObject {
  // Values here come from JSON.parse in the client, so an object that is not an array or bytes is JSON.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
