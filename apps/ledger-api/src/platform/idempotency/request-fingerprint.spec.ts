import { describe, expect, it } from '@jest/globals';
import { canonicalJson, requestFingerprint } from './request-fingerprint.js';

describe('request fingerprints', () => {
  it('ignore the order of object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(requestFingerprint('POST', '/v1/x', { a: 1, b: 2 })).toBe(requestFingerprint('post', '/v1/x', { b: 2, a: 1 }));
  });

  it('differ by method, path and body', () => {
    const base = requestFingerprint('POST', '/v1/disbursements/1/settle', { amount: 1 });
    expect(requestFingerprint('PUT', '/v1/disbursements/1/settle', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/disbursements/2/settle', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/disbursements/1/settle', { amount: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/disbursements/1/settle', [1])).not.toBe(requestFingerprint('POST', '/v1/disbursements/1/settle', { 0: 1 }));
  });
});
