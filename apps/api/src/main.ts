import { loadConfig } from '../../../libs/config';
import { JsonLogger } from '../../../libs/logging';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  const logger = new JsonLogger('Api');
  logger.info('listening', { port: config.port });
  if (config.auth.jwtSecretEphemeral) {
    logger.warn('JWT_SECRET is not set: tokens are signed with a random key of this process, so they stop working when it stops and no other API process accepts them');
  }
}

main().catch((error: unknown) => {
  new JsonLogger('Api').error('api failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
