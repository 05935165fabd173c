import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { processPort } from './process-port.js';

/** `NATS_URL`, or the local server every development and CI machine runs. */
export const natsUrl = () => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const NATS_SERVER_BINARY = process.env.NATS_SERVER_BINARY ?? '/usr/sbin/nats-server';

/** Whether a NATS server with JetStream answers at `url`, and if not, why. */
export async function natsAvailability(url = natsUrl()): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    const connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
    try {
      const info = connection.info;
      if (!info?.jetstream) return { available: false, reason: `NATS at ${url} answers but has JetStream off (start nats-server with -js)` };
      return { available: true };
    } finally {
      await connection.close();
    }
  } catch (error) {
    return { available: false, reason: `NATS at ${url} is unreachable: ${(error as Error).message || String(error)}` };
  }
}

/**
 * A nats-server of the test's own, on a free port with a scratch store directory, so that a fault
 * test can stop it and start it again (on the same port and store) without touching the machine's
 * server.
 */
export interface ScratchNatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDirectory: string;
  /** Stops the server (SIGTERM, or SIGKILL with `kill: true`) and waits for it to exit. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same port and store; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  dispose(): Promise<void>;
}

export async function startScratchNatsServer(): Promise<ScratchNatsServer> {
  const port = await processPort();
  const storeDirectory = mkdtempSync(join(tmpdir(), 'ledger-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(NATS_SERVER_BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDirectory], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if ((await natsAvailability(url)).available) return;
      if (Date.now() > deadline) throw new Error(`nats-server on port ${port} did not answer within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async ({ kill = false }: { kill?: boolean } = {}) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(kill ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    storeDirectory,
    stop,
    start,
    async dispose() {
      await stop({ kill: true });
      rmSync(storeDirectory, { recursive: true, force: true });
    },
  };
}
