import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import type { SqliteEventStore } from '@ledger/event-store';
import { EVENT_STORE } from '../../apps/ledger-api/src/ledger.tokens.js';
import { RecordsPersonalDataAccess } from '../../apps/ledger-api/src/platform/access-log/records-personal-data-access.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, disbursementOf, enroll, expectStatus, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

/**
 * Routes shaped like the ones other parts of the API decorate (a record by id, a search answering
 * a list, a payment file), to show each way of naming whose data a route reads.
 */
@Controller('v1/access-log-test')
class PersonalDataTestController {
  @Get('people/:beneficiaryId')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'param' })
  person(@Param('beneficiaryId') beneficiaryId: string) {
    return { beneficiaryId };
  }

  @Post('search')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'response', field: 'items[].beneficiaryId' })
  search(@Body() body: { found: string[] }) {
    return { items: body.found.map((beneficiaryId) => ({ beneficiaryId, fullName: 'Bùi Trung Tài' })), next: null };
  }

  @Post('by-body')
  @RecordsPersonalDataAccess({ beneficiaryFrom: 'body' })
  byBody(@Body() body: { beneficiaryId: string }) {
    return { seen: body.beneficiaryId };
  }

  @Get('runs/:runId/payment-files/:paymentFile')
  @RecordsPersonalDataAccess({ paymentFileFrom: 'param' })
  paymentFile(@Param('runId') runId: string, @Param('paymentFile') paymentFile: string) {
    return `file of ${runId} for ${paymentFile}`;
  }
}

@Module({ controllers: [PersonalDataTestController] })
class PersonalDataTestModule {}

