import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { TestLedger, TestResponse } from './ledger-app.js';

/** National ids valid under the national-id rules: province 091, a man born in 1952. */
export function nationalIdFor(n: number): string {
  return `0910520${String(n).padStart(5, '0')}`;
}

export function enrollment(n: number, overrides: Record<string, unknown> = {}) {
  return {
    nationalId: nationalIdFor(n),
    fullName: 'Bùi Trung Tài',
    dateOfBirth: '1952-03-14',
    gender: 'MALE' as const,
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
    /** A read that waits for every write made so far (`X-Min-Position`), so it sees them. */
    getFresh: async (path: string, headers: Record<string, string> = {}) => {
      const head = await headPosition(ledger);
      return send('GET', path, undefined, null, head < 0n ? headers : { 'x-min-position': head.toString(), ...headers });
    },
  };
}

export type LedgerActor = Awaited<ReturnType<typeof actor>>;

/** Fails with the response body in the message, so a refused setup step says why. */
export function expectStatus(response: TestResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toEqual({ status, body: response.body });
}

/** The event store's head from GET /health/ready: a refused request must leave it where it was. */
export async function headPosition(ledger: TestLedger): Promise<bigint> {
  const ready = await ledger.request('GET', '/health/ready');
  expectStatus(ready, 200);
  return BigInt(ready.body.eventStore.headPosition);
}

/** Enrolls person `n` (see `enrollment`) and returns the beneficiary id. */
export async function enroll(operator: LedgerActor, n: number, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await operator.post('/v1/beneficiaries', enrollment(n, overrides));
  expectStatus(response, 201);
  return response.body.beneficiaryId;
}

/** An account number of this beneficiary's own: one number held by two people is a shared account, never verified by name. */
export function accountNumberOf(beneficiaryId: string): string {
  return `77${BigInt(`0x${beneficiaryId.replace(/-/g, '').slice(0, 12)}`) % 10n ** 11n}`.padEnd(13, '0');
}

/** Opens an account; the holder name matches `enrollment`'s person, so it is VERIFIED unless overridden. */
export async function openAccount(operator: LedgerActor, beneficiaryId: string, overrides: Record<string, unknown> = {}): Promise<{ accountId: string; status: string }> {
  const response = await operator.post(`/v1/beneficiaries/${beneficiaryId}/accounts`, {
    bankCode: 'VBA',
    accountNumber: accountNumberOf(beneficiaryId),
    holderName: 'BUI TRUNG TAI',
    openedOn: '2024-03-01',
    ...overrides,
  });
  expectStatus(response, 201);
  return response.body;
}

export interface PayrollScopeBody {
  readonly period: string;
  readonly program?: string;
  readonly unitCode?: string;
}

/** Schedules a payroll run (a fresh Idempotency-Key, so a new run) and returns its 201 body. */
export async function schedulePayroll(maker: LedgerActor, scope: PayrollScopeBody) {
  const response = await maker.post('/v1/payroll-runs', scope);
  expectStatus(response, 201);
  return response.body;
}

/** Maker-checker: `checker` approves what `maker` scheduled, then `maker` sends it. Returns the send body. */
export async function approveAndSend(maker: LedgerActor, checker: LedgerActor, runId: string) {
  expectStatus(await checker.post(`/v1/payroll-runs/${runId}/approve`), 200);
  const sent = await maker.post(`/v1/payroll-runs/${runId}/send`);
  expectStatus(sent, 200);
  return sent.body;
}

/** A whole payroll: schedule, approve, send. */
export async function runPayroll(maker: LedgerActor, checker: LedgerActor, scope: PayrollScopeBody) {
  const scheduled = await schedulePayroll(maker, scope);
  const sent = await approveAndSend(maker, checker, scheduled.runId);
  return { runId: scheduled.runId as string, scheduled, sent };
}

/** The beneficiary's disbursement for one program and period, as GET /v1/disbursements lists it. */
export async function disbursementOf(reader: LedgerActor, beneficiaryId: string, period: string, program = 'MERITORIOUS') {
  const response = await reader.getFresh(`/v1/disbursements?beneficiaryId=${beneficiaryId}&period=${period}`);
  expectStatus(response, 200);
  const found = response.body.items.find((item: { program: string }) => item.program === program);
  if (!found) throw new Error(`No ${program} disbursement for ${period} of ${beneficiaryId}: ${response.text}`);
  return found;
}
