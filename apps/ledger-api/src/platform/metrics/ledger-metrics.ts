import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** What a command came to: done, refused by a rule or a validation, refused as a conflict (409), or failed (5xx). */
export const COMMAND_OUTCOMES = ['accepted', 'refused', 'conflict', 'error'] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

/**
 * What a paying agent's report of one disbursement came to: paid, failed, returned, a duplicate
 * attempt (paid already, or the reference paid another), an amount or time that does not match,
 * refused otherwise, or an error.
 */
export const SETTLEMENT_OUTCOMES = ['paid', 'failed', 'returned', 'duplicate', 'mismatch', 'refused', 'error'] as const;
export type SettlementOutcome = (typeof SETTLEMENT_OUTCOMES)[number];

/** The route label of a request no route matched: the raw path could carry anything, and would grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The API's Prometheus registry, one per app. Prometheus conventions: base units in the name
 * (`_seconds`), `_total` on counters only, Node's process metrics under their standard names.
 * Labels come from closed sets (command type, outcome, method, route template, status): never an
 * id, and never anything that names a person.
 */
export class LedgerMetrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Commands dispatched, by command type and outcome (accepted, refused, conflict, error)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly settlements = new Counter({
    name: 'ledger_settlements_total',
    help: 'Settlements, failures and returns reported for one disbursement, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly duplicateAttempts = new Counter({
    name: 'ledger_duplicate_attempts_total',
    help: 'Payments refused and recorded as duplicate attempts (paid already, or the provider reference paid another disbursement)',
    registers: [this.registry],
  });

  readonly idempotentReplays = new Counter({
    name: 'ledger_idempotent_replays_total',
    help: 'Requests answered with the stored response of an earlier request with the same Idempotency-Key',
    registers: [this.registry],
  });

  readonly imports = new Counter({
    name: 'ledger_imports_total',
    help: 'Files imported, by format and outcome',
    labelNames: ['format', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly projectorFailures = new Counter({
    name: 'ledger_projector_failures_total',
    help: 'Read-model batches the embedded projector failed to write: reason="connection_lost" (tried again) or "refused" (the projector halts)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly publishedIntegrationEvents = new Counter({
    name: 'ledger_publisher_events_total',
    help: 'Integration events JetStream acknowledged from this process (a batch sent again after a crash counts again; the hub counts each once)',
    registers: [this.registry],
  });

  readonly publisherFailures = new Counter({
    name: 'ledger_publisher_failures_total',
    help: 'Tries to publish a batch of integration events that failed (NATS away, a PubAck timed out): each is tried again',
    registers: [this.registry],
  });

  readonly findingNotices = new Counter({
    name: 'ledger_finding_notices_total',
    help: 'Cross-province finding notices received from the national hub, by outcome (recorded, refused for good, error: delivered again)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectStandardProcessMetrics(this.registry);
    for (const outcome of ['recorded', 'refused', 'error']) this.findingNotices.inc({ outcome }, 0);
    // Every series of a closed set from the start, so that rate() sees the first increase.
    for (const outcome of SETTLEMENT_OUTCOMES) this.settlements.inc({ outcome }, 0);
    for (const reason of ['connection_lost', 'refused']) this.projectorFailures.inc({ reason }, 0);
  }
}

/**
 * prom-client's default process and Node.js metrics, unprefixed, under the names dashboards expect,
 * less three gauges named like counters (`nodejs_active_{handles,requests,resources}_total`):
 * `sum(nodejs_active_handles)` says the same without breaking the `_total` convention.
 */
export function collectStandardProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const gaugeNamedLikeACounter of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(gaugeNamedLikeACounter);
  }
}
