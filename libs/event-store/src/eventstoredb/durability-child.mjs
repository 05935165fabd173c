// Run by the contract suite's durability test: append one event, announce its position the moment
// EventStoreDB acknowledges it, then wait to be killed with SIGKILL.
// Usage: EVENTSTORE_CONNECTION_STRING=esdb://... node durability-child.mjs <stream name> <event id>
//
// Plain JavaScript on the client itself, so the child needs no TypeScript loader. The metadata key
// matches what EventStoreDbEventStore writes, so the parent can read the event back through it.
import { EventStoreDBClient, NO_STREAM, jsonEvent } from '@eventstore/db-client';

const [streamName, eventId] = process.argv.slice(2);
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (!streamName || !eventId || !connectionString) {
  process.stderr.write('usage: EVENTSTORE_CONNECTION_STRING=... node durability-child.mjs <stream name> <event id>\n');
  process.exit(2);
}

const client = EventStoreDBClient.connectionString(connectionString);
const result = await client.appendToStream(
  streamName,
  jsonEvent({ id: eventId, type: 'durability-checked', data: {}, metadata: { $schemaVersion: 1 } }),
  { expectedRevision: NO_STREAM },
);
if (!result.position) {
  process.stderr.write('EventStoreDB acknowledged the append without a position\n');
  process.exit(1);
}
// The commit position may arrive as a number or a bigint depending on the client version.
process.stdout.write(`appended ${BigInt(result.position.commit)}\n`);
setInterval(() => undefined, 60_000);
