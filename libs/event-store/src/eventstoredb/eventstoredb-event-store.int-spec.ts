import { fileURLToPath } from 'node:url';
import { describe, it } from '@jest/globals';
import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB', {
    open: async () => EventStoreDbEventStore.connect(connectionString),
    durabilityChild: (streamName, eventId) => ({
      command: process.execPath,
      args: [fileURLToPath(new URL('./durability-child.mjs', import.meta.url)), streamName, eventId],
      env: { EVENTSTORE_CONNECTION_STRING: connectionString },
    }),
  });
} else {
  // A missing server, not a passing adapter: say so loudly and report the run as skipped.
  // Straight to stderr: Jest swallows console output of a suite that runs no test.
  process.stderr.write(
    '\n!! EventStoreDB contract run SKIPPED: EVENTSTORE_CONNECTION_STRING is not set.\n' +
      '!! Start a server with `docker compose up -d eventstoredb` ' +
      'and run again with EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false\n\n',
  );
  describe.skip('EventStoreDB event store (contract)', () => {
    it.skip('needs a running EventStoreDB: EVENTSTORE_CONNECTION_STRING is not set', () => undefined);
  });
}
