import { loadProjectorConfig } from './projector-config.js';
import { startProjectorProcess } from './projector-process.js';

const config = loadProjectorConfig();
const running = await startProjectorProcess(config);
console.log(`projector following the log from position ${running.projector.checkpoint}`);
const stop = async () => {
  await running.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
