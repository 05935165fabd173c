import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledger/event-store';
import { chainFieldsOf, chainHash, ChainHasher, comparePositions, encodeChainEvent, GENESIS_HASH, type ChainFields } from './audit-chain.js';

const event = (position: number, data: Record<string, unknown> = { amount: 2_055_000 }): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type: 'DisbursementPaid',
  schemaVersion: 1,
  data: data as RecordedEvent['data'],
  metadata: { actorId: 'lan.operator', actorRole: 'operator', command: 'SettleDisbursement' },
  streamName: 'disbursement-5b0c6a52-3f4e-5d3a-9a7e-1c2b3d4e5f60',
  streamRevision: 2n,
  globalPosition: BigInt(position),
  recordedAt: new Date(Date.UTC(2024, 3, 5, 2, 30, 0, 123)),
});

describe('the audit chain', () => {
  describe('encode (version 1)', () => {
    it('writes each of the nine fields as a 4-byte big-endian length and its UTF-8 bytes, in order', () => {
      const fields: ChainFields = ['7', 'beneficiary-b', '0', 'e', 'T', '1', '2024-01-01T00:00:00.000Z', '{"n":"Đặng"}', '{}'];
      const encoded = encodeChainEvent(fields);
      const read: string[] = [];
      for (let offset = 0; offset < encoded.length; ) {
        const length = encoded.readUInt32BE(offset);
        read.push(encoded.subarray(offset + 4, offset + 4 + length).toString('utf8'));
        offset += 4 + length;
      }
      expect(read).toEqual([...fields]);
      // "Đặng" is 4 characters and 7 bytes of UTF-8: lengths count bytes.
      expect(encoded.length).toBe(fields.reduce((total, field) => total + 4 + Buffer.byteLength(field), 0));
    });

    it('takes the fields from a recorded event: decimal numbers, the ISO instant, data and metadata as JSON text', () => {
      expect(chainFieldsOf(event(42))).toEqual([
        '42',
        'disbursement-5b0c6a52-3f4e-5d3a-9a7e-1c2b3d4e5f60',
        '2',
        '00000000-0000-4000-8000-000000000042',
        'DisbursementPaid',
        '1',
        '2024-04-05T02:30:00.123Z',
        '{"amount":2055000}',
        '{"actorId":"lan.operator","actorRole":"operator","command":"SettleDisbursement"}',
      ]);
    });

    it('cannot be fooled by moving bytes from one field to the next', () => {
      const a: ChainFields = ['1', 'ab', 'c', 'i', 't', '1', 'r', '{}', '{}'];
      const b: ChainFields = ['1', 'a', 'bc', 'i', 't', '1', 'r', '{}', '{}'];
      expect(encodeChainEvent(a).equals(encodeChainEvent(b))).toBe(false);
    });
  });

  describe('each step', () => {
    it('is SHA-256 of the previous hash followed by the encoded event, from 32 zero bytes', () => {
      const fields = chainFieldsOf(event(1));
      const expected = createHash('sha256').update(Buffer.alloc(32)).update(encodeChainEvent(fields)).digest();
      expect(chainHash(GENESIS_HASH, fields).equals(expected)).toBe(true);
    });

    it('keeps this known value, so that a change of encoding cannot pass unnoticed', () => {
      expect(chainHash(GENESIS_HASH, chainFieldsOf(event(1))).toString('hex')).toBe(KNOWN_FIRST_HASH);
    });
  });

  describe('the fast hasher', () => {
    it('gives exactly the reference hashes, link after link, for short, long and non-ASCII events', () => {
      const hasher = new ChainHasher();
      let reference = GENESIS_HASH;
      const datas = [{ a: 1 }, { note: 'x'.repeat(200_000) }, { name: 'Bùi Trung Tài 😀', emoji: '\ud83d' }, {}];
      datas.forEach((data, index) => {
        const fields = chainFieldsOf(event(index + 1, data));
        reference = chainHash(reference, fields);
        expect(hasher.next(fields).toString('hex')).toBe(reference.toString('hex'));
      });
      expect(hasher.head.equals(reference)).toBe(true);
    });

    it('continues from a given head', () => {
      const first = chainHash(GENESIS_HASH, chainFieldsOf(event(1)));
      expect(new ChainHasher(first).next(chainFieldsOf(event(2))).equals(chainHash(first, chainFieldsOf(event(2))))).toBe(true);
    });
  });

  describe('hashing the stored JSON text or the parsed event re-serialised', () => {
    it('gives the same bytes for any JSON the ledger wrote with JSON.stringify', () => {
      const written = [
        { amount: 2_055_000, ratio: 0.1 + 0.2, big: 1e21, tiny: 5e-324, negative: -0 },
        { '2': 'b', '1': 'a', z: 1, a: [1, { y: null, x: true }] },
        { text: 'quote " backslash \\ tab \t newline \n control \u0001 line separator \u2028 lone \udc00', vi: 'Đặng Thị Ánh' },
      ];
      for (const value of written) {
        const stored = JSON.stringify(value);
        expect(JSON.stringify(JSON.parse(stored))).toBe(stored);
      }
    });
  });

  describe('positions in decimal', () => {
    it('order by value without becoming numbers', () => {
      const positions = ['10', '9', '-1', '100', '0', '99', '18446744073709551615', '18446744073709551614'];
      expect([...positions].sort(comparePositions)).toEqual(['-1', '0', '9', '10', '99', '100', '18446744073709551614', '18446744073709551615']);
    });
  });
});

// Computed independently (Python's hashlib over the documented encoding) when version 1 was fixed.
const KNOWN_FIRST_HASH = '1cca0718c8bb715e2b6d1837316a36bac79af96542d0785adef216f5c0bd531f';
