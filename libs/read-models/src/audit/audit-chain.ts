import { hash } from 'node:crypto';
import { storedJsonOf, type RecordedEvent } from '@ledger/event-store';

/**
 * The audit chain: a SHA-256 hash chain over the global log in commit order.
 *
 *     hash_0 (genesis) = 32 zero bytes
 *     hash_n           = SHA-256( hash_{n-1} || encode(event_n) )
 *
 * `encode` (version 1) is the concatenation of nine fields, in this order, each written as a
 * 4-byte big-endian unsigned length followed by that many bytes of UTF-8:
 *
 *     1 position         the global position, in decimal
 *     2 streamName
 *     3 streamRevision   in decimal
 *     4 id               the event id, as stored
 *     5 type
 *     6 schemaVersion    in decimal
 *     7 recordedAt       ISO 8601 UTC with milliseconds (`Date.prototype.toISOString`)
 *     8 data             the event data as JSON text
 *     9 metadata         the event metadata as JSON text
 *
 * Length prefixes make the encoding injective: no two different events encode to the same bytes,
 * whatever characters their fields hold, so a change to any field changes the hash.
 *
 * Why `JSON.stringify` of the stored JSON is canonical here: every event is written with
 * `JSON.stringify` (the SQLite adapter stores exactly that text; the EventStoreDB client sends
 * exactly those bytes), and both stores hand back that same JSON. For text produced by
 * `JSON.stringify`, `JSON.stringify(JSON.parse(text)) === text`: numbers print as the shortest
 * string that reads back to the same double, strings escape the same way every time, and keys come
 * back in the order they were written (integer-like keys were already first when it was written).
 * So hashing the parsed event re-serialised (what the projector does) and hashing the stored text
 * as it is (what the SQLite verifier does, without parsing: much faster) give the same bytes — and
 * a stored text edited by hand, even only in its spacing, no longer does.
 */
export const CHAIN_VERSION = 1;
export const HASH_BYTES = 32;
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_BYTES);
export const GENESIS_POSITION = '-1';

/** The nine encoded fields of one event, already as text, in encoding order. */
export type ChainFields = readonly [
  position: string,
  streamName: string,
  streamRevision: string,
  id: string,
  type: string,
  schemaVersion: string,
  recordedAt: string,
  data: string,
  metadata: string,
];

const FIELD_COUNT = 9;
const LENGTH_BYTES = 4;

export function chainFieldsOf(event: RecordedEvent): ChainFields {
  // The stored text when the store kept it: the same bytes (see above), without serialising again.
  const stored = storedJsonOf(event);
  return [
    event.globalPosition.toString(),
    event.streamName,
    event.streamRevision.toString(),
    event.id,
    event.type,
    String(event.schemaVersion),
    event.recordedAt.toISOString(),
    stored?.data ?? JSON.stringify(event.data),
    stored?.metadata ?? JSON.stringify(event.metadata),
  ];
}

/** encode(event): the bytes hashed after the previous hash. The reference implementation. */
export function encodeChainEvent(fields: ChainFields): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** One step of the chain: SHA-256(previous || encode(event)). */
export function chainHash(previous: Buffer, fields: ChainFields): Buffer {
  return hash('sha256', Buffer.concat([previous, encodeChainEvent(fields)]), 'buffer');
}

/**
 * The chain, step by step, as fast as one hash call per event allows: each event is encoded into
 * one reused buffer behind the previous hash and hashed in a single call. The head is kept in hex,
 * the form the recorded chain stores: asking for a hex digest and writing it back costs less than a
 * Buffer per event. Gives exactly the bytes `chainHash` gives (a unit spec holds them to it).
 */
export class ChainHasher {
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private current: string;

  constructor(head: Buffer | string = GENESIS_HASH) {
    const hex = typeof head === 'string' ? head.toLowerCase() : head.toString('hex');
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`A chain hash has ${HASH_BYTES} bytes`);
    this.current = hex;
  }

  get head(): Buffer {
    return Buffer.from(this.current, 'hex');
  }

  get headHex(): string {
    return this.current;
  }

  next(fields: ChainFields): Buffer {
    return Buffer.from(this.nextHex(fields), 'hex');
  }

  nextHex(fields: ChainFields): string {
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    let worstCase = HASH_BYTES + FIELD_COUNT * LENGTH_BYTES;
    for (let index = 0; index < FIELD_COUNT; index++) worstCase += fields[index]!.length * 3;
    if (worstCase > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(worstCase, this.scratch.length * 2));
    const scratch = this.scratch;
    scratch.write(this.current, 0, 'hex');
    let offset = HASH_BYTES;
    for (let index = 0; index < FIELD_COUNT; index++) {
      const written = scratch.write(fields[index]!, offset + LENGTH_BYTES, 'utf8');
      scratch.writeUInt32BE(written, offset);
      offset += LENGTH_BYTES + written;
    }
    this.current = hash('sha256', scratch.subarray(0, offset), 'hex');
    return this.current;
  }
}

/**
 * Orders two positions written in decimal (non-negative, or -1 for "before the first event")
 * without turning them into bigints: a longer number is larger, equal lengths compare as text.
 */
export function comparePositions(a: string, b: string): number {
  if (a === b) return 0;
  const aNegative = a.startsWith('-');
  const bNegative = b.startsWith('-');
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  if (aNegative) return -comparePositions(a.slice(1), b.slice(1));
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : 1;
}
