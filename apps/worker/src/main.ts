import { join } from 'node:path';
import { loadConfig } from '../../../libs/config';
import { JsonLogger, setLogLevel } from '../../../libs/logging';
import { startWorker } from './worker';
import { installWorkerRuntime } from '../../../libs/temporal/src/worker-runtime';

/** The prebuilt workflow bundle that `npm run build` writes next to the compiled workflows. */
const WORKFLOW_BUNDLE = join(__dirname, '..', '..', '..', 'workflows', 'workflow-bundle.js');

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  // SIGINT/SIGTERM shut the worker down gracefully: in-flight activities get the grace time
  // to finish, then the process exits.
  installWorkerRuntime(config.logLevel, true);
  const running = await startWorker(config, { codePath: WORKFLOW_BUNDLE });
  await running.done;
}

main().catch((error: unknown) => {
  new JsonLogger('Worker').error('worker failed', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
