// Run by the contract suite's durability test: append one event, announce it, then wait to be
// killed. Usage: durability-child.ts <database file> <stream name> <event id> [checkpoints-on-a-thread]
import { SqliteEventStore } from './sqlite-event-store.js';

const [path, streamName, eventId, checkpoints] = process.argv.slice(2) as [string, string, string, string | undefined];
const store = SqliteEventStore.open(path, checkpoints === 'checkpoints-on-a-thread' ? { checkpointOnAThreadAfter: 0 } : {});
const result = await store.appendToStream(
  streamName,
  [{ id: eventId, type: 'durability-checked', schemaVersion: 1, data: {}, metadata: {} }],
  'no_stream',
);
process.stdout.write(`appended ${result.position}\n`);
setInterval(() => undefined, 60_000);
