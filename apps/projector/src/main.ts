import { loadLedgerConfig } from '../../ledger-api/src/config/ledger-config.js';
import { openEventStore } from '@ledger/event-store';

// The production projector: follows the global log from its checkpoint. Until the read models
// exist it only follows and reports how far it has read, which proves the subscription wiring.
const config = loadLedgerConfig();
const eventStore = openEventStore(config);
const subscription = eventStore.subscribeToAll();
const stop = async () => {
  await subscription.close();
  await eventStore.close();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

let seen = 0;
let last = -1n;
const report = setInterval(() => console.log(`projector: ${seen} events read, at position ${last}`), 10_000);
for await (const event of subscription) {
  seen++;
  last = event.globalPosition;
}
clearInterval(report);
