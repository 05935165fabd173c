// Run by the contract suite's durability test: append one event, announce it, then wait to be
// killed. Usage: durability-child.ts <database file> <stream name> <event id>
import { SqliteEventStore } from './sqlite-event-store.js';

const [path, streamName, eventId] = process.argv.slice(2) as [string, string, string];
const store = SqliteEventStore.open(path);
const result = await store.appendToStream(
  streamName,
  [{ id: eventId, type: 'durability-checked', schemaVersion: 1, data: {}, metadata: {} }],
  'no_stream',
);
process.stdout.write(`appended ${result.position}\n`);
setInterval(() => undefined, 60_000);
