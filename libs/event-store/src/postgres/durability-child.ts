// Run by the contract suite: append one event, announce it, then wait to be killed.
// Usage: durability-child.ts <database url> <schema> <stream name> <event id>
import { PostgresEventStore } from './postgres-event-store.js';

const [url, schema, streamName, eventId] = process.argv.slice(2) as [string, string, string, string];
const store = PostgresEventStore.connect(url, { schema });
const result = await store.appendToStream(
  streamName,
  [{ id: eventId, type: 'durability-checked', schemaVersion: 1, data: {}, metadata: {} }],
  'no_stream',
);
process.stdout.write(`appended ${result.position}\n`);
setInterval(() => undefined, 60_000);
