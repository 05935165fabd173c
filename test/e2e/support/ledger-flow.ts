import { randomUUID } from 'node:crypto';
import type { TestLedger, TestResponse } from './ledger-app.js';

/** National ids valid for the SPEC's rules: province 091, a man born in 1952. */
export function nationalIdFor(n: number): string {
  return `0910520${String(n).padStart(5, '0')}`;
}

export function enrollment(n: number, overrides: Record<string, unknown> = {}) {
  return {
    nationalId: nationalIdFor(n),
    fullName: 'Bùi Trung Tài',
    dateOfBirth: '1952-03-14',
    gender: 'MALE',
    unitCode: '899',
    program: 'MERITORIOUS',
    coefficient: 1000,
    effectiveFrom: '2024-04',
    decision: { number: '123/QĐ-UBND', date: '2023-12-20' },
    ...overrides,
  };
}

/** A client for one actor: bearer token attached, fresh idempotency key unless one is given. */
export async function actor(ledger: TestLedger, role: 'operator' | 'auditor' | 'reporter' | 'admin', units: string[] = ['*'], sub = `${role}-${randomUUID().slice(0, 6)}`) {
  const token = await ledger.tokenFor({ role, units, sub });
  const send = (method: string, path: string, body?: unknown, key: string | null = randomUUID(), headers: Record<string, string> = {}): Promise<TestResponse> =>
    ledger.request(method, path, { body, headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}), ...headers } });
  return {
    sub,
    token,
    post: (path: string, body: unknown = {}, key?: string | null, headers?: Record<string, string>) => send('POST', path, body, key, headers),
    get: (path: string, headers?: Record<string, string>) => send('GET', path, undefined, null, headers),
  };
}