describe('the access log', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let auditor: LedgerActor;
  let admin: LedgerActor;
  let beneficiaryId: string;
  let other: string;
  let disbursementId: string;
  let runId: string;

  const accessLog = async (query: string, reader: LedgerActor = admin) => {
    const response = await reader.get(`/v1/audit/access-log${query}`);
    expectStatus(response, 200);
    return response.body as { items: Array<Record<string, string | null>>; next: string | null };
  };
  const recordsOf = async (person: string) => (await accessLog(`?beneficiaryId=${person}&limit=1000`)).items;

  beforeAll(async () => {
    ledger = await startTestLedger({}, { imports: [PersonalDataTestModule] });
    maker = await actor(ledger, 'operator', ['899'], 'access-maker');
    const checker = await actor(ledger, 'operator', ['899'], 'access-checker');
    auditor = await actor(ledger, 'auditor', ['*'], 'thu.auditor');
    admin = await actor(ledger, 'admin', ['*'], 'root.admin');
    beneficiaryId = await enroll(maker, 1, { effectiveFrom: '2024-04' });
    other = await enroll(maker, 2, { effectiveFrom: '2024-04' });
    await openAccount(maker, beneficiaryId);
    ({ runId } = await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' }));
    disbursementId = (await disbursementOf(maker, beneficiaryId, '2024-04')).disbursementId;
  });
  afterAll(() => ledger.close());

  describe('when an auditor reads a person through the audit routes', () => {
    it('records the state as of an instant: who, when, which person, which route, under the request’s correlation id', async () => {
      const correlationId = randomUUID();
      const before = new Date().toISOString();
      expectStatus(await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`, { 'x-correlation-id': correlationId }), 200);
      const records = await recordsOf(beneficiaryId);
      expect(records.at(-1)).toEqual({
        id: expect.stringMatching(/^\d+$/),
        recordedAt: expect.any(String),
        actor: 'thu.auditor',
        actorRole: 'auditor',
        route: 'GET /v1/audit/beneficiaries/:beneficiaryId',
        beneficiaryId,
        payrollRunId: null,
        payingAgent: null,
        correlationId,
      });
      expect(records.at(-1)!.recordedAt! >= before).toBe(true);
    });

    it('records a person’s stream history, and a page of their disbursement’s stream, as a read of that person', async () => {
      expectStatus(await auditor.get(`/v1/audit/streams/${beneficiaryId}`), 200);
      const page = await auditor.get(`/v1/audit/streams/${disbursementId}?cursor=1`);
      expectStatus(page, 200);
      expect(page.body.beneficiaryId).toBe(beneficiaryId);
      const routes = (await recordsOf(beneficiaryId)).slice(-2).map((record) => record.route);
      expect(routes).toEqual(['GET /v1/audit/streams/:id', 'GET /v1/audit/streams/:id']);
    });

    it('records nothing for a payroll run’s stream, which shows nobody’s data', async () => {
      const before = (await accessLog('?limit=1000')).items.length;
      expectStatus(await auditor.get(`/v1/audit/streams/${runId}`), 200);
      expect((await accessLog('?limit=1000')).items).toHaveLength(before);
    });

    it('records every person a page of the whole log shows, once each', async () => {
      const correlationId = randomUUID();
      expectStatus(await auditor.get('/v1/audit/log?limit=1000', { 'x-correlation-id': correlationId }), 200);
      const recorded = (await accessLog(`?actor=thu.auditor&limit=1000`)).items.filter((record) => record.correlationId === correlationId);
      expect(recorded.map((record) => record.beneficiaryId).sort()).toEqual([beneficiaryId, other].sort());
      expect(new Set(recorded.map((record) => record.route))).toEqual(new Set(['GET /v1/audit/log']));
    });

    it('records nothing for a read that found nobody', async () => {
      const before = (await accessLog('?limit=1000')).items.length;
      expect((await auditor.get(`/v1/audit/beneficiaries/${randomUUID()}?asOf=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(404);
      expect((await accessLog('?limit=1000')).items).toHaveLength(before);
    });
  });

  describe('when a route names the person elsewhere', () => {
    it('takes them from a route parameter, from every item of a list answered, or from the body', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      expectStatus(await maker.get(`/v1/access-log-test/people/${a}`), 200);
      expectStatus(await maker.post('/v1/access-log-test/search', { found: [b, c, b] }), 201);
      expectStatus(await maker.post('/v1/access-log-test/by-body', { beneficiaryId: c }), 201);
      expect((await recordsOf(a)).map((record) => [record.actor, record.actorRole, record.route])).toEqual([['access-maker', 'operator', 'GET /v1/access-log-test/people/:beneficiaryId']]);
      expect((await recordsOf(b)).map((record) => record.route)).toEqual(['POST /v1/access-log-test/search']);
      expect((await recordsOf(c)).map((record) => record.route)).toEqual(['POST /v1/access-log-test/search', 'POST /v1/access-log-test/by-body']);
    });

    it('records a payment file by its payroll run and paying agent', async () => {
      const file = randomUUID();
      expectStatus(await maker.get(`/v1/access-log-test/runs/${file}/payment-files/POST_OFFICE`), 200);
      const records = (await accessLog('?actor=access-maker&limit=1000')).items.filter((record) => record.payrollRunId === file);
      expect(records).toEqual([expect.objectContaining({ beneficiaryId: null, payrollRunId: file, payingAgent: 'POST_OFFICE', route: 'GET /v1/access-log-test/runs/:runId/payment-files/:paymentFile' })]);
    });
  });

  describe('when the access log cannot record a read', () => {
    it('refuses the read with a 503 rather than answer it unrecorded', async () => {
      const db = (ledger.app.get(EVENT_STORE) as SqliteEventStore).db;
      db.exec('ALTER TABLE access_log RENAME TO access_log_elsewhere');
      try {
        const response = await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`);
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ status: 503, code: 'ACCESS_LOG_UNAVAILABLE' });
        expect(response.text).not.toContain('Bùi Trung Tài');
        expect(response.text).not.toContain('091052');
      } finally {
        db.exec('ALTER TABLE access_log_elsewhere RENAME TO access_log');
      }
      expectStatus(await auditor.get(`/v1/audit/beneficiaries/${beneficiaryId}?asOf=${encodeURIComponent(new Date().toISOString())}`), 200);
    });
  });

  describe('GET /v1/audit/access-log', () => {
    it('filters by reader and by instant, and pages with `next` until null', async () => {
      const reader = await actor(ledger, 'auditor', ['*'], `pager-${randomUUID().slice(0, 6)}`);
      const from = new Date().toISOString();
      for (let n = 0; n < 5; n++) expectStatus(await reader.get(`/v1/audit/streams/${n % 2 ? beneficiaryId : other}`), 200);
      const to = new Date(Date.now() + 1).toISOString();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await accessLog(`?actor=${reader.sub}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, auditor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((record) => record.beneficiaryId!));
        cursor = page.next;
      } while (cursor !== null);
      expect(seen).toEqual([other, beneficiaryId, other, beneficiaryId, other]);
      expect((await accessLog(`?actor=${reader.sub}&to=${encodeURIComponent(from)}`)).items).toEqual([]);
      expect((await accessLog(`?actor=${reader.sub}&beneficiaryId=${beneficiaryId}`)).items).toHaveLength(2);
    });

    it('finds a person by their id written in capitals too', async () => {
      expect((await accessLog(`?beneficiaryId=${beneficiaryId.toUpperCase()}`)).items.length).toBeGreaterThan(0);
    });

    it('refuses instants it cannot read and filters that are not ids, with a 400 naming the field', async () => {
      for (const [query, field] of [
        ['?from=yesterday', 'from'],
        ['?to=2026-13-01T00:00:00Z', 'to'],
        ['?from=2026-01-01T00:00:00', 'from'],
        ['?beneficiaryId=091052000001', 'beneficiaryId'],
        [`?actor=${'x'.repeat(201)}`, 'actor'],
      ] as const) {
        const response = await auditor.get(`/v1/audit/access-log${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(JSON.stringify(response.body)).toContain(field);
      }
    });

    it('is for auditors and admins: operators and reporters get a 403, nobody without a token', async () => {
      expect((await maker.get('/v1/audit/access-log')).status).toBe(403);
      expect((await (await actor(ledger, 'reporter')).get('/v1/audit/access-log')).status).toBe(403);
      expect((await ledger.request('GET', '/v1/audit/access-log')).status).toBe(401);
      expectStatus(await auditor.get('/v1/audit/access-log'), 200);
    });

    it('is not itself recorded: it shows ids and readers, no one’s personal data', async () => {
      const before = (await accessLog('?limit=1000')).items.length;
      await accessLog('?limit=1000');
      expect((await accessLog('?limit=1000')).items).toHaveLength(before);
    });
  });
});
