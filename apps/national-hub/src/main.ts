import { HubConfigurationError, loadHubConfig, type HubConfig } from './hub-config.js';
import { mintHubToken } from './http/hub-access-tokens.js';
import { startNationalHub, type NationalHub } from './national-hub.js';

let config: HubConfig;
try {
  config = loadHubConfig();
} catch (error) {
  if (!(error instanceof HubConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}

let hub: NationalHub;
try {
  hub = await startNationalHub(config);
} catch (error) {
  // PostgreSQL or NATS not reachable, a stream or consumer that does not fit: said plainly, and the
  // orchestrator starts the hub again.
  console.error(`The national hub could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (config.jwtSecretGenerated) {
  // Outside production only (production requires HUB_JWT_SECRET): the secret lives as long as the process.
  const token = await mintHubToken(config.jwtSecret, { subject: 'ministry-dev' });
  console.log(`National hub at ${hub.url} (OpenAPI at ${hub.url}/openapi.json).\nHUB_JWT_SECRET is not set: a secret was generated for this process. A ministry token for 8 hours:\n\n  ${token}\n`);
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await hub.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
