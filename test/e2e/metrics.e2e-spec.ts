import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { accountNumberOf, actor, disbursementOf, enroll, enrollment, expectStatus, nationalIdFor, openAccount, runPayroll, type LedgerActor } from './support/ledger-flow.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  type?: string;
  help?: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** The Prometheus text format (0.0.4), as far as a registry writes it: HELP, TYPE, then the samples of each family. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => families.get(name) ?? families.set(name, { name, samples: [] }).get(name)!;
  for (const line of text.split('\n').filter(Boolean)) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (kind === 'TYPE') family(name!).type = rest;
      else family(name!).help = rest;
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', value] = sample;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, label, labelValue]) => [label!, labelValue!]));
    const owner = [...families.values()].find((candidate) => candidate.type === 'histogram' && HISTOGRAM_SUFFIXES.some((suffix) => name === `${candidate.name}${suffix}`)) ?? family(name!);
    owner.samples.push({ name: name!, labels, value: Number(value) });
  }
  return families;
}

/** The value of one series, 0 when it has not been written yet. */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const sampleFamily = [...families.values()].find((family) => family.samples.some((sample) => sample.name === name));
  const sample = sampleFamily?.samples.find((candidate) => candidate.name === name && Object.entries(labels).every(([label, value]) => candidate.labels[label] === value));
  return sample?.value ?? 0;
}

