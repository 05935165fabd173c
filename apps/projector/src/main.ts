import { loadProjectorConfig } from './projector-config.js';
import { startProjectorProcess } from './projector-process.js';

const config = loadProjectorConfig();
const running = await startProjectorProcess(config);
console.log(`projector: /health and /metrics at ${running.url}`);
const stop = async () => {
  await running.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
