import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { REPOSITORY, spawnService, type ApiClient, type ApiProcess, type HttpResponse } from '../../crash/support/ledger-process.js';
import { processPort } from '../../../libs/integration-events/src/testing/process-port.js';
import { until } from '../../crash/support/crash-kit.js';

export const HUB_JWT_SECRET = 'national-hub-test-secret-0123456789abcdef';
export const NATIONAL_KEY = 'national-test-key-shared-by-provinces-and-ministry';

/** The demo's programs and a small An Giang (89) beside the repository's Kiên Giang (91). */
export function provinceConfigDirectory(province: '91' | '89'): string {
  const directory = mkdtempSync(join(tmpdir(), `ledger-config-${province}-`));
  copyFileSync(join(REPOSITORY, 'config/programs.json'), join(directory, 'programs.json'));
  if (province === '91') {
    copyFileSync(join(REPOSITORY, 'config/administrative-units.json'), join(directory, 'administrative-units.json'));
  } else {
    writeFileSync(
      join(directory, 'administrative-units.json'),
      JSON.stringify([
        { code: '89', name: 'Tỉnh An Giang', parentCode: null },
        { code: '883', name: 'Thành phố Long Xuyên', parentCode: '89' },
        { code: '884', name: 'Thành phố Châu Đốc', parentCode: '89' },
        { code: '886', name: 'Huyện An Phú', parentCode: '89' },
        { code: '887', name: 'Thị xã Tân Châu', parentCode: '89' },
      ]),
    );
  }
  return directory;
}

export const UNITS_OF: Record<'91' | '89', readonly string[]> = { '91': ['899', '900', '902'], '89': ['883', '884', '886'] };

/** The compiled national hub (`<build>/apps/national-hub/src/main.js`) as a process of its own, so a test can SIGKILL it. */
export async function startHub(main: string, env: Record<string, string>): Promise<HubProcess> {
  return spawnService('the hub', main, await processPort(), { HUB_JWT_SECRET, ...env });
}

export type HubProcess = ApiProcess;

export async function ministryToken(): Promise<string> {
  return new SignJWT({ role: 'ministry' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ministry-analyst')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(HUB_JWT_SECRET));
}

export async function hubGet(hub: () => { url: string }, path: string, token: string): Promise<HttpResponse> {
  const response = await fetch(`${hub().url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
}

export function expectOk(response: HttpResponse, status = 200): HttpResponse {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 2_000)}`);
  return response;
}

/** Every page of a cursor-paged list. */
export async function allPages<Item>(client: ApiClient, path: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = expectOk(await client.get(`${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    items.push(...(page.body.items as Item[]));
    cursor = page.body.next ?? null;
  } while (cursor);
  return items;
}

/** Figures keyed by program, period and channel: what the hub and a province's own summary must agree on. */
export type Figures = Record<string, { count: number; totalAmount: number; byStatus: Record<string, { count: number; totalAmount: number }> }>;

interface SummaryRow {
  program: string;
  period: string;
  channel: string;
  count: number;
  totalAmount: number;
  byStatus: Record<string, { count: number; totalAmount: number }>;
}

export function figuresOf(rows: readonly SummaryRow[]): Figures {
  const figures: Figures = {};
  for (const row of rows) {
    const key = `${row.program} ${row.period} ${row.channel}`;
    const figure = (figures[key] ??= { count: 0, totalAmount: 0, byStatus: {} });
    figure.count += row.count;
    figure.totalAmount += row.totalAmount;
    for (const [status, { count, totalAmount }] of Object.entries(row.byStatus)) {
      const byStatus = (figure.byStatus[status] ??= { count: 0, totalAmount: 0 });
      byStatus.count += count;
      byStatus.totalAmount += totalAmount;
    }
  }
  return figures;
}

/** The province's own monthly summary, summed over its units. */
export async function provinceFigures(reporter: ApiClient): Promise<Figures> {
  return figuresOf(await allPages<SummaryRow>(reporter, '/v1/reports/summary'));
}

/** The people of a test province: `count` of its own, plus whoever is shared with the other province. */
export function peopleOf(province: '91' | '89', count: number, shared: readonly string[] = []) {
  const units = UNITS_OF[province];
  const own = Array.from({ length: count }, (_, index) => `0${province}${index % 2}${String(60 + (index % 30))}${String(index).padStart(6, '0')}`);
  return [...shared, ...own].map((nationalId, index) => ({
    nationalId,
    fullName: ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Văn Cường', 'Đặng Thị Ánh'][index % 4]!,
    dateOfBirth: `19${nationalId.slice(4, 6)}-0${1 + (index % 9)}-1${index % 9}`,
    gender: Number(nationalId[3]) % 2 === 1 ? ('FEMALE' as const) : ('MALE' as const),
    unitCode: units[index % units.length]!,
    program: index % 3 === 0 ? 'MERITORIOUS' : 'SOCIAL_ASSISTANCE',
  }));
}

export type TestPerson = ReturnType<typeof peopleOf>[number];

/** Enrolls each person from `effectiveFrom`; returns their beneficiary ids in order. */
export async function enroll(maker: ApiClient, people: readonly TestPerson[], effectiveFrom: string): Promise<string[]> {
  const ids: string[] = [];
  for (const person of people) {
    const response = expectOk(
      await maker.post('/v1/beneficiaries', { ...person, coefficient: 1000, effectiveFrom, decision: { number: `${person.nationalId.slice(-6)}/QĐ-UBND`, date: '2024-04-20' } }),
      201,
    );
    ids.push(response.body.beneficiaryId);
  }
  return ids;
}

/** A whole month: the run created, approved by a second operator, sent, and each payment settled. Returns the run's answer. */
export async function payMonth(maker: ApiClient, checker: ApiClient, period: string, reference: string): Promise<{ runId: string; skipped: Record<string, number>; paid: number }> {
  const run = expectOk(await maker.post('/v1/payroll-runs', { period }), 201);
  const runId = run.body.runId as string;
  expectOk(await checker.post(`/v1/payroll-runs/${runId}/approve`, {}));
  const sent = expectOk(await maker.post(`/v1/payroll-runs/${runId}/send`, {}));
  let payments: Array<{ disbursementId: string; amount: number }> = [];
  await until(
    async () => {
      const response = await maker.get(`/v1/disbursements?period=${period}&status=SENT&limit=1000`, { 'x-min-position': String(sent.body.position ?? 0) });
      if (response.status !== 200) return false;
      payments = response.body.items;
      return payments.length > 0 || Number(run.body.scheduled ?? 1) === 0;
    },
    30_000,
    `the sent payments of ${period}`,
    50,
  );
  let paid = 0;
  for (const [index, payment] of payments.entries()) {
    expectOk(await maker.post(`/v1/disbursements/${payment.disbursementId}/settle`, { providerReference: `${reference}${String(index).padStart(5, '0')}`, paidAt: `${period}-05T09:30:00+07:00`, amount: payment.amount }, randomUUID()));
    paid++;
  }
  return { runId, skipped: run.body.skipped ?? {}, paid };
}