describe('/metrics', () => {
  let ledger: TestLedger;
  let maker: LedgerActor;
  let checker: LedgerActor;
  let before: Map<string, Family>;
  let after: Map<string, Family>;
  let afterText: string;
  const identifiers: string[] = [];

  const scrape = async () => {
    const response = await ledger.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text;
  };
  const increase = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);

  beforeAll(async () => {
    ledger = await startTestLedger();
    maker = await actor(ledger, 'operator', ['899'], 'maker-metrics');
    checker = await actor(ledger, 'operator', ['91'], 'checker-metrics');
    before = parseExposition(await scrape());

    const beneficiaryId = await enroll(maker, 81);
    await openAccount(maker, beneficiaryId);
    expect((await maker.post('/v1/beneficiaries', enrollment(81))).status).toBe(409);
    await runPayroll(maker, checker, { period: '2024-04', program: 'MERITORIOUS', unitCode: '899' });
    const { disbursementId, amount } = await disbursementOf(maker, beneficiaryId, '2024-04');
    const settlement = { providerReference: 'FT24096000881', paidAt: '2024-04-05T09:30:00+07:00', amount };
    expectStatus(await maker.post(`/v1/disbursements/${disbursementId}/settle`, settlement, 'settle-81'), 200);
    expect((await maker.post(`/v1/disbursements/${disbursementId}/settle`, settlement, 'settle-81')).headers.get('idempotency-replayed')).toBe('true');
    expect((await maker.post(`/v1/disbursements/${disbursementId}/settle`, { ...settlement, providerReference: 'FT24096000882' })).status).toBe(409);
    expect((await maker.get(`/v1/people/${nationalIdFor(81)}`)).status).toBe(404);
    identifiers.push(nationalIdFor(81), accountNumberOf(beneficiaryId), beneficiaryId, disbursementId, 'FT24096000881');

    afterText = await scrape();
    after = parseExposition(afterText);
  });
  afterAll(() => ledger.close());

  it('names every family validly, with HELP and TYPE', () => {
    for (const family of after.values()) {
      expect({ name: family.name, valid: METRIC_NAME.test(family.name), help: Boolean(family.help), type: family.type }).toEqual({
        name: family.name,
        valid: true,
        help: true,
        type: expect.stringMatching(/^(counter|gauge|histogram|summary)$/),
      });
    }
  });

  it('ends counters, and only counters, in _total', () => {
    for (const family of after.values()) {
      expect({ name: family.name, counter: family.type === 'counter' }).toEqual({ name: family.name, counter: family.name.endsWith('_total') });
    }
  });

  it('gives histograms buckets up to +Inf, a sum and a count, and a base unit in the name', () => {
    const histograms = [...after.values()].filter((family) => family.type === 'histogram');
    expect(histograms.map((family) => family.name)).toEqual(expect.arrayContaining(['http_request_duration_seconds', 'nodejs_gc_duration_seconds']));
    for (const histogram of histograms) {
      expect(histogram.name).toMatch(/_(seconds|bytes)$/);
      const names = new Set(histogram.samples.map((sample) => sample.name));
      expect([...names].sort()).toEqual(HISTOGRAM_SUFFIXES.map((suffix) => `${histogram.name}${suffix}`).sort());
      expect(histogram.samples.some((sample) => sample.name.endsWith('_bucket') && sample.labels.le === '+Inf')).toBe(true);
    }
  });

  it("serves Node's process metrics under their standard names, unprefixed", () => {
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_total_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds']) {
      expect({ name, served: after.has(name) }).toEqual({ name, served: true });
    }
    expect([...after.keys()].filter((name) => /^ledger_(process|nodejs)_/.test(name))).toEqual([]);
  });

  it('labels requests by route template and status, never by the path as sent', () => {
    const settle = { method: 'POST', route: '/v1/disbursements/:disbursementId/settle' };
    expect(increase('http_request_duration_seconds_count', { ...settle, status: '200' })).toBe(2);
    expect(increase('http_request_duration_seconds_count', { ...settle, status: '409' })).toBe(1);
    expect(increase('http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const routes = new Set(after.get('http_request_duration_seconds')!.samples.map((sample) => sample.labels.route));
    expect([...routes].filter((route) => route !== 'unmatched' && !/^\/[a-z0-9/:-]*$/i.test(route!))).toEqual([]);
  });

  it('counts commands by type and outcome, settlements by outcome, duplicate attempts and idempotent replays', () => {
    expect(increase('ledger_commands_total', { command: 'EnrollBeneficiary', outcome: 'accepted' })).toBe(1);
    expect(increase('ledger_commands_total', { command: 'EnrollBeneficiary', outcome: 'conflict' })).toBe(1);
    expect(increase('ledger_commands_total', { command: 'OpenPaymentAccount', outcome: 'accepted' })).toBe(1);
    expect(increase('ledger_commands_total', { command: 'SchedulePayroll', outcome: 'accepted' })).toBe(1);
    expect(increase('ledger_commands_total', { command: 'SettleDisbursement', outcome: 'accepted' })).toBe(1);
    expect(increase('ledger_commands_total', { command: 'SettleDisbursement', outcome: 'conflict' })).toBe(1);
    expect(increase('ledger_settlements_total', { outcome: 'paid' })).toBe(1);
    expect(increase('ledger_settlements_total', { outcome: 'duplicate' })).toBe(1);
    expect(increase('ledger_duplicate_attempts_total')).toBe(1);
    expect(increase('ledger_idempotent_replays_total')).toBe(1);
  });

  it('serves the positions of the log and the read models, and the projector failures', () => {
    for (const name of ['ledger_event_store_head_position', 'ledger_read_models_checkpoint_position', 'ledger_projection_lag_events', 'ledger_projection_lag_seconds', 'ledger_projector_halted']) {
      expect({ name, type: after.get(name)?.type }).toEqual({ name, type: 'gauge' });
    }
    expect(valueOf(after, 'ledger_projector_failures_total', { reason: 'refused' })).toBe(0);
    expect(after.get('ledger_imports_total')?.type).toBe('counter');
  });

  it('labels nothing that could identify a person or a record', () => {
    const allowed = new Set(['method', 'route', 'status', 'command', 'outcome', 'format', 'reason', 'le']);
    for (const family of after.values()) {
      if (!/^(ledger|http)_/.test(family.name)) continue;
      for (const sample of family.samples) expect({ family: family.name, labels: Object.keys(sample.labels).filter((label) => !allowed.has(label)) }).toEqual({ family: family.name, labels: [] });
    }
    for (const identifier of identifiers) expect({ identifier, found: afterText.includes(identifier) }).toEqual({ identifier, found: false });
  });
});
