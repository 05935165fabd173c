import { describe, expect, it } from '@jest/globals';
import { provinceEvents } from '../testing/integration-events.js';
import { readIntegrationEvent } from './integration-event-reading.js';

const province = provinceEvents('91');
const person = province.person('reader');
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const paid = province.pay(province.snapshot(person, 'MERITORIOUS', '2024-04'));

describe('reading a JetStream message as an integration event', () => {
  it('reads an event of the contract published on its own subject', () => {
    expect(readIntegrationEvent('ledger.events.91.DisbursementPaid', encode(paid))).toEqual({ kind: 'event', event: paid });
  });

  it('writes UUIDs in lower case, so that one disbursement is one key however a province spells it', () => {
    const shouting = { ...paid, id: paid.id.toUpperCase(), data: { ...paid.data, disbursementRef: paid.data.disbursementRef.toUpperCase(), beneficiaryRef: paid.data.beneficiaryRef.toUpperCase() } };
    const read = readIntegrationEvent('ledger.events.91.DisbursementPaid', encode(shouting));
    expect(read).toEqual({ kind: 'event', event: paid });
  });

  describe('when the message breaks the contract', () => {
    const refusedBecause = (subject: string, body: unknown) => {
      const read = readIntegrationEvent(subject, encode(body));
      if (read.kind !== 'refused') throw new Error('expected a refusal');
      return read.reason;
    };

    it('refuses a body that is not a JSON object', () => {
      expect(refusedBecause('ledger.events.91.DisbursementPaid', 'not json')).toBe('the body is not UTF-8 JSON');
      expect(refusedBecause('ledger.events.91.DisbursementPaid', [paid])).toBe('the body is not a JSON object');
      expect(readIntegrationEvent('ledger.events.91.DisbursementPaid', new Uint8Array([0xff, 0xfe]))).toEqual({ kind: 'refused', eventId: null, reason: 'the body is not UTF-8 JSON' });
    });

    it('refuses an event of one province on the subject of another, or of another type', () => {
      expect(refusedBecause('ledger.events.89.DisbursementPaid', paid)).toBe('province 91 published on the subject of province 89');
      expect(refusedBecause('ledger.events.91.DisbursementSent', paid)).toBe('a DisbursementPaid published on the subject of DisbursementSent');
    });

    it('names the event it refuses when it can, and never repeats what the message carried beyond a few characters', () => {
      const read = readIntegrationEvent('ledger.events.91.DisbursementPaid', encode({ ...paid, type: 'Hoa Le Thi 079123456789 lives at 12 Tran Hung Dao' }));
      expect(read).toEqual({ kind: 'refused', eventId: paid.id, reason: expect.stringMatching(/^type "Hoa Le Thi 0791234567/) });
      expect((read as { reason: string }).reason).not.toContain('Tran Hung Dao');
    });

    it.each([
      ['version 2', { ...paid, version: 2 }, 'version 2 is not 1'],
      ['a position that is not a decimal', { ...paid, sourcePosition: 12 }, 'sourcePosition must be a decimal 64-bit position'],
      ['a position past 64 bits', { ...paid, sourcePosition: '9223372036854775808' }, 'sourcePosition must be a decimal 64-bit position'],
      ['a person key that is not one', { ...paid, data: { ...paid.data, personKey: '079123456789' } }, 'data.personKey must be 64 lowercase hex digits'],
      ['an amount in fractions of a đồng', { ...paid, data: { ...paid.data, amount: 500_000.5 } }, 'data.amount must be a whole number of VND'],
      ['a status outside the contract', { ...paid, data: { ...paid.data, status: 'LOST' } }, 'data.status must be a disbursement status'],
      ['a period that is no month', { ...paid, data: { ...paid.data, period: '2024-13' } }, 'data.period must be a month YYYY-MM'],
    ])('refuses %s', (_, body, reason) => {
      expect(refusedBecause('ledger.events.91.DisbursementPaid', body)).toBe(reason);
    });

    it('refuses a resolution without a decision it knows', () => {
      const resolved = province.resolve(person, '5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60', 'MERITORIOUS', 'KEEP');
      expect(refusedBecause('ledger.events.91.CrossProvinceFindingResolved', { ...resolved, data: { ...resolved.data, decision: 'IGNORE' } })).toBe('data.decision must be KEEP or TERMINATE');
    });
  });
});
