import { describe, expect, it } from '@jest/globals';
import { disbursementIdFromEndToEndId, endToEndIdOf } from './end-to-end-id.js';

const DISBURSEMENT_ID = '0f8e2c1a-5b7d-5e3f-9a1b-2c3d4e5f6a7b';

describe('end-to-end ids', () => {
  it('fit the 35 characters of an ISO 20022 EndToEndId', () => {
    expect(endToEndIdOf(DISBURSEMENT_ID)).toBe('0f8e2c1a5b7d5e3f9a1b2c3d4e5f6a7b');
    expect(endToEndIdOf(DISBURSEMENT_ID).length).toBeLessThanOrEqual(35);
  });

  it('lead back to the disbursement from either form, in any case', () => {
    expect(disbursementIdFromEndToEndId(endToEndIdOf(DISBURSEMENT_ID))).toBe(DISBURSEMENT_ID);
    expect(disbursementIdFromEndToEndId(DISBURSEMENT_ID.toUpperCase())).toBe(DISBURSEMENT_ID);
    expect(disbursementIdFromEndToEndId(` ${DISBURSEMENT_ID} `)).toBe(DISBURSEMENT_ID);
  });

  it('name no disbursement when they are something else', () => {
    expect(disbursementIdFromEndToEndId('NOTPROVIDED')).toBeUndefined();
    expect(disbursementIdFromEndToEndId('0f8e2c1a5b7d5e3f9a1b2c3d4e5f6a7')).toBeUndefined();
    expect(disbursementIdFromEndToEndId('')).toBeUndefined();
  });

  it('refuses to shorten what is not a disbursement id', () => {
    expect(() => endToEndIdOf('run-1')).toThrow(RangeError);
  });
});
