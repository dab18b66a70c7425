import { loadConfig } from '../../../libs/config';
import { JsonLogger } from '../../../libs/logging';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  new JsonLogger('Api').info('listening', { port: config.port });
}

main().catch((error: unknown) => {
  new JsonLogger('Api').error('api failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
