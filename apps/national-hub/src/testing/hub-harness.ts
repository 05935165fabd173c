import { randomBytes } from 'node:crypto';
import { connect as connectTcp, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FINDINGS_STREAM, type CrossProvinceFindingNotice } from '@ledger/integration-events';
import { postgresUrl } from '../../../../libs/read-models/src/testing/postgres-scratch.js';
import type { HubConfig } from '../hub-config.js';
import { mintHubToken } from '../http/hub-access-tokens.js';

export const TEST_HUB_SECRET = 'national-hub-test-secret-0123456789abcdef';

/** A scratch schema name for one suite: dropped with dropSchema afterwards. */
export const scratchHubSchema = (label: string) => `scratch_hub_${label}_${randomBytes(4).toString('hex')}`;

/** The configuration a test hub runs with: the suite's NATS server and schema, any free port, a short ack wait. */
export function testHubConfig(natsUrl: string, databaseSchema: string, overrides: Partial<HubConfig> = {}): HubConfig {
  return {
    production: false,
    natsUrl,
    databaseUrl: postgresUrl(),
    databaseSchema,
    jwtSecret: TEST_HUB_SECRET,
    jwtSecretGenerated: false,
    host: '127.0.0.1',
    port: 0,
    consumerName: 'national-hub',
    maxBatch: 2_000,
    ackWaitMs: 2_000,
    logLevel: 'silent',
    ...overrides,
  };
}

export const ministryToken = (options: { role?: string; ttl?: string; secret?: string } = {}) => mintHubToken(options.secret ?? TEST_HUB_SECRET, { subject: 'analyst-1', ...options });

/** GET `path` of the hub, with a bearer token when given: the status, content type and parsed body. */
export async function getFromHub(url: string, path: string, token?: string): Promise<{ status: number; type: string; body: any }> {
  const response = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, type, body: type.includes('json') ? JSON.parse(text) : text };
}

/** Every notice in LEDGER_FINDINGS, with the subject it was published on. */
export async function findingNotices(connection: NatsConnection): Promise<Array<{ subject: string; notice: CrossProvinceFindingNotice }>> {
  const manager = await jetstreamManager(connection);
  const { state } = await manager.streams.info(FINDINGS_STREAM);
  const notices: Array<{ subject: string; notice: CrossProvinceFindingNotice }> = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const stored = await manager.streams.getMessage(FINDINGS_STREAM, { seq });
    if (stored) notices.push({ subject: stored.subject, notice: stored.json<CrossProvinceFindingNotice>() });
  }
  return notices;
}

/** Waits until `condition` holds, polling. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A TCP proxy to PostgreSQL that a test can cut (every connection dropped, new ones refused) and restore. */
export class CuttablePostgresProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly upstream = new URL(postgresUrl())) {}

  /** The database URL through the proxy. */
  get url(): string {
    const through = new URL(this.upstream.href);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.href;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connectTcp({ host: this.upstream.hostname, port: Number(this.upstream.port || 5432) });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
