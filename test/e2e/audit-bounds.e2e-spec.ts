import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enroll, expectStatus, type LedgerActor } from './support/ledger-flow.js';

/**
 * Every cursor, position and limit the audit routes take is parsed and bounded before any store
 * sees it: a value out of range is a 400 naming the field, never a 500. Positions, stream
 * revisions and access-log ids are signed 64-bit integers in every store, so 2^63 - 1 is the
 * largest, and names nothing yet.
 */
const LARGEST = '9223372036854775807';
const BEYOND = ['9223372036854775808', '9999999999999999999', '18446744073709551615', '99999999999999999999'];
const LIMITS_OUT_OF_RANGE = ['0', '-1', '1001', '1.5', '1e3', 'abc', '', '99999999999999999999', '0x10'];

describe('the audit routes, given cursors, positions and limits out of range', () => {
  let ledger: TestLedger;
  let auditor: LedgerActor;
  let beneficiaryId: string;

  beforeAll(async () => {
    ledger = await startTestLedger();
    const maker = await actor(ledger, 'operator', ['899']);
    auditor = await actor(ledger, 'auditor');
    beneficiaryId = await enroll(maker, 1);
  });
  afterAll(() => ledger.close());

  const expectRefused = (response: { status: number; body: { code?: string; errors?: Array<{ field: string }> } }, field: string) => {
    expect({ status: response.status, code: response.body?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.errors?.map((error) => error.field)).toContain(field);
  };

  describe('GET /v1/audit/log', () => {
    it.each(BEYOND)('refuses after=%s with a 400 naming `after`', async (after) => {
      expectRefused(await auditor.get(`/v1/audit/log?after=${after}`), 'after');
    });

    it.each(['-2', '01', 'abc', '1.0', '%20'])('refuses after=%s', async (after) => {
      expectRefused(await auditor.get(`/v1/audit/log?after=${after}`), 'after');
    });

    it('refuses `after` given twice', async () => {
      expectRefused(await auditor.get('/v1/audit/log?after=1&after=2'), 'after');
    });

    it.each(LIMITS_OUT_OF_RANGE)('refuses limit=%s', async (limit) => {
      expectRefused(await auditor.get(`/v1/audit/log?limit=${limit}`), 'limit');
    });

    it('answers an empty page after the largest position, and a page from -1', async () => {
      const beyond = await auditor.get(`/v1/audit/log?after=${LARGEST}`);
      expectStatus(beyond, 200);
      expect(beyond.body).toEqual({ items: [], next: null });
      const first = await auditor.get('/v1/audit/log?after=-1&limit=1000');
      expectStatus(first, 200);
      expect(first.body.items.length).toBeGreaterThan(0);
    });
  });

  describe('GET /v1/audit/streams/{id}', () => {
    it.each(BEYOND)('refuses cursor=%s with a 400 naming `cursor`', async (cursor) => {
      expectRefused(await auditor.get(`/v1/audit/streams/${beneficiaryId}?cursor=${cursor}`), 'cursor');
    });

    it.each(['-1', '01', 'x'])('refuses cursor=%s', async (cursor) => {
      expectRefused(await auditor.get(`/v1/audit/streams/${beneficiaryId}?cursor=${cursor}`), 'cursor');
    });

    it.each(LIMITS_OUT_OF_RANGE)('refuses limit=%s', async (limit) => {
      expectRefused(await auditor.get(`/v1/audit/streams/${beneficiaryId}?limit=${limit}`), 'limit');
    });

    it('answers an empty page at the largest revision', async () => {
      const response = await auditor.get(`/v1/audit/streams/${beneficiaryId}?cursor=${LARGEST}`);
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ items: [], next: null });
    });
  });

  describe('GET /v1/audit/access-log', () => {
    it.each(BEYOND)('refuses cursor=%s with a 400 naming `cursor`', async (cursor) => {
      expectRefused(await auditor.get(`/v1/audit/access-log?cursor=${cursor}`), 'cursor');
    });

    it.each(['-1', '01', 'x'])('refuses cursor=%s', async (cursor) => {
      expectRefused(await auditor.get(`/v1/audit/access-log?cursor=${cursor}`), 'cursor');
    });

    it.each(LIMITS_OUT_OF_RANGE)('refuses limit=%s', async (limit) => {
      expectRefused(await auditor.get(`/v1/audit/access-log?limit=${limit}`), 'limit');
    });

    it('answers an empty page after the largest id', async () => {
      const response = await auditor.get(`/v1/audit/access-log?cursor=${LARGEST}`);
      expectStatus(response, 200);
      expect(response.body).toEqual({ items: [], next: null });
    });
  });

  describe('POST /v1/audit/verify', () => {
    it.each(BEYOND)('refuses a digest at position %s with a 400 naming `position`', async (position) => {
      const digest = (await auditor.get('/v1/audit/digest')).body;
      expectRefused(await auditor.post('/v1/audit/verify', { ...digest, position }), 'position');
    });
  });
});
