import { createServer } from 'node:net';

// Ports for the servers tests start as processes of their own (a compiled API, a projector, the
// national hub, a scratch NATS server).
//
// Not the kernel's pick (listen on port 0 and close): that port comes from the ephemeral range, where
// another test worker's server, or any outgoing connection, may take it in the seconds before the
// child listens — and a stranger answering the liveness probe passes for the child, which has
// meanwhile exited with EADDRINUSE. Each Jest worker takes ports in turn from a block of its own below
// the ephemeral range (32768 and up on Linux), starting at a point its process id picks, so two test
// runs on one machine rarely meet either; a port something already listens on is passed over.
const FIRST_PORT = 20_000;
const BLOCK = 700;
const worker = Math.max(0, Number(process.env.JEST_WORKER_ID ?? 1) - 1) % 16;
let next = process.pid % BLOCK;

export async function processPort(): Promise<number> {
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = FIRST_PORT + worker * BLOCK + (next++ % BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${FIRST_PORT + worker * BLOCK}–${FIRST_PORT + (worker + 1) * BLOCK - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
